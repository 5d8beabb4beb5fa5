"""Summaries: what a helper does to its parameters and its return value, asked at every call.

One mechanism serves every kind of helper.  A function is summarised by what it does to each
parameter: fsyncs it ("handle"), flushes it ("flush"), fsyncs the file at that path ("path"),
fsyncs the directory holding it ("parent"), or opens it for writing and writes it ("write");
whether it fsyncs some directory; which parameter it renames over which (and whether it
fsyncs the directory afterwards: a durable rename); whether it returns or yields a writable
handle (an opener), and whether the data is synced when the `with` hands control back; whether
it returns its parameter converted (`to_bytes(p)`); whether it calls a function it is given
with the arguments that follow it (`retry(os.replace, a, b)`).  Module-level aliases
(`safe_rename = getattr(os, "replace", os.rename)`) and configured helpers get summaries of
the same shape, so the scope builder asks one question at every call: `summary_for`.

Only functions that could do any of this are summarised (a cheap look at the names they call:
an `open(p)` that surely reads does not count, see reads.py, and another module's function is
asked about only when a function being summarised calls it), then the functions that call
those whose summaries say something, round by round to a fixpoint, so chains and cycles
count.  Summaries hold plain data only, so they can be cached as JSON.
"""
from __future__ import annotations

import ast
import bisect
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from lint_rules.config import Config
from lint_rules.engine.classes import ModuleClasses
from lint_rules.engine.index import ModuleIndex, ScopeInfo, statements
from lint_rules.engine.names import Imports, Keys
from lint_rules.engine.reads import only_reads
from lint_rules.engine.scope import (
    FSYNCS, RENAME_NAMES, RENAMES, TEMP_FILES, WRITE_NAMES, WRITERS, Collector, Scope, WriteSite,
)


@dataclass(frozen=True)
class RenameFact:
    src: int  # the parameter renamed
    dst: int  # the parameter it is renamed over
    durable: bool  # the directory of the destination is fsynced afterwards


@dataclass(frozen=True)
class OpenFact:
    path: int | None  # the parameter the handle is opened on, if exactly one (else derived)
    synced: bool  # flushed and fsynced before control returns after the `with`
    pair: bool = False  # returns `(handle, name)`
    buffered: bool = True
    attr: str | None = None  # opened on this attribute of `path` (`open(self.path, ...)`)
    # Opens for writing only when this parameter is a write mode (`def open(self, mode="r")`
    # that reads with the default): the call's own mode decides.
    mode: int | None = None


@dataclass(frozen=True)
class Summary:
    params: tuple[str, ...]
    kinds: tuple[frozenset[str], ...]  # per parameter
    method: bool  # called as obj.name(...): the first parameter is bound already
    is_async: bool = False
    syncs_dir: bool = False  # fsyncs some directory (which one, we cannot say)
    renames: tuple[RenameFact, ...] = ()
    opens: OpenFact | None = None
    same_path: int | None = None  # returns this parameter converted
    # Calls parameter calls[0] with the parameters calls[1:] (none listed: those after it).
    calls: tuple[int, ...] | None = None
    # Returns what this tempfile function (`tempfile.mkstemp`) returns for the call's own
    # arguments, which it passes on unchanged.
    temp: str | None = None

    @property
    def acts(self) -> bool:
        """A call of it may write, rename or sync by itself (or through the function it is
        handed): what a file that does none of that in its own bytes can have findings by."""
        return bool(any(self.kinds) or self.syncs_dir or self.renames or self.opens
                    or self.calls is not None or self.temp is not None)

    @property
    def useful(self) -> bool:
        """It acts, or it is a converter (which matters beside a call that acts)."""
        return self.acts or self.same_path is not None

    @property
    def writes(self) -> bool:
        """Its call is a write site in the caller (a write helper, an opener, a temp file
        maker)."""
        return self.opens is not None or self.temp is not None \
            or any("write" in kinds for kinds in self.kinds)


# A rename function under another name: `replace = os.replace`, `functools.partial(...)`.
_RENAME_ALIAS = Summary(("src", "dst"), (frozenset(), frozenset()), False,
                        renames=(RenameFact(0, 1, False),))
