"""How this tool writes files itself: the protocol it enforces, and nothing of the user's lost.

`replace_file` puts the fixed text in place of a file the fixer read:

- only if the file is still what was read (same inode, size and mtime_ns, then the same
  bytes), checked once more right before the rename: an edit saved meanwhile is never
  overwritten, and a file deleted meanwhile is not brought back (`Skipped`);
- not if it is read-only (unless forced) or has other hard links, which a replace would
  split off (`Skipped`);
- through a temporary file in the same directory that gets the data, the owner and group
  (where this process may set them), the permission bits and the extended attributes, is
  fsynced, renamed over the file, and followed by an fsync of the directory.

Temporary files are named `.<name>.<pid>.<random>.durable-writes.tmp` (git-ignore
`*.durable-writes.tmp`), are removed on every error, and `remove_stale_temps` removes those
that a killed run left: only names of this pattern whose process is gone.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

TEMP_SUFFIX = ".durable-writes.tmp"
_TEMP_NAME = re.compile(r"\..+\.(?P<pid>[0-9]+)\.[a-z0-9_]+" + re.escape(TEMP_SUFFIX))
# Where a process cannot be asked whether it lives (Windows), a temp file this old is stale.
_STALE_AGE_SECONDS = 24 * 3600

# Called with the target's real path once its temporary file is complete, right before the
# last check and the rename. Tests use it to edit, delete or kill at exactly that point.
before_replace: Callable[[str], None] | None = None


class Skipped(Exception):
    """The file was deliberately left as it is; the message says why."""


@dataclass(frozen=True)
class Original:
    """What the fixer read: the bytes and the status of the file they came from."""

    data: bytes
    status: os.stat_result


def replace_file(path: str, data: bytes, original: Original, *, force: bool = False) -> None:
    """Replace the file at `path` (a symbolic link is followed and stays a link) with `data`,
    if it is still `original`; raises Skipped, or OSError when the write fails."""
    real = os.path.realpath(path)
    status = _unchanged(real, original)
    _check_replaceable(status, real, force)
    directory, name = os.path.split(real)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.{os.getpid()}.",
                               suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            _copy_metadata(real, status, fh.fileno())
            os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace(real)
        # The window between this last look and the rename is a few system calls wide.
        _unchanged(real, original)
        os.replace(tmp, real)
    except BaseException:
        _remove(tmp)
        raise
    fsync_directory(directory)


def _unchanged(path: str, original: Original) -> os.stat_result:
    """The file's status now, if it is still what was read; else Skipped."""
    before = original.status
    try:
        now = os.stat(path)
    except FileNotFoundError:
        raise Skipped("deleted since it was read; not recreated") from None
    if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
        raise Skipped("replaced by another file since it was read; left as it is")
    if (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise Skipped("changed since it was read; left as it is (run fix again)")
    with open(path, "rb") as fh:
        if fh.read(len(original.data) + 1) != original.data:
            raise Skipped("changed since it was read; left as it is (run fix again)")
    return now


def _check_replaceable(status: os.stat_result, path: str, force: bool) -> None:
    if status.st_nlink > 1:
        raise Skipped(f"has {status.st_nlink} hard links, which a rewrite would split apart; "
                      "left as it is")
    if force:
        return
    if not status.st_mode & 0o222:
        raise Skipped(f"read-only (mode {stat.S_IMODE(status.st_mode):o}); left as it is "
                      "(--force rewrites read-only files)")
    if not os.access(path, os.W_OK):  # another user's file, or an immutable one
        raise Skipped("not writable by this user; left as it is "
                      "(--force rewrites read-only files)")


def _copy_metadata(path: str, status: os.stat_result, fd: int) -> None:
    """Give the temporary file the original's owner, group, mode and extended attributes.

    Owner first: chown clears the set-user-ID and set-group-ID bits that chmod then restores.
    An owner this process may not give (not root) falls back to keeping the group, and then to
    the process's own: the data matters more than who owns it.
    """
    if hasattr(os, "fchown"):
        for uid, gid in ((status.st_uid, status.st_gid), (-1, status.st_gid)):
            try:
                os.fchown(fd, uid, gid)
                break
            except PermissionError:
                continue
    os.chmod(fd, stat.S_IMODE(status.st_mode))
    _copy_xattrs(path, fd)


def _copy_xattrs(path: str, fd: int) -> None:
    """Extended attributes (user.*, and security.* or ACLs where allowed), where the OS and
    file system have them; one that cannot be set is left out rather than stopping the fix."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(path)
    except OSError:
        return  # ENOTSUP: the file system has none
    for name in names:
        try:
            os.setxattr(fd, name, os.getxattr(path, name))
        except OSError:
            continue


def remove_stale_temps(directory: str) -> list[str]:
    """Remove this tool's temporary files that a killed run left in `directory`; returns
    their paths. A file of a run still going (its pid is alive) is left alone."""
    removed = []
    try:
        names = os.listdir(directory or ".")
    except OSError:
        return removed
    for name in names:
        match = _TEMP_NAME.fullmatch(name)
        if match is None:
            continue
        path = os.path.join(directory, name)
        try:
            status = os.lstat(path)
            if stat.S_ISREG(status.st_mode) and _stale(int(match["pid"]), status):
                os.unlink(path)
                removed.append(path)
        except OSError:
            continue  # gone already (another run cleaned up), or not ours to remove
    return removed


def _stale(pid: int, status: os.stat_result) -> bool:
    if pid == os.getpid():
        return False
    if os.name != "posix":
        return time.time() - status.st_mtime > _STALE_AGE_SECONDS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # a live process of another user
    return False


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            raise


def fsync_directory(directory: str) -> None:
    """Persist a rename in `directory`; skipped where directories cannot be fsynced."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a directory; the file is already in place.
    try:
        os.fsync(fd)
    except OSError:
        pass  # Some network and FUSE file systems refuse it (EINVAL, ENOTSUP).
    finally:
        os.close(fd)
