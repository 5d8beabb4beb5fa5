import os
import sys


def main(argv):
    return "\n".join(argv) + "\n"


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


if __name__ == "__main__":
    out = sys.argv[1]
    with open(out + ".tmp", "w") as fh:
        fh.write(main(sys.argv[2:]))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(out + ".tmp", out)
    _fsync_parent_dir(out)
