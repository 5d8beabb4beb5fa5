"""A small service's state store: the write-then-rename pattern as most code has it.

Run `durable-writes check examples/` to see what is missing, and
`durable-writes fix --diff examples/` to see the fix.
"""
import json
import os
import pickle
import tempfile
from pathlib import Path


def save_state(state: dict, path: str) -> None:
    """Atomic against a crash of the process, not against a power loss."""
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh, indent=2)
    os.replace(tmp, path)


def save_cache(entries: dict, path: str) -> None:
    """The temp file lands in /tmp: another file system than `path`, often."""
    with tempfile.NamedTemporaryFile("wb", delete=False) as fh:
        pickle.dump(entries, fh)
        tmp = fh.name
    os.replace(tmp, path)


def append_journal(line: str, path: str) -> None:
    """fsync before flush: Python still holds the line in its buffer."""
    with open(path, "a") as fh:
        fh.write(line + "\n")
        os.fsync(fh.fileno())


def save_settings(settings: dict, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings))
    tmp.replace(path)


def save_durably(state: dict, path: str) -> None:
    """The protocol, complete: nothing to report here."""
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)
