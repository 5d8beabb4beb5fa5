# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): the same path under another spelling: the
# standard conversions and the module's own one-line converters.

# case: own-converter-to-bytes
import os


def to_bytes(path):
    return os.fsencode(path)


def save(path, data):
    tmp = path + ".tmp"
    with open(to_bytes(tmp), "wb") as fh:  # DUR101
        fh.write(data)
    os.replace(tmp, path)  # DUR102

# case: converter-with-a-conditional
import os


def _b(path):
    """As bytes."""
    return path.encode() if isinstance(path, str) else path


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:  # DUR101
        fh.write(data)
    os.replace(_b(tmp), _b(path))  # DUR102

# case: converter-that-changes-the-path-is-another-file
import os


def backup_name(path):
    return path + ".bak"


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(backup_name(tmp), path)

# case: fspath-and-path-of-the-temp
import os
from pathlib import Path


def save(path, data):
    tmp = Path(path + ".tmp")
    with open(os.fspath(tmp), "wb") as fh:  # DUR101
        fh.write(data)
    os.replace(str(tmp), path)  # DUR102
