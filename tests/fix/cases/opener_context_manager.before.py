import contextlib
import os


@contextlib.contextmanager
def open_tmp(path):
    with open(path, "w", encoding="utf-8") as fh:
        yield fh


def save_text(path, text):
    tmp = path + ".tmp"
    with open_tmp(tmp) as out:
        out.write(text)
    os.replace(tmp, path)
