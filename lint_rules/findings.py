"""What the engine reports: findings, and the edits that fix them.

A finding carries everything the fixer needs (where to insert which statements, and which
module-level support it relies on), so the fixer never re-derives what the checker decided.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Where = Literal["append", "before", "after"]


@dataclass(frozen=True)
class Edit:
    """Insert statements relative to an anchor statement.

    `anchor` is the (line, col) of an `ast` statement as Python reports it (1-based line,
    0-based UTF-8 column).  `append` adds to the end of the anchor's body (a `with` block);
    `before` and `after` add next to the anchor in its own block.
    """

    anchor: tuple[int, int]
    where: Where
    code: tuple[str, ...]


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    # Module-level support the edits call: "import_os", "dir_helper", "file_helper".
    needs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Finding:
    code: str
    line: int
    col: int
    message: str
    fix: Fix | None = None


@dataclass(frozen=True)
class ModuleSupport:
    """Names the fixer uses when it adds support code to a module.

    `os_name` is how the module spells the `os` module ("os", or an alias); `dir_helper`
    and `file_helper` are the helpers' names, and the `*_exists` flags say whether the module
    already defines one that does the job (then it is called, not inserted).
    """

    os_name: str = "os"
    has_os_import: bool = False
    dir_helper: str = "_fsync_parent_dir"
    dir_helper_exists: bool = False
    file_helper: str = "_fsync_file"
    file_helper_exists: bool = False


@dataclass
class FileReport:
    """Everything one file produced: findings, or an error that stopped its analysis."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    support: ModuleSupport | None = None
    error: str | None = None
    error_line: int = 0
    error_col: int = 0
