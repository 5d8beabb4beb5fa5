import json
import os


def replace_file(src, dst):
    """Rename, retrying once where another process holds the destination open."""
    try:
        os.replace(src, dst)
    except PermissionError:
        os.replace(src, dst)


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


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    replace_file(tmp, path)
    _fsync_parent_dir(path)
