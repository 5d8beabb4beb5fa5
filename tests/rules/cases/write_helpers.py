# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): helpers that open a parameter for writing
# and write it (the call is a write site in the caller), and the standard library's writers
# by path (gzip, bz2, lzma, zipfile, tarfile).

# case: write-helper-then-rename
import json
import os


def write_json(path, obj):
    with open(path, "w") as fh:
        json.dump(obj, fh)


def save(path, obj):
    tmp = path + ".tmp"
    write_json(tmp, obj)  # DUR101
    os.replace(tmp, path)  # DUR102

# case: synced-write-helper
import json
import os


def write_json(path, obj):
    with open(path, "w") as fh:
        json.dump(obj, fh)
        fh.flush()
        os.fsync(fh.fileno())


def save(path, obj):
    tmp = path + ".tmp"
    write_json(tmp, obj)
    os.replace(tmp, path)  # DUR102

# case: write-helper-chain-with-keyword
import os


def _write(data, target):
    with open(target, "wb") as fh:
        fh.write(data)


def write_blob(path, data):
    _write(data, target=path)


def save(path, data):
    write_blob(path + ".part", data)  # DUR101
    os.rename(path + ".part", path)  # DUR102

# case: helper-that-only-reads-is-no-write
import os


def checksum(path):
    with open(path, "rb") as fh:
        return hash(fh.read())


def promote(path):
    checksum(path + ".tmp")
    os.replace(path + ".tmp", path)

# case: helper-that-only-touches-is-no-write
import os


def touch(path):
    fd = os.open(path, os.O_CREAT | os.O_WRONLY)
    os.close(fd)


def promote(path):
    touch(path + ".tmp")
    os.replace(path + ".tmp", path)

# case: write-helper-copying-a-stream
import os
import shutil


def download(response, path):
    with open(path, "wb") as fh:
        shutil.copyfileobj(response, fh)


def fetch(response, path):
    download(response, path + ".part")  # DUR101
    os.replace(path + ".part", path)  # DUR102

# case: write-helper-writing-the-final-path-is-no-finding
import json


def write_json(path, obj):
    with open(path, "w") as fh:
        json.dump(obj, fh)


def save(path, obj):
    write_json(path, obj)

# case: gzip-open-by-path
import gzip
import os


def save(path, data):
    tmp = path + ".tmp"
    with gzip.open(tmp, "wb") as fh:  # DUR101
        fh.write(data)
    os.replace(tmp, path)  # DUR102

# case: gzip-read-is-no-write
import gzip
import os


def promote(path):
    with gzip.open(path + ".tmp") as fh:
        fh.read()
    os.replace(path + ".tmp", path)

# case: gzipfile-on-a-handle-is-the-handle-write
import gzip
import os


def save(path, data):
    with open(path + ".tmp", "wb") as raw:  # DUR101
        with gzip.GzipFile(fileobj=raw, mode="wb") as fh:
            fh.write(data)
    os.replace(path + ".tmp", path)  # DUR102

# case: zipfile-by-path
import os
import zipfile


def build(path, members):
    with zipfile.ZipFile(path + ".tmp", "w") as zf:  # DUR101
        for name, data in members.items():
            zf.writestr(name, data)
    os.replace(path + ".tmp", path)  # DUR102

# case: tarfile-by-path
import os
import tarfile


def build(path, folder):
    with tarfile.open(path + ".tmp", "w:gz") as tar:  # DUR101
        tar.add(folder)
    os.replace(path + ".tmp", path)  # DUR102

# case: bz2-and-lzma-by-path
import bz2
import lzma
import os


def save(path, data):
    with bz2.open(path + ".bz2.tmp", "wb") as fh:  # DUR101
        fh.write(data)
    os.replace(path + ".bz2.tmp", path + ".bz2")  # DUR102
    with lzma.LZMAFile(path + ".xz.tmp", "wb") as fh:  # DUR101
        fh.write(data)
    os.replace(path + ".xz.tmp", path + ".xz")  # DUR102

# case: gzip-synced-by-path-stays-silent
import gzip
import os


def _fsync_file(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path):
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(path, data):
    with gzip.open(path + ".tmp", "wb") as fh:
        fh.write(data)
    _fsync_file(path + ".tmp")
    os.replace(path + ".tmp", path)
    _fsync_dir(path)
