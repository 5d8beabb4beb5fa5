import functools
import os

safe_rename = getattr(os, "replace", os.rename)
publish = functools.partial(os.replace)


def save_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
    safe_rename(tmp, path)


def save_bytes(path, data):
    with open(path + ".part", "wb") as fh:
        fh.write(data)
    publish(path + ".part", path)
