# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): files written in `with open(...)` blocks and
# renamed, every write mode, the path expressions that match, and the fsyncs that count.

# case: json-dump-then-replace
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101@9
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102@4

# case: durable-json-writer
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: file-synced-but-no-dir-sync
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # DUR102

# case: dir-synced-but-file-not
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: pickle-binary-mode
import os
import pickle


def dump_cache(path, cache):
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as fh:  # DUR101
        pickle.dump(cache, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # DUR102

# case: append-mode
import os
import shutil


def append_and_publish(path, lines):
    tmp = path + ".new"
    shutil.copyfile(path, tmp)
    with open(tmp, "a") as fh:  # DUR101
        fh.writelines(lines)
    os.replace(tmp, path)  # DUR102

# case: exclusive-create-mode
import os


def save_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "x", encoding="utf-8") as fh:  # DUR101
        fh.write(text)
    os.replace(tmp, path)  # DUR102

# case: update-mode-r-plus
import os
import shutil


def bump_counter(path):
    tmp = path + ".tmp"
    shutil.copyfile(path, tmp)
    with open(tmp, "r+") as fh:  # DUR101
        count = int(fh.read() or 0)
        fh.seek(0)
        fh.write(str(count + 1))
        fh.truncate()
    os.replace(tmp, path)  # DUR102

# case: mode-keyword
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, mode="w", encoding="utf-8") as fh:  # DUR101
        json.dump(state, fh, indent=2)
    os.replace(tmp, path)  # DUR102

# case: io-open
import io
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with io.open(tmp, "w", encoding="utf-8") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102

# case: fstring-path-expression
import json
import os


def save_state(path, state):
    with open(f"{path}.tmp", "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(f"{path}.tmp", path)  # DUR102

# case: concatenated-path-expression
import json
import os


def save_state(path, state):
    with open(path + ".tmp", "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(path + ".tmp", path)  # DUR102

# case: alias-assigned-once
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    staged = tmp
    os.replace(staged, path)  # DUR102

# case: str-wrapper-on-rename
import json
import os
from pathlib import Path


def save_state(path: Path, state):
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(str(tmp), str(path))  # DUR102

# case: fspath-wrapper-on-rename
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(os.fspath(tmp), path)  # DUR102

# case: path-wrapper-on-open
import json
import os
from pathlib import Path


def save_state(path, state):
    tmp = path + ".tmp"
    with open(Path(tmp), "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102

# case: fsync-through-fileno-variable
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        fd = fh.fileno()
        os.fsync(fd)
    os.replace(tmp, path)  # DUR102

# case: fdatasync-counts
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fdatasync(fh.fileno())
    os.replace(tmp, path)  # DUR102

# case: fsync-of-file-object
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh)
    os.replace(tmp, path)  # DUR102

# case: second-item-of-with
import os


def rewrite_upper(src_path, path):
    tmp = path + ".tmp"
    with open(src_path) as src, open(tmp, "w") as dst:  # DUR101@32
        for line in src:
            dst.write(line.upper())
    os.replace(tmp, path)  # DUR102

# case: write-lines-in-loop
import json
import os


def save_rows(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    os.replace(tmp, path)  # DUR102

# case: multiline-open-call
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(  # DUR101
        tmp,
        "w",
        encoding="utf-8",
    ) as fh:
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102
