"""User configuration: names of external helpers, rule selection, excludes, fix safety.

One configuration for every face: `[tool.durable-writes]` in the nearest pyproject.toml above
each checked file (as ruff finds its own), read through `config_for`. The command's options
and flake8's (`--durable-file-sync-helpers`, ...) are overrides on top of it.
"""
from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from lint_rules.engine.catalog import RULES

TABLE = "durable-writes"


class ConfigError(ValueError):
    """A configuration that cannot be used as written: a misspelt key or table, a bad value."""


@dataclass(frozen=True)
class Config:
    # Dotted or bare names of functions that fsync the file (or fd, or path) passed to them.
    file_sync_helpers: tuple[str, ...] = ()
    # Dotted or bare names of functions that fsync a directory (of the path passed to them).
    dir_sync_helpers: tuple[str, ...] = ()
    # Dotted or bare names of functions that rename their first argument over their second
    # (`replace_file(src, dst)`); "name:durable" for ones that also fsync the directory.
    rename_helpers: tuple[str, ...] = ()
    # Dotted or bare names of functions that return (or yield) a writable file for a path.
    open_helpers: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # Files larger than this many bytes are reported as skipped; None: the default limit.
    max_file_size: int | None = None
    # Offer fixes that may change what the program does (ruff's "unsafe" applicability).
    unsafe_fixes: bool = False
    # Keep summaries of other modules in .durable_writes_cache/ (`--no-cache`: False).
    use_cache: bool = True

    def enabled(self, code: str) -> bool:
        if self.select and not code.startswith(tuple(self.select)):
            return False
        return not (self.ignore and code.startswith(tuple(self.ignore)))


# pyproject key -> Config field, and what kind of value it takes.
_NAMES, _INT, _BOOL = "names", "int", "bool"
KEY_FIELDS: dict[str, tuple[str, str]] = {
    "durable-file-sync-helpers": ("file_sync_helpers", _NAMES),
    "durable-dir-sync-helpers": ("dir_sync_helpers", _NAMES),
    "durable-rename-helpers": ("rename_helpers", _NAMES),
    "durable-open-helpers": ("open_helpers", _NAMES),
    "select": ("select", _NAMES),
    "ignore": ("ignore", _NAMES),
    "exclude": ("exclude", _NAMES),
    "max-file-size": ("max_file_size", _INT),
    "unsafe-fixes": ("unsafe_fixes", _BOOL),
}
KEYS = frozenset(KEY_FIELDS)
_FIELDS = frozenset(f.name for f in fields(Config))


