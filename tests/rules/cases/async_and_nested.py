# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): async functions, nested functions (each its own
# scope) and the module body as a scope.

# case: async-def-writer
import json
import os


async def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(tmp, path)  # DUR102

# case: async-def-durable
import json
import os


async def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

# case: async-method-under-lock
import json
import os


class Store:
    async def save(self, state):
        async with self._lock:
            with open(self.tmp_path, "w") as fh:  # DUR101
                json.dump(state, fh)
            os.replace(self.tmp_path, self.path)  # DUR102

# case: sync-worker-nested-in-async
import asyncio
import json
import os


async def save_state(path, state):
    def _write():
        tmp = path + ".tmp"
        with open(tmp, "w") as fh:  # DUR101
            json.dump(state, fh)
        os.replace(tmp, path)  # DUR102

    await asyncio.to_thread(_write)

# case: nested-def-complete
import json
import os


def make_saver(path):
    def save(state):
        tmp = path + ".tmp"
        with open(tmp, "w") as fh:  # DUR101
            json.dump(state, fh)
        os.replace(tmp, path)  # DUR102

    return save

# case: write-outer-rename-in-nested
import atexit
import json
import os


def stage(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)

    def publish():
        os.replace(tmp, path)

    atexit.register(publish)

# case: module-level-script
import json
import os
import sys

state = json.load(sys.stdin)
with open("state.json.tmp", "w") as fh:  # DUR101@5
    json.dump(state, fh)
os.replace("state.json.tmp", "state.json")  # DUR102@0

# case: main-guard
import os
import sys

if __name__ == "__main__":
    target = sys.argv[1]
    with open(target + ".tmp", "w") as fh:  # DUR101
        fh.write(sys.stdin.read())
    os.replace(target + ".tmp", target)  # DUR102

# case: module-writes-function-renames
import json
import os

with open("defaults.json.tmp", "w") as fh:
    json.dump({}, fh)


def publish_defaults():
    os.replace("defaults.json.tmp", "defaults.json")

# case: write-in-loop-per-shard
import os


def save_shards(shards):
    for path, data in shards.items():
        tmp = path + ".tmp"
        with open(tmp, "wb") as fh:  # DUR101
            fh.write(data)
        os.replace(tmp, path)  # DUR102
