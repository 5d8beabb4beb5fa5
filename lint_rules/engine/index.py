"""A cheap look at a module: its imports, its scopes, and which lines call which names.

Walking every node of a tree in Python costs several times what parsing it costs in C, so
this index walks statements only (scopes and imports are statements) and finds the lines
that call a name with a regular expression over the source.  That over-approximates (a name
in a comment or a string counts), which only means a scope is looked at more closely than it
needed to be; the rules themselves work on the tree.
"""
from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_CALL_AFTER = re.compile(r"\s*\(")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_COMPOUND = (*_SCOPES, ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith,
             ast.Try, ast.TryStar, ast.Match)


@dataclass
class ScopeInfo:
    node: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    start: int  # first and last line, nested scopes included
    end: int
    method: bool = False  # a function defined directly in a class body

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef))

    def spans_any(self, lines: list[int] | None) -> bool:
        """Whether one of these (sorted) line numbers lies in the scope; None: unknown, yes."""
        if lines is None:
            return True
        i = bisect.bisect_left(lines, self.start)
        return i < len(lines) and lines[i] <= self.end


@dataclass
class ModuleIndex:
    source: str | None
    imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)
    scopes: list[ScopeInfo] = field(default_factory=list)  # the module first
    _starts: list[int] | None = None

    def lines_calling(self, names: Iterable[str]) -> list[int] | None:
        """Sorted numbers of the lines where one of `names` is followed by `(`."""
        if self.source is None:
            return None  # only a tree at hand: every scope may call anything
        source = self.source
        offsets = []
        for name in set(names):
            at = source.find(name)
            while at != -1:
                end = at + len(name)
                before = source[at - 1] if at else " "
                if not (before.isalnum() or before == "_") and _CALL_AFTER.match(source, end):
                    offsets.append(at)
                at = source.find(name, end)
        offsets.sort()
        starts = self._line_starts()
        lines = []
        for at in offsets:
            line = bisect.bisect_right(starts, at)
            if not lines or lines[-1] != line:
                lines.append(line)
        return lines

    def _line_starts(self) -> list[int]:
        """Offsets where each line begins, with Python's line breaks (\n, \r\n, lone \r)."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in _LINE_BREAK.finditer(self.source)]
        return self._starts


def index_module(tree: ast.Module, source: str | None) -> ModuleIndex:
    index = ModuleIndex(source)
    index.scopes.append(ScopeInfo(tree, 1, 1 << 30))
    stack: list[tuple[ast.stmt, bool]] = [(stmt, False) for stmt in reversed(tree.body)]
    while stack:
        stmt, in_class = stack.pop()
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            index.imports.append(stmt)
            continue
        if not isinstance(stmt, _COMPOUND):
            continue
        if isinstance(stmt, _SCOPES):
            method = in_class and not isinstance(stmt, ast.ClassDef)
            index.scopes.append(ScopeInfo(stmt, stmt.lineno, stmt.end_lineno, method))
        inner_class = isinstance(stmt, ast.ClassDef)
        for block in _blocks(stmt):
            stack.extend((child, inner_class) for child in reversed(block))
    return index


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists directly inside a statement (bodies, else, handlers, cases)."""
    blocks = [stmt.body] if hasattr(stmt, "body") else []
    blocks += [getattr(stmt, name) for name in ("orelse", "finalbody") if hasattr(stmt, name)]
    blocks += [handler.body for handler in getattr(stmt, "handlers", ())]
    blocks += [case.body for case in getattr(stmt, "cases", ())]
    return blocks
