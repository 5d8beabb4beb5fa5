# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): a class is one unit for its `self.`
# attributes: opened for writing in one method, renamed in another.

# case: handle-opened-in-init-renamed-in-commit
import os


class AtomicFile:
    def __init__(self, path):
        self.path = path
        self.tmp_path = path + ".tmp"
        self.fh = open(self.tmp_path, "w")  # DUR101

    def write(self, text):
        self.fh.write(text)

    def commit(self):
        self.fh.close()
        os.replace(self.tmp_path, self.path)  # DUR102

# case: fsync-in-another-method-counts
import os


class AtomicFile:
    def __init__(self, path):
        self.path = path
        self.tmp_path = path + ".tmp"
        self.fh = open(self.tmp_path, "w")

    def write(self, text):
        self.fh.write(text)

    def sync(self):
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def commit(self):
        self.fh.close()
        os.replace(self.tmp_path, self.path)  # DUR102

# case: directory-synced-after-the-rename-in-its-method
import os


class AtomicFile:
    def __init__(self, path):
        self.path = path
        self.tmp_path = path + ".tmp"
        self.fh = open(self.tmp_path, "w")  # DUR101

    def write(self, text):
        self.fh.write(text)

    def commit(self):
        self.fh.close()
        os.replace(self.tmp_path, self.path)
        fd = os.open(os.path.dirname(self.path), os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)

# case: temp-from-mkstemp-in-init
import os
import tempfile


class Checkpoint:
    def __init__(self, path):
        self.path = path
        fd, self.name = tempfile.mkstemp(dir=os.path.dirname(path))
        self.out = os.fdopen(fd, "wb")  # DUR101

    def add(self, data):
        self.out.write(data)

    def finish(self):
        self.out.close()
        os.replace(self.name, self.path)  # DUR102

# case: log-rotation-is-no-publish
import os


class Log:
    def __init__(self, path):
        self.path = path
        self.fh = open(self.path, "a")

    def write(self, line):
        self.fh.write(line)

    def rotate(self):
        self.fh.close()
        os.rename(self.path, self.path + ".1")
        self.fh = open(self.path, "a")

# case: opened-but-never-written-in-any-method
import os


class Reserve:
    def __init__(self, path):
        self.path = path
        self.tmp = path + ".tmp"
        self.fh = open(self.tmp, "w")

    def commit(self):
        self.fh.close()
        os.replace(self.tmp, self.path)  # DUR102

# case: handle-written-and-renamed-in-one-method-is-not-doubled
import os


class Store:
    def save(self, data):
        self.tmp = self.path + ".tmp"
        with open(self.tmp, "wb") as fh:  # DUR101
            fh.write(data)
        os.replace(self.tmp, self.path)  # DUR102

    def reset(self):
        os.replace(self.tmp, self.path + ".old")  # DUR102

# case: class-level-staticmethod-aliases-of-os-functions
import os


class Delivery:
    osopen = staticmethod(os.open)
    oswrite = staticmethod(os.write)
    osclose = staticmethod(os.close)
    osrename = staticmethod(os.rename)

    def __init__(self, folder):
        self.folder = folder

    def start(self):
        self.tmpname = os.path.join(self.folder, "tmp", "msg")
        self.fd = self.osopen(self.tmpname, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)  # DUR101

    def feed(self, data):
        self.oswrite(self.fd, data)

    def finish(self):
        self.osclose(self.fd)
        self.osrename(self.tmpname, os.path.join(self.folder, "new", "msg"))  # DUR102

# case: class-level-alias-of-fsync-counts
import os


class Delivery:
    osrename = os.rename
    ossync = staticmethod(os.fsync)

    def start(self, folder):
        self.tmpname = os.path.join(folder, "msg.tmp")
        self.fd = os.open(self.tmpname, os.O_WRONLY | os.O_CREAT, 0o600)

    def feed(self, data):
        os.write(self.fd, data)

    def finish(self, target):
        self.ossync(self.fd)
        os.close(self.fd)
        self.osrename(self.tmpname, target)  # DUR102

# case: class-attribute-of-something-else-is-no-alias
import os


class Delivery:
    osopen = staticmethod(os.stat)
    osrename = staticmethod(os.path.join)

    def start(self, folder):
        self.tmpname = os.path.join(folder, "msg.tmp")
        self.fd = self.osopen(self.tmpname)

    def finish(self, target):
        self.osrename(self.tmpname, target)

# case: handle-attribute-opened-with-attribute-mode-and-flags
import os

_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL


def swap(src, dst):
    os.rename(src, dst)


class Saver:
    def __init__(self, path, text=False):
        self.dest_path = path
        self.part_path = path + ".part"
        self.mode = "w+" if text else "w+b"
        self.open_flags = _FLAGS
        self.part_file = None

    def _open(self):
        fd = os.open(self.part_path, self.open_flags, 0o600)
        self.part_file = os.fdopen(fd, self.mode)

    def __enter__(self):
        self._open()
        return self.part_file

    def __exit__(self, *exc):
        self.part_file.flush()
        os.fsync(self.part_file.fileno())
        self.part_file.close()
        swap(self.part_path, self.dest_path)  # DUR102

# case: handle-attribute-opened-with-a-read-attribute-mode
import os


def swap(src, dst):
    os.rename(src, dst)


class Loader:
    def __init__(self, path):
        self.dest_path = path
        self.part_path = path + ".part"
        self.mode = "rb"
        self.open_flags = os.O_RDONLY

    def _open(self):
        fd = os.open(self.part_path, self.open_flags)
        self.part_file = os.fdopen(fd, self.mode)

    def finish(self):
        self.part_file.close()
        swap(self.part_path, self.dest_path)
