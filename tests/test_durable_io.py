"""The fixer writes files with the protocol it enforces, and loses nothing of the user's."""
from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from lint_rules.fixer import durable_io
from lint_rules.fixer.durable_io import (
    TEMP_SUFFIX, Original, Skipped, remove_stale_temps, replace_file,
)


def read(path: Path) -> Original:
    """What the fixer would have read."""
    return Original(path.read_bytes(), os.stat(path))


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "mod.py"
    path.write_text("old\n")
    return path


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch):
    """Set durable_io.before_replace for one test."""
    def set_hook(function) -> None:
        monkeypatch.setattr(durable_io, "before_replace", function)
    return set_hook


def test_replaces_content_and_keeps_the_mode(target: Path) -> None:
    target.chmod(0o640)
    replace_file(str(target), b"new\n", read(target))
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert names(target.parent) == ["mod.py"]  # no temp left behind


def test_a_symbolic_link_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_text("old\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    replace_file(str(link), b"new\n", read(link))
    assert link.is_symlink()
    assert real.read_bytes() == b"new\n"


def test_file_fsync_before_the_rename_and_directory_fsync_after(
        target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    def replace(src, dst) -> None:
        events.append("replace")
        real_replace(src, dst)

    original = read(target)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    replace_file(str(target), b"x\n", original)
    assert events == ["file", "replace", "dir"]


def test_a_failed_rename_leaves_the_file_and_no_temp(
        target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src, dst) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    original = read(target)
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        replace_file(str(target), b"new\n", original)
    assert target.read_text() == "old\n"
    assert names(target.parent) == ["mod.py"]


def test_a_failed_data_write_leaves_no_temp(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    original = read(target)
    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(OSError):
        replace_file(str(target), b"new\n", original)
    assert target.read_text() == "old\n"
    assert names(target.parent) == ["mod.py"]


# -- concurrent changes ---------------------------------------------------------------------

def test_a_file_edited_after_it_was_read_is_not_overwritten(target: Path) -> None:
    original = read(target)
    with open(target, "a") as fh:
        fh.write("# saved by an editor\n")
    with pytest.raises(Skipped, match="changed since it was read"):
        replace_file(str(target), b"new\n", original)
    assert target.read_text() == "old\n# saved by an editor\n"


def test_an_edit_during_the_write_itself_is_not_overwritten(target: Path, hook) -> None:
    # The last look happens after the temporary file is complete, right before the rename.
    hook(lambda path: Path(path).write_text("edited meanwhile\n"))
    with pytest.raises(Skipped, match="changed since it was read"):
        replace_file(str(target), b"new\n", read(target))
    assert target.read_text() == "edited meanwhile\n"
    assert names(target.parent) == ["mod.py"]


def test_same_size_and_time_but_other_bytes_is_a_change(target: Path) -> None:
    original = read(target)
    target.write_text("odd\n")
    os.utime(target, ns=(original.status.st_atime_ns, original.status.st_mtime_ns))
    with pytest.raises(Skipped, match="changed since it was read"):
        replace_file(str(target), b"new\n", original)
    assert target.read_text() == "odd\n"


def test_a_file_deleted_meanwhile_stays_deleted(target: Path, hook) -> None:
    hook(lambda path: os.unlink(path))
    with pytest.raises(Skipped, match="deleted since it was read; not recreated"):
        replace_file(str(target), b"new\n", read(target))
    assert names(target.parent) == []


def test_a_file_replaced_by_another_is_left_alone(target: Path) -> None:
    original = read(target)
    other = target.with_name("other")
    other.write_text("old\n")  # noqa: DUR101 - not durable on purpose: a checkout's replace
    os.replace(other, target)  # noqa: DUR102
    with pytest.raises(Skipped, match="replaced by another file"):
        replace_file(str(target), b"new\n", original)
    assert target.read_text() == "old\n"


# -- what the file keeps --------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "chown"), reason="no owners here")
def test_owner_and_group_are_kept(target: Path) -> None:
    try:
        os.chown(target, 4321, 4322)
    except PermissionError:
        pytest.skip("this process may not give files away (not root)")
    replace_file(str(target), b"new\n", read(target))
    status = target.stat()
    assert (status.st_uid, status.st_gid) == (4321, 4322)
    assert target.read_bytes() == b"new\n"


def test_setgid_bit_survives_the_chown(target: Path) -> None:
    target.chmod(0o2755)
    replace_file(str(target), b"new\n", read(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o2755


def test_extended_attributes_are_kept(target: Path) -> None:
    if not hasattr(os, "setxattr"):
        pytest.skip("no extended attributes on this OS")
    try:
        os.setxattr(target, "user.origin", b"generated by hand")
    except OSError:
        pytest.skip("this file system has no user extended attributes")
    replace_file(str(target), b"new\n", read(target))
    assert os.getxattr(target, "user.origin") == b"generated by hand"


def test_a_hard_linked_file_is_skipped(target: Path) -> None:
    twin = target.with_name("twin.py")
    os.link(target, twin)
    with pytest.raises(Skipped, match="2 hard links"):
        replace_file(str(target), b"new\n", read(target))
    assert target.read_text() == twin.read_text() == "old\n"
    assert os.stat(target).st_ino == os.stat(twin).st_ino


def test_a_read_only_file_is_skipped_unless_forced(target: Path) -> None:
    target.chmod(0o444)
    with pytest.raises(Skipped, match="read-only"):
        replace_file(str(target), b"new\n", read(target))
    assert target.read_text() == "old\n"
    replace_file(str(target), b"new\n", read(target), force=True)
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


# -- temporary files ------------------------------------------------------------------------

def test_the_temporary_file_has_the_documented_name(target: Path, hook) -> None:
    seen: list[list[str]] = []
    hook(lambda path: seen.append(names(target.parent)))
    replace_file(str(target), b"new\n", read(target))
    [[temp, _]] = [sorted(listing) for listing in seen]
    assert temp.startswith(f".mod.py.{os.getpid()}.") and temp.endswith(TEMP_SUFFIX)
    assert oct(stat.S_IMODE(os.stat(target).st_mode))  # still there, replaced


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temps_of_dead_runs_are_removed_and_nothing_else(tmp_path: Path) -> None:
    dead = tmp_path / f".mod.py.{_dead_pid()}.k3j_x9a2{TEMP_SUFFIX}"
    live = tmp_path / f".mod.py.{os.getppid()}.abcd1234{TEMP_SUFFIX}"
    mine = tmp_path / f".mod.py.{os.getpid()}.abcd1234{TEMP_SUFFIX}"
    unrelated = [tmp_path / ".mod.py.k3j_x9a2", tmp_path / f"notes{TEMP_SUFFIX}",
                 tmp_path / "mod.py"]
    for path in (dead, live, mine, *unrelated):
        path.write_text("")
    assert remove_stale_temps(str(tmp_path)) == [str(dead)]
    assert names(tmp_path) == sorted(p.name for p in (live, mine, *unrelated))
