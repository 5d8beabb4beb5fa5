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
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_CALL_AFTER = re.compile(r"\s*\(")
_CALLED_NAME = re.compile(r"(?<!def )\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
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
    _called: dict[int, set[str]] = field(default_factory=dict)  # id(scope) -> names it calls
    # (name, method calls only on modules?) -> the lines calling it
    _name_lines: dict[tuple[str, bool], list[int]] = field(default_factory=dict)

    def lines_calling(self, names: Iterable[str], modules: frozenset[str] | None = None,
                      ) -> list[int] | None:
        """Sorted numbers of the lines where one of `names` is followed by `(`.

        With `modules` (the module's names for imported modules), a call spelled as a method
        counts only on one of those modules, or as one of the path methods that write or
        rename (`p.open(...)`, `p.replace(dst)`, but not `s.replace(a, b)` of a string)."""
        if self.source is None:
            return None  # only a tree at hand: every scope may call anything
        names = set(names)
        if len(names) == 1:
            return self._lines_of_name(names.pop(), modules)
        lines = {line for name in names for line in self._lines_of_name(name, modules)}
        return sorted(lines)

    def _lines_of_name(self, name: str, modules: frozenset[str] | None) -> list[int]:
        """The lines calling one name, found once per module (many questions repeat)."""
        cached = self._name_lines.get((name, modules is not None))
        if cached is not None:
            return cached
        source = self.source
        # The regular expression scans in C for the name followed by `(` (and not the end
        # of a longer name); only those matches come back to Python.
        found = [m.start() for m in _call_of(name).finditer(source)]
        if modules is not None and not (name in _PATH_METHODS and name not in _TWO_ARGS):
            found = [at for at in found if source[at - 1] != "." or _on_module_or_path(
                source, at, at + len(name), name, modules)]
        lines = self._lines_of(found)
        self._name_lines[(name, modules is not None)] = lines
        return lines

    def _lines_of(self, offsets: list[int]) -> list[int]:
        """Line numbers of sorted offsets, without numbering every line where only \n
        breaks lines (counting them in C)."""
        source = self.source
        lines: list[int] = []
        if "\r" in source:
            starts = self.line_starts()
            for at in offsets:
                line = bisect.bisect_right(starts, at)
                if not lines or lines[-1] != line:
                    lines.append(line)
            return lines
        line, previous = 1, 0
        for at in offsets:
            line += source.count("\n", previous, at)
            previous = at
            if not lines or lines[-1] != line:
                lines.append(line)
        return lines

    def called_within(self, info: ScopeInfo, names: Iterable[str]) -> list[str]:
        """Which of `names` the scope's lines call (a `def name(` is no call); all of them
        when the source is not at hand."""
        if self.source is None:
            return list(names)
        called = self._called.get(id(info.node))
        if called is None:
            starts = self.line_starts()
            end = starts[info.end] if info.end < len(starts) else len(self.source)
            called = set(_CALLED_NAME.findall(self.source, starts[info.start - 1], end))
            self._called[id(info.node)] = called
        return [name for name in names if name in called]

    def line_text(self, line: int) -> str:
        """The text of a (1-based) line; empty when the source is not at hand."""
        if self.source is None:
            return ""
        starts = self.line_starts()
        end = starts[line] if line < len(starts) else len(self.source)
        return self.source[starts[line - 1]:end] if 0 < line <= len(starts) else ""

    def line_starts(self) -> list[int]:
        """Offsets where each line begins, with Python's line breaks (\n, \r\n, lone \r)."""
        if self._starts is None:
            source = self.source
            if "\r" in source:
                self._starts = [0] + [m.end() for m in _LINE_BREAK.finditer(source)]
            else:  # the common case, counted in C: each line's length and its \n
                lengths = map((1).__add__, map(len, source.split("\n")))
                self._starts = list(itertools.accumulate(lengths, initial=0))[:-1]
        return self._starts


@functools.lru_cache(maxsize=4096)
def _call_of(name: str) -> re.Pattern[str]:
    # The name first, so that the search runs on its letters; the check that no letter,
    # digit or `_` comes before it looks back from there.
    literal = re.escape(name)
    return re.compile(rf"{literal}(?<=(?<!\w){literal})\s*\(")


_OWNER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TWO_ARGUMENTS = re.compile(r"\s*\([^()\[\]{},\n]*,")
# Path methods that write or rename: on any object (a path), `p.open("w")` counts; of
# those also named like a string's method, only the one-argument call.
_PATH_METHODS = frozenset({"open", "write_text", "write_bytes", "replace", "rename"})
_TWO_ARGS = frozenset({"replace", "rename"})


def _on_module_or_path(source: str, at: int, end: int, name: str,
                       modules: frozenset[str]) -> bool:
    owner = _OWNER.search(source[max(0, at - 48):at - 1])
    if owner is not None and owner.group() in modules:
        return True
    if name not in _PATH_METHODS:
        return False
    # `s.replace(a, b)` of a string has two arguments, `p.replace(target)` one.
    return _TWO_ARGUMENTS.match(source, end) is None


def index_module(tree: ast.Module, source: str | None) -> ModuleIndex:
    index = ModuleIndex(source)
    index.scopes.append(ScopeInfo(tree, 1, 1 << 30))
    stack: list[tuple[ast.stmt, bool]] = [(stmt, False) for stmt in reversed(tree.body)]
    # By exact type, not isinstance: this loop sees every statement of every module.
    while stack:
        stmt, in_class = stack.pop()
        kind = type(stmt)
        if kind in _IMPORT_TYPES:
            index.imports.append(stmt)
            continue
        fields = _BLOCK_FIELDS.get(kind)
        if fields is None:
            continue
        if kind in _SCOPE_TYPES:
            method = in_class and kind is not ast.ClassDef
            index.scopes.append(ScopeInfo(stmt, stmt.lineno, stmt.end_lineno, method))
        inner_class = kind is ast.ClassDef
        for name in fields:
            for block in _blocks_of(stmt, name):
                stack.extend((child, inner_class) for child in reversed(block))
    return index


_IMPORT_TYPES = frozenset({ast.Import, ast.ImportFrom})
_SCOPE_TYPES = frozenset(_SCOPES)
# The statement lists directly inside each compound statement (bodies, else, handlers, cases).
_BLOCK_FIELDS = {kind: tuple(name for name in ("body", "orelse", "finalbody", "handlers", "cases")
                             if name in kind._fields)
                 for kind in _COMPOUND}


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement in a body, nested ones (blocks, functions, classes) included; no
    expression is visited, which is what makes this several times cheaper than ast.walk."""
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        for name in _BLOCK_FIELDS.get(type(stmt), ()):
            for block in _blocks_of(stmt, name):
                stack.extend(reversed(block))


def _blocks_of(stmt: ast.stmt, name: str) -> list[list[ast.stmt]]:
    value = getattr(stmt, name)
    if name == "handlers" or name == "cases":
        return [item.body for item in value]
    return [value]
