"""How this tool writes files itself: the protocol it enforces."""
from __future__ import annotations

import os
import tempfile


def write_durably(path: str, data: bytes) -> None:
    """Replace `path` with `data` atomically and durably, keeping the file's permissions.

    A symbolic link is followed, so the link stays a link; a hard link does not survive (the
    file is a new inode, as with any atomic replace).
    """
    path = os.path.realpath(path)
    directory = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else None
    fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    fsync_directory(directory)


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
