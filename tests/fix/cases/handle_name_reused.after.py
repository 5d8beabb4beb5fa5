import json
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


def save_pair(directory, index, data):
    index_path = os.path.join(directory, "index.json")
    data_path = os.path.join(directory, "data.bin")
    with open(data_path + ".tmp", "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(data_path + ".tmp", data_path)
    _fsync_parent_dir(data_path)
    with open(index_path + ".tmp", "w") as fh:
        json.dump(index, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(index_path + ".tmp", index_path)
    _fsync_parent_dir(index_path)
