# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): writers inside classes, with paths and handles
# kept on `self`.

# case: self-attribute-paths
import json
import os


class StateStore:
    def __init__(self, path):
        self.path = path
        self.tmp_path = path + ".tmp"

    def save(self, state):
        with open(self.tmp_path, "w") as fh:  # DUR101
            json.dump(state, fh)
        os.replace(self.tmp_path, self.path)  # DUR102@8

# case: handle-on-self
import os


class Journal:
    def commit(self, entries):
        self.fh = open(self.tmp_path, "w")  # DUR101
        for entry in entries:
            self.fh.write(entry + "\n")
        self.fh.close()
        os.replace(self.tmp_path, self.path)  # DUR102

# case: handle-on-self-synced
import os


class Journal:
    def commit(self, entries):
        self.fh = open(self.tmp_path, "w")
        for entry in entries:
            self.fh.write(entry + "\n")
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp_path, self.path)  # DUR102

# case: durable-method
import json
import os


class StateStore:
    def save(self, state):
        with open(self.tmp_path, "w") as fh:
            json.dump(state, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(self.tmp_path, self.path)
        dfd = os.open(os.path.dirname(self.path), os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)

# case: staticmethod-writer
import os
import pickle


class Cache:
    @staticmethod
    def dump(path, obj):
        tmp = path + ".tmp"
        with open(tmp, "wb") as fh:  # DUR101
            pickle.dump(obj, fh)
        os.replace(tmp, path)  # DUR102

# case: classmethod-writer
import json
import os


class Settings:
    path = "settings.json"

    @classmethod
    def store(cls, values):
        with open(cls.path + ".tmp", "w") as fh:  # DUR101
            json.dump(values, fh)
        os.replace(cls.path + ".tmp", cls.path)  # DUR102

# case: write-and-rename-in-different-methods
import os
import pickle


class Checkpointer:
    def write(self, state):
        with open(self.tmp_path, "wb") as fh:  # DUR101
            pickle.dump(state, fh)

    def publish(self):
        os.replace(self.tmp_path, self.path)  # DUR102

# case: str-of-self-attribute
import json
import os


class StateStore:
    def save(self, state):
        with open(self.tmp_path, "w") as fh:  # DUR101
            json.dump(state, fh)
        os.replace(str(self.tmp_path), self.path)  # DUR102

# case: only-the-careless-method-is-flagged
import json
import os


class Store:
    def save_durably(self, state):
        with open(self.tmp_path, "w") as fh:
            json.dump(state, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(self.tmp_path, self.path)
        dfd = os.open(self.directory, os.O_RDONLY)
        os.fsync(dfd)
        os.close(dfd)

    def save_quickly(self, state):
        with open(self.tmp_path, "w") as fh:  # DUR101
            json.dump(state, fh)
        os.replace(self.tmp_path, self.path)  # DUR102
