import os
import shutil
import tempfile
import zipfile


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


def build(target, files):
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target))
    with os.fdopen(fd, "w+b") as fh, zipfile.ZipFile(fh, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    _fsync_file(temp)
    os.replace(temp, target)
    _fsync_parent_dir(target)


def copy_in(source, target):
    with tempfile.NamedTemporaryFile(dir=os.path.dirname(target), delete=False) as tmp:
        temp_path = tmp.name
    shutil.copyfile(source, temp_path)
    _fsync_file(temp_path)
    os.replace(temp_path, target)
    _fsync_parent_dir(target)