# A sync function under another name: `disk_sync = os.fsync`.
_SYNC_ALIAS = Summary(("fd",), (frozenset({"handle"}),), False)
_PARTIALS = frozenset({"functools.partial", "partial"})
_FILE_SYNC_KINDS = frozenset({"handle", "path", "flush"})


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
        self.open_helpers = config.open_helpers
        self.rename_helpers = tuple(name.partition(":")[0] for name in config.rename_helpers)
        self.durable_renames = tuple(name.partition(":")[0] for name in config.rename_helpers
                                     if name.partition(":")[2].strip() == "durable")
        configured = (*self.file_helpers, *self.dir_helpers, *self.open_helpers,
                      *self.rename_helpers)
        self.configured_names = {name.rsplit(".", 1)[-1] for name in configured}
        self._aliases = _module_aliases(index.scopes[0].node, imports) if index.scopes else {}
        if index.scopes:
            imports.method_aliases.update(_class_aliases(index.scopes[0].node, imports))
        self._sync_names = {"fsync", "fdatasync", "flush"} | self.configured_names | {
            name for name, summary in self._aliases.items() if summary is _SYNC_ALIAS}
        self._values: dict[str, list[ast.expr]] | None = None
        self._classes: ModuleClasses | None = None
        self._methods: dict[str, list[ScopeInfo]] | None = None  # "Class.method" -> its def
        self._scopes: dict[int, Scope] = {}  # id(function) -> its scope under the summaries
        self._done: dict[str, Summary | None] = dict(self._aliases)
        self._provisional: dict[str, Summary | None] = {}
        self._active: dict[str, int] = {}  # names being summarised -> depth
        self._lowest = _NONE  # the lowest active depth read since a summary began
        self._functions = functions = [info for info in index.scopes if info.is_function]
        self._by_name: dict[str, list[ScopeInfo]] = {}
        for info in functions:
            self._by_name.setdefault(info.node.name, []).append(info)
        self._names = [*self._by_name, *self._aliases]
        # Lines that call what renames, writes or syncs by itself: the seeds of everything.
        modules = imports.modules
        writers = WRITE_NAMES | self.configured_names | imports.local_names_of(WRITERS)
        # Every name whose call seeds the writing lines (`self.osopen(...)` too).
        self._write_names = writers | {name for name, qualified in imports.method_aliases.items()
                                       if qualified in WRITERS}
        self._own = {
            "renaming": index.lines_calling(
                RENAME_NAMES | set(self._rename_aliases())
                | {n.rsplit(".", 1)[-1] for n in self.rename_helpers}
                | imports.local_names_of(RENAMES), modules),
            "writing": index.lines_calling(writers, modules),
            "syncing": index.lines_calling(self._sync_names | imports.local_names_of(FSYNCS)),
        }
        if imports.method_aliases:
            self._add_method_alias_lines(index, imports.method_aliases)
        # Calls of other modules' helpers seed the same lists as calls of os.replace do, but
        # each is asked about only when a scope that spans it is: asking summarises the
        # callee's module, and a module calls far more than the few functions that matter.
        self._sites = self._imported_sites() if external is not None else []
        self._site_lines = [site[0] for site in self._sites or ()]
        self._callees = _Callees(external)
        self._renamers: set[str] | None = None  # names whose calls may rename, found once
        self._rename_lines: list[tuple[str, list[int] | None]] | None = None
        self._any_renamer_line: list[int] | None = [-1]  # not computed yet
        # Another module's `to_bytes(p)`, called by its plain name, is the same path, as the
        # module's own converters are.
        self.converters = _Converters(_converters(functions, imports), imports, self._callees)

    @property
    def summaries(self) -> Mapping[str, Summary]:
        """Name -> Summary of every function and alias that does something, each computed
        when first read. A view made per access: kept as an attribute it would make a cycle,
        and a cycle keeps each module's tree alive until the cyclic collector, which then
        walks every node (a quarter of a cold run's time)."""
        return _Summaries(self)

    @property
    def aliases(self) -> Mapping[str, Summary]:
        """Module-level names bound to a rename or sync function (`replace = os.replace`)."""
        return self._aliases

    def _add_method_alias_lines(self, index: ModuleIndex, aliases: dict[str, str]) -> None:
        """Calls of `self.osrename(...)` seed the lists as calls of `os.rename` do."""
        for seeds, known in (("renaming", RENAMES), ("writing", WRITERS),
                             ("syncing", FSYNCS)):
            names = {name for name, qualified in aliases.items() if qualified in known}
            lines = self._own[seeds]
            if names and lines is not None:
                more = index.lines_calling(names)
                self._own[seeds] = sorted({*lines, *more}) if more else lines

    @functools.cached_property
    def renaming(self) -> list[int] | None:
        """The lines that rename by themselves or through another module's function."""
        return self._with_imported(self._own["renaming"], _renames_anything)

    @functools.cached_property
    def writing(self) -> list[int] | None:
        """The lines that may write a file by themselves (not those that surely only read)
        or through another module's function."""
        return self._with_imported(self._writing_lines, _writes_anything)

    def _with_imported(self, lines: list[int] | None, does: Callable[[Summary], bool],
                       ) -> list[int] | None:
        """`lines` and those of the calls of imported functions whose summary `does` it."""
        if lines is None or self._sites is None:
            return None  # no source to find the calls in: every line may
        more = [site[0] for site in self._sites
                if (summary := self._callees.of(site)) is not None and does(summary)]
        return sorted({*lines, *more}) if more else lines

    def _calls_acting_import(self, info: ScopeInfo) -> bool:
        """Whether the scope calls an imported function whose summary says it acts."""
        if self._sites is None:
            return True
        i = bisect.bisect_left(self._site_lines, info.start)
        while i < len(self._sites) and self._site_lines[i] <= info.end:
            summary = self._callees.of(self._sites[i])
            if summary is not None and summary.acts:
                return True
            i += 1
        return False

    # -- methods called on objects whose class is known ------------------------------------

    @property
    def classes(self) -> ModuleClasses:
        """The module's classes (their methods, what those return), read on first use."""
        if self._classes is None:
            self._classes = ModuleClasses(self.index, self.imports.qualname)
        return self._classes

    def class_of_method(self, node: ast.AST) -> str | None:
        """The class whose body defines this method (what `self` is in it)."""
        return self.classes.owner.get(id(node))

    def method_summary(self, cls: str, method: str) -> Summary | None:
        """The summary of `cls.method`, for a call on an object known to be of class `cls`:
        a class of this module (the method as that class or its nearest base here defines
        it), or an imported class (its module's summary of it)."""
        if cls in self.classes.methods:
            owner = self.classes.defines(cls, method, real=True)
            summary = self.local(f"{owner}.{method}") if owner is not None else None
        elif self.external is not None and "." in cls:
            summary = self.external(f"{cls}.{method}")
        else:
            summary = None
        return summary if summary is not None and summary.method else None

    def _class_methods(self) -> dict[str, list[ScopeInfo]]:
        if self._methods is None:
            owner = self.classes.owner
            self._methods = {}
            for info in self.index.scopes:
                if info.method and id(info.node) in owner:
                    name = f"{owner[id(info.node)]}.{info.node.name}"
                    self._methods.setdefault(name, []).append(info)
        return self._methods

    def values_of(self, name: str) -> list[ast.expr]:
        """What the module binds to a module-level `NAME` or to `self.attr` in its classes'
        methods (every binding), read the first time a mode or flags need it."""
        if self._values is None:
            tree = self.index.scopes[0].node if self.index.scopes else None
            self._values = _bound_values(tree)
        return self._values.get(name, [])

    def _rename_aliases(self) -> list[str]:
        return [name for name, summary in self._aliases.items() if summary.renames]

    def calls_helper(self, info: ScopeInfo, kind: str) -> bool:
        """Whether the scope calls one of the module's functions or aliases that renames
        (`kind` "rename") or writes a file ("write"); summarises only those it calls."""
        # Every scope asks about renames, few about writes (those that rename): the lines
        # calling a renamer are found once, then only scopes spanning one look closer.
        if kind == "rename":
            if self._any_renamer_line == [-1]:
                self._any_renamer_line = self.index.lines_calling(self._renamer_names())
            if not info.spans_any(self._any_renamer_line):
                return False
            return any(info.spans_any(lines) and self._does(kind, name)
                       for name, lines in self._renamer_lines())
        names = self._names
        return any(self._does(kind, name) for name in self.index.called_within(info, names))

    def rename_lines(self) -> list[int] | None:
        """The lines that rename, by themselves or through a module's function that does."""
        if self.renaming is None:
            return None
        if self._any_renamer_line == [-1]:
            self._any_renamer_line = self.index.lines_calling(self._renamer_names())
        if not self._any_renamer_line:
            return self.renaming
        lines = set(self.renaming)
        for name, called in self._renamer_lines():
            if called is None:
                return None
            if self._does("rename", name):
                lines.update(called)
        return sorted(lines)

    def _renamer_names(self) -> set[str]:
        """Names whose calls may rename: every scope asks, so they are found once, by name."""
        if self._renamers is None:
            self._renamers = {info.node.name for info in self._may_rename(self._functions)}
            self._renamers |= set(self._rename_aliases())
        return self._renamers

    def _renamer_lines(self) -> list[tuple[str, list[int] | None]]:
        """(name, the lines calling it) for each name that may rename (they are few)."""
        if self._rename_lines is None:
            found = []
            for name in sorted(self._renamer_names()):
                lines = self.index.lines_calling({name})
                if lines is not None:
                    defs = {info.node.lineno for info in self._by_name.get(name, ())}
                    lines = [line for line in lines if line not in defs]
                if lines is None or lines:
                    found.append((name, lines))
            self._rename_lines = found
        return self._rename_lines

    def _does(self, kind: str, name: str) -> bool:
        summary = self.local(name)
        if summary is None:
            return False
        return bool(summary.renames or summary.calls) if kind == "rename" else summary.writes

    # -- the one question asked at every call ------------------------------------------------

    def summary_for(self, call: ast.Call, qualified: str | None) -> Summary | None:
        """What the callee does, from configuration, the module's own functions and aliases;
        None for a callee we know nothing about (never a finding on its own)."""
        if qualified:
            configured = self._configured(call, qualified)
            if configured is not None:
                return configured
        func = call.func
        if isinstance(func, ast.Name):
            summary = self.local(func.id)
            if summary is not None and not summary.method:
                return summary
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id in ("self", "cls"):
            summary = self.local(func.attr)
            if summary is not None and summary.method:
                return summary
        # Callees defined elsewhere (other modules, installed packages) are asked here.
        if qualified and self._imported(call.func):
            return self.external(qualified)
        return None

    @staticmethod
    def bind(summary: Summary, call: ast.Call) -> dict[int, ast.expr]:
        """Parameter index -> the argument the call passes for it."""
        offset = 1 if summary.method else 0
        bound: dict[int, ast.expr] = {}
        if summary.method and isinstance(call.func, ast.Attribute) and summary.params:
            bound[0] = call.func.value  # the receiver is the first parameter
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                break
            if index + offset < len(summary.params):
                bound[index + offset] = arg
        for kw in call.keywords:
            if kw.arg in summary.params:
                bound[summary.params.index(kw.arg)] = kw.value
        return bound

    def scope_of(self, node: ast.AST) -> Scope | None:
        """The scope built while summarising `node`, if it was (it agrees with the final
        summaries: only summaries that no longer change keep their scopes)."""
        return self._scopes.get(id(node))

    def _configured(self, call: ast.Call, qualified: str) -> Summary | None:
        if not self.configured_names or qualified.rsplit(".", 1)[-1] not in self.configured_names:
            return None
        if _configured(qualified, self.file_helpers):
            # Whatever it is given, it syncs: a handle, an fd or a path.
            params = tuple(f"#{i}" for i, a in enumerate(call.args)
                           if not isinstance(a, ast.Starred))
            params += tuple(kw.arg for kw in call.keywords if kw.arg is not None)
            return Summary(params, (_FILE_SYNC_KINDS,) * len(params), False)
        if _configured(qualified, self.dir_helpers):
            return Summary((), (), False, syncs_dir=True)
        if _configured(qualified, self.rename_helpers):
            durable = _configured(qualified, self.durable_renames)
            return Summary(("src", "dst"), (frozenset(), frozenset()), False,
                           renames=(RenameFact(0, 1, durable),))
        if _configured(qualified, self.open_helpers):
            return Summary(("path",), (frozenset(),), False, opens=OpenFact(0, False))
        return None

    # -- callees defined in other modules ---------------------------------------------------

    def _imported(self, func: ast.expr) -> bool:
        """Whether a call's target is a name bound by an import (and an external resolver is
        there to ask about it)."""
        while isinstance(func, ast.Attribute):
            func = func.value
        return self.external is not None and isinstance(func, ast.Name) \
            and func.id in self.imports.local_to_qualified

    def _imported_sites(self) -> list[tuple[int, str, str, str]] | None:
        """(line, local name, `.attr` path after it, qualified name) for each call of an
        imported name (`f(...)`, `mod.f(...)`), by line; None where there is no source to
        search (every line may)."""
        source = self.index.source
        if source is None:
            return None
        starts = self.index.line_starts()
        found = []
        for local, qualified in self.imports.local_to_qualified.items():
            at = source.find(local)
            while at != -1:
                end = at + len(local)
                before = source[at - 1] if at else " "
                call = _CALLED_AFTER.match(source, end)
                if call is not None and not (before.isalnum() or before in "_."):
                    attrs = "".join(call.group(1).split())
                    found.append((bisect.bisect_right(starts, at), local, attrs, qualified))
                at = source.find(local, end)
        found.sort()
        return found

    # -- summaries, on demand ---------------------------------------------------------------

    def local(self, name: str) -> Summary | None:
        """The summary of the module's own function (or alias) `name`, computed the first
        time a call asks.  Recursion is solved to a fixpoint: a function that reads its own
        unfinished summary is summarised again until it stops changing, and what depends
        on an unfinished outer one is kept provisional until that one is done."""
        if name in self._done:
            return self._done[name]
        infos = self._by_name.get(name) or ("." in name and self._class_methods().get(name))
        if not infos:
            return None
        if name in self._active:
            self._lowest = min(self._lowest, self._active[name])
            return self._provisional.get(name)
        depth = len(self._active)
        self._active[name] = depth
        outer = self._lowest
        summary = None
        scopes: dict[int, Scope] = {}
        for _ in range(len(self._by_name) + 2):
            self._lowest = _NONE
            acting = [info for info in infos if self._may_act(info)]
            summary, scopes = self._summarise(acting)
            if self._lowest != depth or summary == self._provisional.get(name):
                break
            self._provisional[name] = summary
        del self._active[name]
        if self._lowest >= depth:
            self._done[name] = summary
            self._provisional.pop(name, None)
            self._scopes.update(scopes)
            self._lowest = outer
        else:
            self._provisional[name] = summary
            self._lowest = min(outer, self._lowest)
        return summary

    def _summarise(self, infos: list[ScopeInfo]) -> tuple[Summary | None, dict[int, Scope]]:
        # Functions that share a name (methods of different classes) share a summary: the
        # union of what each does.
        merged = None
        scopes = {}
        for info in infos:
            # A collector per use, not one kept here: it holds `self`, and the cycle would keep
            # the tree alive until the cyclic collector (see `summaries`).
            scope = Collector(self.imports, self).collect(info.node, info.node.body)
            scopes[id(info.node)] = scope
            summary = _summarise_one(scope, info, self.imports)
            if summary.useful:
                merged = _merge(merged, summary)
        return merged, scopes

    def _may_act(self, info: ScopeInfo) -> bool:
        """Whether a function can do anything a summary records, without building its scope:
        it calls something that renames, writes or syncs by itself, is a one-line converter
        or a forwarder, or calls a function of the module whose summary says something."""
        seeds = self._own
        if info.spans_any(seeds["renaming"]) or info.spans_any(self._writing_lines) \
                or info.spans_any(seeds["syncing"]) or _is_converter_shape(info.node) \
                or self._may_forward(info) or self._calls_acting_import(info):
            return True
        own = info.node.name
        return any(self.local(name) is not None
                   for name in self.index.called_within(info, self._names) if name != own)

    def _may_forward(self, info: ScopeInfo) -> bool:
        """`def retry(fn, *args): ... fn(*args)`: it may be handed `os.replace`."""
        args = info.node.args
        return args.vararg is not None and bool(args.args) \
            and bool(self.index.called_within(info, [args.args[0].arg]))

    @functools.cached_property
    def _writing_lines(self) -> list[int] | None:
        """The lines that may write by themselves, less those whose every call of a write
        name surely only reads (`open(path)`): only writes make a summary."""
        lines = self._own["writing"]
        if lines is None:
            return None
        return [line for line in lines if not only_reads(
            self.index.line_text(line), self._write_names, self.imports.modules)]

    def _may_rename(self, functions: list[ScopeInfo]) -> list[ScopeInfo]:
        """Functions that may rename, by the names they call, and their callers by name: a
        wrapper of a wrapper, and one more (deeper chains are rare, and following every
        caller of a common method name costs more than they would bring)."""
        # A forwarder may be handed a rename (`retry(os.replace, ...)`, or the project's own
        # `retry(replace_file, ...)`).
        chosen = [info for info in functions
                  if info.spans_any(self.renaming) or self._may_forward(info)]
        known = {info.node.name for info in chosen}
        new_names = set(known)
        for _ in range(2):
            if not new_names:
                break
            callers = self.index.lines_calling(new_names)
            more = [info for info in functions
                    if info.node.name not in known and info.spans_any(callers)]
            chosen.extend(more)
            new_names = {info.node.name for info in more} - known
            known |= new_names
        return chosen


