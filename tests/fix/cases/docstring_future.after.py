"""Settings are stored as JSON next to the program."""
from __future__ import annotations

import json
import os
from pathlib import Path


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


def save_settings(path: Path, settings: dict[str, object]) -> Path:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as fh:
        json.dump(settings, fh)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    _fsync_parent_dir(path)
    return path
