"""What a module offers the fixer: its name for `os`, and helpers it already has."""
from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_rules.findings import ModuleSupport
from lint_rules.helpers import Helpers
from lint_rules.names import Imports

DIR_HELPER = "_fsync_parent_dir"
FILE_HELPER = "_fsync_file"


def _module_level(tree: ast.Module) -> Iterator[ast.stmt]:
    """Top-level statements, including those under module-level if/try/with."""
    stack = list(reversed(tree.body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, (ast.If, ast.Try, ast.With)):
            for block in ("body", "orelse", "finalbody"):
                stack.extend(reversed(getattr(stmt, block, [])))
            for handler in getattr(stmt, "handlers", []):
                stack.extend(reversed(handler.body))


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


def _free_name(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name


def _existing_helper(tree: ast.Module, helpers: Helpers, kind: str, unless: str | None,
                     ) -> str | None:
    """A top-level function of one required parameter that does `kind` to it."""
    for stmt in tree.body:
        if not isinstance(stmt, ast.FunctionDef):  # an async one would need an await
            continue
        summary = helpers.summaries.get(stmt.name)
        if summary is None or summary.method or not summary.kinds:
            continue
        required = len(stmt.args.posonlyargs) + len(stmt.args.args) - len(stmt.args.defaults)
        first = summary.kinds[0]
        if required == 1 and kind in first and (unless is None or unless not in first):
            return stmt.name
    return None


def module_support(tree: ast.Module, imports: Imports, helpers: Helpers) -> ModuleSupport:
    os_name, fsync = _os_bindings(tree)
    taken = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    taken |= set(imports.local_to_qualified)
    taken |= {n.name for n in ast.walk(tree)
              if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    spelled_os = os_name or "os"
    dir_helper = _existing_helper(tree, helpers, "parent", None)
    file_helper = _existing_helper(tree, helpers, "path", "parent")
    return ModuleSupport(
        os_name=spelled_os,
        has_os_import=os_name is not None,
        fsync=fsync or f"{spelled_os}.fsync",
        dir_helper=dir_helper or _free_name(DIR_HELPER, taken),
        dir_helper_exists=dir_helper is not None,
        file_helper=file_helper or _free_name(FILE_HELPER, taken),
        file_helper_exists=file_helper is not None,
    )