_NONE = 1 << 30  # no unfinished summary was read

# What follows an imported name where it is called: `(`, or `.attr(`, `.a.b(`.
_CALLED_AFTER = re.compile(r"((?:\s*\.\s*\w+)*)\s*\(")


def _renames_anything(summary: Summary) -> bool:
    return bool(summary.renames or summary.calls)


def _writes_anything(summary: Summary) -> bool:
    return bool(summary.writes or summary.opens)


class _Summaries(Mapping[str, Summary]):
    """`Helpers.summaries`: name -> Summary of every function (and alias) that does
    something a summary records, computed on first access."""

    def __init__(self, helpers: Helpers) -> None:
        self._helpers = helpers

    def __getitem__(self, name: str) -> Summary:
        summary = self._helpers.local(name)
        if summary is None:
            raise KeyError(name)
        return summary

    def __iter__(self) -> Iterator[str]:
        names = [*self._helpers._aliases, *self._helpers._by_name]
        return iter([name for name in dict.fromkeys(names) if name in self])

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._helpers.local(name) is not None

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Callees:
    """The summaries of other modules' functions that a module calls, each asked once. Kept
    apart from Helpers so that what holds it (a scope's Keys, through `_Converters`) holds no
    tree: a cycle through one keeps every tree alive until the cyclic collector."""

    def __init__(self, external: Callable[[str], Summary | None] | None) -> None:
        self._external = external
        self._known: dict[str, Summary | None] = {}

    def of(self, site: tuple[int, str, str, str]) -> Summary | None:
        """The callee's summary for a call site (line, local name, `.attr` path, qualified)."""
        return self.summary(site[3] + site[2])

    def summary(self, callee: str) -> Summary | None:
        if callee not in self._known:
            self._known[callee] = self._external(callee) if self._external else None
        return self._known[callee]


