"""What the engine reports: findings, and the edits that fix them.

A finding carries everything the fixer needs (where to insert which statements, and which
module-level support it relies on), so the fixer never re-derives what the checker decided.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Where = Literal["append", "before", "after", "argument"]


@dataclass(frozen=True)
class Edit:
    """Insert statements relative to an anchor statement.

    `anchor` is the (line, col) of an `ast` statement as Python reports it (1-based line,
    0-based UTF-8 column).  `append` adds to the end of the anchor's body (a `with` block);
    `before` and `after` add next to the anchor in its own block. `argument` adds `code[0]`
    (`dir=...`) as the last argument of the one-line call at `anchor`.
    """

    anchor: tuple[int, int]
    where: Where
    code: tuple[str, ...]


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    # Module-level support the edits call: "import_os", "dir_helper", "file_helper".
    needs: frozenset[str] = frozenset()
    # As ruff has it: "safe" fixes keep the program's meaning and are applied by `fix`;
    # "unsafe" ones may change it and need `--unsafe-fixes`.
    applicability: Literal["safe", "unsafe"] = "safe"


@dataclass(frozen=True)
class Finding:
    code: str
    line: int
    col: int
    message: str
    fix: Fix | None = None
    # Where the reported node ends (1-based line, 0-based column); 0 when unknown.
    end_line: int = 0
    end_col: int = 0


@dataclass(frozen=True)
class ModuleSupport:
    """How the fixer spells what it adds to one module.

    `os_name` is the module's name for `os` (an alias such as `_os`, else "os");
    `has_os_import` says whether it is bound at module level already; `fsync` is how to call
    fsync (`os.fsync`, `_os.fsync`, or the name of `from os import fsync`).  The helpers'
    names are free names, or those of helpers the module already has (`*_exists`), which are
    then called instead of inserted.
    """

    os_name: str = "os"
    has_os_import: bool = False
    fsync: str = "os.fsync"
    dir_helper: str = "_fsync_parent_dir"
    dir_helper_exists: bool = False
    file_helper: str = "_fsync_file"
    file_helper_exists: bool = False

    @property
    def fsync_bound(self) -> bool:
        """True when `fsync` works without adding `import os`."""
        return self.has_os_import or self.fsync != f"{self.os_name}.fsync"


@dataclass
class FileReport:
    """Everything one file produced: findings, or an error that stopped its analysis."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    support: ModuleSupport | None = None
    error: str | None = None
    error_line: int = 0
    error_col: int = 0
