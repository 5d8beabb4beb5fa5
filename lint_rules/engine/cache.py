"""The summary cache: `.durable_writes_cache/` at a project's root, one JSON file per module.

An entry's file is named for the module's path and the configuration, so that a module has
one entry however often it changes: a new one replaces it, and the directory does not grow
with every edit.  Inside, the entry's key is a hash of everything its summaries were computed
from: the module's bytes, its name and path, the tool (version and engine sources) and the
configuration; an entry whose key is not the one asked for is a miss.  The entry lists the
files its summaries used, with their hashes, so a change in a callee module makes it stale
too (see project.py).  A cache directory is untrusted input: entries are JSON, decoded
into nothing but plain values and the dataclasses summaries.py defines; anything else, or a
file that does not read, is a miss and gets rewritten.  Where the directory cannot be written
there is simply no cache.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from lint_rules import __version__

DIRNAME = ".durable_writes_cache"
_FORMAT = 1


class CacheFormatError(ValueError):
    """An entry that is not something this tool wrote."""


@functools.lru_cache(maxsize=1)
def _tool() -> str:
    """The version and a hash of the engine's sources: a development tree that changed how
    summaries are made must not read the summaries of the old code."""
    digest = hashlib.blake2b(f"{__version__}:{_FORMAT}".encode(), digest_size=16)
    engine = Path(__file__).parent
    for source in sorted(engine.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def fingerprint(config: Any) -> str:
    """The part of the configuration that can change summaries (the caller blanks the rest)."""
    return hashlib.blake2b(repr(config).encode(), digest_size=16).hexdigest()


def key(*parts: str) -> str:
    """What an entry must have been computed from: `parts` and this tool."""
    return _digest(_tool(), *parts)


def slot(*parts: str) -> str:
    """Which file holds the entry for `parts` (whatever the tool and the module's bytes)."""
    return _digest(f"slot:{_FORMAT}", *parts)


def _digest(first: str, *parts: str) -> str:
    digest = hashlib.blake2b(first.encode(), digest_size=20)
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# -- JSON for summaries -------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _registry() -> dict[str, type]:
    """The dataclasses an entry may hold, by name: those of the summaries module."""
    from lint_rules.engine import summaries

    return {name: obj for name, obj in vars(summaries).items()
            if isinstance(obj, type) and dataclasses.is_dataclass(obj)}


def encode(value: Any) -> Any:
    """Plain values as JSON; tuples, frozensets, dicts and the registered dataclasses tagged."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {"t": [encode(v) for v in value]}
    if isinstance(value, frozenset):
        items = [encode(v) for v in value]
        return {"fs": sorted(items, key=lambda item: json.dumps(item, sort_keys=True))}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"d": [[encode(k), encode(v)] for k, v in value.items()]}
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and _registry().get(name) is type(value):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"dc": name, "f": fields}
    raise CacheFormatError(f"cannot cache a {name}")


def decode(data: Any) -> Any:
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise CacheFormatError("unexpected value")
    if set(data) == {"t"}:
        return tuple(decode(v) for v in _list(data["t"]))
    if set(data) == {"fs"}:
        return frozenset(decode(v) for v in _list(data["fs"]))
    if set(data) == {"d"}:
        pairs = [_list(pair) for pair in _list(data["d"])]
        if any(len(pair) != 2 for pair in pairs):
            raise CacheFormatError("bad mapping")
        return {decode(k): decode(v) for k, v in pairs}
    if set(data) == {"dc", "f"}:
        cls = _registry().get(data["dc"]) if isinstance(data["dc"], str) else None
        fields = data["f"]
        if cls is None or not isinstance(fields, dict):
            raise CacheFormatError("unknown class")
        names = {f.name for f in dataclasses.fields(cls) if f.init}
        if not set(fields) <= names:
            raise CacheFormatError("unknown field")
        try:
            return cls(**{name: decode(v) for name, v in fields.items()})
        except TypeError as exc:  # a required field missing
            raise CacheFormatError(str(exc)) from None
    raise CacheFormatError("unknown tag")


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise CacheFormatError("expected a list")
    return value


# -- the directory ------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def cache_at(project_root: str) -> SummaryCache:
    """The cache of a project (one object per process, so a failed write is remembered)."""
    return SummaryCache(os.path.join(project_root, DIRNAME))


class SummaryCache:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.writable = True  # until a write fails: then this run keeps no cache

    def _path(self, slot: str) -> str:
        return os.path.join(self.directory, f"{slot}.json")

    def load(self, slot: str, key: str) -> dict[str, Any] | None:
        """The entry in `slot` if it was made for `key`, or None for a miss: absent, stale,
        unreadable, corrupt or not ours."""
        try:
            with open(self._path(slot), "rb") as fh:
                raw = json.loads(fh.read())
            if not isinstance(raw, dict) or raw.get("key") != key:
                return None
            entry = decode(raw["entry"])
        except (OSError, ValueError, KeyError, RecursionError):  # CacheFormatError included
            return None
        return entry if isinstance(entry, dict) else None

    def store(self, slot: str, key: str, entry: dict[str, Any]) -> None:
        if not self.writable:
            return
        try:
            text = json.dumps({"key": key, "entry": encode(entry)}, separators=(",", ":"))
        except (CacheFormatError, ValueError, RecursionError):
            return  # summaries this cache cannot represent are simply recomputed
        try:
            self._ensure_directory()
            self._write(self._path(slot), text)
        except OSError:
            self.writable = False  # read-only, full, gone: no cache, no error

    def _ensure_directory(self) -> None:
        ignore = os.path.join(self.directory, ".gitignore")
        if os.path.exists(ignore):
            return
        os.makedirs(self.directory, exist_ok=True)
        # Git-ignored from the inside, as ruff and mypy do: no user setting needed.
        self._write(ignore, "# Created by durable-writes.\n*\n")

    def _write(self, path: str, text: str) -> None:
        """A temp file in the cache directory, renamed over the entry: readers in other
        worker processes see the old entry or the new one, never half of one. Not fsynced:
        an entry lost or torn by a crash is a miss and is rebuilt."""
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:  # noqa: DUR101 - a cache
                fh.write(text)
            os.replace(tmp, path)  # noqa: DUR102 - a cache entry need not survive a crash
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