class _Converters:
    """`Helpers.converters`: the module's own converters, and imported names whose summary
    says they return their path converted (asked when a call of one is read)."""

    def __init__(self, own: frozenset[str], imports: Imports, callees: _Callees) -> None:
        self._own = own
        self._imports = imports
        self._callees = callees

    def __contains__(self, name: object) -> bool:
        if name in self._own:
            return True
        qualified = self._imports.local_to_qualified.get(name)
        if qualified is None or name in self._imports.modules:
            return False
        summary = self._callees.summary(qualified)
        return summary is not None and summary.same_path == 0


def _converters(functions: list[ScopeInfo], imports: Imports) -> frozenset[str]:
    """Names of the module's one-line converters, chains of them included."""
    shaped = [info.node for info in functions
              if not info.method and _is_converter_shape(info.node)]
    found: frozenset[str] = frozenset()
    for _ in range(len(shaped) + 1):
        keys = Keys(imports, [], found)
        now = frozenset(f.name for f in shaped
                        if _converted(f, keys, {n: i for i, n in enumerate(_param_names(f))})
                        is not None)
        if now == found:
            break
        found = now
    return found


def _summarise_one(scope: Scope, info: ScopeInfo, imports: Imports) -> Summary:
    func = info.node
    params = _param_names(func)
    index = {name: i for i, name in enumerate(params)}
    kinds: list[set[str]] = [set() for _ in params]
    syncs_dir = False
    for sync in scope.syncs:
        if sync.kind == "dir":
            syncs_dir = True
        elif sync.target in index:
            kinds[index[sync.target]].add(sync.kind)
    for site in scope.writes:
        written = [index[key] for key in site.path_keys if key in index]
        if written and _writes(scope, site):
            for i in written:
                kinds[i].add("write")
    return Summary(
        params, tuple(frozenset(k) for k in kinds), info.method,
        isinstance(func, ast.AsyncFunctionDef),
        syncs_dir=syncs_dir,
        renames=_renames(scope, index),
        opens=_opener(scope, index),
        same_path=_converted(func, scope.keys, index),
        calls=_forwarding(func, index),
        temp=_temp_maker(scope, func, imports),
    )


