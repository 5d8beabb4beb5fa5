"""Run a command under strace and hand back its trace."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass

from .lower import TRACED_SYSCALLS

DEFAULT_MAX_WRITE = 1 << 20
INSTALL_HINT = "install it with your package manager (e.g. `apt-get install strace`)"


class StraceError(RuntimeError):
    pass


@dataclass
class TracedRun:
    trace: str
    returncode: int
    stdout: str | None  # None when the output went to the terminal
    stderr: str | None


def strace_command(trace_file: str, max_write_bytes: int = DEFAULT_MAX_WRITE,
                   strace: str = "strace") -> list[str]:
    """The strace invocation, without the traced command."""
    # -f: follow children; -qq: no attach/exit chatter; -xx: every string byte as \xNN, so
    # binary data and odd paths survive; -y: fds resolved to paths; -s: whole write buffers.
    # A "?" before a name skips syscalls this architecture lacks (open, rename on arm64).
    wanted = ",".join("?" + name for name in TRACED_SYSCALLS)
    return [strace, "-f", "-qq", "-xx", "-y", "-s", str(max_write_bytes), "-e", "signal=none",
            "-e", f"trace={wanted}", "-o", trace_file]


def find_strace(strace: str | None = None) -> str:
    found = shutil.which(strace or "strace")
    if found is None:
        raise StraceError(f"strace not found; {INSTALL_HINT}")
    return found


def _run(argv: list[str], cwd: str | None, env: dict[str, str], capture_output: bool,
         timeout: float | None) -> subprocess.CompletedProcess[str]:
    """Run strace in its own process group, so that a timeout stops the traced program too
    (a killed strace would only detach from it)."""
    pipe = subprocess.PIPE if capture_output else None
    with subprocess.Popen(argv, cwd=cwd, env=env, stdout=pipe, stderr=pipe, text=True,
                          errors="replace", start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise StraceError(f"the command did not finish within {timeout} seconds") from None
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)


def run_traced(command: list[str], cwd: str | None = None, env: dict[str, str] | None = None,
               max_write_bytes: int = DEFAULT_MAX_WRITE, strace: str | None = None,
               capture_output: bool = False, timeout: float | None = None) -> TracedRun:
    binary = find_strace(strace)
    child_env = dict(os.environ if env is None else env)
    # A Python program's prints must reach fd 1 when they happen, not at exit: they are the
    # acknowledgements we check the files against.
    child_env.setdefault("PYTHONUNBUFFERED", "1")
    with tempfile.TemporaryDirectory(prefix="durable-writes-verify-") as scratch:
        trace_file = os.path.join(scratch, "trace")
        argv = strace_command(trace_file, max_write_bytes, binary) + ["--", *command]
        done = _run(argv, cwd, child_env, capture_output, timeout)
        try:
            with open(trace_file, encoding="ascii", errors="replace") as fh:
                trace = fh.read()
        except FileNotFoundError:
            trace = ""
    if not trace.strip():
        detail = (done.stderr or "").strip()[-500:]
        raise StraceError("strace recorded nothing: the command could not be started, or "
                          "ptrace is not permitted here (a container needs --cap-add=SYS_PTRACE)"
                          f"{': ' + detail if detail else ''}")
    return TracedRun(trace, done.returncode, done.stdout, done.stderr)
