"""A stress run of `check` and `fix` over a corpus of real code, on a copy, never in place.

The corpus is the installed standard library (its site-packages left out) and the
site-packages of the running environment, copied into a temporary directory.  On the copy:

  check         `durable-writes check --format json`: files, findings, errors
  fix           `durable-writes fix`: files and findings fixed, files not fixed
  fix --check   a second run must have nothing left to do
  compile       every changed file must still compile
  temp files    none of `*.durable-writes.tmp` may be left

Each command is a new process; wall and CPU time and the peak resident memory of its largest
process (the main one or a worker) are printed.

Run: python benchmarks/corpus_run.py [--keep]
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "lint_rules.cli"]


def copy_corpus(destination: Path) -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    ignore = shutil.ignore_patterns("site-packages", "dist-packages", "__pycache__")
    shutil.copytree(stdlib, destination / "stdlib", symlinks=True, ignore=ignore)
    for number, packages in enumerate(site.getsitepackages()):
        shutil.copytree(packages, destination / f"site-packages-{number}", symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__"))


def timed(argv: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, str]:
    """Run `argv`; its result and a line of wall time, CPU time and peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of children is the largest of any waited-for descendant so far.
    return result, f"{wall:7.1f} s wall {cpu:7.1f} s CPU  peak {after.ru_maxrss / 1024:6.0f} MB"


def python_files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*.py") if p.is_file() and not p.is_symlink()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the copy and say where")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="corpus-run-"))
    try:
        copy_corpus(directory)
        # Keep the corpus' own pyproject.toml files out: the default configuration applies.
        (directory / "pyproject.toml").write_text("[tool.durable-writes]\n")
        before = python_files(directory)
        print(f"corpus   {len(before)} .py files under {directory}")

        result, cost = timed([*CLI, "check", "--format", "json", "."], directory)
        records = json.loads(result.stdout)
        errors = [r for r in records if r.get("code") == "error"]
        print(f"check    exit {result.returncode}; {len(records) - len(errors)} findings, "
              f"{len(errors)} files not checked; {cost}")

        result, cost = timed([*CLI, "fix", "."], directory)
        summary = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
        print(f"fix      exit {result.returncode}; {summary}; {cost}")
        reasons: dict[str, int] = {}
        for line in result.stderr.splitlines():
            if ": not fixed: " in line:
                reason = line.split(": not fixed: ", 1)[1].split(":")[0].split(";")[0]
                reasons[reason] = reasons.get(reason, 0) + 1
        for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
            print(f"         not fixed: {count:5} {reason}")

        result, cost = timed([*CLI, "fix", "--check", "."], directory)
        again = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
        print(f"again    exit {result.returncode}; {again}; {cost}")

        after = python_files(directory)
        changed = [p for p in after if before.get(p) != after[p]]
        broken = []
        for path in changed:
            try:
                compile(after[path], str(path), "exec")
            except (SyntaxError, ValueError) as exc:
                broken.append(f"{path}: {exc}")
        temps = [p for p in directory.rglob("*.durable-writes.tmp")]
        print(f"files    {len(changed)} changed, {len(broken)} of them do not compile, "
              f"{len(temps)} temporary files left, {len(after) - len(before)} files added")
        for line in broken[:10]:
            print(f"         {line}")
    finally:
        if args.keep:
            print(f"kept     {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
