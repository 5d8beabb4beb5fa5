"""One file in, one report out: decode, pre-filter, parse, analyse, honour noqa.

Every face that works on files (the command, the fixer) goes through `check_source`, so a file
is read and parsed once and errors look the same everywhere.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize

from lint_rules.engine.rules import analyze
from lint_rules.config import Config
from lint_rules.engine.findings import FileReport, Finding
from lint_rules.engine.project import imports_summarised
from lint_rules.engine.scope import RENAME_NAMES, SYNC_NAMES, WRITE_NAMES

# Every finding needs an fsync (DUR103), or a rename and something that writes a file
# (DUR101/102/105). Most files have neither, and a substring test is far cheaper than a parse.
_SYNCING = tuple(name.encode() for name in SYNC_NAMES)
_RENAMING = tuple(name.encode() for name in RENAME_NAMES)
_WRITING = tuple(name.encode() for name in WRITE_NAMES)

# flake8's own pattern: a code list that does not parse (`# noqa: DUR`) means a bare noqa.
_NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I
)


def may_have_findings(data: bytes, path: str | None = None, config: Config | None = None,
                      ) -> bool:
    """`path` given: also a file whose rename, write or sync may be a call of a function that
    another module defines (one it imports that has a summary)."""
    if any(token in data for token in _SYNCING):
        return True
    if any(t in data for t in _RENAMING) and any(t in data for t in _WRITING):
        return True
    return path is not None and imports_summarised(data, path, config or Config())


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(source: str) -> list[str]:
    """Lines as Python numbers them: str.splitlines also breaks at form feeds and the like."""
    return _LINE_BREAK.split(source)


def decode(data: bytes) -> str:
    """Decode Python source the way the interpreter does (BOM, coding cookie, else UTF-8)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def _first_undecodable_line(data: bytes) -> int:
    """The line to point at when decoding failed (the cookie's own errors say no line)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            line.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            return number
    return 1


def is_silenced(finding: Finding, lines: list[str]) -> bool:
    """flake8's noqa semantics: bare `# noqa` silences all, `# noqa: DUR1` silences by prefix."""
    if not 0 < finding.line <= len(lines):
        return False
    match = _NOQA.search(lines[finding.line - 1])
    if match is None:
        return False
    codes = match.group("codes")
    if codes is None:
        return True
    return finding.code.startswith(tuple(c.upper() for c in re.split(r"[,\s]+", codes) if c))


def check_source(data: bytes, path: str, config: Config) -> FileReport:
    report = FileReport(path=path)
    if not may_have_findings(data, path, config):
        return report
    try:
        source = decode(data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        report.error = f"cannot decode: {getattr(exc, 'msg', None) or exc}"
        report.error_line = _first_undecodable_line(data)
        return report
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        report.error = f"cannot parse: {exc.msg}"
        report.error_line = exc.lineno or 1
        report.error_col = exc.offset or 0
        return report
    findings, support = analyze(tree, config, source, path)
    lines = split_lines(source)
    # Selection and noqa are the command's business (flake8 does its own).
    report.findings = [
        f for f in findings if config.enabled(f.code) and not is_silenced(f, lines)
    ]
    report.support = support
    return report
