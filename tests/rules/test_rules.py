"""Rule tests: every case in cases/*.py is analysed alone and must report exactly what its
inline comments say (see casefile.py for the format)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lint_rules.engine.rules import analyze
from lint_rules.config import Config
from lint_rules.engine.findings import Finding

from .casefile import Case, load_cases

CASES_DIR = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES_DIR.glob("*.py"))
ALL_CASES = [case for path in CASE_FILES for case in load_cases(path)]


def findings_of(source: str, config: Config = Config()) -> list[Finding]:
    findings, _ = analyze(ast.parse(source), config, source)
    return findings


def _mismatch(case: Case, actual: list[tuple[int, str]], expected: list[tuple[int, str]]) -> str:
    missing = [item for item in expected if item not in actual]
    unexpected = [item for item in actual if item not in expected]
    return (
        f"case {case.id} (line {case.first_line})\n"
        f"  missing:    {missing}\n  unexpected: {unexpected}\n{case.numbered()}"
    )


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_case(case: Case) -> None:
    findings = findings_of(case.source, case.config)
    actual = sorted((f.line, f.code) for f in findings)
    expected = sorted((e.line, e.code) for e in case.expected)
    assert actual == expected, _mismatch(case, actual, expected)
    columns = {(f.line, f.code): f.col for f in findings}
    for want in case.expected:
        if want.col is not None:
            got = columns[(want.line, want.code)]
            assert got == want.col, (
                f"case {case.id}: {want.code} on line {want.line} at column {got}, "
                f"expected {want.col}\n{case.numbered()}"
            )


def _calls_named(tree: ast.AST, attr: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == attr
    ]


# The column is where editors put the cursor and what the fixer anchors to: it must be the
# call itself, not the statement holding it, so these sources nest the calls inside expressions.
@pytest.mark.parametrize(
    "source",
    [
        "import os as _os\n"
        "\n"
        "def save(path, text):\n"
        "    tmp = path + '.tmp'\n"
        "    with open(tmp, 'w') as fh:\n"
        "        fh.write(text)\n"
        "    if path:\n"
        "        ok = _os.replace(tmp, path) or True\n",
        "from pathlib import Path\n"
        "\n"
        "def save(path: Path, text):\n"
        "    tmp = path.with_suffix('.tmp')\n"
        "    tmp.write_text(text)\n"
        "    result = [tmp.replace(path)]\n"
        "    return result\n",
    ],
    ids=["os-alias-in-or", "path-replace-in-list"],
)
def test_dur102_column_is_the_rename_call(source: str) -> None:
    (rename,) = _calls_named(ast.parse(source), "replace")
    dur102 = [f for f in findings_of(source) if f.code == "DUR102"]
    assert [(f.line, f.col) for f in dur102] == [(rename.lineno, rename.col_offset)]


def test_dur101_column_is_the_open_call_not_the_with() -> None:
    source = (
        "import os\n"
        "\n"
        "def copy_upper(src_path, path):\n"
        "    tmp = path + '.tmp'\n"
        "    with open(src_path) as src, open(tmp, 'w') as dst:\n"
        "        dst.write(src.read().upper())\n"
        "    os.replace(tmp, path)\n"
    )
    tree = ast.parse(source)
    opens = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open"
    ]
    writing = max(opens, key=lambda node: node.col_offset)
    dur101 = [f for f in findings_of(source) if f.code == "DUR101"]
    assert [(f.line, f.col) for f in dur101] == [(writing.lineno, writing.col_offset)]


def test_dur103_column_is_the_fsync_call() -> None:
    source = (
        "import os\n"
        "\n"
        "def append(log_path, line):\n"
        "    with open(log_path, 'a') as fh:\n"
        "        fh.write(line)\n"
        "        assert os.fsync(fh.fileno()) is None\n"
    )
    (fsync,) = _calls_named(ast.parse(source), "fsync")
    assert [(f.code, f.line, f.col) for f in findings_of(source)] == [
        ("DUR103", fsync.lineno, fsync.col_offset)
    ]
