"""Who is called, and which expressions name the same file.

`Imports` turns a call's target into a qualified name through the module's imports
(`import os as _os`, `from os import replace`), so rules match `os.replace` however it is
spelled.  `Keys` turns a path or handle expression into a canonical string, seeing through
wrappers (`str(p)`, `Path(p)`, `fh.fileno()`) and simple aliases (`tmp = fh.name`).
"""
from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Container

# Calls that return the same file or path as their single argument.
_TRANSPARENT = frozenset({
    "str", "os.fspath", "os.fsencode", "os.fsdecode", "os.path.abspath", "os.path.realpath",
    "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath",
})
_DIRNAME = frozenset({"os.path.dirname"})
_CASTS = frozenset({"typing.cast", "typing_extensions.cast"})


class Imports:
    def __init__(self, nodes: list[ast.Import | ast.ImportFrom], package: str | None = None,
                 ) -> None:
        """`package`: the package the module sits in (its own name for an `__init__.py`);
        relative imports are qualified from it, and skipped when it is not known."""
        self.local_to_qualified: dict[str, str] = {}
        # Class attributes bound to a known function (`osrename = staticmethod(os.rename)`),
        # called as `self.osrename(...)`: attribute -> the function's qualified name.
        self.method_aliases: dict[str, str] = {}
        self.modules: frozenset[str] = frozenset(  # names bound by `import x [as y]`
            alias.asname or alias.name.split(".")[0]
            for node in nodes if isinstance(node, ast.Import) for alias in node.names)
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.local_to_qualified[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.local_to_qualified[top] = top
            elif (module := absolute_module(node, package)) is not None:
                for alias in node.names:
                    local = alias.asname or alias.name
                    self.local_to_qualified[local] = f"{module}.{alias.name}"

    def local_names_of(self, qualified: frozenset[str]) -> set[str]:
        """Local names bound to these (`from os import replace as r` -> "r")."""
        return {local for local, full in self.local_to_qualified.items() if full in qualified}

    def qualname(self, expr: ast.expr) -> str | None:
        """`_os.path.join` -> "os.path.join"; None for anything that is not a dotted name."""
        if isinstance(expr, ast.Name):
            return self.local_to_qualified.get(expr.id, expr.id)
        if isinstance(expr, ast.Attribute):
            if isinstance(expr.value, ast.Name) and expr.value.id in ("self", "cls") \
                    and expr.attr in self.method_aliases:
                return self.method_aliases[expr.attr]
            base = self.qualname(expr.value)
            return None if base is None else f"{base}.{expr.attr}"
        return None

    def is_module(self, expr: ast.expr) -> bool:
        """True for a name bound by `import x` or `import x.y as z` (not a variable that
        holds a Path)."""
        if not isinstance(expr, ast.Name):
            return False
        if expr.id in self.modules:
            return True
        qualified = self.local_to_qualified.get(expr.id)
        return qualified is not None and "." not in qualified


def absolute_module(node: ast.ImportFrom, package: str | None) -> str | None:
    """`from ..x import f` in package `a.b.c` -> "a.b.x"; None where it cannot be known."""
    if not node.level:
        return node.module
    parts = package.split(".") if package else []
    if node.level > len(parts):
        return None  # beyond the top-level package (or no package at all)
    base = parts[: len(parts) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else [])) or None


def call_arg(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    """The argument at a position or by keyword, whichever the call used."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    leading = call.args[: index + 1]
    if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in leading):
        return call.args[index]
    return None


class Keys:
    """Canonical strings for the expressions of one scope."""

    def __init__(self, imports: Imports, scope_nodes: list[ast.AST],
                 converters: Container[str] = frozenset()) -> None:
        self.imports = imports
        self.converters = converters  # the module's own `to_bytes(p)` and the like
        self.aliases: dict[str, ast.expr] = {}
        self.parents: dict[str, ast.expr] = {}  # d -> path, for `d = os.path.dirname(path)`
        counts: Counter[str] = Counter()
        single: dict[str, ast.expr] = {}
        sentinels: set[int] = set()  # `tmp = None` before `tmp = fh.name` binds nothing real
        for node in scope_nodes:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if len(targets) == 1 and isinstance(targets[0], ast.Name):
                    if isinstance(node.value, ast.Constant):
                        sentinels.add(id(targets[0]))
                    else:
                        single[targets[0].id] = node.value
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) \
                    and id(node) not in sentinels:
                counts[node.id] += 1
        for name, value in single.items():
            if counts[name] != 1:
                continue
            inner = self.unwrap(value)
            if isinstance(inner, (ast.Name, ast.Attribute)):
                self.aliases[name] = inner
            elif (parent := self._dirname_arg(inner)) is not None:
                self.parents[name] = parent

    def unwrap(self, expr: ast.expr) -> ast.expr:
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
            expr = expr.values[0]  # `os.path.dirname(path) or "."`
        if isinstance(expr, ast.Call) and len(expr.args) == 2 and not expr.keywords \
                and self.imports.qualname(expr.func) in _CASTS:
            expr = expr.args[1]  # `typing.cast(BinaryIO, f)` is `f`
        while isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords:
            if self.imports.qualname(expr.func) in _TRANSPARENT:
                expr = expr.args[0]
            elif isinstance(expr.func, ast.Name) and (
                    expr.func.id == "Path" or expr.func.id in self.converters):
                expr = expr.args[0]
            else:
                break
        if (
            isinstance(expr, ast.Call)
            and not expr.args
            and isinstance(expr.func, ast.Attribute)
            and expr.func.attr == "fileno"
        ):
            return self.unwrap(expr.func.value)
        return expr

    def key(self, expr: ast.expr, _depth: int = 0) -> str:
        expr = self.unwrap(expr)
        if isinstance(expr, ast.Name) and expr.id in self.aliases and _depth < 8:
            return self.key(self.aliases[expr.id], _depth + 1)
        return ast.unparse(expr)

    def parent_key(self, expr: ast.expr) -> str | None:
        """For an expression naming a directory: the key of the path it is the parent of."""
        expr = self.unwrap(expr)
        if isinstance(expr, ast.Name) and expr.id in self.parents:
            return self.key(self.parents[expr.id])
        inner = self._dirname_arg(expr)
        return None if inner is None else self.key(inner)

    def _dirname_arg(self, expr: ast.expr) -> ast.expr | None:
        if isinstance(expr, ast.Call) and len(expr.args) == 1:
            if self.imports.qualname(expr.func) in _DIRNAME:
                return expr.args[0]
        if isinstance(expr, ast.Attribute) and expr.attr == "parent":
            return expr.value
        return None
