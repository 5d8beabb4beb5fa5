"""Run a command under strace and hand back its trace."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from dataclasses import dataclass

from .lower import TRACED_SYSCALLS

DEFAULT_MAX_WRITE = 1 << 20
INSTALL_HINT = "install it with your package manager (e.g. `apt-get install strace`)"


class StraceError(RuntimeError):
    pass


class CommandNotFound(StraceError):
    """The traced command does not exist or cannot be executed (said before strace runs, which
    would only report that it recorded nothing)."""


@dataclass
class TracedRun:
    trace_file: str  # strace's output, one call per line
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


def inherited_files(fds: tuple[int, ...] = (0, 1, 2)) -> dict[int, tuple[int, bool]]:
    """Offset and O_APPEND of this process's standard fds that are files: the traced command
    inherits them (`> out` or `>> log` in the shell), and its trace never shows them opened."""
    found = {}
    for fd in fds:
        try:
            with open(f"/proc/self/fdinfo/{fd}") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
            found[fd] = (int(fields["pos"]), bool(int(fields["flags"], 8) & os.O_APPEND))
        except (OSError, KeyError, ValueError):
            continue  # closed, or no /proc: the offset is taken as 0, as before
    return found


def find_command(command: list[str], cwd: str | None, env: dict[str, str]) -> str:
    """The executable `command` starts, as execvp would find it; CommandNotFound otherwise."""
    name = command[0]
    if os.sep in name:
        found = os.path.join(cwd or os.getcwd(), name)
        if not os.path.exists(found):
            raise CommandNotFound(f"command not found: {name} (no such file)")
    else:
        found = shutil.which(name, path=env.get("PATH", os.defpath))
        if found is None:
            raise CommandNotFound(f"command not found: {name} (not on PATH)")
    if os.path.isdir(found) or not os.access(found, os.X_OK):
        raise CommandNotFound(f"cannot run {name}: not an executable file")
    return found


def run_traced(command: list[str], trace_file: str, cwd: str | None = None,
               env: dict[str, str] | None = None, max_write_bytes: int = DEFAULT_MAX_WRITE,
               strace: str | None = None, capture_output: bool = False,
               timeout: float | None = None) -> TracedRun:
    """Run `command` under strace, its trace going to `trace_file` (which the caller reads as
    a stream: a trace holds every byte written, four times over)."""
    child_env = dict(os.environ if env is None else env)
    find_command(command, cwd, child_env)
    binary = find_strace(strace)
    # A Python program's prints must reach fd 1 when they happen, not at exit: they are the
    # acknowledgements we check the files against.
    child_env.setdefault("PYTHONUNBUFFERED", "1")
    argv = strace_command(trace_file, max_write_bytes, binary) + ["--", *command]
    done = _run(argv, cwd, child_env, capture_output, timeout)
    if not os.path.exists(trace_file) or os.path.getsize(trace_file) == 0:
        detail = (done.stderr or "").strip()[-500:]
        raise StraceError("strace recorded nothing: ptrace is probably not permitted here (a "
                          "container needs --cap-add=SYS_PTRACE)"
                          f"{': ' + detail if detail else ''}")
    return TracedRun(trace_file, done.returncode, done.stdout, done.stderr)
