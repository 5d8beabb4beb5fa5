"""Run a writer module with its fsyncs and renames recorded, and judge the order they came in.

The spies stand in for `os.fsync`, `os.replace` and `os.rename` (which `shutil.move` and
`Path.replace/rename` call through the `os` module), so a module that did `from os import
fsync, replace` picks them up too, provided it is executed after `install`.
"""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Event:
    kind: str  # "fsync-file", "fsync-dir" or "rename"
    inode: int  # the file fsynced, or the source of the rename
    size: int  # its size at that moment
    dir_inode: int = 0  # for a rename: the directory the destination is in


class Spy:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(os, "fsync", self._fsync)
        monkeypatch.setattr(os, "replace", self._rename(os.replace))
        monkeypatch.setattr(os, "rename", self._rename(os.rename))

    def _fsync(self, fd: int) -> None:
        # Only the order matters here, not the test's files surviving a power cut: skipping
        # the real fsync keeps the suite fast on slow disks.  fstat fails as fsync would on a
        # closed or bogus fd.
        info = os.fstat(fd)
        kind = "fsync-dir" if stat.S_ISDIR(info.st_mode) else "fsync-file"
        self.events.append(Event(kind, info.st_ino, info.st_size))

    def _rename(self, real):
        def rename(src, dst, *args, **kwargs):
            source = os.stat(src)
            directory = os.stat(os.path.dirname(os.path.abspath(dst)))
            self.events.append(Event("rename", source.st_ino, source.st_size, directory.st_ino))
            return real(src, dst, *args, **kwargs)
        return rename


def violations(events: list[Event]) -> list[str]:
    """What is missing for each rename to be durable: before it, an fsync of the renamed file
    holding all of its bytes (an fsync before the flush sees a shorter file); after it, before
    the next rename, an fsync of the destination's directory."""
    problems = []
    renames = [index for index, event in enumerate(events) if event.kind == "rename"]
    for number, index in enumerate(renames):
        start = renames[number - 1] + 1 if number else 0
        end = renames[number + 1] if number + 1 < len(renames) else len(events)
        rename = events[index]
        if not any(e.kind == "fsync-file" and e.inode == rename.inode and e.size == rename.size
                   for e in events[start:index]):
            problems.append(f"rename {number + 1}: no fsync of the whole file before it")
        if not any(e.kind == "fsync-dir" and e.inode == rename.dir_inode
                   for e in events[index + 1:end]):
            problems.append(f"rename {number + 1}: no fsync of its directory after it")
    return problems


def run_module(source: bytes, name: str, workdir: Path, calls: str | None,
               argv: list[str], monkeypatch: pytest.MonkeyPatch) -> Spy:
    """Execute `source` as a module in `workdir` (as `__main__` when `calls` is None, with
    `argv`), then run `calls` in its namespace with `d` naming the directory."""
    spy = Spy()
    with monkeypatch.context() as patch:
        patch.chdir(workdir)
        patch.setattr(sys, "argv", argv)
        spy.install(patch)
        namespace: dict = {"__name__": "__main__" if calls is None else name}
        exec(compile(source, f"{name}.py", "exec", dont_inherit=True), namespace)
        if calls is not None:
            namespace["d"] = str(workdir)
            exec(compile(calls, f"<{name} calls>", "exec", dont_inherit=True), namespace)
    return spy


def files_in(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}
