"""How fast `durable-writes check` is, against the floor of reading and parsing every file.

The corpus is the installed CPython standard library (installed packages under site-packages
and dist-packages left out). Every measurement covers the same files: the list the command's
own discovery yields, tests and deliberately broken files included.

  floor     read + ast.parse of every file, one process (what any ast-based linter pays)
  command   `durable-writes check` as a user runs it: a new process, discovery and output
            included; wall time, best of --repeat
  runner    lint_rules.runner.check_paths in this process (no start-up, no discovery)

Run: python benchmarks/bench_check.py [--repeat 3] [--root DIR]
"""
from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from lint_rules.engine.checker import may_have_findings
from lint_rules.config import find_pyproject, load_config
from lint_rules.files import discover
from lint_rules.runner import check_paths, default_jobs

EXCLUDE = ("site-packages", "dist-packages")


def cpu_seconds() -> float:
    """User + system time of this process and of its finished children (workers, commands)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def best_of(repeat: int, work: Callable[[], object]) -> tuple[float, float]:
    """Fastest wall time and smallest CPU time over `repeat` runs.

    CPU time is the figure to trust on a busy machine: other processes stretch the wall time
    of a run, hardly its CPU time.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), cpu_seconds()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return min(walls), min(cpus)


def parse_all(files: Sequence[str]) -> int:
    """The floor: read and parse each file; returns how many do not parse."""
    failures = 0
    for path in files:
        with open(path, "rb") as fh:
            data = fh.read()
        try:
            ast.parse(data, filename=path)
        except (SyntaxError, ValueError):  # ValueError: null bytes in the source
            failures += 1
    return failures


def command() -> list[str]:
    """The console script a user of this interpreter runs, not a shim in front of it."""
    beside = Path(sys.executable).parent / "durable-writes"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("durable-writes")
    return [found] if found else [sys.executable, "-m", "lint_rules.cli"]


def run_command(root: str, jobs: int | None) -> None:
    argv = [*command(), "check", "--exclude", ",".join(EXCLUDE), root]
    if jobs:
        argv += ["--jobs", str(jobs)]
    # Exit 1 is expected: the standard library has findings and files that do not parse.
    result = subprocess.run(argv, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{argv} failed with {result.returncode}: {result.stderr.decode()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    load = os.getloadavg()[0]

    # The command reads the configuration nearest to its working directory (the root).
    config = load_config(find_pyproject(Path(root)))
    start = time.perf_counter()
    files = discover([root], (*config.exclude, *EXCLUDE)).files
    discovery = time.perf_counter() - start
    sizes = sum(os.path.getsize(f) for f in files)
    prefiltered = 0
    for path in files:  # also warms the page cache for every measurement below
        with open(path, "rb") as fh:
            prefiltered += may_have_findings(fh.read())

    failures = parse_all(files)
    floor = best_of(args.repeat, lambda: parse_all(files))
    jobs = default_jobs()
    timings = {
        f"command, --jobs {jobs} (default)": best_of(args.repeat, lambda: run_command(root, None)),
        "command, --jobs 1": best_of(args.repeat, lambda: run_command(root, 1)),
        f"runner, jobs={jobs}": best_of(args.repeat, lambda: check_paths(files, config, jobs)),
        "runner, jobs=1": best_of(args.repeat, lambda: check_paths(files, config, 1)),
    }
    reports = check_paths(files, config, jobs)

    print(f"corpus     {root} ({', '.join(EXCLUDE)} excluded)")
    print(f"files      {len(files)} ({sizes / 1e6:.1f} MB), discovered in {discovery:.3f} s")
    print(f"parse      {failures} files do not parse (counted in the floor, reported by check "
          f"only when they pass the pre-filter: {sum(bool(r.error) for r in reports)} did)")
    print(f"pre-filter {prefiltered} of {len(files)} files need a parse")
    print(f"findings   {sum(len(r.findings) for r in reports)} "
          f"in {sum(bool(r.findings) for r in reports)} files")
    print(f"cores      {os.cpu_count()}, best of {args.repeat}, load average before: "
          f"{load:.2f}, after: {os.getloadavg()[0]:.2f}")
    print()
    print(f"{'measurement':34} {'wall s':>8} {'vs floor':>9} {'CPU s':>8} {'vs floor':>9}")
    for name, (wall, cpu) in {"floor: read + ast.parse, 1 process": floor, **timings}.items():
        print(f"{name:34} {wall:8.3f} {wall / floor[0]:9.2f} {cpu:8.3f} {cpu / floor[1]:9.2f}")


if __name__ == "__main__":
    main()
