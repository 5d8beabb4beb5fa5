"""A fix as replacements of the original text, numbered as Python numbers lines."""
from __future__ import annotations

from lint_rules.fixer.replacements import Replacement, line_replacements


def test_lines_are_not_broken_at_form_feeds():
    before = "a = 1\x0c  # page\nb = 2\n"
    after = "a = 1\x0c  # page\nx = 0\nb = 2\n"
    assert line_replacements(before, after) == [Replacement(2, 1, 2, 1, "x = 0\n")]


def test_a_last_line_without_newline_ends_at_its_last_character():
    assert line_replacements("a\nb", "a\nb\nc\n") == [Replacement(2, 1, 2, 2, "b\nc\n")]
