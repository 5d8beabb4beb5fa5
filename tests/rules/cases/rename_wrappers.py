# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): renames done by the module's own wrappers,
# chains of them, keyword arguments, durable wrappers, and configured rename helpers.

# case: wrapper-called-after-unsynced-write
import json
import os


def replace_file(src, dst):
    os.replace(src, dst)


def save(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    replace_file(tmp, path)  # DUR102@4

# case: wrapper-after-synced-write-only-misses-the-directory
import json
import os


def replace_file(src, dst):
    os.replace(src, dst)


def save(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    replace_file(tmp, path)  # DUR102

# case: chain-of-wrappers
import os


def _rename(a, b):
    os.rename(a, b)


def publish(src, dst):
    _rename(src, dst)


def save(path, data):
    with open(path + ".new", "wb") as fh:  # DUR101
        fh.write(data)
    publish(path + ".new", path)  # DUR102

# case: keyword-arguments-to-the-wrapper
import os


def replace_file(src, dst):
    os.replace(src=src, dst=dst)


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:  # DUR101
        fh.write(data)
    replace_file(dst=path, src=tmp)  # DUR102

# case: durable-wrapper-owns-the-directory-sync
import os


def durable_replace(src, dst):
    os.replace(src, dst)
    fd = os.open(os.path.dirname(dst), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:  # DUR101
        fh.write(data)
    durable_replace(tmp, path)

# case: wrapper-that-syncs-the-file-before-renaming
import os


def commit(src, dst):
    fd = os.open(src, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(src, dst)


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    commit(tmp, path)  # DUR102

# case: wrapper-with-windows-fallback
import os
import sys


def replace_file(src, dst):
    if sys.platform == "win32" and os.path.exists(dst):
        os.remove(dst)
        os.rename(src, dst)
    else:
        os.replace(src, dst)


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    replace_file(path + ".tmp", path)  # DUR102

# case: wrapper-renaming-a-file-the-caller-did-not-write
import os


def replace_file(src, dst):
    os.replace(src, dst)


def rotate(path):
    replace_file(path, path + ".1")

# case: method-wrapper-on-self
import os


class Store:
    def _replace(self, src, dst):
        os.replace(src, dst)

    def save(self, data):
        tmp = self.path + ".tmp"
        with open(tmp, "wb") as fh:  # DUR101
            fh.write(data)
        self._replace(tmp, self.path)  # DUR102

# case: wrapper-with-path-conversions
import os
from pathlib import Path


def replace_file(src, dst):
    Path(src).replace(str(dst))


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:  # DUR101
        fh.write(data)
    replace_file(tmp, path)  # DUR102

# case: wrapper-that-does-the-whole-protocol-owns-its-findings
import os


def atomic_write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:  # DUR101
        fh.write(data)
    os.replace(tmp, path)  # DUR102


def save(path, data):
    atomic_write(path, data)

# case: recursive-wrapper-reaches-a-fixpoint
import os


def replace_file(src, dst, tries=3):
    try:
        os.replace(src, dst)
    except PermissionError:
        if tries:
            replace_file(src, dst, tries - 1)


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    replace_file(path + ".tmp", path)  # DUR102

# case: callable-passed-to-a-retry-helper
import os


def retry(func, *args):
    for _ in range(3):
        try:
            return func(*args)
        except PermissionError:
            pass


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    retry(os.replace, path + ".tmp", path)  # DUR102

# case: retry-helper-given-something-else-stays-silent
import os


def retry(func, *args):
    return func(*args)


def save(path, data):
    with open(path + ".tmp", "wb") as fh:
        fh.write(data)
    retry(print, path + ".tmp", path)

# case: configured-rename-helper
# config: durable-rename-helpers=fsutil.replace_file
import fsutil


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    fsutil.replace_file(path + ".tmp", path)  # DUR102

# case: configured-durable-rename-helper
# config: durable-rename-helpers=fsutil.replace_file:durable
import fsutil


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    fsutil.replace_file(path + ".tmp", path)

# case: unknown-callee-is-never-a-finding
import json
import vendor


def save(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
    vendor.replace_file(tmp, path)

# case: own-rename-wrapper-handed-to-a-retry-helper
import os


def replace_file(src, dst):
    os.replace(src, dst)


def retry(func, *args):
    return func(*args)


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    retry(replace_file, path + ".tmp", path)  # DUR102

# case: own-durable-rename-handed-to-a-retry-helper
import os


def durable_replace(src, dst):
    os.replace(src, dst)
    fd = os.open(os.path.dirname(dst), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def retry(func, *args):
    return func(*args)


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    retry(durable_replace, path + ".tmp", path)
