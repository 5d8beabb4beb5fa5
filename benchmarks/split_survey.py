"""Precision and recall of `durable-writes check` against hand labels, split and unsplit sites.

The labels (benchmarks/split_survey_labels.tsv) say, for pinned releases of packages that no
test uses, where each finding belongs and whether the write protocol there is split across
functions, methods or modules. This script downloads those releases into a temporary
directory, runs the tool from any checkout (--tool-path, so that every branch can be measured
the same way), and compares: a finding matches a label with the same file, line and code.

It needs the package index and a minute or so, so the test suite never runs it.

A false positive is attributed to the split or unsplit class of the label row on its line, or
else of a labelled function that encloses it; any other is "unlabelled" and counts only in the
overall precision.

Run: python benchmarks/split_survey.py [--tool-path DIR [--tool-rev REV]] [--workdir DIR]
                                       [--only NAME ...]
"""
from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from survey import download, unpack  # noqa: E402

HERE = Path(__file__).resolve().parent
LABELS = HERE / "split_survey_labels.tsv"
COLUMNS = ("package", "version", "file", "function", "line", "code", "split", "site", "note")
CLASSES = ("split", "unsplit")


@dataclass(frozen=True)
class Label:
    package: str
    file: str
    function: str
    line: int
    code: str  # "-" for a place that must stay silent
    split: bool
    site: str
    note: str

    @property
    def kind(self) -> str:
        return "split" if self.split else "unsplit"


@dataclass
class Scope:
    package: str
    version: str
    roots: list[str]
    excludes: list[str]

    def excluded(self, relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatch(relative, g) or fnmatch.fnmatch(name, g)
                   for g in self.excludes)


@dataclass
class Tally:
    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    false: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((*CLASSES, "unlabelled"), 0))

    def add(self, other: Tally) -> None:
        for mine, theirs in ((self.expected, other.expected), (self.hits, other.hits),
                             (self.false, other.false)):
            for key, value in theirs.items():
                mine[key] += value


def read_labels(path: Path) -> tuple[list[Scope], list[Label]]:
    scopes, labels = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = raw.split("\t")
        if cells[0] == "#scope":
            package, version, roots, excludes = cells[1:5]
            scopes.append(Scope(package, version, roots.split(","), excludes.split(",")))
        elif raw.startswith("#") or not raw.strip() or cells[0] == COLUMNS[0]:
            continue
        elif len(cells) != len(COLUMNS) or cells[6] not in ("yes", "no"):
            raise SystemExit(f"{path}:{number}: expected {len(COLUMNS)} columns {COLUMNS}")
        else:
            row = dict(zip(COLUMNS, cells))
            labels.append(Label(row["package"], row["file"], row["function"], int(row["line"]),
                                row["code"], row["split"] == "yes", row["site"], row["note"]))
    return scopes, labels


class TimedOut(Exception):
    """The tool took longer than --timeout on one package."""


