"""Sync helpers: the module's own functions that fsync what they are given, and configured ones.

A function is summarised by what it does to each parameter: fsyncs it ("handle"), flushes it
("flush"), fsyncs the file at that path ("path"), fsyncs the directory holding it ("parent"), or
fsyncs some directory ("dir").  Helpers calling helpers are resolved to a fixpoint, so chains
count.  Only functions that reach an fsync at all are summarised; most modules have none.
"""
from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lint_rules.config import Config
from lint_rules.engine.index import ModuleIndex, ScopeInfo
from lint_rules.engine.names import Imports, Keys
from lint_rules.engine.scope import FSYNCS, Collector

Fact = tuple[str, str | None]


@dataclass(frozen=True)
class Summary:
    params: tuple[str, ...]
    kinds: tuple[frozenset[str], ...]  # per parameter
    method: bool  # called as obj.name(...): the first parameter is bound already
    is_async: bool = False


def _param_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    args = func.args
    return tuple(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))


class Helpers:
    def __init__(self, index: ModuleIndex, imports: Imports, config: Config,
                 external: Callable[[str], Summary | None] | None = None) -> None:
        """`external`: the summary of a function another module defines, by qualified name
        (see project.py); without it, calls of anything imported are unknown."""
        self.imports = imports
        self.external = external
        self.index = index
        self.file_helpers = config.file_sync_helpers
        self.dir_helpers = config.dir_sync_helpers
        self.summaries: dict[str, Summary] = {}
        configured = (*self.file_helpers, *self.dir_helpers)
        self._sync_names = {"fsync", "fdatasync", "flush"} | {
            name.rsplit(".", 1)[-1] for name in configured}
        self._summarise([info for info in index.scopes if info.is_function])

    # -- what a call syncs ---------------------------------------------------------------

    def facts(self, call: ast.Call, qualified: str | None, keys: Keys,
              awaited: bool = False) -> list[Fact]:
        if qualified and _configured(qualified, self.file_helpers):
            return [(kind, keys.key(arg)) for arg in _plain_args(call)
                    for kind in ("handle", "path", "flush")]
        if qualified and _configured(qualified, self.dir_helpers):
            return [("dir", None)]
        summary = self._summary_for(call)
        if summary is None and qualified and self._imported(call.func):
            summary = self.external(qualified)
        if summary is None or (summary.is_async and not awaited):
            return []  # an async helper's coroutine does nothing until awaited
        facts: list[Fact] = []
        for kinds, arg in self._bind(summary, call):
            key = keys.key(arg)
            for kind in kinds:
                facts.append((kind, None if kind == "dir" else key))
                parent = keys.parent_key(arg) if kind == "path" else None
                if parent is not None:
                    facts.append(("parent", parent))
        return facts

    def _summary_for(self, call: ast.Call) -> Summary | None:
        func = call.func
        if isinstance(func, ast.Name):
            summary = self.summaries.get(func.id)
            return summary if summary and not summary.method else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in ("self", "cls"):
                summary = self.summaries.get(func.attr)
                return summary if summary and summary.method else None
        return None

    @staticmethod
    def _bind(summary: Summary, call: ast.Call) -> Iterator[tuple[frozenset[str], ast.expr]]:
        offset = 1 if summary.method else 0
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                return
            if index + offset < len(summary.params):
                yield summary.kinds[index + offset], arg
        for kw in call.keywords:
            if kw.arg in summary.params:
                yield summary.kinds[summary.params.index(kw.arg)], kw.value

    # -- summaries ----------------------------------------------------------------------

    def _summarise(self, functions: list[ScopeInfo]) -> None:
        candidates = self._candidates(functions)
        if not candidates:
            return
        collector = Collector(self.imports, self.facts)
        for _ in range(len(candidates) + 1):
            # Functions that share a name (methods of different classes) share a summary:
            # the union of what each does, so that rounds converge instead of taking turns.
            found: dict[str, Summary] = {}
            for info in candidates:
                summary = self._summarise_one(collector, info.node, info.method)
                if any(summary.kinds):
                    found[info.node.name] = _merge(found.get(info.node.name), summary)
            if found == self.summaries:
                return
            self.summaries = found

    def _summarise_one(self, collector: Collector, func, method: bool) -> Summary:
        params = _param_names(func)
        scope = collector.collect(func, func.body)
        kinds: list[set[str]] = [set() for _ in params]
        for sync in scope.syncs:
            if sync.kind == "dir" and kinds:
                kinds[0].add("dir")
            elif sync.target in params:
                kinds[params.index(sync.target)].add(sync.kind)
        return Summary(params, tuple(frozenset(k) for k in kinds), method,
                       isinstance(func, ast.AsyncFunctionDef))

    def _candidates(self, functions: list[ScopeInfo]) -> list[ScopeInfo]:
        """Functions that fsync, flush a parameter or call a configured helper, and
        (transitively) the functions that call them by name."""
        syncing = self.index.lines_calling(self._sync_names)
        if self.external is not None and syncing is not None:
            # A function that calls another module's helper may sync through it.
            syncing = sorted({*syncing, *self._import_call_lines()})
        chosen = [info for info in functions
                  if info.spans_any(syncing) and self._syncs_directly(info)]
        known = {info.node.name for info in chosen}
        new_names = set(known)
        while new_names:
            callers = self.index.lines_calling(new_names)
            more = [info for info in functions
                    if info.node.name not in known and info.spans_any(callers)]
            chosen.extend(more)
            new_names = {info.node.name for info in more} - known
            known |= new_names
        return chosen

    def _syncs_directly(self, info: ScopeInfo) -> bool:
        params = set(_param_names(info.node)) - {"self", "cls"}
        for call in ast.walk(info.node):
            if not isinstance(call, ast.Call):
                continue
            callee = call.func
            if (isinstance(callee, ast.Attribute) and callee.attr == "flush"
                    and isinstance(callee.value, ast.Name) and callee.value.id in params):
                return True
            qualified = self.imports.qualname(callee) or ""
            if self._imported(callee) and self.external(qualified) is not None:
                return True
            if qualified in FSYNCS or _configured(qualified, self.file_helpers) \
                    or _configured(qualified, self.dir_helpers):
                return True
        return False

    # -- callees defined in other modules -------------------------------------------------

    def _imported(self, func: ast.expr) -> bool:
        """Whether a call's target is a name bound by an import (and an external resolver is
        there to ask about it)."""
        while isinstance(func, ast.Attribute):
            func = func.value
        return self.external is not None and isinstance(func, ast.Name) \
            and func.id in self.imports.local_to_qualified

    def _import_call_lines(self) -> list[int]:
        """Lines that call an imported name (`f(...)`, `mod.f(...)`) that has a summary."""
        source = self.index.source or ""
        starts = self.index._line_starts()
        known: dict[str, bool] = {}
        lines = []
        for local, qualified in self.imports.local_to_qualified.items():
            at = source.find(local)
            while at != -1:
                end = at + len(local)
                before = source[at - 1] if at else " "
                call = _CALLED_AFTER.match(source, end)
                if call is not None and not (before.isalnum() or before in "_."):
                    attrs = "".join(call.group(1).split())
                    if attrs not in known:
                        known[attrs] = self.external(qualified + attrs) is not None
                    if known[attrs]:
                        lines.append(bisect.bisect_right(starts, at))
                at = source.find(local, end)
            known.clear()
        return sorted(lines)


# What follows an imported name where it is called: `(`, or `.attr(`, `.a.b(`.
_CALLED_AFTER = re.compile(r"((?:\s*\.\s*\w+)*)\s*\(")


def _merge(old: Summary | None, new: Summary) -> Summary:
    if old is None or old.params != new.params:
        return new if old is None or len(new.params) >= len(old.params) else old
    kinds = tuple(a | b for a, b in zip(old.kinds, new.kinds))
    return Summary(new.params, kinds, old.method and new.method, old.is_async and new.is_async)


def _configured(qualified: str, names: tuple[str, ...]) -> bool:
    """`mylib.fsync_file` matches itself and `x.mylib.fsync_file`; a bare name matches the
    last part of any call."""
    last = qualified.rsplit(".", 1)[-1]
    for name in names:
        if "." in name:
            if qualified == name or qualified.endswith("." + name):
                return True
        elif last == name:
            return True
    return False


def _plain_args(call: ast.Call) -> list[ast.expr]:
    return [a for a in call.args if not isinstance(a, ast.Starred)] + [
        kw.value for kw in call.keywords if kw.arg is not None
    ]
