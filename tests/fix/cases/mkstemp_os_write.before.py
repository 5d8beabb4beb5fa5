import os
import tempfile


def save_bytes(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(tmp, path)
