import os
import tempfile
from pathlib import Path


def _fsync_dir(path):
    fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_text(dest: Path, text):
    with tempfile.NamedTemporaryFile("w", delete=False, dir=os.path.dirname(os.path.abspath(dest))) as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    Path(fh.name).replace(dest)
    _fsync_dir(dest)
