import functools
import os

safe_rename = getattr(os, "replace", os.rename)
publish = functools.partial(os.replace)


def _fsync_parent_dir(path):
    """Make a rename of `path` durable: fsync its parent directory, where that is possible."""
    try:
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    except OSError:
        return  # Windows and some file systems cannot open a directory; the data is published.
    try:
        os.fsync(fd)
    except OSError:
        pass  # Some network and FUSE file systems refuse a directory fsync (EINVAL, ENOTSUP).
    finally:
        os.close(fd)


def save_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    safe_rename(tmp, path)
    _fsync_parent_dir(path)


def save_bytes(path, data):
    with open(path + ".part", "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    publish(path + ".part", path)
    _fsync_parent_dir(path)
