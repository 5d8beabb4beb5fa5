import os
import tempfile


def adjacent_tmp_file(path):
    fd, name = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)))
    return os.fdopen(fd, "wb"), name


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


def save_bytes(path, data):
    fh, tmp = adjacent_tmp_file(path)
    with fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_parent_dir(path)
