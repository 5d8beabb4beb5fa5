"""How fast `durable-writes check` is, against the floor of reading and parsing every file.

The corpus is a copy of the installed CPython standard library (site-packages and
dist-packages left out) in a temporary directory, so that it is a project like any other: its
modules import each other, and the summary cache (.durable_writes_cache/) can be written.
Every measurement covers the same files: the list the command's own discovery yields, tests
and deliberately broken files included.

  floor       read + ast.parse of every file, one process (what any ast-based linter pays)
  check       `durable-writes check` as a user runs it: a new process, discovery and output
              included; with a cold summary cache (emptied before each run) and a warm one
  flake8      the same flake8 run (default checks, all cores) with the plugin and without it;
              also round by round, the two back to back (their order swapped every other
              round), which a machine's drift over the minutes of a run disturbs less
  4x project  the corpus copied four times, `check --jobs 1` with a cold cache: CPU against
              one copy's
  peak RSS    of the largest process of a run (the command or one of its workers)

Each of `--repeat` rounds runs every measurement once, in turn, the floor first; each figure
is the best of its rounds. The speed of a shared machine drifts over minutes, so a ratio must
compare runs made close together, not the floor of one minute with the check of another. The
flake8 pair is also compared round by round: the mean of those ratios cancels a steady drift
when as many rounds ran the plugin first as second (an even `--repeat`).

Run: python benchmarks/bench_check.py [--repeat 4] [--root DIR] [--no-flake8] [--no-scale]
"""
from __future__ import annotations

import argparse
import ast
import functools
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from lint_rules.engine.cache import DIRNAME
from lint_rules.engine.checker import may_have_findings
from lint_rules.config import find_pyproject, load_config
from lint_rules.files import discover
from lint_rules.runner import default_jobs

EXCLUDE = ("site-packages", "dist-packages")
# Runs a command and prints the peak RSS (KiB on Linux) of its largest process: the children
# of this wrapper include the command's own finished workers.
_PEAK = ("import resource, subprocess, sys; "
         "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")
# flake8 as its console script runs it, optionally without this plugin (the same run, minus
# one entry point).
_FLAKE8 = ("import sys; import flake8.plugins.finder as finder; find = finder.find_plugins; "
           "drop = sys.argv.pop(1) == 'without'; "
           "finder.find_plugins = lambda cfg, opts: [p for p in find(cfg, opts) "
           "if not (drop and p.package == 'flake8-durable-writes')]; "
           "from flake8.main.cli import main; sys.exit(main())")


def cpu_seconds() -> float:
    """User + system time of this process and of its finished children (workers, commands)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def best_of(repeat: int, work: Callable[[], object],
            before: Callable[[], object] | None = None) -> tuple[float, float]:
    """Fastest wall time and smallest CPU time over `repeat` runs (`before` each run, not
    timed).

    CPU time is the figure to trust on a busy machine: other processes stretch the wall time
    of a run, hardly its CPU time.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        wall, cpu = time.perf_counter(), cpu_seconds()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return min(walls), min(cpus)


_UNMEASURED = (float("inf"), float("inf"))


