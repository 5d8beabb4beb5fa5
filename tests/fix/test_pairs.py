"""Every before/after pair: the exact text the fixer produces, and what must hold of it.

The expected texts were written by hand from the fix protocol (DESIGN.md), not copied from the
fixer's output; a pair failing here is either a fixer bug or a wrong expectation, and the diff
in the message says which lines disagree.
"""
from __future__ import annotations

import pytest

from lint_rules.engine.checker import check_source
from lint_rules.config import Config
from lint_rules.fixer.transform import fix_file_data, fix_source

from .pairs import Pair, all_pairs, fixed, signatures, text_diff

PAIRS = all_pairs()
FIXABLE = {"DUR101", "DUR102", "DUR103"}


def codes(data: bytes, name: str) -> list[str]:
    report = check_source(data, name, Config())
    assert report.error is None, report.error
    return [f.code for f in report.findings]


def test_pairs_are_found() -> None:
    names = {pair.name for pair in PAIRS}
    assert len(names) == len(PAIRS), "pair names must be unique"
    assert len(PAIRS) >= 35


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_before_has_findings_to_fix(pair: Pair) -> None:
    # A pair whose input is already clean would test nothing.
    assert FIXABLE & set(codes(pair.before, pair.name))


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_fixed_text_is_exactly_the_expected_one(pair: Pair) -> None:
    actual = fixed(pair)
    assert actual == pair.after, f"{pair.name}:\n{text_diff(pair.after, actual)}"


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_every_finding_is_fixed(pair: Pair) -> None:
    result = fix_file_data(pair.before, pair.name, Config())
    assert result.error is None
    assert result.unfixable == []
    assert {f.code for f in result.applied} == FIXABLE & set(codes(pair.before, pair.name))


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_output_compiles(pair: Pair) -> None:
    compile(fixed(pair), pair.name, "exec", dont_inherit=True)


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_output_is_clean(pair: Pair) -> None:
    assert not FIXABLE & set(codes(fixed(pair), pair.name))


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_second_run_changes_nothing(pair: Pair) -> None:
    once = fixed(pair)
    assert fix_source(once, pair.name) == once


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_signatures_are_unchanged(pair: Pair) -> None:
    before = signatures(pair.before)
    after = signatures(fixed(pair))
    inserted = after.keys() - before.keys()
    # Only module-level helpers may appear, and nothing may disappear.
    assert all("." not in name and name.startswith("_fsync") for name in inserted), inserted
    assert {name: after[name] for name in before} == before


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_line_endings_and_encoding_are_kept(pair: Pair) -> None:
    actual = fixed(pair)
    crlf = b"\r\n" in pair.before
    assert (actual.count(b"\r\n") == actual.count(b"\n")) if crlf else b"\r" not in actual
    if pair.before.startswith(b"# -*- coding: latin-1"):
        assert b"\xe9" in actual  # still latin-1 bytes, not re-encoded as UTF-8
        actual.decode("latin-1")
    else:
        actual.decode("utf-8")


# -- configuration and noqa decide what is fixed -------------------------------------------

WRITER = b'''\
import os


def save(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)%s
'''


def test_select_limits_the_fixes_to_the_selected_codes() -> None:
    result = fix_file_data(WRITER % b"", "w.py", Config(select=("DUR101",)))
    assert [f.code for f in result.applied] == ["DUR101"]
    assert b"os.fsync(fh.fileno())" in result.fixed
    assert b"_fsync_parent_dir" not in result.fixed


def test_ignore_leaves_the_ignored_codes_alone() -> None:
    result = fix_file_data(WRITER % b"", "w.py", Config(ignore=("DUR101",)))
    assert [f.code for f in result.applied] == ["DUR102"]
    assert b"fh.flush()" not in result.fixed
    assert b"    _fsync_parent_dir(path)\n" in result.fixed


def test_a_silenced_finding_is_not_fixed() -> None:
    source = WRITER % b"  # noqa: DUR102"
    fixed = fix_source(source, "w.py")
    assert b"_fsync_parent_dir" not in fixed
    assert b"os.fsync(fh.fileno())" in fixed


def test_findings_without_a_fix_are_reported_and_the_rest_fixed() -> None:
    # NamedTemporaryFile without dir=: DUR105 has no automatic fix, the fsyncs still do.
    source = b'''\
import os
import tempfile


def save(path, text):
    with tempfile.NamedTemporaryFile("w", delete=False) as fh:
        fh.write(text)
    os.replace(fh.name, path)
'''
    result = fix_file_data(source, "t.py", Config())
    assert [f.code for f in result.unfixable] == ["DUR105"]
    assert sorted(f.code for f in result.applied) == ["DUR101", "DUR102"]
    assert not FIXABLE & set(codes(result.fixed, "t.py"))


def test_a_clean_module_is_returned_as_it_is() -> None:
    source = b'import os\n\n\ndef rename(a, b):\n    os.replace(a, b)\n'
    assert fix_source(source) == source
    assert fix_file_data(source, "c.py", Config()).changed is False
