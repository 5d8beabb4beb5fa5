# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): files written through a raw descriptor from
# `os.open` with write flags, and fds reopened from a path to fsync it.

# case: os-open-write-close
import os


def save_bytes(path, data):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)  # DUR101@9
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: os-open-fsynced
import os


def save_bytes(path, data):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: os-open-fdatasync-fully-durable
import os


def save_bytes(path, data):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fdatasync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: read-only-fd-is-not-a-write
import os


def publish_if_json(tmp, path):
    fd = os.open(tmp, os.O_RDONLY)
    try:
        head = os.read(fd, 1)
    finally:
        os.close(fd)
    if head == b"{":
        os.replace(tmp, path)

# case: exclusive-create-flags
import os


def save_lock_state(path, data):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)  # DUR101
    os.write(fd, data)
    os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: read-write-flag
import os
import shutil


def patch_header(path, header):
    tmp = path + ".tmp"
    shutil.copyfile(path, tmp)
    fd = os.open(tmp, os.O_RDWR)  # DUR101
    os.pwrite(fd, header, 0)
    os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: append-flag
import os
import shutil


def append_record(path, record):
    tmp = path + ".tmp"
    shutil.copyfile(path, tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_APPEND)  # DUR101
    os.write(fd, record)
    os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: os-open-then-fdopen
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102

# case: reopen-path-and-fsync
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: os-module-alias
import os as _os


def save_bytes(path, data):
    tmp = path + ".tmp"
    fd = _os.open(tmp, _os.O_WRONLY | _os.O_CREAT | _os.O_TRUNC)  # DUR101
    _os.write(fd, data)
    _os.close(fd)
    _os.replace(tmp, path)  # DUR102

# case: flags-imported-from-os
import os
from os import O_CREAT, O_TRUNC, O_WRONLY


def save_bytes(path, data):
    tmp = path + ".tmp"
    fd = os.open(tmp, O_WRONLY | O_CREAT | O_TRUNC)  # DUR101
    os.write(fd, data)
    os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: os-open-flags-from-a-local-variable
import os


def save(path, data):
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
    tmp = path + ".tmp"
    fd = os.open(tmp, flags, 0o600)  # DUR101
    os.write(fd, data)
    os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: os-open-read-flags-from-a-local-variable
import os


def save(path, data):
    flags = os.O_RDONLY
    tmp = path + ".tmp"
    fd = os.open(tmp, flags)
    os.close(fd)
    os.replace(tmp, path)
