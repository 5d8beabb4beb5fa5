# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): generator context managers that create the temp
# file, `yield` it to the caller (who writes), and rename it afterwards.

# case: yield-handle-unsynced
import contextlib
import os


@contextlib.contextmanager
def atomic_write(path):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        yield fh
    os.replace(tmp, path)  # DUR102

# case: yield-then-sync-fully-durable
import contextlib
import os


@contextlib.contextmanager
def atomic_write(path):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: sync-before-yield-does-not-count
import contextlib
import os


@contextlib.contextmanager
def atomic_write(path, header):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        fh.write(header)
        fh.flush()
        os.fsync(fh.fileno())
        yield fh
    os.replace(tmp, path)  # DUR102

# case: ntf-yield
import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_write(path):
    directory = os.path.dirname(path)
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False) as fh:  # DUR101
        yield fh
    os.replace(fh.name, path)  # DUR102

# case: mkstemp-fdopen-yield-with-cleanup
import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_write(path):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "w") as fh:  # DUR101
            yield fh
        os.replace(tmp, path)  # DUR102
    except BaseException:
        os.unlink(tmp)
        raise

# case: async-context-manager
import contextlib
import os


@contextlib.asynccontextmanager
async def atomic_write(path):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:  # DUR101
        yield fh
    os.replace(tmp, path)  # DUR102

# case: mode-parameter-defaulting-to-write
import contextlib
import os


@contextlib.contextmanager
def atomic_write(path, mode="w"):
    tmp = path + ".tmp"
    with open(tmp, mode) as fh:  # DUR101
        yield fh
    os.replace(tmp, path)  # DUR102

# case: yield-synced-by-file-helper
import contextlib
import os


def _fsync_file(fh):
    fh.flush()
    os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_write(path):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        yield fh
        _fsync_file(fh)
    os.replace(tmp, path)  # DUR102

# case: publish-only-context-manager
import contextlib
import os


@contextlib.contextmanager
def publishing(tmp, path):
    yield tmp
    os.replace(tmp, path)