def _temp_maker(scope: Scope, func, imports: Imports) -> str | None:
    """`def _mkstemp(*args, **kw): ... return tempfile.mkstemp(*args, **kw)`: the tempfile
    function whose result it returns, called with its own parameters passed on as they are
    (so a call of it can be read as a call of that function)."""
    if len(scope.returns) != 1:
        return None
    value = scope.returns[0][0]
    if scope.returns[0][2] or not isinstance(value, ast.Call):
        return None
    qualified = imports.qualname(value.func)
    if qualified not in TEMP_FILES:
        return None
    args = func.args
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    passed = [a.id if isinstance(a, ast.Name) else
              "*" + a.value.id if isinstance(a, ast.Starred) and isinstance(a.value, ast.Name)
              else None for a in value.args]
    expected = positional + (["*" + args.vararg.arg] if args.vararg else [])
    if passed != expected:
        return None
    for kw in value.keywords:
        name = getattr(kw.value, "id", None)
        if not (kw.arg is None and args.kwarg is not None and name == args.kwarg.arg
                or kw.arg is not None and kw.arg == name
                and name in [a.arg for a in args.kwonlyargs]):
            return None
    return qualified


def _writes(scope: Scope, site: WriteSite) -> bool:
    """The site's data is written here: by path, unbound, or through its handle."""
    return site.kind == "path" or site.handle is None or bool(scope.uses(site, (1 << 30, 0)))


