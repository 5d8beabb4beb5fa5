"""Rebuild what the disk holds in a crash state, and classify each watched file.

We start from the files as they were before the run (the inodes the lowering materialised from
the snapshot) and apply the persisted effects in program order.  A file's bytes are its data
blocks cut to its size; blocks never written read as zeros.  A path is visible only if the
directories made during the run that lead to it persisted too.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable

from .models import Change, DataPut, DirMake, EntryLink, EntryMove, EntryUnlink, SizeSet

OLD, NEW, EMPTY, TORN, MISSING = "old", "new", "empty", "torn", "missing"


@dataclass
class _Inode:
    blocks: bytearray
    size: int

    def read(self) -> bytes:
        data = bytes(self.blocks[: self.size])
        return data + bytes(self.size - len(data))


@dataclass
class Disk:
    entries: dict[str, int]
    inodes: dict[int, _Inode]
    made_dirs: set[str] = field(default_factory=set)  # directories made during the run
    persisted_dirs: set[str] = field(default_factory=set)

    def read(self, path: str) -> bytes | None:
        """What `path` holds; None when it does not exist."""
        ino = self.entries.get(path)
        if ino is None or not self._reachable(path):
            return None
        return self.inodes[ino].read()

    def _reachable(self, path: str) -> bool:
        directory = os.path.dirname(path)
        while directory and directory != os.path.dirname(directory):
            if directory in self.made_dirs and directory not in self.persisted_dirs:
                return False
            directory = os.path.dirname(directory)
        return True

    def inode(self, ino: int) -> _Inode:
        return self.inodes.setdefault(ino, _Inode(bytearray(), 0))


def rebuild(initial: dict[str, int], initial_content: dict[int, bytes | None],
            changes: Iterable[Change], made_dirs: set[str] = frozenset()) -> Disk:
    disk = Disk(dict(initial), {}, set(made_dirs))
    for ino, content in initial_content.items():
        data = content or b""  # unknown content: only for files nobody watches
        disk.inodes[ino] = _Inode(bytearray(data), len(data))
    for change in changes:
        apply(disk, change)
    return disk


def read_path(path: str, initial: dict[str, int], initial_content: dict[int, bytes | None],
              changes: Iterable[Change], made_dirs: set[str] = frozenset()) -> bytearray | None:
    """What `path` holds after `changes`, the same as `rebuild(...).read(path)` but at the cost
    of the one file: the names first, then the data of the inode the path names (data changes
    do not depend on names), so other files' bytes are never copied or written.  The result is
    built in place and not copied again: a state can be as large as the file."""
    changes = list(changes)
    disk = Disk(dict(initial), {}, set(made_dirs))
    for change in changes:
        if not isinstance(change, (SizeSet, DataPut)):
            apply(disk, change)
    ino = disk.entries.get(path)
    if ino is None or not disk._reachable(path):
        return None
    return _contents(initial_content.get(ino) or b"",
                     [c for c in changes if isinstance(c, (SizeSet, DataPut)) and c.ino == ino])


def _contents(data: bytes, changes: list[SizeSet | DataPut]) -> bytearray:
    """`data` after the size and data changes, as `apply` makes them, in one buffer allocated
    at its largest extent (zeros, as unwritten blocks read), so that no write grows it."""
    capacity = max([len(data)] + [c.offset + len(c.data) if isinstance(c, DataPut) else c.size
                                  for c in changes])
    blocks = bytearray(capacity)
    blocks[:len(data)] = data
    size = len(data)
    for change in changes:
        if isinstance(change, DataPut):
            blocks[change.offset:change.offset + len(change.data)] = change.data
            if change.size is not None:
                size = change.size
        else:
            if change.cut:  # bytes past a truncation read as zeros if the file grows again
                blocks[change.size:] = bytes(capacity - change.size)
            size = change.size
    del blocks[size:]
    return blocks


def apply(disk: Disk, change: Change) -> None:
    match change:
        case EntryLink(path=path, ino=ino):
            disk.entries[path] = ino
            disk.inode(ino)
        case EntryUnlink(path=path, ino=ino):
            if disk.entries.get(path) == ino:
                del disk.entries[path]
        case EntryMove(src=src, dst=dst, ino=ino):
            if disk.entries.get(src) == ino:
                del disk.entries[src]
            disk.entries[dst] = ino
            disk.inode(ino)
        case DirMake(path=path):
            disk.persisted_dirs.add(path)
        case SizeSet(ino=ino, size=size, cut=cut):
            inode = disk.inode(ino)
            if cut:
                del inode.blocks[size:]
            inode.size = size
        case DataPut(ino=ino, offset=offset, data=data, size=size):
            inode = disk.inode(ino)
            if offset > len(inode.blocks):
                inode.blocks.extend(bytes(offset - len(inode.blocks)))
            inode.blocks[offset:offset + len(data)] = data
            if size is not None:
                inode.size = size


def classify(held: bytes | bytearray | None, old: bytes | None, new: bytes | None) -> str:
    """new, missing, old, empty or torn, in that order of precedence (a file whose old and new
    content are equal is new; an absent file is missing even if it was absent before)."""
    if held == new:
        return NEW
    if held is None:
        return MISSING
    if held == old:
        return OLD
    if not held:
        return EMPTY
    return TORN
