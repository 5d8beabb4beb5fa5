"""User configuration: names of external sync helpers, rule selection, extra excludes.

The command reads `[tool.durable-writes]` from the nearest pyproject.toml; flake8 reads the
same keys as options (`--durable-file-sync-helpers`, `--durable-dir-sync-helpers`).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


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
    # Keep summaries of other modules in .durable_writes_cache/ (`--no-cache`: False).
    use_cache: bool = True

    def enabled(self, code: str) -> bool:
        if self.select and not code.startswith(tuple(self.select)):
            return False
        return not (self.ignore and code.startswith(tuple(self.ignore)))


KEYS = frozenset({"durable-file-sync-helpers", "durable-dir-sync-helpers",
                  "durable-rename-helpers", "durable-open-helpers", "select", "ignore", "exclude",
                  "max-file-size"})


def split_names(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Accept "a, b" as well as ["a", "b"]: flake8 options arrive as strings."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    return tuple(item.strip() for item in items if item.strip())


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(pyproject: Path | None) -> Config:
    """Read `[tool.durable-writes]`; a missing file or table is the default configuration."""
    if pyproject is None:
        return Config()
    with open(pyproject, "rb") as fh:
        table = tomllib.load(fh).get("tool", {}).get("durable-writes", {})
    unknown = sorted(set(table) - KEYS)
    if unknown:  # a misspelt key would otherwise be a silent no-op
        raise ValueError(f"unknown key(s) in [tool.durable-writes]: {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(KEYS))}")
    return Config(
        file_sync_helpers=split_names(table.get("durable-file-sync-helpers")),
        dir_sync_helpers=split_names(table.get("durable-dir-sync-helpers")),
        rename_helpers=split_names(table.get("durable-rename-helpers")),
        open_helpers=split_names(table.get("durable-open-helpers")),
        max_file_size=table.get("max-file-size"),
        select=split_names(table.get("select")),
        ignore=split_names(table.get("ignore")),
        exclude=split_names(table.get("exclude")),
    )
