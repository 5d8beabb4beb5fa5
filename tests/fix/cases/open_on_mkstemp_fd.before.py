import os
import tempfile


def atomic_write(path, data, mode="wb"):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with open(fd, mode) as fp:
        fp.write(data)
    os.replace(tmp, path)


def atomic_write_text(path, text, mode):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    fp = os.fdopen(fd, mode)
    fp.write(text)
    fp.close()
    os.replace(tmp, path)
