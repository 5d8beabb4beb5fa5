"""How long `durable-writes verify` takes, and how much memory it needs, on a large write.

A writer puts 60 MB into a new file in 4 MiB writes (15 syscalls, 15,360 pages: under posix
each page is an effect that can persist alone), then renames it into place. Two writers: the
full protocol (flush, fsync, rename, directory fsync) and a naive one (no fsync at all, the
case that samples the most states). Each run is a fresh `durable-writes verify --model both`
process; its wall time, CPU time (user + system, of it, strace and the traced program: what a
busy machine does not inflate) and peak RSS (the largest of the three), from wait4, are printed
with the verdict line.

Run: python benchmarks/bench_verify.py [--megabytes 60] [--piece-kib 4096] [--repeat 1]
(`--piece-kib 8` is what Python's buffered writes make: 7,300 writes of 8 KiB.)
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

WRITER = """\
import os, sys
total, piece, durable = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "protocol"
block = os.urandom(piece)
with open("big.bin.tmp", "wb") as fh:
    for start in range(0, total, piece):
        fh.write(block[: min(piece, total - start)])
    if durable:
        fh.flush()
        os.fsync(fh.fileno())
os.replace("big.bin.tmp", "big.bin")
if durable:
    fd = os.open(".", os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
print("saved")
"""


def command() -> list[str]:
    found = shutil.which("durable-writes")
    return [found] if found else [sys.executable, "-m", "lint_rules.cli"]


def run_once(total: int, piece: int, writer: str) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS in MiB, verdict line) of one verify run in a
    scratch directory."""
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as scratch:
        script = os.path.join(scratch, "writer.py")
        with open(script, "w") as fh:
            fh.write(WRITER)
        os.mkdir(os.path.join(scratch, "out"))
        argv = [*command(), "verify", "--model", "both",
                "--max-write-bytes", str(max(piece, 1 << 20)),
                "--", sys.executable, script, str(total), str(piece), writer]
        # Output to files, so that wait4 (not communicate) reaps the process: its rusage is
        # this run's alone.
        with open(os.path.join(scratch, "report"), "w+") as out, \
                open(os.path.join(scratch, "errors"), "w+") as err:
            started = time.perf_counter()
            process = subprocess.Popen(argv, cwd=os.path.join(scratch, "out"), stdout=out,
                                       stderr=err)
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - started
            out.seek(0)
            err.seek(0)
            report, errors = out.read(), err.read()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"verify failed with {code}: {errors}")
    # ru_maxrss is in KiB on Linux: the largest of the process and its waited-for children.
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss // 1024, report.rstrip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=60)
    parser.add_argument("--piece-kib", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    total, piece = args.megabytes * 1000 * 1000, args.piece_kib << 10
    print(f"{args.megabytes} MB in {args.piece_kib} KiB writes, --model both")
    for writer in ("protocol", "naive"):
        for _ in range(args.repeat):
            elapsed, cpu, peak, verdict = run_once(total, piece, writer)
            print(f"  {writer:8} {elapsed:6.1f} s wall  {cpu:6.1f} s CPU  peak RSS {peak:5d} MiB"
                  f"  {verdict}")


if __name__ == "__main__":
    main()
