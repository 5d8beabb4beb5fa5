"""How fast `durable-writes fix --check` is, against the floor of parsing every file.

Same corpus and floor as bench_check.py (the installed standard library, read + ast.parse of
every file in one process). LibCST is slow, so the fixer must hand it only the files that have
findings: the script counts how many modules LibCST parsed, and says which.

Run: python benchmarks/bench_fix.py [--repeat 3] [--root DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import sysconfig
from dataclasses import replace
from pathlib import Path

import libcst

from lint_rules.fixer import command as fix_command, transform as fix
from lint_rules.config import Config, find_pyproject, load_config
from lint_rules.files import discover
from lint_rules.runner import check_paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import EXCLUDE, best_of, command, parse_all  # noqa: E402


def run_command(root: str) -> None:
    argv = [*command(), "fix", "--check", "--exclude", ",".join(EXCLUDE), root]
    result = subprocess.run(argv, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if result.returncode not in (0, 1):  # 1: something would change, or a file did not parse
        raise SystemExit(f"{argv} failed with {result.returncode}: {result.stderr.decode()}")


def libcst_parses(root: str, config: Config) -> tuple[int, int]:
    """Run fix --check in this process: (modules LibCST parsed, files with findings)."""
    calls = 0
    original = libcst.parse_module

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    fix.cst.parse_module = counting
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            fix_command.run([root], config, diff=False, check=True, jobs=1)  # this process
    finally:
        fix.cst.parse_module = original
    reports = check_paths(discover([root], config.exclude).files, config)
    return calls, sum(1 for r in reports if r.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    config = load_config(find_pyproject(Path(root)))
    config = replace(config, exclude=(*config.exclude, *EXCLUDE))
    files = discover([root], config.exclude).files
    parse_all(files)  # warm the page cache
    floor = best_of(args.repeat, lambda: parse_all(files))
    timed = best_of(args.repeat, lambda: run_command(root))
    parsed, with_findings = libcst_parses(root, config)
    print(f"corpus   {root}: {len(files)} files ({', '.join(EXCLUDE)} excluded)")
    print(f"libcst   parsed {parsed} module(s); {with_findings} file(s) have findings")
    print(f"{'measurement':34} {'wall s':>8} {'vs floor':>9} {'CPU s':>8} {'vs floor':>9}")
    rows = {"floor: read + ast.parse, 1 process": floor, "command: fix --check": timed}
    for name, (wall, cpu) in rows.items():
        print(f"{name:34} {wall:8.3f} {wall / floor[0]:9.2f} {cpu:8.3f} {cpu / floor[1]:9.2f}")


if __name__ == "__main__":
    main()
