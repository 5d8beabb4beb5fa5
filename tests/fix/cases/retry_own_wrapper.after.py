import os


def replace_file(src, dst):
    os.replace(src, dst)


def retry(func, *args):
    for attempt in range(3):
        try:
            return func(*args)
        except PermissionError:
            if attempt == 2:
                raise


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


def save(path, data):
    with open(path + ".tmp", "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    retry(replace_file, path + ".tmp", path)
    _fsync_parent_dir(path)
