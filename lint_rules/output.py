"""Reports as people and tools read them: text like flake8, JSON, SARIF 2.1.0, GitHub annotations.

Every format shows 1-based columns (the engine's are 0-based, as `ast` gives them) and lists
findings sorted by path, line and column.  Files that could not be checked (unreadable, not
decodable, not parsable) are part of every format: on stderr for text, as entries with code
"error" in JSON, as tool execution notifications in SARIF, as `::error` in GitHub's.
Findings carry their full range (end line and column) where the engine knows it, and the
replacements `fix` would make where the caller computed them (`--show-fixes`, JSON, SARIF).
The summary line and the statistics are worded as ruff's.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from lint_rules import __version__
from lint_rules.engine.findings import FileReport, Finding
from lint_rules.engine.catalog import RULES, Rule

if TYPE_CHECKING:  # LibCST is only imported when fixes are asked for
    from lint_rules.fixer.replacements import Replacement

FORMATS = ("text", "json", "sarif", "github")

TOOL_NAME = "durable-writes"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


# (path, line, col, code) of a finding -> the replacements its fix makes.
Fixes = Mapping[tuple[str, int, int, str], "list[Replacement]"]


@dataclass(frozen=True)
class Rendered:
    stdout: str
    stderr: str = ""


def render(reports: Sequence[FileReport], fmt: str, fixes: Fixes | None = None) -> Rendered:
    """`fixes`, where given, is shown with each finding (text: `--show-fixes`) or carried
    along (JSON's `fix.edits`, SARIF's `fixes`)."""
    fixes = fixes or {}
    if fmt == "text":
        return Rendered(_lines(text_lines(reports, fixes)), _lines(error_lines(reports)))
    if fmt == "json":
        return Rendered(json.dumps(json_records(reports, fixes), indent=2) + "\n")
    if fmt == "sarif":
        return Rendered(json.dumps(sarif_log(reports, fixes=fixes), indent=2) + "\n")
    if fmt == "github":
        return Rendered(_lines(github_lines(reports)))
    raise ValueError(f"unknown format {fmt!r}")


def fix_key(path: str, finding: Finding) -> tuple[str, int, int, str]:
    return (path, finding.line, finding.col, finding.code)


def _end(f: Finding) -> tuple[int, int]:
    """1-based end line and column, exclusive (the start where the engine knew no end)."""
    return (f.end_line, f.end_col + 1) if f.end_line else (f.line, f.col + 1)


# -- the summary and statistics ----------------------------------------------------------

def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


# Whether unsafe fixes are enabled for the file at a path (per file, as its configuration is).
UnsafeEnabled = Callable[[str], bool]


def summary(reports: Sequence[FileReport], unsafe: UnsafeEnabled) -> str:
    """The closing line on stderr, as ruff words it: how many findings, how many `fix`
    repairs, and how many unsafe fixes `--unsafe-fixes` would add."""
    findings = _with_fix_kind(reports, unsafe)
    errors = len(failed(reports))
    fixable = sum(1 for _, kind in findings if kind == "fixable")
    hidden = sum(1 for _, kind in findings if kind == "hidden")
    if findings:
        notes = []
        if fixable:
            notes.append(f"{fixable} fixable with durable-writes fix")
        if hidden:
            notes.append(f"{_plural(hidden, 'hidden fix', 'hidden fixes')} can be enabled "
                         "with the `--unsafe-fixes` option")
        line = f"Found {_plural(len(findings), 'finding')}"
        line += f" ({'; '.join(notes)})." if notes else "."
    elif not errors:
        return "All checks passed!"
    else:
        line = "No findings."
    if errors:
        line += f" {_plural(errors, 'file')} could not be checked."
    return line


def _with_fix_kind(reports: Sequence[FileReport], unsafe: UnsafeEnabled,
                   ) -> list[tuple[Finding, str]]:
    """Each finding with what `fix` does for it: "fixable", "hidden" (an unsafe fix not
    enabled for its file) or "none"."""
    kinds = []
    for report in reports:
        enabled = None  # asked only where an unsafe fix needs the answer
        for f in report.findings:
            if f.fix is None:
                kind = "none"
            elif f.fix.applicability == "safe":
                kind = "fixable"
            else:
                enabled = unsafe(report.path) if enabled is None else enabled
                kind = "fixable" if enabled else "hidden"
            kinds.append((f, kind))
    return kinds


def statistics(reports: Sequence[FileReport], unsafe: UnsafeEnabled,
               ) -> list[dict[str, object]]:
    """Findings counted by code, most frequent first."""
    findings = _with_fix_kind(reports, unsafe)
    counts = Counter(f.code for f, _ in findings)
    fixable = Counter(f.code for f, kind in findings if kind == "fixable")
    hidden = Counter(f.code for f, kind in findings if kind == "hidden")
    return [
        {"code": code, "name": RULES[code].name if code in RULES else "", "count": count,
         "fixable": fixable[code], "hidden_fixes": hidden[code]}
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def statistics_lines(rows: list[dict[str, object]]) -> Iterator[str]:
    """`count  code  [*] name`: `[*]` when `fix` repairs them all, `[-]` when some need
    `--unsafe-fixes`, as ruff marks them."""
    width = max((len(str(row["count"])) for row in rows), default=1)
    for row in rows:
        mark = "[*]" if row["fixable"] == row["count"] else "[-]" if row["hidden_fixes"] \
            else "   "
        yield f"{row['count']:>{width}}\t{row['code']}\t{mark} {row['name']}"


def _lines(lines: Iterator[str]) -> str:
    return "".join(line + "\n" for line in lines)


def sorted_findings(reports: Sequence[FileReport]) -> Iterator[tuple[str, Finding]]:
    for report in sorted(reports, key=lambda r: r.path):
        for finding in sorted(report.findings, key=lambda f: (f.line, f.col, f.code)):
            yield report.path, finding


def failed(reports: Sequence[FileReport]) -> list[FileReport]:
    return sorted((r for r in reports if r.error), key=lambda r: r.path)


def _error_col(report: FileReport) -> int:
    # Parse errors carry Python's 1-based offset; decode and read errors have none (0).
    return max(report.error_col, 1)


# -- text --------------------------------------------------------------------------------

def text_lines(reports: Sequence[FileReport], fixes: Fixes | None = None) -> Iterator[str]:
    for path, f in sorted_findings(reports):
        yield f"{path}:{f.line}:{f.col + 1}: {f.code} {f.message}"
        if fixes and f.fix is not None:
            yield from fix_lines(f, fixes.get(fix_key(path, f), []))


def fix_lines(f: Finding, changes: "list[Replacement]") -> Iterator[str]:
    """What `fix` changes for one finding, as `--show-fixes` lists it: each region, then the
    text that replaces it, `+` per inserted line."""
    yield f"  fix ({f.fix.applicability}):" if changes else "  fix: cannot be applied here"
    for change in changes:
        if (change.start_line, change.start_col) == (change.end_line, change.end_col):
            yield f"    insert at line {change.start_line}:"
        else:
            last = change.end_line - (change.end_col == 1)
            lines = f"line {last}" if last == change.start_line else \
                f"lines {change.start_line}-{last}"
            yield f"    replace {lines} with:"
        for line in change.text.splitlines():
            yield f"    + {line}".rstrip()


def error_lines(reports: Sequence[FileReport]) -> Iterator[str]:
    for r in failed(reports):
        yield f"{r.path}:{max(r.error_line, 1)}:{_error_col(r)}: error: {r.error}"


# -- JSON --------------------------------------------------------------------------------

def _json_fix(f: Finding, changes: "list[Replacement] | None") -> dict[str, object] | None:
    if f.fix is None:
        return None
    fix: dict[str, object] = {"applicability": f.fix.applicability}
    if changes is not None:
        fix["edits"] = [
            {"content": c.text, "location": {"row": c.start_line, "column": c.start_col},
             "end_location": {"row": c.end_line, "column": c.end_col}}
            for c in changes
        ]
    return fix


def json_records(reports: Sequence[FileReport], fixes: Fixes | None = None,
                 ) -> list[dict[str, object]]:
    fixes = fixes or {}
    records: list[dict[str, object]] = [
        {
            "path": path,
            "line": f.line,
            "column": f.col + 1,
            "end_line": _end(f)[0],
            "end_column": _end(f)[1],
            "code": f.code,
            "message": f.message,
            "fixable": f.fix is not None,
            "fix": _json_fix(f, fixes.get(fix_key(path, f))),
            **({"url": RULES[f.code].url} if f.code in RULES else {}),
        }
        for path, f in sorted_findings(reports)
    ]
    records += [
        {
            "path": r.path,
            "line": max(r.error_line, 1),
            "column": _error_col(r),
            "end_line": max(r.error_line, 1),
            "end_column": _error_col(r),
            "code": "error",
            "message": r.error,
            "fixable": False,
            "fix": None,
        }
        for r in failed(reports)
    ]
    return records


# -- GitHub Actions workflow commands ----------------------------------------------------

def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(path: str, start: tuple[int, int], end: tuple[int, int], code: str,
                text: str) -> str:
    """`::error` with the full range, titled and worded as ruff's annotations are."""
    props = ",".join(f"{key}={_escape_property(str(value))}" for key, value in (
        ("title", f"{TOOL_NAME} ({code})"), ("file", path), ("line", start[0]),
        ("col", start[1]), ("endLine", end[0]), ("endColumn", end[1])))
    return f"::error {props}::{_escape_data(f'{path}:{start[0]}:{start[1]}: {text}')}"


