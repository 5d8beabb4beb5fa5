import gzip
import os


def save_log(path, data):
    tmp = path + ".tmp"
    with gzip.open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