def _renames(scope: Scope, index: dict[str, int]) -> tuple[RenameFact, ...]:
    durable: dict[tuple[int, int], bool] = {}
    for rename in scope.renames:
        dst = scope.keys.key(rename.dst)
        if rename.src_key in index and dst in index:
            pair = (index[rename.src_key], index[dst])
            durable[pair] = durable.get(pair, True) and scope.dir_synced(rename)
    return tuple(RenameFact(src, dst, d) for (src, dst), d in sorted(durable.items()))


def _opener(scope: Scope, index: dict[str, int]) -> OpenFact | None:
    """A writable handle returned or yielded (alone, or first of a pair)."""
    for value, at, is_yield in scope.returns:
        pair = isinstance(value, ast.Tuple) and len(value.elts) == 2
        handle = value.elts[0] if pair else value
        for site in (*scope.writes, *scope.mode_opens):
            if site.kind not in ("file", "raw-file"):
                continue
            if scope.keys.unwrap(handle) is not site.call \
                    and scope.keys.key(handle) not in site.handle_keys:
                continue
            path = next((index[key] for key in sorted(site.path_keys) if key in index), None)
            attr = None
            owner = site.path_expr
            if isinstance(owner, ast.Attribute) and scope.keys.key(owner.value) in index:
                # `open(self.path, "w")`: an attribute of a parameter (which may name the
                # file too, as a pathlib object would: that is for the caller to add).
                path, attr = index[scope.keys.key(owner.value)], owner.attr
            synced = is_yield and any(
                sync.kind == "handle" and sync.target in site.handle_keys and sync.pos > at
                for sync in scope.syncs)
            mode = next((index[name] for name in sorted(scope.mode_params) if name in index),
                        None)
            return OpenFact(path, synced, pair, site.kind == "file", attr, mode)
    return None