def min_pair(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The smaller wall time and the smaller CPU time of two measurements."""
    return min(a[0], b[0]), min(a[1], b[1])


_WITHOUT, _WITH = "flake8 without the plugin", "flake8 with the plugin, warm"


def in_turn(rows: list, number: int) -> list:
    """The rows of round `number`: the two flake8 runs swap places every other round, so
    that a machine slowing down or speeding up over a round favours neither."""
    if number % 2 == 0:
        return rows
    names = [row[0] for row in rows]
    if _WITHOUT not in names or _WITH not in names:
        return rows
    i, j = names.index(_WITHOUT), names.index(_WITH)
    swapped = list(rows)
    swapped[i], swapped[j] = rows[j], rows[i]
    return swapped


def balanced(paired: list[float]) -> str:
    """The mean of the round-by-round ratios, which cancels a steady drift of the machine's
    speed when as many rounds ran the plugin first as second (an even `--repeat`)."""
    mean = sum(paired) / len(paired)
    if len(paired) % 2:
        return (f"mean {mean:+.1%}, not balanced: {len(paired) // 2 + 1} of {len(paired)} "
                f"rounds ran the plugin second (an even --repeat balances them)")
    return f"mean {mean:+.1%}, balanced: half the rounds ran the plugin first"


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


class Runs:
    """Commands run through the peak-memory wrapper; remembers each name's largest peak."""

    def __init__(self) -> None:
        self.peaks: dict[str, int] = {}

    def run(self, name: str, argv: list[str], cwd: str) -> None:
        result = subprocess.run([sys.executable, "-c", _PEAK, *argv], cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Exit 1 is expected: the standard library has findings and files that do not parse.
        if result.returncode not in (0, 1):
            raise SystemExit(f"{argv} failed with {result.returncode}: {result.stderr}")
        peak = int(result.stdout.split()[-1])
        self.peaks[name] = max(self.peaks.get(name, 0), peak)


def check_argv(root: str, jobs: int | None, *options: str) -> list[str]:
    argv = [*command(), "check", "--exclude", ",".join(EXCLUDE), *options, root]
    return argv + (["--jobs", str(jobs)] if jobs else [])


def flake8_argv(root: str, plugin: bool) -> list[str]:
    return [sys.executable, "-c", _FLAKE8, "with" if plugin else "without", "--isolated",
            "--jobs", "auto", "--extend-exclude", ",".join(EXCLUDE), "--exit-zero", root]


def copy_corpus(source: str, target: str) -> None:
    shutil.copytree(source, target, symlinks=True,
                    ignore=shutil.ignore_patterns(*EXCLUDE, "__pycache__", DIRNAME))


def clear_caches(*roots: str) -> None:
    """Every summary cache under the roots (each top-level module of a copy is its own
    import root, so the caches sit at the copies' roots)."""
    for root in roots:
        shutil.rmtree(os.path.join(root, DIRNAME), ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--no-flake8", action="store_true", help="skip the flake8 runs")
    parser.add_argument("--no-scale", action="store_true", help="skip the 4x project")
    parser.add_argument("--json", metavar="FILE", help="also write the figures here")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-check-") as work:
        corpus = os.path.join(work, "stdlib")
        copy_corpus(os.path.abspath(args.root), corpus)
        figures = measure(corpus, work, args)
    figures["load average"] = [load, os.getloadavg()[0]]
    if args.json:
        with open(args.json, "w") as fh:  # noqa: DUR101 - a report, not a durable file
            json.dump(figures, fh, indent=2)


def measure(corpus: str, work: str, args: argparse.Namespace) -> dict:
    repeat = args.repeat
    config = load_config(find_pyproject(Path(corpus)))
    start = time.perf_counter()
    files = discover([corpus], (*config.exclude, *EXCLUDE)).files
    discovery = time.perf_counter() - start
    sizes = sum(os.path.getsize(f) for f in files)
    prefiltered = 0
    for path in files:  # also warms the page cache for every measurement below
        with open(path, "rb") as fh:
            prefiltered += may_have_findings(fh.read())
    failures = parse_all(files)
    jobs = default_jobs()
    runs = Runs()
    cold = functools.partial(clear_caches, corpus)

    def check(name: str, jobs: int | None, *options: str) -> Callable[[], None]:
        return lambda: runs.run(name, check_argv(corpus, jobs, *options), corpus)

    rows = [
        ("check --jobs 1, cold cache", check("j1 cold", 1), cold),
        ("check --jobs 1, warm cache", check("j1 warm", 1), None),  # warmed by the row above
        ("check --jobs 1 --no-cache", check("j1 no-cache", 1, "--no-cache"), None),
        (f"check --jobs {jobs} (default), cold", check("jN cold", None), cold),
        (f"check --jobs {jobs} (default), warm", check("jN warm", None), None),
    ]
    if not args.no_flake8:
        for name, plugin in ((_WITHOUT, False), (_WITH, True)):
            argv = flake8_argv(corpus, plugin)
            rows.append((name, functools.partial(runs.run, name, argv, corpus), None))
    copies = []
    if not args.no_scale:
        copies = [os.path.join(work, "x4", str(n)) for n in range(4)]
        for copy in copies:
            copy_corpus(corpus, copy)
        big = os.path.join(work, "x4")
        rows.append(("4x project: check --jobs 1, cold",
                     lambda: runs.run("x4 cold", check_argv(big, 1), big),
                     lambda: clear_caches(*copies)))
    # Rounds of every measurement in turn, the floor first: this machine's speed drifts over
    # minutes, and each ratio should compare runs made close together.
    floor = _UNMEASURED
    timings: dict[str, tuple[float, float]] = {}
    rounds: dict[str, list[tuple[float, float]]] = {}
    for number in range(repeat):
        floor = min_pair(floor, best_of(1, lambda: parse_all(files)))
        for name, work_, before in in_turn(rows, number):
            measured = best_of(1, work_, before)
            rounds.setdefault(name, []).append(measured)
            timings[name] = min_pair(timings.get(name, _UNMEASURED), measured)
    scale = None
    if copies:
        scale = (timings["4x project: check --jobs 1, cold"][1]
                 / timings["check --jobs 1, cold cache"][1])

    print(f"corpus     {args.root} copied to a temporary directory ({', '.join(EXCLUDE)} "
          f"excluded)")
    print(f"files      {len(files)} ({sizes / 1e6:.1f} MB), discovered in {discovery:.3f} s")
    print(f"parse      {failures} files do not parse (counted in the floor)")
    print(f"pre-filter {prefiltered} of {len(files)} files pass the byte test alone")
    print(f"cores      {os.cpu_count()}, best of {repeat}, load average now: "
          f"{os.getloadavg()[0]:.2f}")
    print()
    print(f"{'measurement':38} {'wall s':>8} {'vs floor':>9} {'CPU s':>8} {'vs floor':>9} "
          f"{'peak MB':>8}")
    peaks = dict(zip([r[0] for r in rows], ["j1 cold", "j1 warm", "j1 no-cache", "jN cold",
                                            "jN warm"]))
    peaks.update({_WITHOUT: _WITHOUT, _WITH: _WITH,
                  "4x project: check --jobs 1, cold": "x4 cold"})
    figures = {"floor": floor}
    for name, (wall, cpu) in {"floor: read + ast.parse, 1 process": floor, **timings}.items():
        peak = runs.peaks.get(peaks.get(name, ""), 0) / 1024
        shown = f"{peak:8.0f}" if peak else f"{'':8}"
        print(f"{name:38} {wall:8.3f} {wall / floor[0]:9.2f} {cpu:8.3f} {cpu / floor[1]:9.2f} "
              f"{shown}")
        figures[name] = {"wall": wall, "cpu": cpu, "peak_mb": peak}
    if _WITHOUT in timings:
        without, with_ = timings[_WITHOUT], timings[_WITH]
        print(f"\nflake8 with the plugin costs {with_[1] / without[1] - 1:+.1%} CPU, "
              f"{with_[0] / without[0] - 1:+.1%} wall (goal: at most +5%)")
        paired = [w[1] / wo[1] - 1 for w, wo in zip(rounds[_WITH], rounds[_WITHOUT])]
        shown = [f"{r:+.1%}{' (plugin first)' if n % 2 else ''}" for n, r in enumerate(paired)]
        print(f"  the same, round by round (the two runs back to back): {', '.join(shown)}; "
              f"median {sorted(paired)[len(paired) // 2]:+.1%}")
        print(f"  {balanced(paired)}")
    if scale is not None:
        print(f"4x project costs {scale:.2f}x the CPU of one copy (goal: at most 4.2x)")
    return figures


if __name__ == "__main__":
    main()
