import os
import tempfile


def adjacent_tmp_file(path):
    fd, name = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)))
    return os.fdopen(fd, "wb"), name


def save_bytes(path, data):
    fh, tmp = adjacent_tmp_file(path)
    with fh:
        fh.write(data)
    os.replace(tmp, path)
