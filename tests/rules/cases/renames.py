# flake8: noqa
# Rule cases (format: tests/rules/casefile.py): every spelling of the publishing rename:
# os.replace/rename/renames, shutil.move, keywords, and import aliases.

# case: os-rename
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.rename(tmp, path)  # DUR102@4

# case: os-renames
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.renames(tmp, path)  # DUR102

# case: shutil-move
import json
import shutil


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    shutil.move(tmp, path)  # DUR102

# case: replace-with-keywords
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(src=tmp, dst=path)  # DUR102

# case: replace-with-keywords-reversed
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(dst=path, src=tmp)  # DUR102

# case: replace-positional-then-keyword
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    os.replace(tmp, dst=path)  # DUR102

# case: shutil-move-keywords
import json
import shutil


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    shutil.move(src=tmp, dst=path)  # DUR102

# case: import-os-as-alias
import json
import os as _os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    if state:
        _os.replace(tmp, path)  # DUR102@8

# case: from-os-import-replace
import json
from os import replace


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    replace(tmp, path)  # DUR102@4

# case: from-os-import-rename-as
import json
from os import rename as publish


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    publish(tmp, path)  # DUR102

# case: from-shutil-import-move
import json
from shutil import move


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    move(tmp, path)  # DUR102

# case: import-shutil-as
import json
import shutil as sh


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    sh.move(tmp, path)  # DUR102

# case: local-function-named-replace-is-not-os
import json


def replace(src, dst):
    print(src, "->", dst)


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
    replace(tmp, path)

# case: rename-in-branch
import json
import os


def save_if_changed(path, state, changed):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # DUR101
        json.dump(state, fh)
    if changed:
        os.replace(tmp, path)  # DUR102
    else:
        os.unlink(tmp)

# case: rename-in-try-with-cleanup
import contextlib
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    try:
        with open(tmp, "w") as fh:  # DUR101
            json.dump(state, fh)
        os.replace(tmp, path)  # DUR102
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
