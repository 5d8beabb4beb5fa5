"""Fixer and engine bugs found while writing the fixer's tests, kept so they stay fixed.

Each was a strict xfail until the engine or the fixer was mended: syncs placed on the path
that renames, renames in every branch, async helpers, columns in non-UTF-8 files, and
statements on one-line suites or behind `;`.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lint_rules.config import Config
from lint_rules.fixer.transform import fix_file_data, fix_source

from .pairs import COMPOUND_LINE, FRENCH_WRITER, FRENCH_WRITER_FIXED, LATIN1_COOKIE
from .spy import run_module, violations


def source(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


def events_of_fixed(text: str, calls: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fixed = fix_source(source(text), "writer")
    return run_module(fixed, "writer", tmp_path, calls, ["prog"], monkeypatch).events


# -- fixes that re-check clean but are not durable when run ---------------------------------

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

def test_latin1_text_before_the_rename_on_its_line() -> None:
    before = (LATIN1_COOKIE + FRENCH_WRITER.replace(*COMPOUND_LINE)).encode("latin-1")
    after = (LATIN1_COOKIE + FRENCH_WRITER_FIXED.replace(*COMPOUND_LINE)).encode("latin-1")
    result = fix_file_data(before, "latin.py", Config())
    assert result.unfixable == []
    assert result.fixed == after


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


@pytest.mark.parametrize("name", sorted(GAPS))
def test_findings_on_one_line_statements_are_fixed(name: str) -> None:
    text, code = GAPS[name]
    result = fix_file_data(source(text), name, Config())
    assert code in {f.code for f in result.applied}
    assert result.unfixable == []


def test_a_rename_relative_to_a_directory_fd_gets_no_guessed_directory_sync() -> None:
    # `_fsync_parent_dir(name)` would resolve `name` against the working directory, not
    # against `directory`: an fsync of the wrong directory is worse than none.
    text = """
        import os


        def write_head(name, directory, data):
            fd = os.open(".tmp", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, dir_fd=directory)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
            os.replace(".tmp", name, src_dir_fd=directory, dst_dir_fd=directory)
    """
    result = fix_file_data(source(text), "head.py", Config())
    assert [f.code for f in result.unfixable] == ["DUR102"]
    assert [f.code for f in result.applied] == ["DUR101"]
    assert b"_fsync_parent_dir" not in result.fixed


def test_a_copy_that_may_target_a_directory_gets_no_sync_by_path(tmp_path: Path) -> None:
    # shutil.copy(src, staging) may copy *into* staging; opening it O_RDWR would fail.
    text = """
        import os
        import shutil


        def stage(src, staging, final):
            shutil.copy(src, staging)
            os.replace(staging, final)
    """
    result = fix_file_data(source(text), "stage.py", Config())
    assert [f.code for f in result.unfixable] == ["DUR101"]
    assert b"_fsync_file" not in result.fixed


def test_no_sync_lands_where_the_handle_may_be_unbound() -> None:
    # fh exists only when the branch ran: a flush after the `if` could raise
    # UnboundLocalError, so the finding stays unfixed rather than break the writer.
    text = """
        import os


        def save(tmp, path, data):
            if not os.path.exists(tmp):
                fh = open(tmp, "w")
                fh.write(data)
            os.replace(tmp, path)
    """
    result = fix_file_data(source(text), "maybe.py", Config())
    assert [f.code for f in result.unfixable] == ["DUR101"]
    assert b"fh.flush()" not in result.fixed


def test_a_rename_inside_a_comprehension_gets_no_directory_sync_after_it() -> None:
    text = """
        import os


        def publish(dests):
            with open("x.tmp", "w") as fh:
                fh.write("x")
            [os.replace("x.tmp", d) for d in dests]
    """
    result = fix_file_data(source(text), "many.py", Config())
    assert [f.code for f in result.unfixable] == ["DUR102"]
    compile(result.fixed, "many.py", "exec")
    assert b"_fsync_parent_dir(d)" not in result.fixed


def test_a_zip_in_the_same_with_as_the_rename_gets_no_sync_after_the_rename() -> None:
    text = """
        import os
        import zipfile


        def build(tmp, target, data):
            with open(tmp, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
                zf.writestr("n", data)
                os.replace(tmp, target)
    """
    result = fix_file_data(source(text), "zip.py", Config())
    assert "DUR101" in [f.code for f in result.unfixable]
    assert b"_fsync_file" not in result.fixed


def test_an_existing_function_that_writes_is_never_reused_as_a_sync_helper() -> None:
    # clear_log opens its path for writing: calling it after write_text would empty the file.
    text = """
        import os
        from pathlib import Path


        def clear_log(path):
            with open(path, "w") as fh:
                fh.flush()
                os.fsync(fh.fileno())


        def save(tmp: Path, path: Path, text):
            tmp.write_text(text)
            tmp.replace(path)
    """
    fixed = fix_source(source(text), "reuse.py")
    assert b"clear_log(tmp)" not in fixed
    assert b"_fsync_file(tmp)" in fixed


def test_os_that_is_not_the_os_module_is_not_trusted() -> None:
    text = """
        import shutil
        from fs_compat import os


        def save(path, text):
            with open(path + ".tmp", "w") as fh:
                fh.write(text)
            shutil.move(path + ".tmp", path)
    """
    fixed = fix_source(source(text), "compat.py").decode()
    assert fixed.startswith("import os as _os\n")
    assert "_os.fsync(fh.fileno())" in fixed
    assert "from fs_compat import os\n" in fixed


def test_a_sync_by_path_goes_right_before_the_rename() -> None:
    # Something else (here a subprocess) writes the file after write_text: a sync right
    # after write_text would miss its data.
    text = """
        import subprocess
        from pathlib import Path


        def refresh(tmp: Path, dst: Path):
            tmp.write_text("seed")
            subprocess.run(["tool", "--output", str(tmp)], check=True)
            tmp.replace(dst)
    """
    fixed = fix_source(source(text), "seed.py").decode()
    assert "check=True)\n    _fsync_file(tmp)\n    tmp.replace(dst)\n" in fixed


def test_a_handle_wrapped_by_a_csv_writer_is_synced_after_every_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The last visible use of `fh` is building the writer; the rows come later. The sync
    # must see them all (it goes before the close in `finally`).
    text = """
        import csv
        import os


        def save(path, rows):
            tmp = path + ".tmp"
            fh = open(tmp, "w", newline="")
            try:
                writer = csv.writer(fh)
                for row in rows:
                    writer.writerow(row)
            finally:
                fh.close()
            os.replace(tmp, path)
    """
    events = events_of_fixed(text, "save(d + '/out.csv', [['a', 'b']] * 500)", tmp_path,
                             monkeypatch)
    assert violations(events) == []


def test_a_write_returned_from_the_try_is_still_synced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = """
        import os


        def save(tmp, dst, data):
            fh = open(tmp, "w")
            try:
                return fh.write(data)
            finally:
                fh.close()
                os.replace(tmp, dst)
    """
    events = events_of_fixed(text, "save(d + '/o.tmp', d + '/o.txt', 'x' * 100)", tmp_path,
                             monkeypatch)
    assert violations(events) == []


def test_a_with_block_that_closes_its_file_gets_the_sync_before_that_close() -> None:
    text = """
        import os


        def save(tmp, path, text):
            with open(tmp, "w") as fp:
                fp.write(text)
                fp.close()
            os.replace(tmp, path)
    """
    fixed = fix_source(source(text), "closes.py").decode()
    assert "fp.write(text)\n        fp.flush()\n        os.fsync(fp.fileno())\n        fp.close()" \
        in fixed


def test_a_path_written_in_a_loop_and_renamed_in_a_comprehension_is_synced_in_the_loop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = """
        import os
        from pathlib import Path


        def publish(pairs):
            for tmp, data in pairs:
                Path(tmp).write_text(data)
            [os.replace(tmp, tmp[:-4]) for tmp, _ in pairs]
    """
    calls = "publish([(d + '/a.txt.tmp', 'a'), (d + '/b.txt.tmp', 'b')]); publish([])"
    fixed = fix_source(source(text), "loop.py").decode()
    assert "        Path(tmp).write_text(data)\n        _fsync_file(Path(tmp))\n" in fixed
    run_module(fixed.encode(), "loop", tmp_path, calls, ["prog"], monkeypatch)


def test_an_earlier_import_os_as_alias_is_reused_where_os_is_shadowed() -> None:
    first = source("""
        import shutil
        from fs_compat import os


        def save(path, text):
            with open(path + ".tmp", "w") as fh:
                fh.write(text)
            shutil.move(path + ".tmp", path)
    """)
    fixed = fix_source(first, "compat.py")
    grown = fixed + source("""


        def save_again(path, text):
            with open(path + ".tmp", "w") as fh:
                fh.write(text)
            shutil.move(path + ".tmp", path)
    """)
    again = fix_source(grown, "compat.py").decode()
    assert again.count("import os as") == 1
    assert "_os_2" not in again
