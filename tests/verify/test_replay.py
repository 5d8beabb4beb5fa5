"""Rebuilding files from persisted effects, and classifying what a watched file holds."""
from __future__ import annotations

import pytest

from lint_rules.verify.models import (DataPut, DirMake, EntryLink, EntryMove, EntryUnlink,
                                      SizeSet)
from lint_rules.verify.replay import EMPTY, MISSING, NEW, OLD, TORN, classify, rebuild

OLD_BYTES = b"old content"


def disk(*changes, made_dirs=frozenset()):
    return rebuild({"/d/x": 1}, {1: OLD_BYTES}, changes, set(made_dirs))


def test_nothing_persisted_leaves_the_old_file():
    assert disk().read("/d/x") == OLD_BYTES


def test_a_size_without_its_data_reads_as_zeros():
    assert disk(EntryLink("/d/n", 2), SizeSet(2, 4, cut=False)).read("/d/n") == b"\0" * 4


def test_data_past_the_size_is_invisible_until_the_size_persists():
    assert disk(EntryLink("/d/n", 2), DataPut(2, 0, b"abcd")).read("/d/n") == b""
    assert disk(EntryLink("/d/n", 2), DataPut(2, 0, b"abcd"),
                SizeSet(2, 4, cut=False)).read("/d/n") == b"abcd"


def test_growth_carries_its_size():
    assert disk(EntryLink("/d/n", 2), DataPut(2, 0, b"ab", size=2)).read("/d/n") == b"ab"


def test_truncate_then_grow_reads_zeros_not_the_old_bytes():
    assert disk(SizeSet(1, 0, cut=True), SizeSet(1, 3, cut=False)).read("/d/x") == b"\0\0\0"


def test_an_overwrite_without_the_truncate_before_it_mixes_old_and_new():
    assert disk(DataPut(1, 0, b"NEW")).read("/d/x") == b"NEW content"


def test_a_rename_replaces_the_destination_and_frees_the_source_name():
    moved = disk(EntryLink("/d/t", 2), DataPut(2, 0, b"new", size=3), EntryMove("/d/t", "/d/x", 2))
    assert moved.read("/d/x") == b"new"
    assert moved.read("/d/t") is None


def test_a_rename_whose_create_was_lost_still_names_the_inode():
    moved = disk(EntryMove("/d/t", "/d/x", 2))
    assert moved.read("/d/x") == b""


def test_an_unlink_removes_only_the_inode_it_named():
    assert disk(EntryUnlink("/d/x", 7)).read("/d/x") == OLD_BYTES
    assert disk(EntryUnlink("/d/x", 1)).read("/d/x") is None


def test_a_file_in_a_directory_made_during_the_run_needs_the_directory_on_disk():
    changes = (EntryLink("/d/sub/f", 2), DataPut(2, 0, b"f", size=1))
    assert disk(*changes, made_dirs={"/d/sub"}).read("/d/sub/f") is None
    assert disk(DirMake("/d/sub"), *changes, made_dirs={"/d/sub"}).read("/d/sub/f") == b"f"


@pytest.mark.parametrize(("held", "old", "new", "kind"), [
    (b"new", b"old", b"new", NEW),
    (b"same", b"same", b"same", NEW),  # unchanged content counts as new
    (b"old", b"old", b"new", OLD),
    (None, b"old", b"new", MISSING),
    (None, None, b"new", MISSING),
    (b"", b"old", b"new", EMPTY),
    (b"", b"", b"new", OLD),  # the old file was empty
    (b"ne\0", b"old", b"new", TORN),
    (b"\0\0\0", None, b"new", TORN),
])
def test_classify(held, old, new, kind):
    assert classify(held, old, new) == kind


def test_reading_one_path_in_a_reused_buffer_agrees_with_a_full_rebuild():
    from lint_rules.verify.replay import Scratch, read_path

    states = [
        (EntryLink("/d/n", 2), SizeSet(2, 8, cut=False), DataPut(2, 0, b"abcdefgh")),
        (EntryLink("/d/n", 2), SizeSet(2, 4, cut=False)),  # smaller, after a larger state
        (EntryLink("/d/n", 2), DataPut(2, 0, b"xyz"), SizeSet(2, 1, cut=True),
         SizeSet(2, 3, cut=False)),  # bytes past a truncation come back as zeros
        (EntryMove("/d/n", "/d/x", 2),),  # x names an inode nothing was written to
        (),
    ]
    scratch = Scratch()
    for changes in states:
        for path in ("/d/x", "/d/n"):  # each read is valid until the next use of the buffer
            held = read_path(path, {"/d/x": 1}, {1: OLD_BYTES}, changes, scratch=scratch)
            assert (None if held is None else bytes(held)) == disk(*changes).read(path)
    held = read_path("/d/x", {"/d/x": 1}, {1: OLD_BYTES}, (), scratch=scratch)
    assert held == OLD_BYTES and held != OLD_BYTES + b"!" and held != OLD_BYTES[:-1]
    assert len(held) == len(OLD_BYTES) and held.preview(3) == b"old"
    assert classify(held, OLD_BYTES, b"new") == OLD
