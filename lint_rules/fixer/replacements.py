"""A fix as text replacements: regions of the original text and what replaces them.

The fixer rewrites whole files; reports (SARIF `fixes`, JSON, `check --show-fixes`) and the
language server's code actions want the change as regions of the original text. Comparing
the text before and after line by line gives exactly the edit `fix` makes, helpers and
`import os` included.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from lint_rules.engine.checker import decode, lines_with_ends
from lint_rules.engine.findings import Finding, ModuleSupport


@dataclass(frozen=True)
class Replacement:
    """Replace the text from (start_line, start_col) up to (end_line, end_col), exclusive,
    with `text`; 1-based lines and columns (in characters), an empty region for a pure
    insertion. The fixer only ever adds or splits whole lines, so columns are 1 except at the
    end of a file."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int
    text: str


def replacements(data: bytes, finding: Finding, support: ModuleSupport | None,
                 ) -> list[Replacement]:
    """The replacements for `finding`'s fix alone; [] where it has none or it cannot apply."""
    # LibCST is slow to import and only fixes need it.
    import libcst as cst

    from lint_rules.fixer.transform import FixError, apply_fixes

    if finding.fix is None or support is None:
        return []
    try:
        fixed, applied = apply_fixes(data, [finding], support)
    except (FixError, cst.ParserSyntaxError):
        return []
    if not applied:
        return []
    return line_replacements(decode(data), decode(fixed))


def line_replacements(before_text: str, after_text: str) -> list[Replacement]:
    """Whole-line replacements that turn `before_text` into `after_text`, lines broken as
    Python breaks them (not at form feeds), so the line numbers are the engine's."""
    before, after = lines_with_ends(before_text), lines_with_ends(after_text)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [
        Replacement(*_position(before, i1), *_position(before, i2), "".join(after[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def _position(lines: list[str], index: int) -> tuple[int, int]:
    """Where line `index` (0-based) starts; past the last line, the end of the text (a
    position on a line that does not exist is not one every consumer accepts)."""
    if index < len(lines) or not lines:
        return index + 1, 1
    last = lines[-1]
    if last.endswith(("\n", "\r")):
        return len(lines) + 1, 1
    return len(lines), len(last) + 1