def _body(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    """The body without its docstring."""
    body = func.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return body[1:]
    return body


def _is_converter_shape(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = _body(func)
    return len(body) == 1 and isinstance(body[0], ast.Return) \
        and isinstance(body[0].value, (ast.Call, ast.IfExp)) and len(_param_names(func)) >= 1


def _converted(func, keys: Keys, index: dict[str, int]) -> int | None:
    """`return os.fsencode(p)`, `return p.encode() if isinstance(p, str) else p`: the
    parameter whose path a one-line converter returns."""
    if not _is_converter_shape(func):
        return None
    found = _converted_name(_body(func)[0].value, keys)
    return index.get(found) if found is not None else None


def _converted_name(expr: ast.expr, keys: Keys) -> str | None:
    expr = keys.unwrap(expr)
    if isinstance(expr, ast.IfExp):
        body, orelse = _converted_name(expr.body, keys), _converted_name(expr.orelse, keys)
        return body if body == orelse else None
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) \
            and expr.func.attr in ("encode", "decode"):
        return _converted_name(expr.func.value, keys)
    return expr.id if isinstance(expr, ast.Name) else None


def _forwarding(func, index: dict[str, int]) -> tuple[int, ...] | None:
    """`def retry(fn, *args): ... fn(*args)`: calls its first parameter with the rest."""
    args = func.args
    if args.vararg is None or not args.args:
        return None
    first = args.args[0].arg
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == first:
            if any(isinstance(a, ast.Starred) and isinstance(a.value, ast.Name)
                   and a.value.id == args.vararg.arg for a in node.args):
                return (index[first],)
    return None


def _module_aliases(tree: ast.AST, imports: Imports) -> dict[str, Summary]:
    """Module-level names bound to a rename function, however wrapped, or to a sync function
    (a `def` of the same name in a platform branch is taken to do the same)."""
    aliases: dict[str, Summary] = {}
    for stmt in _module_level(getattr(tree, "body", [])):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        if _is_rename_function(value, imports, aliases):
            aliases[target.id] = _RENAME_ALIAS
        elif imports.qualname(value) in FSYNCS \
                or isinstance(value, ast.Name) and aliases.get(value.id) is _SYNC_ALIAS:
            aliases[target.id] = _SYNC_ALIAS
    return aliases


def _bound_values(tree: ast.AST | None) -> dict[str, list[ast.expr]]:
    """Module-level `NAME = value` and `self.attr = value` in the methods of its classes:
    "NAME" / "self.attr" -> the values."""
    values: dict[str, list[ast.expr]] = {}
    for stmt in _module_level(getattr(tree, "body", [])):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name):
            values.setdefault(stmt.targets[0].id, []).append(stmt.value)
        elif isinstance(stmt, ast.ClassDef):
            for member in stmt.body:
                if not isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for node in statements(member.body):
                    if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                            and isinstance(target := node.targets[0], ast.Attribute) \
                            and isinstance(target.value, ast.Name) and target.value.id == "self":
                        values.setdefault(f"self.{target.attr}", []).append(node.value)
    return values


