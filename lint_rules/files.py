"""Which files to check: walk the named paths, skip what is not the user's own code.

Exclude patterns follow flake8: a pattern is a glob matched against a file's or directory's
name and against its absolute path; a pattern that holds a `/` is first made absolute relative
to where it was given (the current directory for the command line, the pyproject.toml's
directory for configuration).
"""
from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import translate

# Tool caches, build output and installed packages: never the user's own code.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "build",
    "dist",
    "__pycache__",
    "node_modules",
    "*.egg-info",
    ".mypy_cache",
    ".pytest_cache",
)

# A virtual environment has this file at its root, whatever the directory is called; a
# package's own `venv` subpackage (pdm has one) has not, and is checked.
_VENV_MARKER = "pyvenv.cfg"


# Files larger than this are reported as skipped. ast.parse alone needs about 170 bytes of
# memory per byte of source (a 5 MB module: 0.8 GB; see benchmarks/bench_big_file.py), so
# this bounds a worker near 1.7 GB, while the largest hand-written modules of the standard
# library and of popular packages are under 2 MB.
DEFAULT_MAX_FILE_SIZE = 10_000_000


class SourceError(Exception):
    """A file that was not read: the message says why."""


def read_source(path: str, limit: int | None) -> tuple[bytes, os.stat_result]:
    """The file's bytes and the status they were read with; SourceError if it is not a
    regular file, is over the size limit (None: the default) or cannot be read."""
    limit = DEFAULT_MAX_FILE_SIZE if limit is None else limit
    try:
        # O_NONBLOCK: a FIFO named on the command line must not hang the run at open().
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceError(f"cannot read: {_reason(path, exc)}") from None
    with open(fd, "rb") as fh:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise SourceError("skipped: not a regular file")
        if status.st_size > limit:
            raise SourceError(_too_large(status.st_size, limit))
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise SourceError(f"cannot read: {_reason(path, exc)}") from None
    if len(data) > limit:  # grew since the fstat
        raise SourceError(_too_large(len(data), limit))
    return data, status


def _too_large(size: int, limit: int) -> str:
    return (f"skipped: {size:,} bytes is over the size limit of {limit:,} "
            "(raise it with --max-file-size or max-file-size)")


def _reason(path: str, exc: OSError) -> str:
    """What the OS said, in words: ELOOP means a symbolic link loop, not a missing file."""
    if os.path.islink(path) and not os.path.exists(path):
        return describe_missing(path)
    return exc.strerror or str(exc)


def describe_missing(path: str) -> str:
    """Why `path` cannot be opened although the user named it."""
    if os.path.islink(path):
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symbolic link loop"
        return f"broken symbolic link (to {os.readlink(path)})"
    return "no such file or directory"


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def normalize_patterns(patterns: Iterable[str], base: str | os.PathLike[str]) -> tuple[str, ...]:
    """Make path-like patterns absolute against `base`; bare name patterns stay as they are."""
    normalized = []
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/")
        if not pattern:
            continue
        if "/" in pattern:
            pattern = os.path.abspath(os.path.join(base, pattern))
        normalized.append(pattern)
    return tuple(normalized)


class Excluder:
    """All patterns as one regular expression: a walk asks this once per file and directory."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._regex = re.compile("|".join(f"(?:{translate(p)})" for p in patterns) or "(?!)")

    def __call__(self, name: str, absolute: str) -> bool:
        return bool(self._regex.match(name) or self._regex.match(absolute))


def discover(paths: Sequence[str], exclude: Sequence[str] = ()) -> Discovery:
    """Expand `paths` into the sorted, de-duplicated list of Python files to check.

    Files named explicitly are always checked, whatever their name; directories named
    explicitly are walked even when their own name matches a pattern (the user asked for
    them), while everything found inside is subject to the default and extra excludes.
    Symbolic links to directories are not followed, so a link cannot make the walk loop.
    """
    excluded = Excluder((*DEFAULT_EXCLUDE, *exclude))
    found = Discovery()
    files: set[str] = set()
    for path in paths:
        path = os.path.normpath(path)
        if os.path.isdir(path):
            files.update(_walk(path, excluded))
        elif os.path.exists(path):
            files.add(path)
        else:
            found.missing.append(path)
    found.files = sorted(files)
    return found


def _walk(root: str, excluded: Excluder) -> Iterable[str]:
    # Matching needs absolute paths, the report wants the paths as the user spelled them:
    # walk both side by side instead of asking the OS for an absolute path per file.
    absolute_root = os.path.abspath(root)
    for folder, dirs, names in os.walk(root):
        absolute_folder = absolute_root + folder[len(root):]
        # Pruning `dirs` in place keeps os.walk out of excluded trees altogether.
        dirs[:] = [
            d
            for d in dirs
            if not excluded(d, os.path.join(absolute_folder, d))
            and not os.path.isfile(os.path.join(folder, d, _VENV_MARKER))
        ]
        for name in names:
            if name.endswith(".py") and not excluded(name, os.path.join(absolute_folder, name)):
                # normpath turns "./pkg/mod.py" into "pkg/mod.py" when the root is ".".
                yield os.path.normpath(os.path.join(folder, name))
