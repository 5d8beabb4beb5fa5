# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): helpers that return or yield a writable
# handle (openers); DUR101 sits at the caller's call of the opener.

# case: context-manager-opener-then-rename-in-caller
import contextlib
import os


@contextlib.contextmanager
def open_tmp(path):
    with open(path, "wb") as fh:
        yield fh


def save(path, data):
    tmp = path + ".tmp"
    with open_tmp(tmp) as fh:  # DUR101
        fh.write(data)
    os.replace(tmp, path)  # DUR102

# case: synced-context-manager-opener
import contextlib
import os


@contextlib.contextmanager
def open_tmp(path):
    with open(path, "wb") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def save(path, data):
    tmp = path + ".tmp"
    with open_tmp(tmp) as fh:
        fh.write(data)
    os.replace(tmp, path)  # DUR102

# case: opener-returning-a-plain-handle
import os


def _open_for_write(path):
    return open(path, "w", encoding="utf-8")


def save(path, text):
    fh = _open_for_write(path + ".tmp")  # DUR101
    fh.write(text)
    fh.close()
    os.replace(path + ".tmp", path)  # DUR102

# case: opener-returning-handle-and-name
import os
import tempfile


def adjacent_tmp_file(path):
    fd, name = tempfile.mkstemp(dir=os.path.dirname(path))
    return os.fdopen(fd, "wb"), name


def save(path, data):
    fh, tmp = adjacent_tmp_file(path)  # DUR101
    with fh:
        fh.write(data)
    os.replace(tmp, path)  # DUR102

# case: opener-handle-name-as-rename-source
import contextlib
import os
import tempfile


@contextlib.contextmanager
def adjacent_tmp_file(path):
    with tempfile.NamedTemporaryFile("wb", dir=os.path.dirname(path), delete=False) as fh:
        yield fh


def save(path, data):
    with adjacent_tmp_file(path) as fh:  # DUR101
        fh.write(data)
    os.replace(fh.name, path)  # DUR102

# case: opener-that-renames-itself-owns-its-findings
import contextlib
import os


@contextlib.contextmanager
def atomic_write(path):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        yield fh
    os.replace(tmp, path)  # DUR102


def save(path, text):
    with atomic_write(path) as fh:
        fh.write(text)

# case: opener-fixed-in-the-caller-stays-silent
import contextlib
import os


@contextlib.contextmanager
def open_tmp(path):
    with open(path, "wb") as fh:
        yield fh


def _fsync_dir(path):
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(path, data):
    tmp = path + ".tmp"
    with open_tmp(tmp) as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path)

# case: fsync-without-flush-of-an-opened-handle
import contextlib
import os


@contextlib.contextmanager
def open_tmp(path):
    with open(path, "wb") as fh:
        yield fh


def save(path, data):
    tmp = path + ".tmp"
    with open_tmp(tmp) as fh:
        fh.write(data)
        os.fsync(fh.fileno())  # DUR103
    os.replace(tmp, path)  # DUR102

# case: reading-opener-is-no-write
import contextlib
import os


@contextlib.contextmanager
def open_in(path):
    with open(path) as fh:
        yield fh


def promote(path):
    with open_in(path + ".tmp") as fh:
        fh.read()
    os.replace(path + ".tmp", path)

# case: configured-open-helper
# config: durable-open-helpers=iolib.open_atomic
import os

import iolib


def save(path, data):
    with iolib.open_atomic(path + ".tmp") as fh:  # DUR101
        fh.write(data)
    os.replace(path + ".tmp", path)  # DUR102

# case: opener-method-on-self
import os


class Writer:
    def _open(self, path):
        return open(path, "wb")

    def save(self, path, data):
        with self._open(path + ".tmp") as fh:  # DUR101
            fh.write(data)
        os.replace(path + ".tmp", path)  # DUR102

# case: synced-opener-through-a-cast-and-a-retried-alias
import os
from contextlib import contextmanager
from tempfile import NamedTemporaryFile
from typing import BinaryIO, cast

from tenacity import retry, stop_after_delay

_replace_retry = retry(reraise=True, stop=stop_after_delay(1))
replace = _replace_retry(os.replace)


@contextmanager
def adjacent_tmp_file(path, **kwargs):
    with NamedTemporaryFile(delete=False, dir=os.path.dirname(path), **kwargs) as f:
        result = cast(BinaryIO, f)
        try:
            yield result
        finally:
            result.flush()
            os.fsync(result.fileno())


def save(statefile_path, text):
    with adjacent_tmp_file(statefile_path) as f:
        f.write(text.encode())
    try:
        replace(f.name, statefile_path)  # DUR102
    except OSError:
        pass

# case: opener-mode-from-a-literal-annotated-parameter
import contextlib
from pathlib import Path
from typing import Literal


@contextlib.contextmanager
def atomic_write(path: Path, mode: Literal["r+b", "wb"], exclusive: bool = False):
    tmp = path.with_suffix(".partial")
    with tmp.open(mode) as fh:  # DUR101
        yield fh
    tmp.replace(path)  # DUR102


def save(path, data):
    with atomic_write(path, "wb") as fh:
        fh.write(data)

# case: opener-mode-from-a-literal-of-read-modes-is-no-write
import contextlib
import typing
from pathlib import Path


@contextlib.contextmanager
def reading(path: Path, mode: typing.Literal["r", "rb"]):
    with path.open(mode) as fh:
        yield fh
    path.replace(path.with_suffix(".seen"))

# case: opener-mode-from-an-unannotated-parameter-is-unknown
import contextlib
from pathlib import Path


@contextlib.contextmanager
def opened(path: Path, mode):
    with path.open(mode) as fh:
        yield fh
    path.replace(path.with_suffix(".seen"))
