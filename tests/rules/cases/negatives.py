# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): code that must stay silent: string replace,
# renames of files this function did not write, reads, and writers that are already durable.

# case: str-replace-on-written-path
def save_report(path, html):
    with open(path, "w") as fh:
        fh.write(html)
    return path.replace(".html", ".pdf")

# case: str-replace-of-tmp-name
import json


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
    return tmp.replace(".tmp", "")

# case: str-replace-with-count
def write_slug(path, title):
    slug = title.lower().replace(" ", "-", 8)
    with open(path, "w") as fh:
        fh.write(slug)

# case: log-rotation-renames
import os


def rotate(log_path, keep):
    for i in range(keep - 1, 0, -1):
        src = f"{log_path}.{i}"
        if os.path.exists(src):
            os.rename(src, f"{log_path}.{i + 1}")
    os.rename(log_path, f"{log_path}.1")

# case: move-downloaded-file
import shutil


def install(downloaded, target):
    shutil.move(downloaded, target)

# case: validate-then-publish-upload
import json
import os


def publish_upload(tmp, path):
    with open(tmp, "rb") as fh:
        json.load(fh)
    os.replace(tmp, path)

# case: read-text-then-rename
import os


def archive_if_done(path):
    with open(path, encoding="utf-8") as fh:
        done = fh.read().strip() == "done"
    if done:
        os.rename(path, path + ".archived")

# case: rename-of-path-written-in-another-function
import json
import os


def write_tmp(tmp, state):
    with open(tmp, "w") as fh:
        json.dump(state, fh)


def publish(tmp, path):
    os.replace(tmp, path)

# case: write-without-rename
import json


def save_state(path, state):
    with open(path, "w") as fh:
        json.dump(state, fh)

# case: pandas-rename-columns
import pandas as pd


def export(frame: pd.DataFrame, path):
    frame = frame.rename(columns={"ts": "timestamp"})
    with open(path, "w") as fh:
        frame.to_csv(fh)

# case: durable-with-open-fail-safe-dir-sync
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    try:
        dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)

# case: durable-mkstemp-with-helpers
import os
import pickle
import tempfile


def _fsync_dir(path):
    fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def dump(path, obj):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    _fsync_dir(path)

# case: durable-raw-fd
import os


def save_bytes(path, data):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: durable-pathlib
import os
from pathlib import Path


def save_text(path: Path, text):
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: durable-named-temporary-file
import json
import os
import tempfile


def save_state(path, state):
    directory = os.path.dirname(path) or "."
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False) as fh:
        json.dump(state, fh)
        fh.flush()
        os.fdatasync(fh.fileno())
    os.replace(fh.name, path)
    dfd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: durable-class-with-helper-methods
import json
import os


class StateFile:
    def __init__(self, path):
        self.path = path
        self.tmp_path = path + ".tmp"

    def _fsync_parent(self, path):
        fd = os.open(os.path.dirname(path), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def save(self, state):
        with open(self.tmp_path, "w") as fh:
            json.dump(state, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(self.tmp_path, self.path)
        self._fsync_parent(self.path)

# case: module-constant-paths-read-and-moved
import shutil

INBOX = "/var/spool/inbox/job.json"
DONE = "/var/spool/done/job.json"

with open(INBOX) as fh:
    job = fh.read()
shutil.move(INBOX, DONE)
