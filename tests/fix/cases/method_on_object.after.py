import os


class FilePath:
    def __init__(self, path):
        self.path = path

    def sibling(self, suffix):
        return FilePath(self.path + suffix)

    def open(self, mode="r"):
        return open(self.path, mode + "b")


class LocalFS:
    def write_to(self, path, data):
        with open(path, "wb") as fh:
            fh.write(data)

    def move(self, src, dst):
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


def set_content(dest: FilePath, content):
    tmp = dest.sibling(".tmp")
    with tmp.open("w") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp.path, dest.path)
    _fsync_parent_dir(dest.path)


def _fsync_file(path):
    """Flush the data of the file at `path` to disk."""
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(path, data):
    fs = LocalFS()
    fs.write_to(path + ".tmp", data)
    _fsync_file(path + ".tmp")
    fs.move(path + ".tmp", path)
    _fsync_parent_dir(path)
