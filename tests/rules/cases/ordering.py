# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): textual order decides: an fsync only counts
# after the last write and before the rename; a directory fsync only after the rename.

# case: fsync-before-a-later-write
import os


def save_report(path, header, body):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        fh.write(header)
        fh.flush()
        os.fsync(fh.fileno())
        fh.write(body)
    os.replace(tmp, path)  # DUR102

# case: fsync-before-a-later-dump
import json
import os


def save_state(path, meta, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(meta, fh)
        fh.flush()
        os.fsync(fh.fileno())
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102

# case: fsync-after-rename-raw-fd
import os


def save_bytes(path, data):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)  # DUR101
    os.write(fd, data)
    os.replace(tmp, path)  # DUR102
    os.fsync(fd)
    os.close(fd)

# case: fsync-after-rename-bare-handle
import os


def save_text(path, text):
    tmp = path + ".tmp"
    fh = open(tmp, "w")  # DUR101
    fh.write(text)
    fh.flush()
    os.replace(tmp, path)  # DUR102
    os.fsync(fh.fileno())
    fh.close()

# case: fsync-of-destination-is-not-a-dir-sync
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

# case: dir-fsync-before-rename-does-not-count
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)
    os.replace(tmp, path)  # DUR102

# case: dir-helper-before-rename-does-not-count
import json
import os


def _fsync_dir(path):
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    _fsync_dir(path)
    os.replace(tmp, path)  # DUR102

# case: configured-dir-helper-before-rename-does-not-count
# config: durable-dir-sync-helpers=storage.sync_dir
import json
import os

import storage


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    storage.sync_dir(path)
    os.replace(tmp, path)  # DUR102

# case: rename-inside-with-after-sync
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
        os.replace(tmp, path)  # DUR102

# case: reopened-for-append-after-sync
import os


def save_report(path, header, body):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(header)
        fh.flush()
        os.fsync(fh.fileno())
    with open(tmp, "a") as fh:  # DUR101
        fh.write(body)
    os.replace(tmp, path)  # DUR102

# case: two-files-one-synced-one-dir-sync
import json
import os


def save_pair(directory, index, blob):
    data_path = os.path.join(directory, "data.bin")
    index_path = os.path.join(directory, "index.json")
    with open(data_path + ".tmp", "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    with open(index_path + ".tmp", "w") as fh:  # DUR101
        json.dump(index, fh)
    os.replace(data_path + ".tmp", data_path)
    os.replace(index_path + ".tmp", index_path)
    dfd = os.open(directory, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: fsync-of-another-file-does-not-count
import json
import os


def save_state(path, log_path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh, open(log_path, "a") as log:  # DUR101@9
        json.dump(state, fh)
        log.write("saved\n")
        log.flush()
        os.fsync(log.fileno())
    os.replace(tmp, path)  # DUR102

# case: backup-rename-before-write
import json
import os


def save_state(path, state):
    if os.path.exists(path):
        os.replace(path, path + ".bak")
    with open(path, "w") as fh:
        json.dump(state, fh)

# case: rename-then-dir-sync-in-finally
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.replace(tmp, path)
    finally:
        dfd = os.open(os.path.dirname(path), os.O_RDONLY)
        os.fsync(dfd)
        os.close(dfd)
