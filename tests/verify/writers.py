"""Writer variants for the end-to-end tests, module-level so that the pytest helper's child
process can import them.  Most are deliberately not durable; each says what it gets wrong."""
from __future__ import annotations

import json
import mmap
import os


def naive(path: str, obj: object) -> None:
    """Atomic against a process crash only: no fsync of the data, none of the directory."""
    tmp = f"{path}.tmp"
    with open(tmp, "w") as fh:  # noqa: DUR101
        json.dump(obj, fh)
    os.replace(tmp, path)  # noqa: DUR102


def fsync_without_flush(path: str, obj: object) -> None:
    """The fsync runs while the JSON is still in Python's buffer: it syncs nothing."""
    tmp = f"{path}.tmp"
    with open(tmp, "w") as fh:
        json.dump(obj, fh)
        os.fsync(fh.fileno())  # noqa: DUR103
    os.replace(tmp, path)
    _fsync_directory(path)


def no_directory_fsync(path: str, obj: object) -> None:
    """The data is durable, the rename is not."""
    tmp = f"{path}.tmp"
    with open(tmp, "w") as fh:
        json.dump(obj, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # noqa: DUR102


def full_protocol(path: str, obj: object) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w") as fh:
        json.dump(obj, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_directory(path)


def in_place(path: str, obj: object) -> None:
    """Truncates the only copy, then writes it again."""
    with open(path, "w") as fh:
        json.dump(obj, fh)


def two_files(durable_path: str, naive_path: str) -> None:
    full_protocol(durable_path, {"a": 1})
    naive(naive_path, {"a": 1})


def through_mmap(path: str, obj: object) -> None:
    """Overwrites the file in place through a shared mapping and msyncs it: the stores are in
    no syscall, so the trace cannot show them."""
    data = json.dumps(obj).encode()
    with open(path, "r+b") as fh:
        fh.truncate(len(data))
        with mmap.mmap(fh.fileno(), len(data)) as mapped:
            mapped[:] = data
            mapped.flush()


def failing(path: str) -> None:
    raise ValueError(f"cannot write {path}")


def _fsync_directory(path: str) -> None:
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)
