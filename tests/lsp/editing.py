"""What an editor does with the server's edits, written independently of the server's code
so that a wrong position in an edit shows up as wrong text."""
from __future__ import annotations

import re

from lsprotocol import types

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def _offset(text: str, at: types.Position, encoding: str) -> int:
    """The string index of a client position (columns in the given encoding's units)."""
    lines = [line for line in _LINES.findall(text)]
    start = sum(len(line) for line in lines[:at.line])
    line = lines[at.line] if at.line < len(lines) else ""
    units = 0
    for index, char in enumerate(line):
        if units >= at.character:
            return start + index
        units += len(char.encode(encoding)) // (2 if encoding == "utf-16-le" else 1)
    return start + len(line)


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16-le") -> str:
    """Apply non-overlapping edits, as the protocol defines them (all against the original)."""
    spans = sorted(((_offset(text, e.range.start, encoding), _offset(text, e.range.end, encoding),
                     e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def apply_workspace_edit(text: str, uri: str, edit: types.WorkspaceEdit,
                         encoding: str = "utf-16-le") -> str:
    assert edit.changes is not None and set(edit.changes) == {uri}
    return apply_edits(text, list(edit.changes[uri]), encoding)
