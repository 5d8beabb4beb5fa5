"""What the language server says about one document: diagnostics, fixes, hovers.

Everything here works on an `Analysis`, the engine's report on one version of a buffer, so
the transport (server.py) only decides when to analyse and where to send the answer.  The
findings and their fixes come from the same `check_source` and fixer the command runs.
"""
from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass, field
from functools import cached_property

from lsprotocol import types

from lint_rules.config import Config
from lint_rules.engine.catalog import RULES
from lint_rules.engine.checker import check_source, decode, lines_with_ends, split_lines
from lint_rules.engine.findings import FileReport, Finding
from lint_rules.lsp.convert import finding_range, position, text_edit, text_edits

SOURCE = "durable-writes"
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
ALL = "all"  # the fix-all action's key in `Analysis.edits`


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
    # The code actions' edits made so far, by finding index or ALL.
    edits: dict[int | str, types.WorkspaceEdit | None] = field(default_factory=dict)

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


def _fix_one(analysis: Analysis, finding: Finding) -> list[types.TextEdit]:
    """Exactly the edit `durable-writes fix` makes for this one finding, helpers and imports
    included, as the reports show it; [] where the fixer cannot place it."""
    # LibCST is slow to import and only fixes need it.
    from lint_rules.fixer.replacements import replacements

    changes = replacements(analysis.data, finding, analysis.report.support)
    old = lines_with_ends(analysis.text)
    return [text_edit(change, old, analysis.encoding) for change in changes]


def _fix_all(analysis: Analysis) -> list[types.TextEdit]:
    """The edits that leave the buffer as `durable-writes fix` would."""
    from lint_rules.fixer.transform import fix_file_data

    result = fix_file_data(analysis.data, analysis.path, analysis.config)
    if result.error or not result.changed:
        return []
    return text_edits(analysis.text, decode(result.fixed), analysis.encoding)


def fix_edit(analysis: Analysis, which: int | str) -> types.WorkspaceEdit | None:
    """The edit of finding number `which`'s fix, or of all of them (`ALL`); None where
    there is none.  Kept per version: each costs LibCST a parse of the buffer."""
    findings = analysis.report.findings
    if which != ALL and not (isinstance(which, int) and 0 <= which < len(findings)):
        return None  # `data` comes back from the client: trust nothing in it
    if which not in analysis.edits:
        edits = _fix_all(analysis) if which == ALL else _fix_one(analysis, findings[which])
        analysis.edits[which] = (types.WorkspaceEdit(changes={analysis.uri: edits})
                                 if edits else None)
    return analysis.edits[which]


def _quick_fix(analysis: Analysis, which: int) -> types.CodeAction:
    finding = analysis.report.findings[which]
    safe = finding.fix is not None and finding.fix.applicability == "safe"
    rule = RULES.get(finding.code)
    title = f"Fix {finding.code}: {rule.summary if rule else finding.message}"
    return types.CodeAction(
        title=title if safe else f"{title} (unsafe fix)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[_diagnostic(analysis, finding)],
        is_preferred=safe,
        data={"uri": analysis.uri, "version": analysis.version, "fix": which},
    )


def _fix_all_action(analysis: Analysis) -> types.CodeAction:
    return types.CodeAction(
        title="Fix all durable-writes findings",
        kind=FIX_ALL,
        data={"uri": analysis.uri, "version": analysis.version, "fix": ALL},
    )


def wanted(kind: str, only: list[str] | None) -> bool:
    """Kinds are hierarchical: asking for `source` or `source.fixAll` includes ours."""
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def code_actions(analysis: Analysis, params: types.CodeActionParams,
                 lazy: bool) -> list[types.CodeAction]:
    """The quick fixes of the findings in the range, and fix-all.  Clients ask on every
    cursor move, so where they can resolve an action's edit later (`lazy`), it is computed
    only for the action the user picks."""
    findings = analysis.report.findings
    actions = []
    if wanted(types.CodeActionKind.QuickFix, params.context.only):
        actions += [_quick_fix(analysis, which) for which, finding in enumerate(findings)
                    if finding.fix is not None and _overlaps(analysis.range_of(finding),
                                                             params.range)]
    if wanted(FIX_ALL, params.context.only) and any(f.fix is not None for f in findings):
        actions.append(_fix_all_action(analysis))
    if lazy:
        return actions
    for action in actions:
        action.edit = fix_edit(analysis, action.data["fix"])
    return [action for action in actions if action.edit is not None]


def resolve(analysis: Analysis | None, action: types.CodeAction) -> types.CodeAction:
    """Fill in the edit of an action `code_actions` made, if its document has not changed
    since (else the action stays without an edit: the client asks again on the new text)."""
    data = action.data if isinstance(action.data, dict) else {}
    if analysis is not None and data.get("version") == analysis.version:
        action.edit = fix_edit(analysis, data.get("fix"))
    return action


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
