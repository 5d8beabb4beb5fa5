# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): methods called on objects other than `self`,
# judged by their class's summary where the source says which class the object is.

# case: write-helper-method-on-a-constructed-object
import json
import os


class Store:
    def write_to(self, path, obj):
        with open(path, "w") as fh:
            json.dump(obj, fh)


def save(path, obj):
    store = Store()
    tmp = path + ".tmp"
    store.write_to(tmp, obj)  # DUR101
    os.replace(tmp, path)  # DUR102

# case: rename-wrapper-method-on-an-annotated-parameter
import os


class LocalFS:
    def rename(self, src, dst):
        os.replace(src, dst)


def save(fs: LocalFS, path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    fs.rename(tmp, path)  # DUR102

# case: durable-rename-method-owns-the-directory-sync
import os


class LocalFS:
    def rename(self, src, dst):
        os.replace(src, dst)
        fd = os.open(os.path.dirname(dst) or ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save(fs: "LocalFS | None", path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    fs.rename(tmp, path)

# case: receiver-held-in-a-self-attribute
import os


class LocalFS:
    def move(self, src, dst):
        os.rename(src, dst)


class Saver:
    def __init__(self):
        self.fs = LocalFS()

    def save(self, path, data):
        with open(path + ".part", "wb") as fh:  # DUR101
            fh.write(data)
        self.fs.move(path + ".part", path)  # DUR102

# case: opener-method-on-a-returned-sibling
import os


class FilePath:
    def __init__(self, path):
        self.path = path

    def clone(self, path):
        return FilePath(path)

    def temporary_sibling(self):
        sib = self.clone(self.path + ".tmp")
        return sib

    def open(self, mode="r"):
        return open(self.path, mode + "b")

    def create(self):
        return open(self.path, "xb")

    def set_content(self, content):
        sib = self.temporary_sibling()
        with sib.create() as f:  # DUR101
            f.write(content)
        os.replace(sib.path, self.path)  # DUR102

# case: opener-method-whose-mode-the-caller-passes
import os


class FilePath:
    def __init__(self, path):
        self.path = path

    def open(self, mode="r"):
        if self.exclusive:
            return self.create()
        return open(self.path, mode.replace("b", "") + "b")

    def create(self):
        fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_RDWR)
        return os.fdopen(fd, "w+b")


def publish(tmp: FilePath, dst):
    with tmp.open("w") as f:  # DUR101
        f.write(b"data")
    os.replace(tmp.path, dst)  # DUR102


def move_after_reading(done: FilePath, dst):
    # Read with the default mode, then moved away: nothing was written here.
    with done.open() as f:
        f.read()
    os.replace(done.path, dst)

# case: unknown-receivers-stay-unknown
import os


class Store:
    def write_to(self, path, obj):
        with open(path, "w") as fh:
            fh.write(obj)


def from_a_parameter(store, path, obj):
    store.write_to(path + ".tmp", obj)
    os.replace(path + ".tmp", path)


def bound_two_ways(stores, path, obj):
    for store in stores:
        store.write_to(path + ".tmp", obj)
    os.replace(path + ".tmp", path)


def from_a_function(make, path, obj):
    store = make()
    store.write_to(path + ".tmp", obj)
    os.replace(path + ".tmp", path)

# case: method-of-the-receivers-own-class-not-a-namesake
import os


class Reader:
    def fetch(self, path, obj):
        with open(path) as fh:
            return fh.read()


class Writer:
    def fetch(self, path, obj):
        with open(path, "w") as fh:
            fh.write(obj)


def refresh(path, obj):
    reader = Reader()
    reader.fetch(path + ".tmp", obj)
    os.replace(path + ".tmp", path)

# case: helper-writing-through-an-opener-method-still-writes-its-parameter
import os


class FilePath:
    def __init__(self, path):
        self.path = path

    def open(self, mode="r"):
        return open(self.path, mode)


def write_into(dest: FilePath, data):
    with dest.open("w") as fh:
        fh.write(data)


def save(tmp: FilePath, path):
    write_into(tmp, "data")  # DUR101
    os.replace(tmp, path)  # DUR102

# case: opener-method-passing-the-callers-mode-to-open
import os


class FilePath:
    def __init__(self, path):
        self.path = path

    def open(self, mode="r"):
        return open(self.path, mode + "b")


def write(tmp: FilePath, dst):
    with tmp.open("w") as f:  # DUR101
        f.write(b"data")
    os.replace(tmp.path, dst)  # DUR102


def read_then_move(tmp: FilePath, dst):
    with tmp.open() as f:
        f.read()
    os.replace(tmp.path, dst)


def read_explicitly_then_move(tmp: FilePath, dst):
    with tmp.open(mode="r") as f:
        f.read()
    os.replace(tmp.path, dst)