def tool_run(tool_path: Path, args: list[str], cwd: Path,
             timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """The tool as the checkout at tool_path has it, whatever this interpreter has installed.

    No bytecode is written: the checkout may be someone else's work tree, to be read only.
    On a timeout the whole process group goes, the tool's worker processes included."""
    env = {**os.environ, "PYTHONPATH": str(tool_path), "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, "-m", "lint_rules.cli", *args]
    with subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise TimedOut from None
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def describe(tool_path: Path, rev: str) -> str:
    head = subprocess.run(["git", "-C", str(tool_path), "log", "-1", "--format=%h %s", rev],
                          capture_output=True, text=True).stdout.strip()
    return f"{tool_path} at {rev} ({head or 'not a git checkout'})"


def export(tool_path: Path, rev: str, work: Path) -> Path:
    """The tree of one commit, so that uncommitted edits in a work tree are not measured."""
    commit = subprocess.run(["git", "-C", str(tool_path), "rev-parse", rev],
                            capture_output=True, text=True, check=True).stdout.strip()
    into = work / f"tool-{commit}"
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(tool_path), "archive", rev],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def files_in_scope(scope: Scope, root: Path) -> list[str]:
    """Every labelled file, named one by one: the tool's own discovery skips folders such as
    `build/` (pipenv vendors a package of that name), which this survey means to cover."""
    files = []
    for top in scope.roots:
        for path in sorted((root / top).rglob("*.py")):
            if not scope.excluded(path.relative_to(root).as_posix()):
                files.append(str(path))
    return files


def check(tool_path: Path, scope: Scope, root: Path, work: Path,
          timeout: float) -> tuple[set, list[str]]:
    """The (file, line, code) findings in scope, and the errors the tool reported."""
    options = ["--format", "json"]
    # A summary cache shared by runs of different checkouts could hand one the other's answers.
    if "--no-cache" in tool_run(tool_path, ["check", "--help"], work).stdout:
        options.append("--no-cache")
    result = tool_run(tool_path, ["check", *options, *files_in_scope(scope, root)], work,
                      timeout)
    if result.returncode not in (0, 1):
        raise SystemExit(f"check {scope.package} failed ({result.returncode}): {result.stderr}")
    found, errors = set(), []
    for entry in json.loads(result.stdout):
        relative = Path(entry["path"]).resolve().relative_to(root).as_posix()
        if not entry.get("code", "").startswith("DUR"):
            errors.append(f"{relative}:{entry.get('line')}: {entry.get('message', entry)}")
            continue
        found.add((relative, entry["line"], entry["code"]))
    return found, errors


def enclosing_functions(source: Path) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every function and class in a file."""
    try:
        tree = ast.parse(source.read_bytes())
    except (SyntaxError, ValueError):
        return []
    spans = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                spans.append((child.lineno, child.end_lineno or child.lineno, name))
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return spans


def attribute(finding: tuple[str, int, str], labels: list[Label], root: Path) -> str:
    """Which class a false positive counts against: its line's label, else its function's."""
    file, line, _ = finding
    in_file = [label for label in labels if label.file == file]
    for label in in_file:
        if label.line == line:
            return label.kind
    spans = [s for s in enclosing_functions(root / file) if s[0] <= line <= s[1]]
    names = {s[2] for s in spans}
    for label in in_file:
        if label.function in names:
            return label.kind
    return "unlabelled"


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "  - "


def measure(scope: Scope, labels: list[Label], found: set, root: Path,
            false_positives: list, misses: list, hits: list) -> Tally:
    tally = Tally()
    expected = {(lb.file, lb.line, lb.code): lb for lb in labels if lb.code != "-"}
    for key, label in expected.items():
        tally.expected[label.kind] += 1
        if key in found:
            tally.hits[label.kind] += 1
            hits.append((scope.package, label))
        else:
            misses.append((scope.package, label))
    for finding in sorted(found - expected.keys()):
        kind = attribute(finding, labels, root)
        tally.false[kind] += 1
        false_positives.append((scope.package, finding, kind))
    return tally


def print_table(rows: list[tuple[str, Tally]]) -> None:
    print(f"{'package':14} {'split: exp hit FP':>18} {'P':>5} {'R':>5}   "
          f"{'unsplit: exp hit FP':>20} {'P':>5} {'R':>5}   {'unlabelled FP':>13}")
    for name, t in rows:
        cells = []
        for kind in CLASSES:
            exp, hit, false = t.expected[kind], t.hits[kind], t.false[kind]
            cells.append(f"{exp:{10 if kind == 'split' else 12}} {hit:3} {false:3} "
                         f"{ratio(hit, hit + false):>5} {ratio(hit, exp):>5}")
        print(f"{name:14} {cells[0]}   {cells[1]}   {t.false['unlabelled']:13}")


def print_overall(total: Tally) -> None:
    hits = sum(total.hits.values())
    false = sum(total.false.values())
    expected = sum(total.expected.values())
    print()
    for kind in CLASSES:
        hit, fp, exp = total.hits[kind], total.false[kind], total.expected[kind]
        print(f"{kind:8} precision {ratio(hit, hit + fp)} ({hit}/{hit + fp})   "
              f"recall {ratio(hit, exp)} ({hit}/{exp})")
    print(f"{'overall':8} precision {ratio(hits, hits + false)} ({hits}/{hits + false}, "
          f"unlabelled false positives included)   recall {ratio(hits, expected)} "
          f"({hits}/{expected})")


def print_sites(labels: list[Label]) -> None:
    sites: dict[str, set] = defaultdict(set)
    for label in labels:
        kind = "negative" if label.code == "-" else label.kind
        sites[kind].add((label.package, label.site))
    print(f"labels     {len(sites['split'])} split sites, {len(sites['unsplit'])} unsplit, "
          f"{len(sites['negative'])} groups of negatives "
          f"({sum(lb.code == '-' for lb in labels)} rows); "
          f"{sum(lb.code != '-' for lb in labels)} expected findings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool-path", default=str(HERE.parent),
                        help="checkout to run the tool from (default: this one)")
    parser.add_argument("--tool-rev", help="measure this commit of --tool-path (git archive) "
                        "instead of its files as they are")
    parser.add_argument("--workdir", help="keep downloads and sources here (default: a temp dir)")
    parser.add_argument("--only", nargs="*", help="package names to survey (default: all)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds the tool may take on one package (default: 900)")
    parser.add_argument("--labels", default=str(LABELS), help="labels table")
    args = parser.parse_args()
    tool_path = Path(args.tool_path).resolve()
    scopes, labels = read_labels(Path(args.labels))
    scopes = [s for s in scopes if not args.only or s.package in args.only]

    work = Path(args.workdir or tempfile.mkdtemp(prefix="durable-split-survey-")).resolve()
    dl, src = work / "dl", work / "src"
    dl.mkdir(parents=True, exist_ok=True)
    try:
        print(f"tool       {describe(tool_path, args.tool_rev or 'HEAD')}"
              f"{'' if args.tool_rev else ', files as they are'}")
        if args.tool_rev:
            tool_path = export(tool_path, args.tool_rev, work)
        print(f"workdir    {work}")
        print_sites([lb for lb in labels if any(lb.package == s.package for s in scopes)])
        print()
        rows, total = [], Tally()
        false_positives, misses, hits, errors, timed_out = [], [], [], [], []
        for scope in scopes:
            root = src / f"{scope.package}-{scope.version}"
            if not root.exists():
                unpack(download(scope.package, scope.version, dl), root)
            try:
                found, failed = check(tool_path, scope, root, work, args.timeout)
            except TimedOut:
                timed_out.append(scope.package)
                continue
            errors += [f"{scope.package}: {e}" for e in failed]
            mine = [lb for lb in labels if lb.package == scope.package]
            tally = measure(scope, mine, found, root, false_positives, misses, hits)
            rows.append((scope.package, tally))
            total.add(tally)
        print_table(rows)
        print_overall(total)
        if timed_out:
            print(f"timed out after {args.timeout:.0f} s, not counted above: "
                  f"{', '.join(timed_out)}")
        print(f"\nfalse positives ({len(false_positives)})")
        for package, (file, line, code), kind in false_positives:
            print(f"  {package:12} {file}:{line} {code}  [{kind}]")
        for title, rows in (("misses", misses), ("split findings matched", hits)):
            rows = [(p, lb) for p, lb in rows if title == "misses" or lb.split]
            print(f"\n{title} ({len(rows)})")
            for package, lb in rows:
                print(f"  {package:12} {lb.file}:{lb.line} {lb.code} {lb.function} [{lb.kind}]"
                      f"{'  ' + lb.note if lb.note else ''}")
        if errors:
            print(f"\nerrors the tool reported ({len(errors)})")
            for error in errors:
                print(f"  {error}")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
