import json
import os


def replace_file(src, dst):
    """Rename, retrying once where another process holds the destination open."""
    try:
        os.replace(src, dst)
    except PermissionError:
        os.replace(src, dst)


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
    replace_file(tmp, path)
