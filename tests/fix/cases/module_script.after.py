"""Regenerate index.json from the names given on the command line."""
import json
import os
import sys

entries = sorted(sys.argv[1:])
tmp = "index.json.tmp"
with open(tmp, "w") as fh:
    json.dump(entries, fh)
    fh.flush()
    os.fsync(fh.fileno())


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


os.replace(tmp, "index.json")
_fsync_parent_dir("index.json")
print("wrote", len(entries), "entries")
