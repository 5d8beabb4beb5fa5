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


class Held:
    """A file's bytes in one crash state: the first `size` bytes of a scratch buffer that the
    next state overwrites.  It compares equal to the bytes it holds without copying them (a
    state can be as large as the file, and there are hundreds)."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, buffer: bytearray, size: int) -> None:
        self.buffer, self.size = buffer, size

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Held):
            other = bytes(other)
        return (isinstance(other, (bytes, bytearray)) and len(other) == self.size
                and self.buffer.startswith(other))

    def __bytes__(self) -> bytes:
        return bytes(self.buffer[:self.size])

    def preview(self, length: int) -> bytes:
        return bytes(self.buffer[:min(length, self.size)])


class Scratch:
    """The buffer a file's crash states are rebuilt in, one after another, and zeros to clear
    it with: a fresh buffer per state, faulted in page by page, cost more than all the rest.
    Bytes go in through memoryviews, which copy once (a bytearray slice assignment from
    anything but a bytearray first copies its source)."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.zeros = memoryview(b"")

    def fill(self, data: bytes, capacity: int) -> memoryview:
        """A view of the buffer, at least `capacity` long, holding `data` then zeros up to
        `capacity`; release it before the next fill."""
        if len(self.buffer) < capacity:
            self.buffer.extend(bytes(capacity - len(self.buffer)))
            self.zeros = memoryview(bytes(len(self.buffer)))
        view = memoryview(self.buffer)
        view[:len(data)] = data
        self.clear(view, len(data), capacity)
        return view

    def clear(self, view: memoryview, start: int, end: int) -> None:
        if end > start:
            view[start:end] = self.zeros[:end - start]


def read_path(path: str, initial: dict[str, int], initial_content: dict[int, bytes | None],
              changes: Iterable[Change], made_dirs: set[str] = frozenset(),
              scratch: Scratch | None = None) -> Held | None:
    """What `path` holds after `changes`, the same as `rebuild(...).read(path)` but at the cost
    of the one file: the names first, then the data of the inode the path names (data changes
    do not depend on names), so other files' bytes are never copied or written.  The bytes are
    built in `scratch` (pass the same one for each state of a file), valid until its next use."""
    changes = list(changes)
    disk = Disk(dict(initial), {}, set(made_dirs))
    for change in changes:
        if not isinstance(change, (SizeSet, DataPut)):
            apply(disk, change)
    ino = disk.entries.get(path)
    if ino is None or not disk._reachable(path):
        return None
    return _contents(initial_content.get(ino) or b"",
                     [c for c in changes if isinstance(c, (SizeSet, DataPut)) and c.ino == ino],
                     scratch or Scratch())


def _contents(data: bytes, changes: list[SizeSet | DataPut], scratch: Scratch) -> Held:
    """`data` after the size and data changes, as `apply` makes them, in a buffer as long as
    their largest extent (zeros, as unwritten blocks read), so that no write grows it."""
    capacity = max([len(data)] + [c.offset + len(c.data) if isinstance(c, DataPut) else c.size
                                  for c in changes])
    size = len(data)
    with scratch.fill(data, capacity) as blocks:
        for change in changes:
            if isinstance(change, DataPut):
                blocks[change.offset:change.offset + len(change.data)] = change.data
                if change.size is not None:
                    size = change.size
            else:
                if change.cut:  # bytes past a truncation read as zeros if the file grows again
                    scratch.clear(blocks, change.size, capacity)
                size = change.size
    return Held(scratch.buffer, size)


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


def classify(held: bytes | Held | None, old: bytes | None, new: bytes | None) -> str:
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
