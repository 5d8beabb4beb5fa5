# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): module-level names bound to a rename
# function: plain aliases, getattr fallbacks, partials, decorators applied by hand.

# case: plain-alias
import os

replace = os.replace


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    replace(path + ".tmp", path)  # DUR102

# case: getattr-fallback
import os

safe_rename = getattr(os, "replace", os.rename)


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:  # DUR101
        fh.write(data)
    safe_rename(tmp, path)  # DUR102

# case: getattr-of-something-else-is-no-rename
import os

safe_open = getattr(os, "open")


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    safe_open(tmp, path)

# case: functools-partial
import functools
import os

replace = functools.partial(os.replace)


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    replace(path + ".tmp", path)  # DUR102

# case: partial-imported-by-name
import os
from functools import partial

move = partial(os.rename)


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    move(path + ".tmp", path)  # DUR102

# case: retry-decorator-applied-by-hand
import os

from tenacity import retry, stop_after_attempt

_replace = retry(stop=stop_after_attempt(3))(os.replace)


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    _replace(path + ".tmp", path)  # DUR102

# case: fallback-in-try-except
import os

try:
    replace = os.replace
except AttributeError:
    replace = os.rename


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    replace(path + ".tmp", path)  # DUR102

# case: alias-of-an-alias
import os

_rename = os.rename
rename = _rename


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    rename(path + ".tmp", path)  # DUR102

# case: alias-used-with-a-synced-write-and-a-directory-sync
import os

replace = os.replace


def _fsync_dir(path):
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(path, data):
    with open(path + ".tmp", "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    replace(path + ".tmp", path)
    _fsync_dir(path)

# case: shutil-move-alias
import shutil

mv = shutil.move


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
    mv(path + ".tmp", path)  # DUR102

# case: module-alias-of-fsync-is-a-sync
import os
import sys
import tempfile

flush_to_disk = os.fsync
if sys.platform == "darwin":
    import fcntl

    def flush_to_disk(fd):
        fcntl.fcntl(fd, fcntl.F_FULLFSYNC)


def save(path, data, *args, **kwargs):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, *args, **kwargs) as fh:
        fh.write(data)
        fh.flush()
        flush_to_disk(fd)
    os.replace(tmp, path)  # DUR102

# case: module-alias-of-fdatasync-is-a-sync
import os

datasync = os.fdatasync


def save(path, data):
    with open(path + ".tmp", "wb") as fh:
        fh.write(data)
        fh.flush()
        datasync(fh.fileno())
    os.replace(path + ".tmp", path)  # DUR102

# case: module-alias-of-something-else-is-no-sync
import os

sync = os.stat


def save(path, data):
    with open(path + ".tmp", "wb") as fh:  # DUR101
        fh.write(data)
        fh.flush()
        sync(fh.fileno())
    os.replace(path + ".tmp", path)  # DUR102
