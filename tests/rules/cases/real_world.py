# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): shapes met in popular packages, each once
# misjudged by the engine (a missed site, a false positive, or a fix that synced nothing).

# case: open-on-a-raw-fd
import os
import tempfile


def atomic_write(path, data, mode="wb"):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with open(fd, mode) as fp:  # DUR101
        fp.write(data)
    os.replace(tmp, path)  # DUR102

# case: fdopen-with-a-mode-parameter
import os
import tempfile


def atomic_write(path, text, mode):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    fp = os.fdopen(fd, mode)  # DUR101
    fp.write(text)
    fp.close()
    os.replace(tmp, path)  # DUR102

# case: inline-os-open-under-fdopen
import os


def write(tmp, path, text):
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as fh:  # DUR101
        fh.write(text)
    os.replace(tmp, path)  # DUR102

# case: temp-closed-empty-then-copied
import os
import shutil
import tempfile


def copy_in(source, target):
    with tempfile.NamedTemporaryFile(dir=os.path.dirname(target), delete=False) as tmp:
        temp_path = tmp.name
    shutil.copy2(source, temp_path)  # DUR101
    os.replace(temp_path, target)  # DUR102

# case: temp-filled-by-sqlite
import os
import sqlite3
import tempfile


def create(directory, db_path):
    fd, tmp = tempfile.mkstemp(dir=directory)
    os.close(fd)
    with sqlite3.connect(tmp) as db:
        db.execute("CREATE TABLE t (x)")
    os.replace(tmp, db_path)  # DUR102

# case: written-in-either-branch
import os


def save(path, a, b):
    if a:
        fh = open(path + ".tmp", "w")  # DUR101
        fh.write(a)
        fh.close()
    else:
        fh = open(path + ".tmp", "w")  # DUR101
        fh.write(b)
        fh.close()
    os.replace(path + ".tmp", path)  # DUR102

# case: written-in-either-branch-one-synced
import os


def save(path, a, b):
    if a:
        fh = open(path + ".tmp", "w")
        fh.write(a)
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
    else:
        fh = open(path + ".tmp", "w")  # DUR101
        fh.write(b)
        fh.close()
    os.replace(path + ".tmp", path)  # DUR102

# case: appended-in-one-branch-renamed-in-another
import os


def start_log(logfname, logmode):
    if logmode == "append":
        logfile = open(logfname, "a")
    elif logmode == "backup":
        os.rename(logfname, logfname + "~")
        logfile = open(logfname, "w")
    return logfile

# case: sync-helper-without-flush
import os


def sync_file(fn):
    os.fdatasync(fn)


def patch(path, text):
    new_file = path + ".new"
    with open(new_file, "w") as fn:
        fn.write(text)
        sync_file(fn)  # DUR103
    os.replace(new_file, path)
    dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: sentinel-before-the-alias
import json
import tempfile
from pathlib import Path


def save(d, obj):
    tmp: Path | None = None
    try:
        with tempfile.NamedTemporaryFile("w", dir=d, delete=False) as fh:  # DUR101
            tmp = Path(fh.name)
            json.dump(obj, fh)
        tmp.replace(d / "x.json")  # DUR102
    except OSError:
        if tmp is not None:
            tmp.unlink()

# case: annotated-alias
import os
import tempfile
from pathlib import Path


def write(path: Path, text: str) -> None:
    fd, name = tempfile.mkstemp(dir=path.parent)
    tmp: Path = Path(name)
    with os.fdopen(fd, "w") as fh:  # DUR101
        fh.write(text)
    tmp.replace(path)  # DUR102

# case: reopened-read-only-to-fsync
import os
from pathlib import Path


def rewrite(tmp: Path, dst: Path, text: str) -> None:
    tmp.write_text(text)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dst)  # DUR102

# case: zip-written-on-exit
import os
import tempfile
import zipfile


def build(target, files):
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target))
    with os.fdopen(fd, "w+b") as fh, zipfile.ZipFile(fh, "w") as zf:  # DUR101
        for name, data in files.items():
            zf.writestr(name, data)
    os.replace(temp, target)  # DUR102
