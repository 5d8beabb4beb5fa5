# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): regressions for gaps found on real code:
# a handle's `.name` as the rename source, a handle bound in one arm of an `if`, a mkstemp
# that only reserves a name, and temp directories made outside the destination's.

# case: name-of-a-plain-open-handle
import os


def save(path, data):
    fh = open(path + ".tmp", "wb")  # DUR101
    fh.write(data)
    fh.close()
    os.replace(fh.name, path)  # DUR102

# case: name-of-a-with-handle-through-an-alias
import os


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
        tmp = fh.name
    os.replace(tmp, path)  # DUR102

# case: name-of-a-path-open-handle
import os
from pathlib import Path


def save(path: Path, text):
    with path.with_suffix(".tmp").open("w") as fh:  # DUR101
        fh.write(text)
    tmp = fh.name
    os.replace(tmp, path)  # DUR102

# case: handle-bound-in-one-arm-of-an-if
import os


def save(path, data, binary):
    tmp = path + ".tmp"
    if binary:
        fh = open(tmp, "wb")  # DUR101
    else:
        fh = open(tmp, "w", encoding="utf-8")  # DUR101
    fh.write(data)
    fh.close()
    os.replace(tmp, path)  # DUR102

# case: handle-bound-in-one-arm-only
import os
import sys


def save(path, data):
    tmp = path + ".tmp"
    if path == "-":
        fh = sys.stdout
    else:
        fh = open(tmp, "w")  # DUR101
    fh.write(data)
    if fh is not sys.stdout:
        fh.close()
        os.replace(tmp, path)  # DUR102

# case: mkstemp-that-only-reserves-a-name
import os
import subprocess
import tempfile


def render(path):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    os.close(fd)
    os.remove(tmp)
    subprocess.run(["render", "-o", tmp], check=True)
    os.replace(tmp, path)

# case: mkstemp-written-through-its-fd-still-counts
import os
import tempfile


def save(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))  # DUR101
    os.write(fd, data)
    os.close(fd)
    os.replace(tmp, path)  # DUR102

# case: mkdtemp-without-dir-file-moved-out
import os
import shutil
import tempfile


def save(path, data):
    workdir = tempfile.mkdtemp()  # DUR105
    tmp = os.path.join(workdir, "out.bin")
    with open(tmp, "wb") as fh:  # DUR101
        fh.write(data)
    shutil.move(tmp, path)  # DUR102
    shutil.rmtree(workdir)

# case: temporary-directory-without-dir-file-moved-out
import os
import tempfile


def save(path, data):
    with tempfile.TemporaryDirectory() as workdir:  # DUR105
        tmp = os.path.join(workdir, "out.bin")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # DUR102

# case: temporary-directory-with-dir-is-fine
import os
import tempfile


def save(path, data):
    with tempfile.TemporaryDirectory(dir=os.path.dirname(path)) as workdir:
        tmp = os.path.join(workdir, "out.bin")
        with open(tmp, "wb") as fh:  # DUR101
            fh.write(data)
        os.replace(tmp, path)  # DUR102

# case: temp-directory-moved-file-written-by-someone-else
import os
import shutil
import subprocess
import tempfile


def build(path):
    with tempfile.TemporaryDirectory() as workdir:
        subprocess.run(["make", "-C", workdir], check=True)
        shutil.move(os.path.join(workdir, "out.bin"), path)

# case: renamed-within-the-temp-directory
import os
import tempfile


def stage(data):
    workdir = tempfile.mkdtemp()
    a = os.path.join(workdir, "a")
    with open(a, "wb") as fh:  # DUR101
        fh.write(data)
    os.replace(a, os.path.join(workdir, "b"))  # DUR102