def github_lines(reports: Sequence[FileReport]) -> Iterator[str]:
    for path, f in sorted_findings(reports):
        yield _annotation(path, (f.line, f.col + 1), _end(f), f.code, f"{f.code} {f.message}")
    for r in failed(reports):
        start = (max(r.error_line, 1), _error_col(r))
        yield _annotation(r.path, start, start, "error", f"error: {r.error}")


# -- SARIF 2.1.0 -------------------------------------------------------------------------

def _first_section(docs: str) -> str:
    """The "What it does" paragraph: a rule's full description, without the examples."""
    bodies = [body for body in re.split(r"^## .*$", docs, flags=re.M) if body.strip()]
    return " ".join(bodies[0].split()) if bodies else ""


def sarif_rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _first_section(rule.docs)},
        "help": {"text": rule.docs, "markdown": rule.docs},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": "warning"},
        "properties": {"fix": rule.fix},
    }


def _artifact_location(path: str, root: Path) -> dict[str, str]:
    """A path relative to the base id %SRCROOT% (the current directory) where it lies there."""
    absolute = Path(os.path.abspath(path))
    if absolute.is_relative_to(root):
        return {"uri": quote(absolute.relative_to(root).as_posix()), "uriBaseId": "%SRCROOT%"}
    return {"uri": absolute.as_uri()}


