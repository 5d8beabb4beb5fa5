"""Columns and edits between the engine's coordinates and the client's."""
from __future__ import annotations

import pytest
from lsprotocol import types

from lint_rules.engine.findings import Finding
from lint_rules.lsp.convert import code_units, finding_range, lines_with_ends, text_edits
from .editing import apply_edits

UTF8, UTF16, UTF32 = (types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16,
                      types.PositionEncodingKind.Utf32)


def test_code_units_count_what_each_encoding_counts():
    text = "aé😀"
    assert code_units(text, UTF8) == 1 + 2 + 4
    assert code_units(text, UTF16) == 1 + 1 + 2
    assert code_units(text, UTF32) == 3


def test_finding_range_converts_byte_columns_to_the_clients_units():
    line = 'x = "é😀"; os.replace(a, b)'
    start = len('x = "é😀"; '.encode())
    finding = Finding("DUR102", 1, start, "m", end_line=1, end_col=len(line.encode()))
    for encoding, codec in ((UTF16, "utf-16-le"), (UTF8, "utf-8")):
        got = finding_range(finding, [line], encoding)
        width = 2 if codec == "utf-16-le" else 1
        assert got.start.character == len('x = "é😀"; '.encode(codec)) // width
        assert got.end.character == len(line.encode(codec)) // width
        assert (got.start.line, got.end.line) == (0, 0)
    assert finding_range(finding, [line], UTF32).start.character == len('x = "é😀"; ')


def test_an_unknown_end_is_the_end_of_the_line():
    finding = Finding("DUR103", 2, 4, "m")
    got = finding_range(finding, ["a", "    os.fsync(fd)   ", ""], UTF16)
    assert (got.start.line, got.start.character) == (1, 4)
    assert (got.end.line, got.end.character) == (1, len("    os.fsync(fd)"))


def test_lines_break_only_where_python_breaks_them():
    assert lines_with_ends("a\r\nb\rc\x0cd\ne") == ["a\r\n", "b\r", "c\x0cd\n", "e"]


@pytest.mark.parametrize("old, new", [
    ("a\nb\nc\n", "a\nb\nx\nc\n"),                 # insertion
    ("a\nb\nc\n", "import os\na\nc\nd\n"),         # insertion, deletion, append
    ("a\nb", "a\nb\nc\n"),                         # the last line had no newline
    ("a\r\nb\r\n", "a\r\nz\r\nb\r\n"),             # CRLF kept
    ("", "x\n"),
    ("é😀\nb\n", "é😀\nc\nb\n"),                    # wide characters before an edit
])
def test_text_edits_turn_the_old_text_into_the_new(old, new):
    edits = text_edits(old, new, UTF16)
    assert apply_edits(old, edits) == new
    assert text_edits(new, new, UTF16) == []


def test_text_edits_touch_only_the_changed_lines():
    old = "".join(f"line {n}\n" for n in range(100))
    new = old.replace("line 50\n", "line 50\n    inserted\n")
    (edit,) = text_edits(old, new, UTF16)
    assert edit.new_text == "    inserted\n"
    assert (edit.range.start.line, edit.range.end.line) == (51, 51)
