import json
import os


def write_json(path, obj):
    with open(path, "w") as fh:
        json.dump(obj, fh, sort_keys=True)


def save_state(path, state):
    tmp = path + ".tmp"
    write_json(tmp, state)
    os.replace(tmp, path)
