import gzip
import os


def _fsync_file(path):
    """Flush the data of the file at `path` to disk."""
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


def save_log(path, data):
    tmp = path + ".tmp"
    with gzip.open(tmp, "wb") as fh:
        fh.write(data)
    _fsync_file(tmp)
    os.replace(tmp, path)
    _fsync_parent_dir(path)