def split_names(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Accept "a, b" as well as ["a", "b"]: flake8 options arrive as strings."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    return tuple(item.strip() for item in items if item.strip())


def check_selectors(codes: tuple[str, ...], where: str) -> tuple[str, ...]:
    """Codes as given, upper-cased; each must be a prefix of a known code (`DUR9` selects
    nothing, so it is a mistake, not a quiet no-op)."""
    upper = tuple(code.upper() for code in codes)
    unknown = [code for code in upper if not any(known.startswith(code) for known in RULES)]
    if unknown:
        raise ConfigError(f"unknown rule selector(s) in {where}: {', '.join(unknown)}; "
                          f"known rules: {', '.join(RULES)}")
    return upper


def _value(key: str, kind: str, value: Any, where: str) -> Any:
    if kind == _NAMES:
        if isinstance(value, str) or (isinstance(value, list)
                                      and all(isinstance(v, str) for v in value)):
            return split_names(value)
        raise ConfigError(f"{where}: {key} must be a string or a list of strings")
    if kind == _INT:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        raise ConfigError(f"{where}: {key} must be a positive integer")
    if isinstance(value, bool):
        return value
    raise ConfigError(f"{where}: {key} must be true or false")


def config_from_table(table: Mapping[str, Any], where: str) -> Config:
    unknown = sorted(set(table) - KEYS)
    if unknown:  # a misspelt key would otherwise be a silent no-op
        raise ConfigError(f"unknown key(s) in {where}: {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(KEYS))}")
    values = {KEY_FIELDS[key][0]: _value(key, KEY_FIELDS[key][1], value, where)
              for key, value in table.items()}
    for name in ("select", "ignore"):
        if name in values:
            values[name] = check_selectors(values[name], f"{where} {name}")
    return Config(**values)


def _squash(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "").replace(".", "")


def _our_table(pyproject: Path) -> dict[str, Any] | None:
    """`[tool.durable-writes]` of one file, None when it has none; a table whose name is
    nearly ours (`durable_writes`, `durablewrites`, `durable-write`) is an error, not absent."""
    try:
        with open(pyproject, "rb") as fh:
            tool = tomllib.load(fh).get("tool", {})
    except OSError as exc:
        raise ConfigError(f"cannot read {pyproject}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"cannot read {pyproject}: {exc}") from None
    if not isinstance(tool, dict):
        raise ConfigError(f"{pyproject}: [tool] is not a table")
    for name in tool:
        if name != TABLE and (_squash(name) == _squash(TABLE)
                              or get_close_matches(name, [TABLE], n=1, cutoff=0.85)):
            raise ConfigError(f"{pyproject}: unknown table [tool.{name}]; did you mean "
                              f"[tool.{TABLE}]?")
    table = tool.get(TABLE)
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: tool.{TABLE} must be a table")
    return table


# Looked up once per file and directory: a run over a tree asks for every file.
_table_of = functools.cache(_our_table)


def _config_of(pyproject: Path, table: Mapping[str, Any] | None) -> Config:
    """Path-like exclude patterns are relative to the file that wrote them down."""
    from lint_rules.files import normalize_patterns  # files imports nothing of ours

    config = config_from_table(table or {}, f"{pyproject} [tool.{TABLE}]")
    return replace(config, exclude=normalize_patterns(config.exclude, pyproject.parent))


def load_config(pyproject: Path | None) -> Config:
    """One file's configuration (`--config`); no file or no table: the default one."""
    return Config() if pyproject is None else _config_of(pyproject, _our_table(pyproject))


@functools.cache
def _cached_config(pyproject: Path) -> Config:
    return _config_of(pyproject, _table_of(pyproject))


@functools.cache
def _settings_in(directory: Path) -> Path | None:
    """The pyproject.toml that configures files in `directory`: the nearest one with a
    `[tool.durable-writes]` table (one without says nothing about us, as for ruff)."""
    candidate = directory / "pyproject.toml"
    if candidate.is_file() and _table_of(candidate) is not None:
        return candidate
    parent = directory.parent
    return None if parent == directory else _settings_in(parent)


def find_pyproject(start: Path) -> Path | None:
    """The pyproject.toml whose `[tool.durable-writes]` applies in directory `start`."""
    return _settings_in(Path(os.path.abspath(start)))


def config_for(path: str | os.PathLike[str], overrides: Mapping[str, Any] | None = None,
               ) -> Config:
    """The configuration for the file at `path` (for a directory: for the files in it): the
    nearest pyproject.toml with a `[tool.durable-writes]` table, looked up once per
    directory, then `overrides` (Config field names, as the command line or flake8 give
    them) on top. `path` need not exist (an unsaved buffer, stdin with a display name).
    Raises ConfigError. A long-running face calls `clear_cache` when files change."""
    absolute = Path(os.path.abspath(path))
    directory = absolute if absolute.is_dir() else absolute.parent
    pyproject = _settings_in(directory)
    config = Config() if pyproject is None else _cached_config(pyproject)
    return with_overrides(config, overrides)


def clear_cache() -> None:
    """Forget what was read: the next lookup reads the pyproject.toml files again."""
    for cached in (_table_of, _cached_config, _settings_in):
        cached.cache_clear()


def with_overrides(config: Config, overrides: Mapping[str, Any] | None) -> Config:
    if not overrides:
        return config
    unknown = set(overrides) - _FIELDS
    if unknown:
        raise TypeError(f"not configuration fields: {', '.join(sorted(unknown))}")
    return replace(config, **overrides)


@dataclass(frozen=True)
class PerFile:
    """Configuration resolved per checked file: what workers get instead of one Config."""

    overrides: Mapping[str, Any] = field(default_factory=dict)

    def for_path(self, path: str) -> Config:
        return config_for(path, self.overrides)

    @property
    def exclude(self) -> tuple[str, ...]:
        """Nothing more to exclude: whoever resolves per file has already discovered the
        files with each root's configured excludes (see `cli._files`)."""
        return ()


def resolve(settings: Config | PerFile, path: str) -> Config:
    """The Config for one file, whether one was forced (`--config`) or it is found per file."""
    return settings.for_path(path) if isinstance(settings, PerFile) else settings
