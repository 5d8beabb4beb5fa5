"""What a module offers the fixer: its name for `os`, and helpers it already has."""
from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_rules.engine.findings import ModuleSupport
from lint_rules.engine.summaries import Helpers
from lint_rules.engine.names import Imports
from lint_rules.engine.scope import Collector, Scope, WriteSite, mentions_flag

DIR_HELPER = "_fsync_parent_dir"
FILE_HELPER = "_fsync_file"
_DIRECTORY_FLAG = frozenset({"O_DIRECTORY"})


def _module_level(tree: ast.Module) -> Iterator[ast.stmt]:
    """Statements that always run on import: the top level, and the body of a top-level try
    (`if TYPE_CHECKING: import os` binds nothing at run time)."""
    for stmt in tree.body:
        yield stmt
        if isinstance(stmt, ast.Try):
            yield from stmt.body


def _os_bindings(tree: ast.Module) -> tuple[str | None, str | None]:
    """(the module-level name of `os`, the module-level name of `os.fsync`), each if bound."""
    os_name = fsync = None
    for stmt in _module_level(tree):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name == "os" or (alias.name.startswith("os.") and not alias.asname):
                    os_name = os_name or alias.asname or "os"
        elif isinstance(stmt, ast.ImportFrom) and stmt.module == "os" and not stmt.level:
            for alias in stmt.names:
                if alias.name == "fsync":
                    fsync = fsync or alias.asname or "fsync"
    return os_name, fsync


def _names_taken(tree: ast.Module) -> tuple[set[str], bool]:
    """(every name the module uses or defines, whether `os` is also a variable, a parameter
    or another module's `os` somewhere), in one walk: where it is, the fixer imports the
    module under a name of its own rather than trust the name."""
    taken: set[str] = set()
    os_otherwise = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            taken.add(node.id)
            os_otherwise = os_otherwise or node.id == "os" and not isinstance(node.ctx, ast.Load)
        elif isinstance(node, ast.arg):
            os_otherwise = os_otherwise or node.arg == "os"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            taken.add(node.name)
            os_otherwise = os_otherwise or node.name == "os"
        elif isinstance(node, ast.ImportFrom):
            os_otherwise = os_otherwise or any(
                (alias.asname or alias.name) == "os" for alias in node.names)
        elif isinstance(node, ast.Import):
            os_otherwise = os_otherwise or any(
                alias.asname == "os" and alias.name != "os" for alias in node.names)
    return taken, os_otherwise


def _free_name(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name


def _existing_helper(tree: ast.Module, helpers: Helpers, collector: Collector, kind: str,
                     ) -> str | None:
    """A top-level function of one required parameter that does `kind` to it and nothing
    else: one that also writes, renames or opens directories is not the helper we need."""
    for stmt in tree.body:
        if not isinstance(stmt, ast.FunctionDef):  # an async one would need an await
            continue
        summary = helpers.summaries.get(stmt.name)
        if summary is None or summary.method or not summary.kinds:
            continue
        required = len(stmt.args.posonlyargs) + len(stmt.args.args) - len(stmt.args.defaults)
        first = summary.kinds[0]
        if required != 1 or kind not in first or "write" in first:
            continue
        if kind == "path" and ("parent" in first or mentions_flag(stmt, _DIRECTORY_FLAG)):
            continue  # a directory syncer: opening a file with O_DIRECTORY fails
        scope = collector.collect(stmt, stmt.body)
        if not scope.renames and all(_only_reopens(scope, site) for site in scope.writes):
            return stmt.name
    return None


def _only_reopens(scope: Scope, site: WriteSite) -> bool:
    """`os.open(path, os.O_RDWR)` to reach a file's data for an fsync: no truncation, and
    nothing written through the descriptor."""
    truncates = mentions_flag(site.call, frozenset({"O_TRUNC"}))
    return site.kind == "fd" and not truncates and not scope.uses(site, (1 << 30, 0))


def module_support(tree: ast.Module, imports: Imports, helpers: Helpers) -> ModuleSupport:
    os_name, fsync = _os_bindings(tree)
    taken, os_otherwise = _names_taken(tree)
    taken |= set(imports.local_to_qualified)
    if os_name in (None, "os") and os_otherwise:
        # `import os as _os` (ours, from an earlier run, or the module's) is trusted as is.
        os_name, fsync = None, None
        spelled_os = _free_name("_os", taken)
    else:
        spelled_os = os_name or "os"
    collector = Collector(imports, helpers)
    dir_helper = _existing_helper(tree, helpers, collector, "parent")
    file_helper = _existing_helper(tree, helpers, collector, "path")
    return ModuleSupport(
        os_name=spelled_os,
        has_os_import=os_name is not None,
        fsync=fsync or f"{spelled_os}.fsync",
        dir_helper=dir_helper or _free_name(DIR_HELPER, taken),
        dir_helper_exists=dir_helper is not None,
        file_helper=file_helper or _free_name(FILE_HELPER, taken),
        file_helper_exists=file_helper is not None,
    )
