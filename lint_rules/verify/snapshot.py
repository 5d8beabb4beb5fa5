"""The watched files as they were before the run.

A watch root is a file or a directory.  Below a directory root every regular file is read, so
that after the run we know for each path under it whether it existed and what it held, which
is what "old" means in a crash state.  Paths outside every root are unknown to us: the
lowering assumes a file opened there with O_CREAT did not exist before.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

# Directories that hold tool state, never the program's data; skipping them keeps the default
# watch (the working directory) cheap in a repository checkout.
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".tox",
                          "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache"})
MAX_FILES = 5000
MAX_BYTES = 64 * 1024 * 1024


class SnapshotTooLarge(ValueError):
    pass


@dataclass
class Snapshot:
    roots: tuple[str, ...]
    files: dict[str, bytes] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()

    def knows(self, path: str) -> bool:
        """Whether `path` is under a watch root (so its state before the run is known)."""
        if any(path == s or path.startswith(s + os.sep) for s in self.skipped):
            return False
        return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep)
                   for root in self.roots)

    def before(self, path: str) -> bytes | None:
        """What `path` held before the run; None when it did not exist."""
        return self.files.get(path)


def real(path: str | os.PathLike[str]) -> str:
    """Absolute, with symlinks in the directory part resolved, as strace's -y reports paths."""
    absolute = os.path.abspath(os.fspath(path))
    if os.path.isdir(absolute):
        return os.path.realpath(absolute)
    head, tail = os.path.split(absolute)
    return os.path.join(os.path.realpath(head), tail)


def take_snapshot(paths: list[str | os.PathLike[str]], max_files: int = MAX_FILES,
                  max_bytes: int = MAX_BYTES) -> Snapshot:
    roots = tuple(dict.fromkeys(real(p) for p in paths))
    skipped: list[str] = []
    found = [path for root in roots for path in _regular_files(root, skipped)]
    total = sum(os.path.getsize(path) for path in found)
    # Said before anything is read, with the figures, so that the user can raise the limit
    # that stopped the run (or watch less) in one go.
    if len(found) > max_files:
        raise SnapshotTooLarge(
            f"the watch roots {', '.join(roots)} hold {len(found)} files, more than "
            f"--max-watch-files ({max_files}): raise it to at least {len(found)}, or name the "
            "files the command writes with --watch")
    if total > max_bytes:
        raise SnapshotTooLarge(
            f"the watch roots {', '.join(roots)} hold {total} bytes, more than "
            f"--max-watch-bytes ({max_bytes}): raise it to at least {total}, or name the "
            "files the command writes with --watch")
    snap = Snapshot(roots, skipped=tuple(skipped))
    for path in found:
        with open(path, "rb") as fh:
            snap.files[path] = fh.read()
    return snap


def _regular_files(root: str, skipped: list[str]):
    if os.path.isfile(root):
        yield root
        return
    if not os.path.isdir(root):
        return  # watched, and missing before the run
    for dirpath, dirnames, filenames in os.walk(root):
        for name in list(dirnames):
            if name in SKIPPED_DIRS:
                dirnames.remove(name)
                skipped.append(os.path.join(dirpath, name))
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path):
                yield path
