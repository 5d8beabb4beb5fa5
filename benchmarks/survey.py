"""Run `durable-writes check` and `fix` over pinned releases of popular packages that write state.

This is a field test on code the project did not write, not a test: it needs the network (the
package index) and a minute or two, so the test suite never runs it. Everything happens in a
temporary directory; nothing downloaded is kept unless --workdir is given.

For each package: findings by code. Then the fixer over a copy of all sources, checked the way
a user would want it checked: every changed file still compiles, a re-check with the fixable
rules finds nothing, and a second `fix --check` changes nothing.

Run: python benchmarks/survey.py [--workdir DIR] [--only NAME ...]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import command  # noqa: E402

# Latest releases on the day of the survey. Wheels are fine: they hold the Python sources.
PINNED: tuple[tuple[str, str], ...] = (
    ("atomicwrites", "1.4.1"),
    ("black", "26.10.1"),
    ("cachecontrol", "0.14.4"),
    ("diskcache", "5.6.3"),
    ("dvc", "3.67.1"),
    ("filelock", "4.3.1"),
    ("fsspec", "2026.9.0"),
    ("hatchling", "1.33.0"),
    ("huggingface_hub", "2.4.0"),
    ("ipython", "9.18.1"),
    ("joblib", "1.6.0"),
    ("jupyter_core", "5.9.1"),
    ("jupyter_server", "2.21.1"),
    ("mypy", "2.4.1"),
    ("nbformat", "5.11.1"),
    ("notebook", "7.6.5"),
    ("pdm", "2.29.4"),
    ("pip", "26.3"),
    ("pipx", "1.18.4"),
    ("poetry", "2.5.1"),
    ("poetry-core", "2.5.0"),
    ("portalocker", "4.4.2"),
    ("pre-commit", "4.7.0"),
    ("pytest", "9.2.0"),
    ("requests-cache", "1.3.3"),
    ("safer", "6.1.0"),
    ("setuptools", "84.2.1"),
    ("sqlite-utils", "4.2.1"),
    ("tox", "4.67.15"),
    ("virtualenv", "21.15.11"),
)

FIXABLE = "DUR101,DUR102,DUR103"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command(), *args], cwd=cwd, capture_output=True, text=True)


def download(name: str, version: str, into: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--no-binary", ":none:", "-d", str(into), f"{name}=={version}"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"pip download {name}=={version} failed:\n{result.stderr}")
    # Wheel and sdist names spell the project with underscores, sometimes in another case.
    prefix = f"{name}_{version}_".replace("-", "_").lower()
    for archive in into.iterdir():
        if archive.name.replace("-", "_").lower().startswith(prefix):
            return archive
    if (sdist := into / f"{name}-{version}.tar.gz").exists():
        return sdist
    raise SystemExit(f"pip download {name}=={version}: no archive found in {into}")


def unpack(archive: Path, into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as whl:
            whl.extractall(into)
    else:
        with tarfile.open(archive) as sdist:
            sdist.extractall(into, filter="data")


def findings(path: Path, cwd: Path, select: str | None = None) -> list[dict]:
    args = ["check", "--format", "json", str(path)]
    if select:
        args[1:1] = ["--select", select]
    result = run(*args, cwd=cwd)
    if result.returncode not in (0, 1):
        raise SystemExit(f"check {path} failed ({result.returncode}): {result.stderr}")
    return [f for f in json.loads(result.stdout) if "code" in f]


def digests(root: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*.py")}


def compiles(path: Path) -> bool:
    try:
        compile(path.read_bytes(), str(path), "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def survey_checks(src: Path, packages: list[str], work: Path) -> Counter[str]:
    totals: Counter[str] = Counter()
    print(f"{'package':32} {'findings':>8}  by code")
    for package in packages:
        found = findings(src / package, work)
        codes = Counter(f["code"] for f in found)
        totals.update(codes)
        print(f"{package:32} {len(found):8}  {dict(sorted(codes.items()))}")
    print(f"{'total':32} {sum(totals.values()):8}  {dict(sorted(totals.items()))}")
    return totals


def survey_fix(src: Path, work: Path) -> None:
    fixwork = work / "fixwork"
    shutil.copytree(src, fixwork)
    before = digests(fixwork)
    fixable_before = [f for f in findings(fixwork, work) if f.get("fixable")]
    first = run("fix", str(fixwork), cwd=work)
    changed = [p for p, digest in digests(fixwork).items() if before.get(p) != digest]
    broken = [p for p in changed if not compiles(p)]
    left = findings(fixwork, work, FIXABLE)
    second = run("fix", "--check", str(fixwork), cwd=work)
    remaining = findings(fixwork, work)

    print()
    print(f"fix        {(first.stdout + first.stderr).strip()}")
    print(f"changed    {len(changed)} files, fixable findings before: {len(fixable_before)}")
    print(f"compile    {len(changed) - len(broken)} of {len(changed)} changed files compile")
    for path in broken:
        print(f"           does not compile: {path.relative_to(fixwork)}")
    print(f"re-check   {len(left)} findings of {FIXABLE} left after the fix (listed below)")
    print(f"second fix exit {second.returncode} (0: nothing left to change)")
    codes = Counter(f["code"] for f in remaining)
    print(f"left       {len(remaining)} findings of any code: {dict(sorted(codes.items()))}")
    for f in remaining:
        print(f"           {Path(f['path']).relative_to(fixwork)}:{f['line']} {f['code']}"
              f" (marked {'fixable' if f.get('fixable') else 'unfixable'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", help="keep downloads and sources here (default: a temp dir)")
    parser.add_argument("--only", nargs="*", help="package names to survey (default: all)")
    args = parser.parse_args()
    pinned = [(n, v) for n, v in PINNED if not args.only or n in args.only]

    work = Path(args.workdir or tempfile.mkdtemp(prefix="durable-survey-")).resolve()
    dl, src = work / "dl", work / "src"
    dl.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(work / "fixwork", ignore_errors=True)
    try:
        packages = []
        for name, version in pinned:
            package = f"{name}-{version}"
            unpack(download(name, version, dl), src / package)
            packages.append(package)
        print(f"workdir    {work}")
        start = time.perf_counter()
        run("check", str(src), cwd=work)
        print(f"check      whole tree in {time.perf_counter() - start:.1f} s wall")
        print()
        survey_checks(src, packages, work)
        survey_fix(src, work)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
