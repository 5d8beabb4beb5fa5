# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): pathlib writers (`Path.open`, `write_text`,
# `write_bytes`) and pathlib renames (`Path.replace`, `Path.rename` with one argument).

# case: write-text-then-path-replace
import json
from pathlib import Path


def save_state(path: Path, state):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))  # DUR101@4
    tmp.replace(path)  # DUR102@4

# case: write-bytes-then-os-replace
import os
import pickle
from pathlib import Path


def dump(path: Path, obj):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(pickle.dumps(obj))  # DUR101
    os.replace(tmp, path)  # DUR102

# case: path-open-in-with
import json
from pathlib import Path


def save_state(path: Path, state):
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as fh:  # DUR101@9
        json.dump(state, fh)
    tmp.replace(path)  # DUR102

# case: path-open-mode-keyword-and-rename
import pickle
from pathlib import Path


def dump(path: Path, obj):
    tmp = path.with_suffix(".tmp")
    with tmp.open(mode="wb") as fh:  # DUR101
        pickle.dump(obj, fh)
    tmp.rename(path)  # DUR102

# case: path-open-fully-durable
import json
import os
from pathlib import Path


def save_state(path: Path, state):
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: path-open-read-mode
import json
from pathlib import Path


def publish_if_valid(tmp: Path, path: Path):
    with tmp.open() as fh:
        json.load(fh)
    tmp.replace(path)

# case: pathlib-module-import
import pathlib


def save_text(directory, name, text):
    tmp = pathlib.Path(directory) / (name + ".tmp")
    tmp.write_text(text, encoding="utf-8")  # DUR101
    tmp.rename(pathlib.Path(directory) / name)  # DUR102

# case: path-wrapper-around-string-tmp
import os
from pathlib import Path


def save_text(path: str, text):
    tmp = path + ".tmp"
    Path(tmp).write_text(text)  # DUR101
    os.replace(tmp, path)  # DUR102

# case: write-text-synced-by-reopening-path
import os
from pathlib import Path


def save_text(path: Path, text):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(path)  # DUR102

# case: write-text-without-rename
from pathlib import Path


def save_note(path: Path, text):
    path.write_text(text)
