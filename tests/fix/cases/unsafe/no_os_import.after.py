from os import fdopen, fsync, replace
import os
from tempfile import mkstemp


def save_bytes(path, data):
    fd, tmp = mkstemp(dir=os.path.dirname(os.path.abspath(path)))
    with fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        fsync(fh.fileno())
    replace(tmp, path)
    dfd = open_dir(path)
    fsync(dfd)


def open_dir(path):
    from os import O_RDONLY, open as os_open
    from os.path import abspath, dirname

    return os_open(dirname(abspath(path)), O_RDONLY)
