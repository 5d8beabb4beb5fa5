"""Record the strace fixtures in tests/verify/traces/; run by hand:

    python tests/verify/record_traces.py

Each program runs with the same strace flags as `durable-writes verify`, in a fresh working
directory holding `data.json` = b'{"a": 0}\\n'.  The trace is trimmed to the lines about that
directory (the interpreter's own start-up is dropped), plus stdout writes and unfinished /
resumed halves, and the directory is renamed to /w (and a scratch directory to /s), so the
fixtures do not depend on where they were recorded.  The tests assert on what the programs
below do; re-recording must not change those assertions.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from lint_rules.verify.runner import strace_command

HERE = Path(__file__).parent / "traces"

PROGRAMS = {
    "naive": """
import json, os
with open("data.json.tmp", "w") as fh:
    json.dump({"a": 1}, fh)
os.replace("data.json.tmp", "data.json")
print("saved")
""",
    "protocol": """
import json, os
with open("data.json.tmp", "w") as fh:
    json.dump({"a": 1}, fh)
    fh.flush()
    os.fsync(fh.fileno())
os.replace("data.json.tmp", "data.json")
dfd = os.open(".", os.O_RDONLY)
os.fsync(dfd)
os.close(dfd)
print("saved")
""",
    "rawops": """
import os
fd = os.open("log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
os.write(fd, b"one\\n")
os.write(fd, b"two\\n")
os.close(fd)
fd = os.open("blob", os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
os.writev(fd, [b"ab", b"\\x00\\xff", b"cd"])
os.pwrite(fd, b"ZZ", 1)
os.lseek(fd, 10, os.SEEK_SET)
os.write(fd, b"end")
os.ftruncate(fd, 12)
dup = os.dup2(fd, 9)
os.lseek(dup, 0, os.SEEK_SET)
os.write(dup, b"Q")
os.fdatasync(fd)
os.close(fd)
os.close(dup)
os.mkdir("sub")
os.rename("blob", "sub/blob")
os.unlink("log")
os.chdir("sub")
os.rename("blob", "blob2")
os.sync()
print("done")
""",
    "threads": """
import os, subprocess, sys, threading
fifo = sys.argv[1]
os.mkfifo(fifo)
def blocked():
    with open(fifo, "w") as fh:
        fh.write("x")
worker = threading.Thread(target=blocked)
worker.start()
with open("data.json", "w") as fh:
    fh.write('{"a": 1}')
subprocess.run([sys.executable, "-c", "open('child.txt', 'w').write('from child')"], check=True)
with open(fifo) as fh:
    fh.read()
worker.join()
print("joined")
""",
    "copy": """
import shutil
with open("src.bin", "wb") as fh:
    fh.write(bytes(range(256)) * 2)
shutil.copyfile("src.bin", "dst.bin")
print("copied")
""",
}


def hexed(path: str) -> str:
    return "".join(f"\\x{b:02x}" for b in os.fsencode(path))


def record(name: str, source: str) -> str:
    with tempfile.TemporaryDirectory() as work, tempfile.TemporaryDirectory() as scratch:
        work, scratch = os.path.realpath(work), os.path.realpath(scratch)
        Path(work, "data.json").write_bytes(b'{"a": 0}\n')
        trace_file = os.path.join(scratch, "trace")
        argv = [*strace_command(trace_file), "--", sys.executable, "-c", source,
                os.path.join(scratch, "fifo")]
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
        subprocess.run(argv, cwd=work, env=env, check=True, capture_output=True)
        text = Path(trace_file).read_text()
    kept = [line for line in text.splitlines() if _wanted(line, hexed(work), hexed(scratch))]
    trimmed = "\n".join(kept) + "\n"
    return trimmed.replace(hexed(work), hexed("/w")).replace(hexed(scratch), hexed("/s"))


def _wanted(line: str, work: str, scratch: str) -> bool:
    # AT_FDCWD<cwd> is on every *at call the interpreter makes at start-up: ignore it.
    body = re.sub(r"AT_FDCWD<[^>]*>", "AT_FDCWD", line)
    if work in body or scratch in body:
        return True
    if "<unfinished ...>" in line or " resumed>" in line:
        return True
    if re.search(r"\s(write|writev)\(1<", line):
        return True
    return bool(re.search(r"\s(rename|renameat2?|unlink|unlinkat|mkdir|mkdirat|chdir|fsync|"
                          r"fdatasync|sync|syncfs)\(", line))


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, source in PROGRAMS.items():
        (HERE / f"{name}.strace").write_text(record(name, source))
        print(f"recorded {name}")


if __name__ == "__main__":
    main()
