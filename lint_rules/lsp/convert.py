"""Between the engine's coordinates and the client's: positions, ranges and text edits.

The engine speaks as `ast` does: 1-based lines and 0-based columns counted in UTF-8 bytes of
the line.  LSP counts 0-based lines and columns in the negotiated encoding's code units
(UTF-16 unless the client and server agreed on another).  Both break lines at \\r\\n, \\r
and \\n only, so line numbers carry over unchanged; only columns need converting.
"""
from __future__ import annotations

from lsprotocol import types

from lint_rules.engine.checker import lines_with_ends
from lint_rules.engine.findings import Finding
from lint_rules.fixer.replacements import Replacement, line_replacements


def code_units(text: str, encoding: str) -> int:
    """The length of `text` in the client's position units."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    # UTF-16, the protocol's default: characters beyond the BMP take two units.
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def position(lines: list[str], line: int, utf8_col: int, encoding: str) -> types.Position:
    """The client position of an engine position (1-based line, UTF-8 byte column)."""
    index = min(max(line - 1, 0), len(lines) - 1)
    prefix = lines[index].encode("utf-8")[:utf8_col].decode("utf-8", errors="ignore")
    return types.Position(line=index, character=code_units(prefix, encoding))


def finding_range(finding: Finding, lines: list[str], encoding: str) -> types.Range:
    """Where the finding's node starts and ends; to the end of its line where the engine
    does not know the end."""
    start = position(lines, finding.line, finding.col, encoding)
    if finding.end_line:
        end = position(lines, finding.end_line, finding.end_col, encoding)
    else:
        text = lines[start.line].rstrip()
        end = types.Position(line=start.line, character=code_units(text, encoding))
    return types.Range(start=start, end=end)


def text_edit(change: Replacement, old: list[str], encoding: str) -> types.TextEdit:
    """The client's edit of a replacement in the text whose `lines_with_ends` are `old`."""
    def at(line: int, col: int) -> types.Position:
        prefix = old[line - 1][:col - 1] if col > 1 else ""
        return types.Position(line=line - 1, character=code_units(prefix, encoding))
    return types.TextEdit(range=types.Range(start=at(change.start_line, change.start_col),
                                            end=at(change.end_line, change.end_col)),
                          new_text=change.text)


def text_edits(old_text: str, new_text: str, encoding: str) -> list[types.TextEdit]:
    """A small set of whole-line edits that turn `old_text` into `new_text`."""
    old = lines_with_ends(old_text)
    return [text_edit(change, old, encoding)
            for change in line_replacements(old_text, new_text)]
