# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): DUR105, temp files created outside the
# destination's directory and renamed into it. The writes here are otherwise durable.

# case: mkstemp-in-default-tmpdir
import json
import os
import tempfile


def save_state(path, state):
    fd, tmp = tempfile.mkstemp(suffix=".json")  # DUR105@14
    with os.fdopen(fd, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: mkstemp-dir-keyword
import json
import os
import tempfile


def save_state(path, state):
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(suffix=".json", dir=directory)
    with os.fdopen(fd, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dfd = os.open(directory, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: mkstemp-dir-third-positional
import os
import tempfile


def save_bytes(path, data):
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(".bin", "state-", directory)
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(directory, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: mkstemp-two-positionals-no-dir
import os
import tempfile


def save_bytes(path, data):
    fd, tmp = tempfile.mkstemp(".bin", "state-")  # DUR105
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: mkstemp-imported-by-name-no-dir
import os
import shutil
from tempfile import mkstemp


def save_bytes(path, data):
    fd, tmp = mkstemp()  # DUR105
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    shutil.move(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: ntf-in-default-tmpdir
import json
import os
import tempfile


def save_state(path, state):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:  # DUR105@9
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(fh.name, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: ntf-dir-keyword
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
    os.fsync(dfd)
    os.close(dfd)

# case: ntf-six-positionals-no-dir
import json
import os
import tempfile


def save_state(path, state):
    with tempfile.NamedTemporaryFile(  # DUR105
        "w", -1, "utf-8", None, ".tmp", "state-", delete=False
    ) as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(fh.name, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: mkdtemp-and-path-join
import json
import os
import tempfile


def save_state(path, state):
    staging = tempfile.mkdtemp()  # DUR105@14
    tmp = os.path.join(staging, "state.json")
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)
    os.rmdir(staging)

# case: mkdtemp-join-inline-and-move
import json
import os
import shutil
import tempfile


def save_state(path, state):
    staging = tempfile.mkdtemp(prefix="save-")  # DUR105
    with open(os.path.join(staging, "state.json"), "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    shutil.move(os.path.join(staging, "state.json"), path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)
    shutil.rmtree(staging)

# case: mkdtemp-with-pathlib-join
import json
import os
import tempfile
from pathlib import Path


def save_state(path: Path, state):
    staging = Path(tempfile.mkdtemp())  # DUR105
    tmp = staging / "state.json"
    with tmp.open("w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    dfd = os.open(path.parent, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: mkdtemp-dir-keyword
import json
import os
import tempfile


def save_state(path, state):
    directory = os.path.dirname(path)
    staging = tempfile.mkdtemp(dir=directory)
    tmp = os.path.join(staging, "state.json")
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dfd = os.open(directory, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: mkdtemp-dir-third-positional
import json
import os
import tempfile


def save_state(path, state):
    directory = os.path.dirname(path)
    staging = tempfile.mkdtemp(None, ".staging-", directory)
    tmp = os.path.join(staging, "state.json")
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dfd = os.open(directory, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: scratch-mkdtemp-never-renamed
import os
import shutil
import subprocess
import tempfile


def build(sources):
    workdir = tempfile.mkdtemp()
    try:
        with open(os.path.join(workdir, "main.c"), "w") as fh:
            fh.write(sources)
        subprocess.run(["cc", "main.c"], cwd=workdir, check=True)
    finally:
        shutil.rmtree(workdir)

# case: mkstemp-no-arguments-then-os-rename
import os
import tempfile


def save_bytes(path, data):
    fd, tmp = tempfile.mkstemp()  # DUR105
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.rename(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)

# case: tempdir-moved-file-written-by-a-subprocess
import json
import os
import shutil
import subprocess
import sys
from tempfile import TemporaryDirectory


def run_hook(request, destination):
    with TemporaryDirectory() as d:
        request_file = os.path.join(d, "request.json")
        reply_file = os.path.join(d, "reply.json")
        with open(request_file, "w") as fh:
            json.dump(request, fh)
        subprocess.run([sys.executable, "-m", "hook", d], check=True)
        shutil.move(reply_file, destination)

# case: tempdir-moved-file-written-here
import json
import os
import shutil
from tempfile import TemporaryDirectory


def save_state(state, destination):
    with TemporaryDirectory() as d:  # DUR105
        scratch = os.path.join(d, "scratch.json")
        reply_file = os.path.join(d, "reply.json")
        with open(scratch, "w") as fh:
            json.dump(state, fh)
        with open(reply_file, "w") as fh:  # DUR101
            json.dump(state, fh)
        shutil.move(reply_file, destination)  # DUR102
