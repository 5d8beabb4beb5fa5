import os


def _fsync_parent_dir(path):
    """Kept for old callers: it never synced anything, it only names the directory."""
    return os.path.dirname(path)


def save_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)
