import contextlib
import os


@contextlib.contextmanager
def open_tmp(path):
    with open(path, "w", encoding="utf-8") as fh:
        yield fh


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
    with open_tmp(tmp) as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    _fsync_parent_dir(path)
