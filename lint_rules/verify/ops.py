"""The operation model: what the program did to the file system, in program order.

Operations name inodes (small integers), not only paths: a rename moves an inode to a new
name, and what reaches the disk is a matter of which inode's data and which directory entries
persisted.  Paths are absolute and normalised.  `Write` and `Truncate` record the file size
just before them, because the persistence models treat growth of a file differently from an
overwrite of bytes it already had.

Acknowledgements are operations too: `Ack` is a line the program printed on its stdout, or its
successful exit; a watched file must hold its new content in every crash after an
acknowledgement that follows the file's last change.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Create:
    """A new, empty inode linked at `path`."""

    path: str
    ino: int


@dataclass(frozen=True)
class Write:
    ino: int
    path: str  # the inode's name when written, for reports
    offset: int
    data: bytes
    size_before: int


@dataclass(frozen=True)
class Truncate:
    ino: int
    path: str
    size: int
    size_before: int


@dataclass(frozen=True)
class Rename:
    src: str
    dst: str
    ino: int
    replaced: int | None  # the inode `dst` named before, if any


@dataclass(frozen=True)
class Unlink:
    path: str
    ino: int


@dataclass(frozen=True)
class Mkdir:
    path: str


@dataclass(frozen=True)
class Fsync:
    """fsync/fdatasync of an open file or directory (`ino` is None for a directory we never
    saw as a file)."""

    path: str
    ino: int | None
    data_only: bool = False


@dataclass(frozen=True)
class SyncAll:
    """sync(2) or syncfs(2): everything written so far."""


@dataclass(frozen=True)
class Ack:
    text: str  # the printed line, or "exit"
    kind: str = "line"  # "line" | "exit"


Op = Union[Create, Write, Truncate, Rename, Unlink, Mkdir, Fsync, SyncAll, Ack]


def parent(path: str) -> str:
    return os.path.dirname(path) or "/"


def describe(op: Op, shorten=lambda path: path) -> str:
    """One operation in words, e.g. `write 8 bytes at offset 0 to data.json.tmp`."""
    match op:
        case Create(path=path):
            return f"create {shorten(path)}"
        case Write(path=path, offset=offset, data=data):
            return f"write {len(data)} bytes at offset {offset} to {shorten(path)}"
        case Truncate(path=path, size=size):
            return f"truncate {shorten(path)} to {size} bytes"
        case Rename(src=src, dst=dst):
            return f"rename {shorten(src)} -> {shorten(dst)}"
        case Unlink(path=path):
            return f"unlink {shorten(path)}"
        case Mkdir(path=path):
            return f"mkdir {shorten(path)}"
        case Fsync(path=path, data_only=data_only):
            return f"{'fdatasync' if data_only else 'fsync'} {shorten(path)}"
        case SyncAll():
            return "sync"
        case Ack(kind="exit"):
            return "exit 0 (acknowledgement)"
        case Ack(text=text):
            return f"print {text!r} (acknowledgement)"
    raise TypeError(op)