# What a class attribute may alias to be called as the function itself.
_METHOD_ALIASABLE = RENAMES | FSYNCS | WRITERS | {"os.write", "os.close"}


def _class_aliases(tree: ast.AST, imports: Imports) -> dict[str, str]:
    """Attributes of the module's classes bound to a file function, `osopen = os.open` or
    `staticmethod(os.open)`: name -> the function's qualified name."""
    aliases: dict[str, str] = {}
    for stmt in _module_level(getattr(tree, "body", [])):
        if not isinstance(stmt, ast.ClassDef):
            continue
        for member in stmt.body:
            if not (isinstance(member, ast.Assign) and len(member.targets) == 1
                    and isinstance(member.targets[0], ast.Name)):
                continue
            value = member.value
            if isinstance(value, ast.Call) and imports.qualname(value.func) == "staticmethod" \
                    and len(value.args) == 1:
                value = value.args[0]
            qualified = imports.qualname(value)
            if qualified in _METHOD_ALIASABLE:
                aliases[member.targets[0].id] = qualified
    return aliases


def _module_level(body: list[ast.stmt]):
    """Statements of the module body, and of its top-level try and if blocks (a fallback
    `try: replace = os.replace` / `except AttributeError: replace = os.rename`)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.Try, ast.If)):
            yield from _module_level(stmt.body)
            yield from _module_level(stmt.orelse)
            for handler in getattr(stmt, "handlers", ()):
                yield from _module_level(handler.body)


def _is_rename_function(value: ast.expr, imports: Imports, aliases: dict[str, Summary]) -> bool:
    if isinstance(value, ast.Name) and aliases.get(value.id) is _RENAME_ALIAS:
        return True
    qualified = imports.qualname(value)
    if qualified in RENAMES:
        return True
    if not isinstance(value, ast.Call) or value.keywords and not value.args:
        return False
    callee = imports.qualname(value.func)
    if callee == "getattr" and len(value.args) >= 2:
        module, attr = value.args[0], value.args[1]
        return isinstance(attr, ast.Constant) and \
            f"{imports.qualname(module)}.{attr.value}" in RENAMES
    if callee in _PARTIALS and value.args:
        return _is_rename_function(value.args[0], imports, aliases)
    # A decorator applied by hand: `retry(times=3)(os.replace)`, `wraps(os.replace)`.
    return len(value.args) == 1 and not value.keywords \
        and _is_rename_function(value.args[0], imports, aliases)


def _merge(old: Summary | None, new: Summary) -> Summary:
    if old is None or old.params != new.params:
        return new if old is None or len(new.params) >= len(old.params) else old
    kinds = tuple(a | b for a, b in zip(old.kinds, new.kinds))
    return Summary(new.params, kinds, old.method and new.method, old.is_async and new.is_async,
                   old.syncs_dir or new.syncs_dir, tuple(sorted({*old.renames, *new.renames},
                                                                key=repr)),
                   old.opens or new.opens,
                   old.same_path if old.same_path == new.same_path else None,
                   old.calls if old.calls == new.calls else None,
                   old.temp if old.temp == new.temp else None)


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
