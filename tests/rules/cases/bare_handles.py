# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): handles kept in a variable (`fh = open(...)`)
# and closed by hand before the rename.

# case: open-write-close-replace
import os


def save_text(path, text):
    tmp = path + ".tmp"
    fh = open(tmp, "w")  # DUR101@9
    fh.write(text)
    fh.close()
    os.replace(tmp, path)  # DUR102

# case: try-finally-close
import os
import pickle


def dump(path, obj):
    tmp = path + ".tmp"
    fh = open(tmp, "wb")  # DUR101
    try:
        pickle.dump(obj, fh)
    finally:
        fh.close()
    os.replace(tmp, path)  # DUR102

# case: synced-before-close
import os


def save_text(path, text):
    tmp = path + ".tmp"
    fh = open(tmp, "w")
    fh.write(text)
    fh.flush()
    os.fsync(fh.fileno())
    fh.close()
    os.replace(tmp, path)  # DUR102

# case: fully-durable-bare-handle
import os


def save_text(path, text):
    tmp = path + ".tmp"
    fh = open(tmp, "w")
    try:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    finally:
        fh.close()
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: print-to-file
import os


def save_settings(path, settings):
    tmp = path + ".tmp"
    fh = open(tmp, "w")  # DUR101
    for key, value in sorted(settings.items()):
        print(f"{key}={value}", file=fh)
    fh.close()
    os.replace(tmp, path)  # DUR102

# case: print-to-file-then-synced
import os


def save_settings(path, settings):
    tmp = path + ".tmp"
    fh = open(tmp, "w")
    for key, value in sorted(settings.items()):
        print(f"{key}={value}", file=fh)
    fh.flush()
    os.fsync(fh.fileno())
    fh.close()
    os.replace(tmp, path)  # DUR102

# case: io-open-bare
import io
import os


def save_blob(path, blob):
    tmp = path + ".part"
    fh = io.open(tmp, "wb")  # DUR101
    fh.write(blob)
    fh.close()
    os.rename(tmp, path)  # DUR102

# case: rename-while-open-after-sync
import os


def save_text(path, text):
    tmp = path + ".tmp"
    fh = open(tmp, "w")
    fh.write(text)
    fh.flush()
    os.fsync(fh.fileno())
    os.replace(tmp, path)  # DUR102
    fh.close()

# case: bare-read-handle-is-not-a-write
import os


def publish_if_valid(tmp, path):
    fh = open(tmp, "rb")
    magic = fh.read(4)
    fh.close()
    if magic == b"\x89PNG":
        os.replace(tmp, path)