def _region(start: tuple[int, int], end: tuple[int, int]) -> dict[str, int]:
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0],
            "endColumn": end[1]}


def _location(path: str, start: tuple[int, int], end: tuple[int, int], root: Path,
              ) -> dict[str, object]:
    return {
        "physicalLocation": {
            "artifactLocation": _artifact_location(path, root),
            "region": _region(start, end),
        }
    }


def _error_location(r: FileReport, root: Path) -> dict[str, object]:
    start = (max(r.error_line, 1), _error_col(r))
    return _location(r.path, start, start, root)


def _sarif_fixes(path: str, f: Finding, changes: "list[Replacement] | None", root: Path,
                 ) -> dict[str, object]:
    """The replacements `fix` would make, as SARIF's fix objects; none where it has none."""
    if not changes:
        return {}
    return {"fixes": [{
        "description": {"text": f"{f.fix.applicability} fix for {f.code}"},
        "artifactChanges": [{
            "artifactLocation": _artifact_location(path, root),
            "replacements": [
                {"deletedRegion": _region((c.start_line, c.start_col), (c.end_line, c.end_col)),
                 "insertedContent": {"text": c.text}}
                for c in changes
            ],
        }],
    }]}


def sarif_log(reports: Sequence[FileReport], root: Path | None = None,
              fixes: Fixes | None = None) -> dict[str, object]:
    root = Path(os.path.abspath(root or os.curdir))
    fixes = fixes or {}
    codes = list(RULES)
    results = [
        {
            "ruleId": f.code,
            **({"ruleIndex": codes.index(f.code)} if f.code in RULES else {}),
            "level": "warning",
            "message": {"text": f.message},
            "locations": [_location(path, (f.line, f.col + 1), _end(f), root)],
            **_sarif_fixes(path, f, fixes.get(fix_key(path, f)), root),
        }
        for path, f in sorted_findings(reports)
    ]
    notifications = [
        {
            "level": "error",
            "message": {"text": r.error},
            "locations": [_error_location(r, root)],
        }
        for r in failed(reports)
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "rules": [sarif_rule(rule) for rule in RULES.values()],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri().rstrip("/") + "/"}},
                "invocations": [
                    {
                        # Analysis completed for every file only when none failed to parse.
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
