# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): `tempfile.mkstemp`, written through
# `os.fdopen` (reported at the fdopen) or through `os.write` on the fd (reported at mkstemp).

# case: mkstemp-fdopen-json
import json
import os
import tempfile


def save_state(path, state):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as fh:  # DUR101@9
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102

# case: mkstemp-fdopen-synced
import json
import os
import tempfile


def save_state(path, state):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # DUR102

# case: mkstemp-os-write
import os
import tempfile


def save_bytes(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))  # DUR101@14
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: mkstemp-os-write-fully-durable
import os
import tempfile


def save_bytes(path, data):
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: from-tempfile-import-mkstemp
import os
import pickle
from tempfile import mkstemp


def dump(path, obj):
    fd, tmp = mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:  # DUR101
        pickle.dump(obj, fh)
    os.replace(tmp, path)  # DUR102

# case: mkstemp-without-dir-fdopen
import json
import os
import shutil
import tempfile


def save_state(path, state):
    fd, tmp = tempfile.mkstemp()  # DUR105
    with os.fdopen(fd, "w") as fh:  # DUR101
        json.dump(state, fh)
    shutil.move(tmp, path)  # DUR102

# case: mkstemp-without-dir-os-write
import os
import tempfile


def save_bytes(path, payload):
    fd, tmp = tempfile.mkstemp(suffix=".json")  # DUR101 DUR105
    os.write(fd, payload)
    os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: fdopen-bare-handle
import os
import tempfile


def save_text(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    fh = os.fdopen(fd, "w")  # DUR101
    fh.write(text)
    fh.close()
    os.rename(tmp, path)  # DUR102

# case: mkstemp-scratch-file-not-renamed
import os
import subprocess
import tempfile


def run_script(script):
    fd, tmp = tempfile.mkstemp(suffix=".sh")
    with os.fdopen(fd, "w") as fh:
        fh.write(script)
    try:
        subprocess.run(["sh", tmp], check=True)
    finally:
        os.unlink(tmp)

# case: import-os-as-alias-fdopen
import json
import os as _os
import tempfile


def save_state(path, state):
    fd, tmp = tempfile.mkstemp(dir=_os.path.dirname(path))
    with _os.fdopen(fd, "w") as fh:  # DUR101
        json.dump(state, fh)
    _os.replace(tmp, path)  # DUR102

# case: fd-name-rebound-once-the-file-object-owns-it
import os
import tempfile


def save(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "w") as fh:  # DUR101
            fd = -1
            fh.write(text)
        os.replace(tmp, path)  # DUR102
    finally:
        if fd != -1:
            os.close(fd)

# case: fd-name-rebound-after-a-synced-file-object
import os
import tempfile


def save(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as fh:
        fd = -1
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # DUR102

# case: mkstemp-wrapper-forwarding-its-arguments
import os
import tempfile

try:
    from os import rename
except ImportError:
    rename = None


def _make_temp(*args, **kw):
    saved = os.umask(0o077)
    try:
        return tempfile.mkstemp(*args, **kw)
    finally:
        os.umask(saved)


def extract(data, target):
    fd, tmp = _make_temp(".part", dir=os.path.dirname(target))  # DUR101
    os.write(fd, data)
    os.close(fd)
    try:
        rename(tmp, target)  # DUR102
    except OSError:
        os.unlink(target)
        rename(tmp, target)  # DUR102

# case: mkstemp-wrapper-without-dir
import os
import tempfile


def _make_temp(*args, **kw):
    return tempfile.mkstemp(*args, **kw)


def extract(data, target):
    fd, tmp = _make_temp(".part")  # DUR101 DUR105
    os.write(fd, data)
    os.close(fd)
    os.replace(tmp, target)  # DUR102

# case: mkstemp-wrapper-synced-by-the-caller
import os
import tempfile


def _make_temp(*args, **kw):
    return tempfile.mkstemp(*args, **kw)


def extract(data, target):
    fd, tmp = _make_temp(".part", dir=os.path.dirname(target))
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.replace(tmp, target)  # DUR102

# case: wrapper-choosing-its-own-mkstemp-arguments-is-no-forwarder
import os
import tempfile


def _make_temp(suffix):
    fd, tmp = tempfile.mkstemp(suffix)
    os.close(fd)
    return tmp


def extract(data, target):
    tmp = _make_temp(".part")
    with open(tmp, "wb") as fh:  # DUR101
        fh.write(data)
    os.replace(tmp, target)  # DUR102
