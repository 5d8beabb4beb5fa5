"""Reports as people and tools read them: text like flake8, JSON, SARIF 2.1.0, GitHub annotations.

Every format shows 1-based columns (the engine's are 0-based, as `ast` gives them) and lists
findings sorted by path, line and column.  Files that could not be checked (unreadable, not
decodable, not parsable) are part of every format: on stderr for text, as entries with code
"error" in JSON, as tool execution notifications in SARIF, as `::error` in GitHub's.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from lint_rules import __version__
from lint_rules.engine.findings import FileReport, Finding
from lint_rules.engine.catalog import RULES, Rule

FORMATS = ("text", "json", "sarif", "github")

TOOL_NAME = "durable-writes"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Rendered:
    stdout: str
    stderr: str = ""


def render(reports: Sequence[FileReport], fmt: str) -> Rendered:
    if fmt == "text":
        return Rendered(_lines(text_lines(reports)), _lines(error_lines(reports)))
    if fmt == "json":
        return Rendered(json.dumps(json_records(reports), indent=2) + "\n")
    if fmt == "sarif":
        return Rendered(json.dumps(sarif_log(reports), indent=2) + "\n")
    if fmt == "github":
        return Rendered(_lines(github_lines(reports)))
    raise ValueError(f"unknown format {fmt!r}")


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

def text_lines(reports: Sequence[FileReport]) -> Iterator[str]:
    for path, f in sorted_findings(reports):
        yield f"{path}:{f.line}:{f.col + 1}: {f.code} {f.message}"


def error_lines(reports: Sequence[FileReport]) -> Iterator[str]:
    for r in failed(reports):
        yield f"{r.path}:{max(r.error_line, 1)}:{_error_col(r)}: error: {r.error}"


# -- JSON --------------------------------------------------------------------------------

def json_records(reports: Sequence[FileReport]) -> list[dict[str, object]]:
    records: list[dict[str, object]] = [
        {
            "path": path,
            "line": f.line,
            "column": f.col + 1,
            "code": f.code,
            "message": f.message,
            "fixable": f.fix is not None,
        }
        for path, f in sorted_findings(reports)
    ]
    records += [
        {
            "path": r.path,
            "line": max(r.error_line, 1),
            "column": _error_col(r),
            "code": "error",
            "message": r.error,
            "fixable": False,
        }
        for r in failed(reports)
    ]
    return records


# -- GitHub Actions workflow commands ----------------------------------------------------

def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(kind: str, path: str, line: int, col: int, title: str, message: str) -> str:
    props = f"file={_escape_property(path)},line={line},col={col},title={_escape_property(title)}"
    return f"::{kind} {props}::{_escape_data(message)}"


def github_lines(reports: Sequence[FileReport]) -> Iterator[str]:
    for path, f in sorted_findings(reports):
        yield _annotation("warning", path, f.line, f.col + 1, f.code, f.message)
    for r in failed(reports):
        line = max(r.error_line, 1)
        yield _annotation("error", r.path, line, _error_col(r), "error", r.error or "")


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
        "defaultConfiguration": {"level": "warning"},
        "properties": {"fix": rule.fix},
    }


def _artifact_location(path: str, root: Path) -> dict[str, str]:
    """A path relative to the base id %SRCROOT% (the current directory) where it lies there."""
    absolute = Path(os.path.abspath(path))
    if absolute.is_relative_to(root):
        return {"uri": quote(absolute.relative_to(root).as_posix()), "uriBaseId": "%SRCROOT%"}
    return {"uri": absolute.as_uri()}


def _location(path: str, line: int, col: int, root: Path) -> dict[str, object]:
    return {
        "physicalLocation": {
            "artifactLocation": _artifact_location(path, root),
            "region": {"startLine": line, "startColumn": col},
        }
    }


def sarif_log(reports: Sequence[FileReport], root: Path | None = None) -> dict[str, object]:
    root = Path(os.path.abspath(root or os.curdir))
    codes = list(RULES)
    results = [
        {
            "ruleId": f.code,
            **({"ruleIndex": codes.index(f.code)} if f.code in RULES else {}),
            "level": "warning",
            "message": {"text": f.message},
            "locations": [_location(path, f.line, f.col + 1, root)],
        }
        for path, f in sorted_findings(reports)
    ]
    notifications = [
        {
            "level": "error",
            "message": {"text": r.error},
            "locations": [_location(r.path, max(r.error_line, 1), _error_col(r), root)],
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
