"""Fixer and engine bugs found while writing the fixer's tests, one strict xfail each.

Each test states what must happen; it fails today, and will turn into an XPASS (a failure,
being strict) when the bug is fixed: then drop the mark.  Gaps where the fixer honestly reports
"left without a fix" are at the end, marked as gaps rather than bugs.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lint_rules.config import Config
from lint_rules.fix import fix_file_data, fix_source

from .pairs import COMPOUND_LINE, FRENCH_WRITER, FRENCH_WRITER_FIXED, LATIN1_COOKIE
from .spy import run_module, violations


def source(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


def events_of_fixed(text: str, calls: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fixed = fix_source(source(text), "writer")
    return run_module(fixed, "writer", tmp_path, calls, ["prog"], monkeypatch).events


# -- the module scope also walks the bodies of top-level functions (and a class scope the
#    bodies of its methods), so names of different functions meet -----------------------------

@pytest.mark.xfail(strict=True, reason="bug: module scope includes top-level function bodies; "
                   "the fix puts `fh.flush()` into sync_fd, where no `fh` exists (NameError)")
def test_a_fix_never_lands_in_a_function_that_does_not_have_the_handle() -> None:
    # save writes through a buffered file it never fsyncs; sync_fd fsyncs an fd of its own.
    # Nothing is renamed, and sync_fd has no file object: there is nothing to fix.
    text = """
        import os


        def save(path, text):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT)
            with os.fdopen(fd, "w") as fh:
                fh.write(text)


        def sync_fd(fd):
            os.fsync(fd)
    """
    assert fix_source(source(text)) == source(text)


@pytest.mark.xfail(strict=True, reason="bug: module and class scopes include the bodies of the "
                   "functions in them; a write in one function and a rename in another are "
                   "reported (DUR101, DUR102) and fixed, against SEMANTICS.md's per-scope rule")
@pytest.mark.parametrize("text", [
    """
        import os


        def write_draft(tmp, text):
            with open(tmp, "w") as fh:
                fh.write(text)


        def publish(tmp, path):
            os.replace(tmp, path)
    """,
    """
        import os


        class Drafts:
            def write(self, tmp, text):
                with open(tmp, "w") as fh:
                    fh.write(text)

            def publish(self, tmp, path):
                os.replace(tmp, path)
    """,
], ids=["functions", "methods"])
def test_a_write_and_a_rename_in_different_functions_are_not_one_writer(text: str) -> None:
    assert fix_source(source(text)) == source(text)


# -- fixes that re-check clean but are not durable when run ---------------------------------

@pytest.mark.xfail(strict=True, reason="bug: the fsync goes before the first close() after the "
                   "last write, which here is the one in the except branch: the success path "
                   "closes and renames without an fsync, and the re-check is clean")
def test_a_bare_handle_closed_first_in_an_error_branch_is_synced_on_the_success_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = """
        import os


        def save(path, data):
            tmp = path + ".tmp"
            fh = open(tmp, "w")
            try:
                fh.write(data)
            except Exception:
                fh.close()
                raise
            fh.close()
            os.replace(tmp, path)
    """
    events = events_of_fixed(text, "save(d + '/out.txt', 'data')", tmp_path, monkeypatch)
    assert violations(events) == []


@pytest.mark.xfail(strict=True, reason="bug: DUR101 is judged and fixed against the first "
                   "rename only; the fsync lands in the `if` branch and the `else` branch "
                   "renames an unsynced file, yet the re-check is clean")
def test_a_bare_handle_renamed_in_either_branch_is_synced_on_both(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = """
        import os


        def save(path, text, backup):
            tmp = path + ".tmp"
            fh = open(tmp, "w")
            fh.write(text)
            if backup:
                os.replace(tmp, path + ".bak")
            else:
                os.replace(tmp, path)
    """
    events = events_of_fixed(text, "save(d + '/out.txt', 'data', False)", tmp_path, monkeypatch)
    assert violations(events) == []


@pytest.mark.xfail(strict=True, reason="bug: an existing `async def` directory helper is reused "
                   "as a plain call, without await: the coroutine never runs, so the directory "
                   "is never fsynced (and the checker counts the un-awaited call as a sync)")
def test_an_async_directory_helper_is_not_called_without_await(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = """
        import os


        async def fsync_parent(path):
            fd = os.open(os.path.dirname(path), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


        async def save(path, data):
            tmp = path + ".tmp"
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
    """
    calls = "import asyncio, warnings\n" \
            "with warnings.catch_warnings():\n" \
            "    warnings.simplefilter('ignore')\n" \
            "    asyncio.run(save(d + '/out.bin', b'data'))"
    events = events_of_fixed(text, calls, tmp_path, monkeypatch)
    assert violations(events) == []


# -- findings left unfixed, or fixed twice ---------------------------------------------------

@pytest.mark.xfail(strict=True, reason="bug: fix._char_col reads the raw bytes as UTF-8 while ast "
                   "counts columns in UTF-8 bytes of the decoded text; in a latin-1 file with "
                   "non-ASCII text before the rename on its line, DUR102 is left unfixed")
def test_latin1_text_before_the_rename_on_its_line() -> None:
    before = (LATIN1_COOKIE + FRENCH_WRITER.replace(*COMPOUND_LINE)).encode("latin-1")
    after = (LATIN1_COOKIE + FRENCH_WRITER_FIXED.replace(*COMPOUND_LINE)).encode("latin-1")
    result = fix_file_data(before, "latin.py", Config())
    assert result.unfixable == []
    assert result.fixed == after


@pytest.mark.xfail(strict=True, reason="bug: a directory helper that opens "
                   "`os.path.dirname(path) or \".\"` (the idiom DESIGN.md's own example uses) is "
                   "not summarised as a parent-directory sync: DUR102 on durable code, and the "
                   "fix adds a second helper and a second directory fsync")
def test_a_durable_writer_with_a_dirname_or_dot_helper_is_left_alone() -> None:
    text = """
        import os


        def fsync_directory(path):
            fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


        def save(path, text):
            tmp = path + ".tmp"
            with open(tmp, "w") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            fsync_directory(path)
    """
    assert fix_source(source(text)) == source(text)


# -- gaps: reported as "left without a fix", though a safe rewrite exists ---------------------

GAPS = {
    # A one-line suite can be opened into a block, as the fixer already does for `with`.
    "rename-in-one-line-if": ("""
        import os


        def save(path, text, ok):
            tmp = path + ".tmp"
            with open(tmp, "w") as fh:
                fh.write(text)
            if ok: os.replace(tmp, path)
    """, "DUR102"),
    # The helper call can go after the whole line: `print` in between changes nothing.
    "rename-then-semicolon": ("""
        import os


        def save(path, text):
            tmp = path + ".tmp"
            with open(tmp, "w") as fh:
                fh.write(text)
            os.replace(tmp, path); print("saved")
    """, "DUR102"),
    "fsync-in-one-line-if": ("""
        import os


        def save(path, text):
            tmp = path + ".tmp"
            with open(tmp, "w") as fh:
                fh.write(text)
                if text: os.fsync(fh.fileno())
            os.replace(tmp, path)
            dfd = os.open(os.path.dirname(path), os.O_RDONLY)
            os.fsync(dfd)
            os.close(dfd)
    """, "DUR103"),
}


@pytest.mark.xfail(strict=True, reason="gap: a finding on a statement in a one-line suite or "
                   "in front of `;` has no fix; SEMANTICS/issue 3 say every variant is fixed")
@pytest.mark.parametrize("name", sorted(GAPS))
def test_findings_on_one_line_statements_are_fixed(name: str) -> None:
    text, code = GAPS[name]
    result = fix_file_data(source(text), name, Config())
    assert code in {f.code for f in result.applied}
    assert result.unfixable == []
