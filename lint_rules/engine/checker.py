"""One file in, one report out: decode, pre-filter, parse, analyse, honour noqa.

Every face that works on files (the command, the fixer) goes through `check_source`, so a file
is read and parsed once and errors look the same everywhere.
"""
from __future__ import annotations

import ast
import contextlib
import gc
import io
import os
import re
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import replace

from lint_rules.deep import TooDeep, call_deep
from lint_rules.engine.rules import analyze
from lint_rules.config import Config
from lint_rules.engine.findings import FileReport, Finding
from lint_rules.engine import project
from lint_rules.engine.prefilter import may_have_findings

# flake8's own pattern: a code list that does not parse (`# noqa: DUR`) means a bare noqa.
_NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I
)


# A whole file exempted: flake8's own `# flake8: noqa` (which takes no codes: flake8 ignores
# the comment when it has some), ours for all rules or by code prefix.
_FILE_NOQA = re.compile(
    r"#\s*(?:flake8[:=]\s*noqa(?P<flake8_codes>:\s?[A-Z]+[0-9]*)?"
    r"|durable-writes[:=]\s*noqa(?::\s?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?)",
    re.I,
)


def file_exemption(source: str) -> tuple[str, ...] | None:
    """What a file-level noqa exempts: () for every finding, code prefixes, or None."""
    prefixes: list[str] = []
    for match in _FILE_NOQA.finditer(source):
        if match.group("flake8_codes"):
            continue
        codes = match.group("codes")
        if codes is None:
            return ()
        prefixes += [c.upper() for c in re.split(r"[,\s]+", codes) if c]
    return tuple(prefixes) if prefixes else None


def exempt(finding: Finding, exemption: tuple[str, ...] | None) -> bool:
    return exemption is not None and (not exemption or finding.code.startswith(exemption))


def offered(finding: Finding, config: Config) -> Finding:
    """The finding with its fix only when the configuration allows that fix's kind."""
    if finding.fix is None or config.unsafe_fixes or finding.fix.applicability == "safe":
        return finding
    return replace(finding, fix=None)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(source: str) -> list[str]:
    """Lines as Python numbers them: str.splitlines also breaks at form feeds and the like."""
    return _LINE_BREAK.split(source)


def lines_with_ends(source: str) -> list[str]:
    """`split_lines` with each line's own break kept (the last line may have none), so that
    joining them gives `source` back."""
    return _LINE_WITH_END.findall(source)


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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while one file is parsed and analysed.

    An AST has no cycles, but millions of new nodes trigger collections that each walk every
    node made so far: that is half of ast.parse's time for a 5 MB module, and more the bigger
    the module. Whatever cycles the analysis leaves are collected once the file is done.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# The files this process is about to check, by absolute path: (the path as given, its
# configuration). One of them that another's check parses for its summaries is checked then,
# from that tree, and its report waits here (with the bytes it was made from).
_AHEAD: dict[str, tuple[str, Config]] = {}
_READY: dict[str, tuple[bytes, Config, FileReport]] = {}


def expect(files: Iterable[tuple[str, Config]]) -> None:
    """Say which files this process will check next (none: forget them)."""
    _AHEAD.clear()
    _READY.clear()
    for path, config in files:
        _AHEAD[os.path.abspath(path)] = (path, config)


def _check_parsed(path: str, data: bytes, source: str, tree: ast.Module) -> None:
    """project.py's hook: a module it parsed, its summaries final. One this process will
    check is checked now, from the same tree."""
    entry = _AHEAD.pop(path, None)
    if entry is None:
        return
    given, config = entry
    report = FileReport(path=given)
    if may_have_findings(data, config, given):
        report = _checked(report, config, source, tree)
    _READY[path] = (data, config, report)


project.on_parsed = _check_parsed


def check_source(data: bytes, path: str, config: Config,
                 trees: list[ast.Module] | None = None) -> FileReport:
    """`trees`, where given, receives the parsed module (the fixer cuts it into statements
    without parsing the file once more)."""
    if _AHEAD or _READY:
        absolute = os.path.abspath(path)
        _AHEAD.pop(absolute, None)  # being checked now
        ready = _READY.pop(absolute, None)
        if ready is not None and trees is None and ready[:2] == (data, config):
            return ready[2]
    report = FileReport(path=path)
    if not may_have_findings(data, config, path):
        return report
    try:
        source = decode(data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        report.error = f"cannot decode: {getattr(exc, 'msg', None) or exc}"
        report.error_line = _first_undecodable_line(data)
        return report
    tree = _parse(source, path, report)
    if tree is None:
        return report
    if trees is not None:
        trees.append(tree)
    return _checked(report, config, source, tree)


def _checked(report: FileReport, config: Config, source: str, tree: ast.Module) -> FileReport:
    """The report of a parsed file: its findings, as selected, offered and not silenced."""
    path = report.path
    exemption = file_exemption(source)
    if exemption == ():
        return report
    try:
        findings, support = call_deep(lambda: analyze(tree, config, source, path))
    except TooDeep as exc:
        report.error = f"cannot analyse: {exc}"
        report.error_line = 1
        return report
    lines = split_lines(source)
    # Selection and noqa are the command's business (flake8 does its own).
    report.findings = [
        offered(f, config) for f in findings
        if config.enabled(f.code) and not is_silenced(f, lines) and not exempt(f, exemption)
    ]
    report.support = support
    return report


def _parse(source: str, path: str, report: FileReport) -> ast.Module | None:
    """The tree, or None with the error (and where it is) in `report`.

    Parsing runs under the interpreter's own recursion limit on purpose: what ast.parse
    refuses there, CPython would not compile or import either.
    """
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as exc:
        report.error = f"cannot parse: {exc.msg}"
        report.error_line = exc.lineno or 1
        report.error_col = exc.offset or 0
        if "null bytes" in exc.msg:  # Python says where the file starts, not where the NUL is
            report.error_line, report.error_col = _position_of(source, source.index("\0"))
    except (RecursionError, MemoryError):
        report.error = ("cannot parse: nested too deeply for Python's parser "
                        "(CPython would not compile it either)")
        report.error_line = 1
    return None


def _position_of(source: str, index: int) -> tuple[int, int]:
    """1-based line and column of the character at `index`, as Python counts lines."""
    before = split_lines(source[:index])
    return len(before), len(before[-1].encode("utf-8")) + 1
