import os

# Where the state lives.
STATE = "state.txt"


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
    # Write next to the destination, then swap it in.
    tmp = path + ".tmp"

    with open(tmp, "w") as fh:  # text mode: newlines translated
        fh.write(text)  # the whole document
        fh.flush()
        os.fsync(fh.fileno())

    # Publish it.
    os.replace(tmp, path)  # atomic on POSIX
    _fsync_parent_dir(path)

    return path
