"""Persistence models: which pieces of the program's operations can reach the disk alone, which
must reach it together or in order, and what an fsync makes durable.

A model turns the operation list into a `Plan`: a list of `Effect`s (the smallest pieces that
persist atomically: a directory entry, a size, the data of one page...), the effects each one
`needs` (it cannot persist without them), and for each sync operation the keys it makes durable.
An effect is durable once every one of its keys has been synced after it.

posix (conservative; what POSIX promises and no more):
- every effect persists independently of every other, unless an fsync orders it;
- a write that grows a file is two effects, the new size and the data (page by page), so a
  file can persist its size without its data (reading back as zeros);
- fsync of a file makes its data and size durable, not its directory entry; a directory entry
  (create, rename, unlink, mkdir) is durable after an fsync of its directory (for a rename,
  of both directories).

ext4 (data=ordered with delayed allocation, approximately):
- metadata (create, rename, unlink, mkdir, truncate) goes through the journal: it persists as a
  prefix, in program order;
- the part of a write that grows a file persists atomically with the new size, after the
  metadata that preceded the write, and in order with the file's earlier growth;
- a write over bytes the file already had persists page by page, unordered;
- any fsync or fdatasync commits the journal (all metadata so far) and the synced file's data;
- a rename over an existing name waits for the renamed file's grown data (auto_da_alloc).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

from .ops import Create, Fsync, Mkdir, Op, Rename, SyncAll, Truncate, Unlink, Write, parent

PAGE = 4096

Key = tuple  # ("ino", n) | ("dir", path) | ("journal",)


# -- what an effect does to the disk (replay.py applies them) -----------------------------------
@dataclass(frozen=True)
class EntryLink:
    path: str
    ino: int


@dataclass(frozen=True)
class EntryUnlink:
    path: str
    ino: int


@dataclass(frozen=True)
class EntryMove:
    src: str
    dst: str
    ino: int


@dataclass(frozen=True)
class DirMake:
    path: str


@dataclass(frozen=True)
class SizeSet:
    ino: int
    size: int
    cut: bool  # a truncate: bytes past `size` are gone, growing again reads zeros


@dataclass(frozen=True)
class DataPut:
    ino: int
    offset: int
    data: bytes
    size: int | None = None  # set with the data (ext4 growth); None: size untouched


Change = Union[EntryLink, EntryUnlink, EntryMove, DirMake, SizeSet, DataPut]


@dataclass(frozen=True)
class Effect:
    op: int  # index of the operation it comes from
    part: str  # which piece of the operation: "", "size", "data[0:4096]", "growth"
    change: Change
    keys: frozenset[Key]

    @property
    def label(self) -> str:
        return f"#{self.op}" + (f" {self.part}" if self.part else "")


@dataclass
class Plan:
    model: str
    effects: list[Effect]
    needs: list[frozenset[int]]  # per effect: indices of effects it cannot persist without
    syncs: dict[int, frozenset[Key] | None]  # per sync op index: keys made durable; None: all


# -- posix ---------------------------------------------------------------------------------------
def posix(ops: list[Op]) -> Plan:
    plan = Plan("posix", [], [], {})

    def add(op: int, part: str, change: Change, *keys: Key) -> None:
        plan.effects.append(Effect(op, part, change, frozenset(keys)))
        plan.needs.append(frozenset())

    for index, op in enumerate(ops):
        match op:
            case Create(path=path, ino=ino):
                add(index, "", EntryLink(path, ino), ("dir", parent(path)))
            case Write(ino=ino, offset=offset, data=data, size_before=before):
                end = offset + len(data)
                if end > before:
                    add(index, "size", SizeSet(ino, end, cut=False), ("ino", ino))
                for start, chunk in _pages(offset, data):
                    add(index, _data_part(start, chunk, offset, data), DataPut(ino, start, chunk),
                        ("ino", ino))
            case Truncate(ino=ino, size=size):
                add(index, "", SizeSet(ino, size, cut=True), ("ino", ino))
            case Rename(src=src, dst=dst, ino=ino):
                add(index, "", EntryMove(src, dst, ino), ("dir", parent(src)), ("dir", parent(dst)))
            case Unlink(path=path, ino=ino):
                add(index, "", EntryUnlink(path, ino), ("dir", parent(path)))
            case Mkdir(path=path):
                add(index, "", DirMake(path), ("dir", parent(path)))
            case Fsync(path=path, ino=ino):
                keys = {("dir", path)} | ({("ino", ino)} if ino is not None else set())
                plan.syncs[index] = frozenset(keys)
            case SyncAll():
                plan.syncs[index] = None
    return plan


# -- ext4 ----------------------------------------------------------------------------------------
def ext4(ops: list[Op]) -> Plan:
    plan = Plan("ext4", [], [], {})
    journal: Key = ("journal",)
    last_metadata: int | None = None
    growth: dict[int, list[int]] = {}  # inode → its growth effects so far

    def add(op: int, part: str, change: Change, keys: set[Key], needs: set[int | None]) -> int:
        plan.effects.append(Effect(op, part, change, frozenset(keys)))
        plan.needs.append(frozenset(n for n in needs if n is not None))
        return len(plan.effects) - 1

    def metadata(op: int, change: Change, extra: frozenset[int] = frozenset()) -> None:
        nonlocal last_metadata
        last_metadata = add(op, "", change, {journal}, {last_metadata, *extra})

    for index, op in enumerate(ops):
        match op:
            case Create(path=path, ino=ino):
                metadata(index, EntryLink(path, ino))
            case Truncate(ino=ino, size=size):
                metadata(index, SizeSet(ino, size, cut=True))
            case Rename(src=src, dst=dst, ino=ino, replaced=replaced):
                waits = set(growth.get(ino, ())) if replaced is not None else set()
                metadata(index, EntryMove(src, dst, ino), waits)
            case Unlink(path=path, ino=ino):
                metadata(index, EntryUnlink(path, ino))
            case Mkdir(path=path):
                metadata(index, DirMake(path))
            case Write(ino=ino, offset=offset, data=data, size_before=before):
                kept = max(0, min(len(data), before - offset))
                for start, chunk in _pages(offset, data[:kept]):
                    add(index, _data_part(start, chunk, offset, data), DataPut(ino, start, chunk),
                        {("ino", ino)}, set())
                if kept < len(data):
                    earlier = growth.setdefault(ino, [])
                    grown = add(index, "growth",
                                DataPut(ino, offset + kept, data[kept:], offset + len(data)),
                                {("ino", ino)}, {last_metadata, earlier[-1] if earlier else None})
                    earlier.append(grown)
            case Fsync(ino=ino):
                synced = {journal} | ({("ino", ino)} if ino is not None else set())
                plan.syncs[index] = frozenset(synced)
            case SyncAll():
                plan.syncs[index] = None
    return plan


def _pages(offset: int, data: bytes):
    """`data` written at `offset`, cut at page boundaries of the file (views of it, not
    copies: a large write is thousands of pages)."""
    if len(data) > PAGE:
        data = memoryview(data)
    position = offset
    while position < offset + len(data):
        end = min(offset + len(data), (position // PAGE + 1) * PAGE)
        yield position, data[position - offset:end - offset]
        position = end


def _data_part(start: int, chunk: bytes, offset: int, data: bytes) -> str:
    if start == offset and len(chunk) == len(data):
        return "data"
    return f"data[{start}:{start + len(chunk)}]"


MODELS: dict[str, Callable[[list[Op]], Plan]] = {"posix": posix, "ext4": ext4}
