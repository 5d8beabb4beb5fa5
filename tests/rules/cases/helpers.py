# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): syncs done by helper functions: module
# functions and methods summarised by the engine, chains of them, and configured helpers.

# case: module-file-helper
import json
import os


def _fsync_file(fh):
    fh.flush()
    os.fsync(fh.fileno())


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        _fsync_file(fh)
    os.replace(tmp, path)  # DUR102

# case: module-dir-helper
import json
import os


def _fsync_dir(path):
    fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(tmp, path)
    _fsync_dir(path)

# case: both-helpers-defined-after-use
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        _fsync_file(fh)
    os.replace(tmp, path)
    _fsync_dir(path)


def _fsync_file(fh):
    fh.flush()
    os.fsync(fh.fileno())


def _fsync_dir(path):
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

# case: dir-helper-chain
import json
import os


def _fsync_dir(path):
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _after_publish(path):
    _fsync_dir(path)


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _after_publish(path)

# case: file-helper-chain-through-fd
import json
import os


def _fsync_fd(fd):
    os.fsync(fd)


def _sync_file(fh):
    fh.flush()
    _fsync_fd(fh.fileno())


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        _sync_file(fh)
    os.replace(tmp, path)  # DUR102

# case: fd-helper-on-raw-fd
import os


def _fsync_fd(fd):
    os.fsync(fd)


def save_bytes(path, data):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.write(fd, data)
    _fsync_fd(fd)
    os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: path-helper-for-file-and-directory
import os


def fsync_path(p):
    fd = os.open(p, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
    fsync_path(tmp)
    os.replace(tmp, path)
    fsync_path(os.path.dirname(path))

# case: path-helper-after-write-text
import os
from pathlib import Path


def fsync_path(p):
    fd = os.open(p, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_text(path: Path, text):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    fsync_path(tmp)
    tmp.replace(path)  # DUR102

# case: parent-helper-with-pathlib
import os
from pathlib import Path


def fsync_parent(p: Path) -> None:
    fd = os.open(p.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_text(path: Path, text):
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    fsync_parent(path)

# case: fdatasync-helper
import json
import os


def _datasync(fh):
    fh.flush()
    os.fdatasync(fh.fileno())


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        _datasync(fh)
    os.replace(tmp, path)  # DUR102

# case: methods-as-helpers
import json
import os


class Store:
    def _sync(self, fh):
        fh.flush()
        os.fsync(fh.fileno())

    def _sync_dir(self, path):
        fd = os.open(os.path.dirname(path), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def save(self, state):
        with open(self.tmp_path, "w") as fh:
            json.dump(state, fh)
            self._sync(fh)
        os.replace(self.tmp_path, self.path)
        self._sync_dir(self.path)

# case: method-helper-missing-dir-sync
import json
import os


class Store:
    def _sync(self, fh):
        fh.flush()
        os.fsync(fh.fileno())

    def save(self, state):
        with open(self.tmp_path, "w") as fh:
            json.dump(state, fh)
            self._sync(fh)
        os.replace(self.tmp_path, self.path)  # DUR102

# case: helper-that-only-flushes-is-not-a-sync
import json
import os


def _flush(fh):
    fh.flush()


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
        _flush(fh)
    os.replace(tmp, path)  # DUR102

# case: helper-that-only-logs-is-not-a-dir-sync
import json
import logging
import os

log = logging.getLogger(__name__)


def _sync_dir(path):
    log.debug("published %s", path)


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # DUR102
    _sync_dir(path)

# case: unknown-external-helper-is-not-trusted
import json
import os

from mylib import fsync_file


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
        fsync_file(fh)
    os.replace(tmp, path)  # DUR102

# case: configured-file-helper-dotted
# config: durable-file-sync-helpers=mylib.fsync_file
import json
import os

import mylib


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        mylib.fsync_file(fh)
    os.replace(tmp, path)  # DUR102

# case: configured-dir-helper-bare
# config: durable-dir-sync-helpers=sync_dir
import json
import os

from storage import sync_dir


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(tmp, path)
    sync_dir(path)

# case: configured-both-helpers
# config: durable-file-sync-helpers=mylib.fsync_file; durable-dir-sync-helpers=mylib.fsync_dir
import json
import os

import mylib


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        mylib.fsync_file(fh)
    os.replace(tmp, path)
    mylib.fsync_dir(os.path.dirname(path))

# case: configured-file-helper-given-the-path
# config: durable-file-sync-helpers=mylib.fsync_path
from pathlib import Path

import mylib


def save_text(path: Path, text):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    mylib.fsync_path(tmp)
    tmp.replace(path)  # DUR102

# case: configured-dotted-helper-imported-by-name
# config: durable-file-sync-helpers=mylib.fsync_file
import json
import os

from mylib import fsync_file


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fsync_file(fh)
    os.replace(tmp, path)  # DUR102

# case: configured-helper-for-another-name-does-not-count
# config: durable-file-sync-helpers=mylib.fsync_file
import json
import os

import mylib


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
        mylib.flush_file(fh)
    os.replace(tmp, path)  # DUR102
