import os
import tempfile


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


def atomic_write(path, data, mode="wb"):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with open(fd, mode) as fp:
        fp.write(data)
        fp.flush()
        os.fsync(fp.fileno())
    os.replace(tmp, path)
    _fsync_parent_dir(path)


def atomic_write_text(path, text, mode):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    fp = os.fdopen(fd, mode)
    fp.write(text)
    fp.flush()
    os.fsync(fp.fileno())
    fp.close()
    os.replace(tmp, path)
    _fsync_parent_dir(path)
