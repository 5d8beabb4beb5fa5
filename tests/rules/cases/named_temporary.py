# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): `tempfile.NamedTemporaryFile(delete=False)`,
# whose path is `fh.name` (or a name assigned from it).

# case: ntf-renamed-by-fh-name
import json
import os
import tempfile


def save_state(path, state):
    directory = os.path.dirname(path)
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False) as fh:  # DUR101@9
        json.dump(state, fh)
    os.replace(fh.name, path)  # DUR102

# case: ntf-name-alias
import json
import os
import tempfile


def save_state(path, state):
    with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path), delete=False) as fh:  # DUR101
        tmp = fh.name
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102

# case: ntf-synced
import json
import os
import tempfile


def save_state(path, state):
    with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path), delete=False) as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(fh.name, path)  # DUR102

# case: ntf-fully-durable
import json
import os
import tempfile


def save_state(path, state):
    directory = os.path.dirname(path)
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False) as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(fh.name, path)
    dfd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: ntf-without-dir
import json
import shutil
import tempfile


def save_state(path, state):
    with tempfile.NamedTemporaryFile("w", delete=False) as fh:  # DUR101 DUR105
        json.dump(state, fh)
    shutil.move(fh.name, path)  # DUR102

# case: ntf-default-binary-mode
import os
import pickle
import tempfile


def dump(path, obj):
    with tempfile.NamedTemporaryFile(dir=os.path.dirname(path), delete=False) as fh:  # DUR101
        pickle.dump(obj, fh)
    os.replace(fh.name, path)  # DUR102

# case: from-tempfile-import-ntf
import json
import os
from tempfile import NamedTemporaryFile


def save_state(path, state):
    directory = os.path.dirname(path)
    with NamedTemporaryFile(mode="w", dir=directory, suffix=".json", delete=False) as fh:  # DUR101
        json.dump(state, fh)
    os.replace(fh.name, path)  # DUR102

# case: ntf-dir-as-seventh-positional
import json
import os
import tempfile


def save_state(path, state):
    directory = os.path.dirname(path)
    with tempfile.NamedTemporaryFile(  # DUR101
        "w", -1, "utf-8", None, ".tmp", "state-", directory, delete=False
    ) as fh:
        json.dump(state, fh)
    os.replace(fh.name, path)  # DUR102

# case: ntf-bare-handle
import os
import tempfile


def save_blob(path, blob):
    fh = tempfile.NamedTemporaryFile("wb", dir=os.path.dirname(path), delete=False)  # DUR101
    try:
        fh.write(blob)
    finally:
        fh.close()
    os.replace(fh.name, path)  # DUR102

# case: ntf-name-through-path-replace
import json
import tempfile
from pathlib import Path


def save_state(path: Path, state):
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as fh:  # DUR101
        json.dump(state, fh)
    Path(fh.name).replace(path)  # DUR102

# case: ntf-deleted-on-close-is-scratch
import subprocess
import tempfile


def render(template, context):
    with tempfile.NamedTemporaryFile("w", suffix=".html") as fh:
        fh.write(template.format(**context))
        fh.flush()
        subprocess.run(["tidy", "-m", fh.name], check=True)
