"""What the language server says about one document: diagnostics, fixes, hovers.

Everything here works on an `Analysis`, the engine's report on one version of a buffer, so
the transport (server.py) only decides when to analyse and where to send the answer.  The
findings and their fixes come from the same `check_source` and fixer the command runs.
"""
from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lsprotocol import types

from lint_rules.config import Config, find_pyproject, load_config
from lint_rules.engine.catalog import RULES
from lint_rules.engine.checker import check_source, decode, split_lines
from lint_rules.engine.findings import FileReport, Finding
from lint_rules.lsp.convert import finding_range, position, text_edits

SOURCE = "durable-writes"
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"


def config_for(path: Path | None) -> Config:
    """The configuration that applies to the document at `path`, as the command finds it.

    Raises what load_config raises for a broken pyproject.toml; the server shows it."""
    if path is None:
        return Config()
    return load_config(find_pyproject(path.parent))


def buffer_bytes(source: str) -> bytes:
    """The bytes the file would hold if saved: in its coding cookie's encoding if it has one
    that can hold the text (so the engine's columns match the text), else UTF-8."""
    data = source.encode("utf-8")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return source.encode(encoding)
    except (SyntaxError, LookupError, UnicodeEncodeError):
        return data


@dataclass
class Analysis:
    uri: str
    version: int | None
    path: str
    data: bytes
    config: Config
    report: FileReport
    encoding: str  # the negotiated position encoding

    @cached_property
    def text(self) -> str:
        return decode(self.data)

    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    def range_of(self, finding: Finding) -> types.Range:
        return finding_range(finding, self.lines, self.encoding)


def analyse(uri: str, version: int | None, path: str, source: str, config: Config,
            encoding: str) -> Analysis:
    data = buffer_bytes(source)
    return Analysis(uri, version, path, data, config, check_source(data, path, config), encoding)


def diagnostics(analysis: Analysis) -> list[types.Diagnostic]:
    report = analysis.report
    if report.error:
        return [_error_diagnostic(analysis)]
    return [_diagnostic(analysis, finding) for finding in report.findings]


def _diagnostic(analysis: Analysis, finding: Finding) -> types.Diagnostic:
    rule = RULES.get(finding.code)
    return types.Diagnostic(
        range=analysis.range_of(finding),
        message=finding.message,
        severity=types.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=types.CodeDescription(href=rule.url) if rule else None,
        source=SOURCE,
    )


def _error_diagnostic(analysis: Analysis) -> types.Diagnostic:
    """One diagnostic where the file stopped parsing: the user learns why nothing else is
    reported for it (SyntaxError's offset is 1-based)."""
    report = analysis.report
    lines = analysis.lines if report.error.startswith("cannot parse") else [""]
    line = min(max(report.error_line, 1), len(lines))
    text = lines[line - 1]
    column = len(text[:max(report.error_col - 1, 0)].encode("utf-8"))
    start = position(lines, line, column, analysis.encoding)
    return types.Diagnostic(
        range=types.Range(start=start, end=start),
        message=f"{report.error}; durable-writes checks this file once it parses",
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)
    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def findings_at(analysis: Analysis, where: types.Range) -> list[Finding]:
    return [f for f in analysis.report.findings if _overlaps(analysis.range_of(f), where)]


def _workspace_edit(analysis: Analysis, fixed: bytes) -> types.WorkspaceEdit:
    edits = text_edits(analysis.text, decode(fixed), analysis.encoding)
    return types.WorkspaceEdit(changes={analysis.uri: edits})


def quick_fix(analysis: Analysis, finding: Finding) -> types.CodeAction | None:
    """The edit `durable-writes fix` makes for this one finding, helpers and imports
    included; None where the finding has no fix or the fixer cannot place it."""
    # LibCST is slow to import and only fixes need it.
    from lint_rules.fixer.transform import apply_fixes

    if finding.fix is None or analysis.report.support is None:
        return None
    fixed, applied = apply_fixes(analysis.data, [finding], analysis.report.support)
    if id(finding) not in applied:
        return None
    safe = finding.fix.applicability == "safe"
    rule = RULES.get(finding.code)
    title = f"Fix {finding.code}: {rule.summary if rule else finding.message}"
    return types.CodeAction(
        title=title if safe else f"{title} (unsafe fix)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[_diagnostic(analysis, finding)],
        edit=_workspace_edit(analysis, fixed),
        is_preferred=safe,
    )


def fix_all(analysis: Analysis) -> types.CodeAction | None:
    """What `durable-writes fix` would do to the buffer, as one action."""
    from lint_rules.fixer.transform import fix_file_data

    if not any(f.fix is not None for f in analysis.report.findings):
        return None
    result = fix_file_data(analysis.data, analysis.path, analysis.config)
    if result.error or not result.changed:
        return None
    return types.CodeAction(
        title="Fix all durable-writes findings",
        kind=FIX_ALL,
        edit=_workspace_edit(analysis, result.fixed),
    )


def wanted(kind: str, only: list[str] | None) -> bool:
    """Kinds are hierarchical: asking for `source` or `source.fixAll` includes ours."""
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def code_actions(analysis: Analysis, params: types.CodeActionParams) -> list[types.CodeAction]:
    only = params.context.only
    actions = []
    if wanted(types.CodeActionKind.QuickFix, only):
        for finding in findings_at(analysis, params.range):
            action = quick_fix(analysis, finding)
            if action is not None:
                actions.append(action)
    if wanted(FIX_ALL, only):
        action = fix_all(analysis)
        if action is not None:
            actions.append(action)
    return actions


def hover(analysis: Analysis, at: types.Position) -> types.Hover | None:
    """The documentation of the rules whose findings cover `at`."""
    point = types.Range(start=at, end=at)
    found = [f for f in findings_at(analysis, point) if f.code in RULES]
    if not found:
        return None
    rules = {f.code: RULES[f.code] for f in found}  # two findings of one rule: one section
    sections = [f"**{rule.code}** `{rule.name}`: {rule.summary}\n\n{rule.docs}\n"
                f"[Documentation]({rule.url})" for rule in rules.values()]
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                     value="\n\n---\n\n".join(sections)),
        range=analysis.range_of(found[0]),
    )
