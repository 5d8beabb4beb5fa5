"""`durable-writes fix` loses nothing of the user's: concurrent edits, failing writes,
read-only and hard-linked files, ownership, extended attributes, a kill mid-run."""
from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lint_rules.cli import main
from lint_rules.config import Config
from lint_rules.fixer import durable_io
from lint_rules.fixer.command import run
from lint_rules.fixer.durable_io import TEMP_SUFFIX

from .pairs import WRITER, WRITER_FIXED

NAMES = ("a.py", "b.py", "c.py", "d.py")


def fix(paths: list[Path], config: Config = Config(), force: bool = False) -> int:
    return run([str(p) for p in paths], config, diff=False, check=False, jobs=1, force=force)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in NAMES:
        (tmp_path / name).write_bytes(WRITER)
    return tmp_path


@pytest.fixture
def at_replace(monkeypatch: pytest.MonkeyPatch):
    """Run `action(path)` when the fixer is about to replace the file called `name`."""
    def set_hook(name: str, action) -> None:
        def hook(path: str) -> None:
            if os.path.basename(path) == name:
                action(path)
        monkeypatch.setattr(durable_io, "before_replace", hook)
    return set_hook


def contents(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_an_edit_saved_during_the_run_is_kept(tree: Path, at_replace, capsys) -> None:
    saved = WRITER + b"# saved by the editor\n"
    at_replace("b.py", lambda path: Path(path).write_bytes(saved))
    assert fix([tree]) == 1
    after = contents(tree)
    assert after["b.py"] == saved
    assert after["a.py"] == after["c.py"] == after["d.py"] == WRITER_FIXED
    err = capsys.readouterr().err
    assert f"{tree / 'b.py'}: not fixed: changed since it was read" in err
    assert "fixed 6 finding(s) in 3 file(s); 1 file(s) could not be fixed" in err


def test_a_file_deleted_during_the_run_stays_deleted(tree: Path, at_replace, capsys) -> None:
    at_replace("c.py", os.unlink)
    assert fix([tree]) == 1
    assert sorted(contents(tree)) == ["a.py", "b.py", "d.py"]  # no temp file either
    assert set(contents(tree).values()) == {WRITER_FIXED}
    err = capsys.readouterr().err
    assert f"{tree / 'c.py'}: not fixed: deleted since it was read; not recreated" in err


def test_a_failing_write_is_reported_and_later_files_are_still_fixed(
        tree: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    real_replace = os.replace

    def replace(src, dst) -> None:
        if os.path.basename(dst) == "b.py":
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    assert fix([tree]) == 1
    after = contents(tree)
    assert after["b.py"] == WRITER
    assert after["a.py"] == after["c.py"] == after["d.py"] == WRITER_FIXED
    assert sorted(after) == list(NAMES)
    err = capsys.readouterr().err
    assert f"{tree / 'b.py'}: not fixed: cannot write: No space left on device" in err
    assert "1 file(s) could not be fixed" in err


def test_a_directory_that_refuses_the_temp_file_is_reported(
        tree: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert fix([tree / "a.py", tree / "b.py"]) == 1
    err = capsys.readouterr().err
    assert f"{tree / 'a.py'}: not fixed: cannot write: Permission denied" in err
    assert f"{tree / 'b.py'}: not fixed: cannot write: Permission denied" in err


def test_a_read_only_file_is_skipped_unless_forced(tree: Path, capsys) -> None:
    (tree / "b.py").chmod(0o444)
    assert fix([tree]) == 1
    assert (tree / "b.py").read_bytes() == WRITER
    assert (tree / "d.py").read_bytes() == WRITER_FIXED
    assert f"{tree / 'b.py'}: not fixed: read-only" in capsys.readouterr().err
    assert main(["fix", "--force", "-j", "1", str(tree / "b.py")]) == 0
    assert (tree / "b.py").read_bytes() == WRITER_FIXED
    assert stat.S_IMODE((tree / "b.py").stat().st_mode) == 0o444


def test_a_hard_linked_file_is_skipped_with_a_message(tree: Path, capsys) -> None:
    os.link(tree / "b.py", tree / "twin.py")
    assert fix([tree / "b.py", tree / "a.py"]) == 1
    assert (tree / "b.py").read_bytes() == (tree / "twin.py").read_bytes() == WRITER
    assert (tree / "a.py").read_bytes() == WRITER_FIXED
    assert f"{tree / 'b.py'}: not fixed: has 2 hard links" in capsys.readouterr().err


def test_owner_group_and_extended_attributes_are_kept(tree: Path) -> None:
    target = tree / "a.py"
    try:
        os.chown(target, 4321, 4322)
    except PermissionError:
        pytest.skip("this process may not give files away (not root)")
    try:
        os.setxattr(target, "user.checksum", b"abc")
    except (OSError, AttributeError):
        pytest.skip("no user extended attributes here")
    assert fix([target]) == 0
    assert target.read_bytes() == WRITER_FIXED
    status = target.stat()
    assert (status.st_uid, status.st_gid) == (4321, 4322)
    assert os.getxattr(target, "user.checksum") == b"abc"


# A fix run in a real process, killed with SIGKILL once the temporary file of `b.py` is
# complete: the worst moment, with data on disk that is not yet the file.
KILLED_RUN = textwrap.dedent("""\
    import os, signal, sys
    from lint_rules.config import Config
    from lint_rules.fixer import durable_io
    from lint_rules.fixer.command import run

    def kill(path):
        if os.path.basename(path) == "b.py":
            os.kill(os.getpid(), signal.SIGKILL)

    durable_io.before_replace = kill
    run([sys.argv[1]], Config(), diff=False, check=False, jobs=1)
""")


def test_a_run_killed_while_writing_leaves_whole_files_and_the_next_run_cleans_up(
        tree: Path, capsys) -> None:
    killed = subprocess.run([sys.executable, "-c", KILLED_RUN, str(tree)],
                            capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    after = contents(tree)
    assert after["a.py"] == WRITER_FIXED  # written before the kill
    assert after["b.py"] == after["c.py"] == WRITER  # whole, not half-written
    [temp] = [name for name in after if name.endswith(TEMP_SUFFIX)]
    assert temp.startswith(".b.py.")
    assert fix([tree]) == 0
    after = contents(tree)
    assert sorted(after) == list(NAMES)
    assert set(after.values()) == {WRITER_FIXED}
    assert f"{tree / temp}: removed, left by an interrupted run" in capsys.readouterr().err


def test_diff_and_check_remove_nothing(tree: Path) -> None:
    stale = tree / f".a.py.999999999.abcdefgh{TEMP_SUFFIX}"
    stale.write_text("")
    assert run([str(tree)], Config(), diff=False, check=True, jobs=1) == 1
    assert stale.exists()


def test_an_immutable_file_is_reported_and_later_files_are_still_fixed(
        tree: Path, capsys) -> None:
    target = tree / "b.py"
    made = subprocess.run(["chattr", "+i", str(target)], capture_output=True) \
        if shutil.which("chattr") else None
    if made is None or made.returncode != 0:
        pytest.skip("cannot make a file immutable here (chattr, root, file system)")
    try:
        assert fix([tree]) == 1
        assert fix([target], force=True) == 1  # forced, the rename itself is refused
        assert target.read_bytes() == WRITER
    finally:
        subprocess.run(["chattr", "-i", str(target)], check=True)
    after = contents(tree)
    assert after["a.py"] == after["c.py"] == after["d.py"] == WRITER_FIXED
    assert sorted(after) == list(NAMES)
    err = capsys.readouterr().err
    assert f"{target}: not fixed: not writable by this user" in err
    assert f"{target}: not fixed: cannot write: Operation not permitted" in err
