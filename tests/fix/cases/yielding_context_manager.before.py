import contextlib
import os


@contextlib.contextmanager
def atomic_write(path):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        yield fh
    os.replace(tmp, path)
