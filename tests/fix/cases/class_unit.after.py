import os


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


class AtomicFile:
    def __init__(self, path):
        self.path = path
        self.tmp_path = path + ".tmp"
        self.fh = open(self.tmp_path, "w")

    def write(self, text):
        self.fh.write(text)

    def commit(self):
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp_path, self.path)
        _fsync_parent_dir(self.path)
