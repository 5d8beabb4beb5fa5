"""What one scope (a function body, or the module body) does with files, in textual order.

A `Scope` lists the write sites, temp creations, renames, syncs, flushes, closes and handle
uses of one body, without descending into nested functions or classes (those are scopes of
their own).  Rules are then questions about positions in these lists.
"""
from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from lint_rules.engine.names import Imports, Keys, call_arg

if TYPE_CHECKING:
    from lint_rules.engine.classes import ModuleClasses
    from lint_rules.engine.summaries import OpenFact, Summary

# (line, col) of a node; a third part orders what one call of a helper does inside itself:
# (l, c, 1) its syncs and writes, (l, c, 2) its rename, (l, c, 3) a sync after that rename.
Pos = tuple[int, ...]


class CallModel(Protocol):
    """What the scope builder asks about calls it does not know itself (summaries.Helpers)."""

    converters: Container[str]  # local names of functions that return their argument's path

    def summary_for(self, call: ast.Call, qualified: str | None) -> Summary | None: ...

    def bind(self, summary: Summary, call: ast.Call) -> dict[int, ast.expr]: ...

    def values_of(self, name: str) -> list[ast.expr]: ...

    def class_of_method(self, node: ast.AST) -> str | None: ...

    def method_summary(self, cls: str, method: str) -> Summary | None: ...

    @property
    def classes(self) -> ModuleClasses: ...


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
RENAMES = frozenset({"os.replace", "os.rename", "os.renames", "shutil.move"})
FSYNCS = frozenset({"os.fsync", "os.fdatasync"})
_OPENS = frozenset({"open", "io.open", "builtins.open", "codecs.open"})
TEMP_FILES = frozenset({"tempfile.NamedTemporaryFile", "tempfile.mkstemp"})
_TEMP_DIRS = frozenset({"tempfile.mkdtemp", "tempfile.TemporaryDirectory"})
_COPIES = frozenset({"shutil.copy", "shutil.copy2", "shutil.copyfile"})  # write their dst
# Methods of path objects that write, rename or remove: `x.write_text(...)` on an imported
# module of the project is a call of its function instead.
_PATH_METHOD_NAMES = frozenset({"open", "write_text", "write_bytes", "replace", "rename", "unlink"})
# Writers that take a path and finish the file on close (a gzip trailer, a zip directory):
# only a sync by path after the close sees all of it.  Value: where the path and the mode sit.
_PATH_WRITERS = {
    name: (0, keyword, 1) for name, keyword in (
        ("gzip.open", "filename"), ("gzip.GzipFile", "filename"), ("bz2.open", "filename"),
        ("bz2.BZ2File", "filename"), ("lzma.open", "filename"), ("lzma.LZMAFile", "filename"),
        ("zipfile.ZipFile", "file"), ("tarfile.open", "name"), ("tarfile.TarFile", "name"))
}
_REMOVES = frozenset({"os.remove", "os.unlink"})
# Everything that creates or writes a file, by qualified name (for a module's own aliases).
WRITERS = _OPENS | TEMP_FILES | _TEMP_DIRS | _COPIES | set(_PATH_WRITERS) | {
    "os.fdopen", "os.open"}
# The last part of the names above and of the methods that do the same, as a call is spelled:
# a file or a scope that calls none of them can hold no finding.
SYNC_NAMES = frozenset({"fsync", "fdatasync"})
RENAME_NAMES = frozenset({"replace", "rename", "renames", "move"})
WRITE_NAMES = frozenset({"open", "fdopen", "NamedTemporaryFile", "mkstemp", "mkdtemp",
                         "write_text", "write_bytes", "copy", "copy2", "copyfile", "ZipFile",
                         "GzipFile", "BZ2File", "LZMAFile", "TarFile"})
_WRITE_FLAGS = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"})
# Attribute uses of a handle that neither write nor read its data.
_NEUTRAL_ATTRS = frozenset({"flush", "fileno", "close", "name", "closed", "mode"})
# Where `dir=` sits among the positional parameters of each temp-creating function.
_DIR_POSITION = {
    "tempfile.mkstemp": 2,
    "tempfile.mkdtemp": 2,
    "tempfile.NamedTemporaryFile": 6,
    "tempfile.TemporaryDirectory": 2,
}


def pos(node: ast.AST) -> Pos:
    return (node.lineno, node.col_offset)


def _end(node: ast.AST) -> Pos:
    return (node.end_lineno, node.end_col_offset)


@dataclass
class TempCreation:
    call: ast.Call
    has_dir: bool


@dataclass
class WriteSite:
    call: ast.Call  # where DUR101 is reported
    stmt: ast.stmt  # the statement holding the call
    # "file" (buffered file object), "raw-file" (unbuffered binary file object), "fd" (a raw
    # descriptor: os.open, mkstemp) or "path" (Path.write_text/write_bytes)
    kind: str
    path_keys: set[str]
    handle: ast.expr | None = None  # the name the file object or fd is bound to
    handle_keys: set[str] = field(default_factory=set)
    with_stmt: ast.With | ast.AsyncWith | None = None
    temp: TempCreation | None = None
    path_expr: ast.expr | None = None
    may_be_dir: bool = False  # shutil.copy(src, dst) accepts a directory as dst

    @property
    def pos(self) -> Pos:
        return pos(self.call)

    @property
    def end(self) -> Pos:
        return _end(self.call)


@dataclass
class Rename:
    call: ast.Call  # the rename, or the call of a wrapper that renames
    stmt: ast.stmt
    src_key: str
    src: ast.expr
    dst: ast.expr
    at: Pos | None = None  # inside a wrapper's call: after what it syncs before renaming

    @property
    def pos(self) -> Pos:
        return self.at or pos(self.call)


@dataclass
class Sync:
    """Something that flushes or fsyncs `target` (a key), at `call`.

    kinds: "handle" (fsync of a file object or fd), "path" (fsync of the file at a path),
    "parent" (fsync of the directory holding a path), "dir" (some directory, unknown which),
    "flush" (Python's buffer of a file object).
    """

    kind: str
    target: str | None
    call: ast.Call
    stmt: ast.stmt
    opened: bool = False  # for "handle": this scope opened it, so "path" facts say which file
    at: Pos | None = None  # where it takes effect, if not where the call starts

    @property
    def pos(self) -> Pos:
        return self.at or pos(self.call)


@dataclass
class Scope:
    node: ast.AST
    keys: Keys
    writes: list[WriteSite] = field(default_factory=list)
    temp_dirs: list[tuple[str, TempCreation]] = field(default_factory=list)
    renames: list[Rename] = field(default_factory=list)
    syncs: list[Sync] = field(default_factory=list)
    closes: list[tuple[str, ast.Call, ast.stmt]] = field(default_factory=list)
    # reads: (node, parent, innermost statement)
    names: list[tuple[ast.expr, ast.AST, ast.stmt]] = field(default_factory=list)
    stores: list[tuple[str, Pos, ast.stmt]] = field(default_factory=list)  # names bound
    removes: list[tuple[str, Pos]] = field(default_factory=list)  # os.remove(key), where
    # `with fh:` of a handle opened earlier: the handle is closed where the block ends.
    handle_withs: list[tuple[str, ast.With | ast.AsyncWith]] = field(default_factory=list)
    # What the body hands back: (value, where, True for a yield).
    returns: list[tuple[ast.expr, Pos, bool]] = field(default_factory=list)
    # Calls whose arguments are not "uses" of a handle: syncs, helpers that sync, closes.
    neutral_calls: set[int] = field(default_factory=set)
    enclosing: dict[int, ast.stmt | None] = field(default_factory=dict)  # id(stmt) -> parent
    assigns: list[tuple[str, ast.expr]] = field(default_factory=list)  # name = value
    # Parameters that choose the mode of a file this scope opens (`open(p, mode)`, read with
    # the default): a handle it returns is a write only when its caller passes a write mode.
    mode_params: set[str] = field(default_factory=set)
    # Files it opens with such a mode: writes only for the callers of an opener that pass one.
    mode_opens: list[WriteSite] = field(default_factory=list)

    def _chain(self, stmt: ast.stmt) -> list[ast.stmt]:
        chain = [stmt]
        while (parent := self.enclosing.get(id(chain[-1]))) is not None:
            chain.append(parent)
        return chain

    def exclusive(self, a: ast.stmt, b: ast.stmt) -> bool:
        """True when `a` and `b` sit in different branches of one if/elif/else or match:
        no run executes both."""
        chain_a, chain_b = self._chain(a), self._chain(b)
        index_b = {id(s): i for i, s in enumerate(chain_b)}
        for i, common in enumerate(chain_a):
            j = index_b.get(id(common))
            if j is None:
                continue
            if i == 0 or j == 0:
                return False  # one contains the other
            child_a, child_b = chain_a[i - 1], chain_b[j - 1]
            if isinstance(common, ast.If):
                return _holds(common.body, child_a) != _holds(common.body, child_b)
            if isinstance(common, ast.Match):
                return _case_of(common, child_a) is not _case_of(common, child_b)
            return False
        return False

    def lift(self, stmt: ast.stmt, owner: ast.stmt | None) -> ast.stmt | None:
        """The ancestor of `stmt` that sits directly in a block of `owner` (None: the scope's
        own body), so an insertion before it runs on every path that reaches `stmt`; None
        when `stmt` is not inside `owner` at all."""
        current = stmt
        while id(current) in self.enclosing:
            parent = self.enclosing[id(current)]
            if parent is owner:
                return current
            if parent is None:
                return None
            current = parent
        return None

    def uses(self, site: "WriteSite", before: Pos) -> list[Pos]:
        """Where the site's handle is used for its data (not flush/fileno/close/name/syncs),
        after the site and before `before` or the next rebinding of the handle's name."""
        if not site.handle_keys:
            return []
        end = min([before, *self._rebinding(site)])
        return [pos(node) for node, stmt in self.data_uses(site.handle_keys)
                if site.end < pos(node) < end and not self.exclusive(site.stmt, stmt)]

    def data_uses(self, handle_keys: set[str]) -> Iterator[tuple[ast.expr, ast.stmt]]:
        """Every use of these handles for their data, anywhere in the scope."""
        last_parts = {key.rsplit(".", 1)[-1] for key in handle_keys}
        for node, parent, stmt in self.names:
            if getattr(node, "id", getattr(node, "attr", None)) not in last_parts:
                continue
            if isinstance(parent, ast.Attribute) and parent.attr in _NEUTRAL_ATTRS:
                continue
            if isinstance(parent, ast.Call) and id(parent) in self.neutral_calls \
                    and node is not parent.func:
                continue
            if self.keys.key(node) in handle_keys:
                yield node, stmt

    def _rebinding(self, site: "WriteSite") -> list[Pos]:
        """Later bindings of the handle's name, except those in another branch of an `if`
        (`fh = open(a)` in one arm, `fh = open(b)` in the other: neither ends the first)."""
        bound_at = pos(site.handle) if site.handle is not None else site.pos
        # A file object over a descriptor owns it: `fd = -1` after `os.fdopen(fd)` only
        # says so, and ends nothing.
        names = {self.keys.key(site.handle)} if site.handle is not None else site.handle_keys
        return [at for key, at, stmt in self.stores
                if key in names and at > bound_at
                and not self.exclusive(site.stmt, stmt)]

    def dir_synced(self, rename: Rename) -> bool:
        """Whether something after the rename fsyncs a directory (or an fd from elsewhere,
        most likely the directory's); syncs of the files written here do not count."""
        written = {key for site in self.writes for key in site.path_keys | site.handle_keys}
        skip = written | {rename.src_key, self.keys.key(rename.dst)}
        for sync in self.syncs:
            if sync.pos <= rename.pos:
                continue
            if sync.kind in ("parent", "dir"):
                return True
            if sync.kind == "path" and sync.target not in skip:
                return True
            if sync.kind == "handle" and not sync.opened and sync.target not in skip:
                return True
        return False

    def bound_until(self, site: "WriteSite") -> Pos:
        """The handle means this site's file until its name is bound to something else."""
        return min(self._rebinding(site), default=(1 << 30, 0))


def _renamed_args(summary: Summary, args: dict[int, ast.expr],
                  ) -> list[tuple[ast.expr, ast.expr, bool]]:
    """(source, destination, durable) of each rename a call of a wrapper makes, as its
    arguments spell them (one not passed: not renamed here)."""
    found = []
    for fact in summary.renames:
        src, dst = args.get(fact.src), args.get(fact.dst)
        if src is not None and dst is not None:
            found.append((src, dst, fact.durable))
    return found


def _is_self(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Name) and expr.id in ("self", "cls")


def _class_name(name: str | None, classes: ModuleClasses) -> str | None:
    """A class of the module, or an imported name spelled as a class is (CapWords, PEP 8):
    an imported function's result is not asked about, which would cost a module's summaries
    for nothing."""
    if name is None or name in classes.methods:
        return name
    return name if name.rsplit(".", 1)[-1][:1].isupper() else None


def _holds(block: list[ast.stmt], stmt: ast.stmt) -> bool:
    return any(s is stmt for s in block)


def _case_of(match: ast.Match, stmt: ast.stmt) -> ast.match_case | None:
    return next((case for case in match.cases if _holds(case.body, stmt)), None)


def walk_scope(body: list[ast.stmt], enclosing: dict[int, ast.stmt | None] | None = None,
               ) -> Iterator[tuple[ast.AST, ast.AST | None, ast.stmt]]:
    """(node, parent, innermost statement) for every node of one scope, in pre-order.

    `enclosing`, when given, is filled with id(statement) -> the statement whose block holds
    it (None for the scope's own body).
    """
    enclosing = {} if enclosing is None else enclosing
    stack: list[tuple[ast.AST, ast.AST | None, ast.stmt]] = []
    for s in reversed(body):
        if not isinstance(s, _NESTED):
            stack.append((s, None, s))
            enclosing[id(s)] = None
    while stack:
        node, parent, stmt = stack.pop()
        yield node, parent, stmt
        for child in reversed(list(ast.iter_child_nodes(node))):
            if not isinstance(child, _NESTED):
                if isinstance(child, ast.stmt):
                    enclosing[id(child)] = stmt
                    stack.append((child, node, child))
                else:
                    stack.append((child, node, stmt))


def _flushes_file(call: ast.Call) -> ast.expr | None:
    """The file of `print(..., file=fh, flush=True)`."""
    keywords = {kw.arg: kw.value for kw in call.keywords}
    flush = keywords.get("flush")
    if isinstance(flush, ast.Constant) and flush.value is True:
        return keywords.get("file")
    return None


def _parameter_defaults(node: ast.AST) -> dict[str, ast.expr]:
    """`def f(path, mode="w")` -> {"mode": "w"}: a mode passed through is usually the default
    (the modes this reads them for)."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return {}
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults):]],
                        args.defaults))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    # `mode: Literal["r+b", "wb"]` with no default: every caller passes one of these, and a
    # write mode among them makes the file one opened for writing.
    for arg in (*positional, *args.kwonlyargs):
        if arg.arg not in defaults and (mode := _literal_write_mode(arg.annotation)) is not None:
            defaults[arg.arg] = mode
    return defaults


def _literal_write_mode(annotation: ast.expr | None) -> ast.Constant | None:
    """The first write mode a `Literal[...]` annotation allows, if any."""
    if not isinstance(annotation, ast.Subscript):
        return None
    name = annotation.value
    if getattr(name, "id", getattr(name, "attr", None)) != "Literal":
        return None
    values = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) \
        else [annotation.slice]
    return next((value for value in values if _is_write_mode(value)), None)


def _is_write_mode(mode: ast.expr | None) -> bool:
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(
        c in mode.value for c in "wax+"
    )


def _is_read_mode(mode: ast.expr | None) -> bool:
    """Read-only for sure: no mode given, or a constant one without w, a, x or +."""
    return mode is None or isinstance(mode, ast.Constant) and not _is_write_mode(mode)


def mentions_flag(node: ast.AST | None, flags: frozenset[str]) -> bool:
    """Whether an expression names one of these `os.O_*` flags (`os.O_TRUNC` or `O_TRUNC`)."""
    return node is not None and any(
        getattr(n, "attr", getattr(n, "id", None)) in flags
        for n in ast.walk(node) if isinstance(n, (ast.Attribute, ast.Name))
    )


def _is_unbuffered(call: ast.Call, index: int, mode: ast.expr | None) -> bool:
    """`buffering=0`, which Python allows for binary files only: no buffer to flush."""
    buffering = call_arg(call, index, "buffering")
    return (isinstance(buffering, ast.Constant) and buffering.value == 0
            and "b" in str(getattr(mode, "value", "")))


def _bindings(nodes: list[tuple[ast.AST, ast.AST | None, ast.stmt]],
              ) -> dict[int, tuple[ast.expr, ast.stmt | None]]:
    """id(call) -> (the target it is bound to, the `with` statement binding it if any)."""
    bound: dict[int, tuple[ast.expr, ast.stmt | None]] = {}
    for node, _, _ in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            bound[id(node.value)] = (node.targets[0], None)
            value = node.value
            # `d = Path(tempfile.mkdtemp())`: the inner call is bound to `d` as well.
            if isinstance(value, ast.Call) and len(value.args) == 1 \
                    and isinstance(value.args[0], ast.Call):
                bound.setdefault(id(value.args[0]), (node.targets[0], None))
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            bound[id(node.value)] = (node.target, None)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    bound[id(item.context_expr)] = (item.optional_vars, node)
    return bound


class Collector:
    """Builds the `Scope` of a body; `model` answers what a call of a helper does."""

    def __init__(self, imports: Imports, model: CallModel) -> None:
        self.imports = imports
        self.model = model

    def collect(self, node: ast.AST, body: list[ast.stmt]) -> Scope:
        return _ScopeBuilder(self.imports, self.model, node, body).scope


class _ScopeBuilder:
    """One body, read once: what it opens, renames, syncs and closes, in textual order."""

    def __init__(self, imports: Imports, model: CallModel, node: ast.AST,
                 body: list[ast.stmt]) -> None:
        self.imports = imports
        self.model = model
        enclosing: dict[int, ast.stmt | None] = {}
        nodes = list(walk_scope(body, enclosing))
        keys = Keys(imports, [n for n, _, _ in nodes], model.converters)
        self.scope = scope = Scope(node, keys, enclosing=enclosing)
        self._bound = _bindings(nodes)
        self._fd_paths: dict[str, set[str]] = {}  # handle or fd key -> keys of the opened path
        self._fd_parents: dict[str, str] = {}  # fd key -> key of the path whose directory it is
        self._temps: dict[str, WriteSite] = {}  # fd key -> the raw site os.open/mkstemp made
        self._defaults = _parameter_defaults(node)
        self._awaited: set[int] = set()
        calls = []
        for child, parent, stmt in nodes:
            if isinstance(child, ast.Await):
                self._awaited.add(id(child.value))
            if isinstance(child, ast.Call):
                calls.append((child, stmt))
            elif isinstance(child, (ast.Name, ast.Attribute)):
                if isinstance(child.ctx, ast.Load):
                    scope.names.append((child, parent, stmt))
                else:
                    scope.stores.append((ast.unparse(child), pos(child), stmt))
            elif isinstance(child, ast.Assign) and len(child.targets) == 1:
                target = child.targets[0]
                if isinstance(target, ast.Name):
                    scope.assigns.append((target.id, child.value))
            elif isinstance(child, (ast.With, ast.AsyncWith)):
                scope.handle_withs += [(keys.key(item.context_expr), child) for item in child.items
                                       if isinstance(item.context_expr, (ast.Name, ast.Attribute))]
            elif isinstance(child, (ast.Return, ast.Yield)) and child.value is not None:
                scope.returns.append((child.value, pos(child), isinstance(child, ast.Yield)))
        # Names this scope binds itself (parameters too) are not the module's.
        args = [arg for arg in ast.walk(node.args) if isinstance(arg, ast.arg)] \
            if hasattr(node, "args") else []
        self._params = {arg.arg for arg in args}
        self._local_names = {key for key, _, _ in scope.stores} | self._params
        self._classes_of: dict[str, str | None] = {}  # name or self.attr -> its class
        self._assigned: dict[str, list[ast.expr]] | None = None
        self._store_counts: Counter[str] = Counter()
        self._annotations = {arg.arg: arg.annotation for arg in args
                             if arg.annotation is not None}
        calls.sort(key=lambda item: pos(item[0]))
        for call, stmt in calls:
            self._call(scope, call, stmt)

    def _mode(self, mode: ast.expr | None) -> ast.expr | None:
        if isinstance(mode, ast.Name) and mode.id in self._defaults:
            return self._defaults[mode.id]
        # `self.mode`, set to "w+" or "w+b" in `__init__`: a mode every binding agrees on.
        values = self._bound_elsewhere(mode)
        if values and all(_is_write_mode(v) for v in values):
            return values[0]
        if values and all(_is_read_mode(v) and v is not None for v in values):
            return values[0]
        return mode

    def _bound_elsewhere(self, expr: ast.expr | None, depth: int = 0) -> list[ast.expr]:
        """The values `self.attr` (or a module-level name not bound in this scope) is bound
        to, both arms of a conditional, and module-level names they name in turn."""
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) \
                and expr.value.id == "self":
            found = self.model.values_of(f"self.{expr.attr}")
        elif isinstance(expr, ast.Name) and expr.id not in self._local_names:
            found = self.model.values_of(expr.id)
        else:
            return []
        values: list[ast.expr] = []
        for value in found:
            arms = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
            for arm in arms:
                deeper = self._bound_elsewhere(arm, depth + 1) if depth < 2 else []
                values.extend(deeper or [arm])
        return values

    def _target(self, call: ast.Call) -> tuple[ast.expr | None, ast.stmt | None]:
        return self._bound.get(id(call), (None, None))

    def _remember_open(self, keys: Keys, target: ast.expr | None, path: ast.expr | None) -> None:
        if target is None or path is None or not isinstance(target, (ast.Name, ast.Attribute)):
            return
        handle = keys.key(target)
        self._fd_paths.setdefault(handle, set()).add(keys.key(path))
        parent = keys.parent_key(path)
        if parent is not None:
            self._fd_parents[handle] = parent

    def _add_file(self, scope: Scope, call: ast.Call, stmt: ast.stmt, path: ast.expr | None,
                  buffered: bool, target: ast.expr | None = None,
                  path_keys: frozenset[str] = frozenset(),
                  sites: list[WriteSite] | None = None) -> WriteSite:
        bound, with_stmt = self._target(call)
        target = bound if target is None else target
        keys = scope.keys
        self._remember_open(keys, target, path)
        paths = set(path_keys) | ({keys.key(path)} if path is not None else set())
        site = WriteSite(call, stmt, "file" if buffered else "raw-file", paths,
                         with_stmt=with_stmt, path_expr=path)
        if isinstance(target, (ast.Name, ast.Attribute)):
            site.handle = target
            site.handle_keys = {keys.key(target)}
            # `os.replace(fh.name, path)`: the handle's name is the path it was opened on.
            name = keys.key(ast.Attribute(value=target, attr="name", ctx=ast.Load()))
            site.path_keys.add(name)
            self._fd_paths.setdefault(keys.key(target), set()).update(site.path_keys)
        (scope.writes if sites is None else sites).append(site)
        return site

    def _call(self, scope: Scope, call: ast.Call, stmt: ast.stmt) -> None:
        keys = scope.keys
        func = call.func
        qualified = self.imports.qualname(func)
        method = func.attr if isinstance(func, ast.Attribute) else None
        on_object = method is not None and not self.imports.is_module(func.value) \
            and not self._is_imported_helper(call, method, qualified)
        if on_object and not _is_self(func.value):
            # A method of an object whose class we know: that class's summary of it.
            cls = self._class_of(func.value)
            summary = self.model.method_summary(cls, method) if cls is not None else None
            if summary is not None:
                self._helper_call(scope, call, stmt, qualified, summary)
                return
        if qualified in _OPENS and self._is_raw_fd(keys, call_arg(call, 0, "file")):
            self._fdopen(scope, call, stmt, mode_index=1, mode_keyword="mode", fd_keyword="file")
        elif qualified in _OPENS:
            path, mode = call_arg(call, 0, "file"), self._mode(call_arg(call, 1, "mode"))
            if _is_write_mode(mode) and path is not None:
                unbuffered = _is_unbuffered(call, 2, mode)
                self._add_file(scope, call, stmt, path, buffered=not unbuffered)
            elif path is not None and self._note_mode_param(scope, call_arg(call, 1, "mode")):
                self._add_file(scope, call, stmt, path, True, sites=scope.mode_opens)
            else:
                self._remember_open(keys, self._target(call)[0], path)
        elif method == "open" and on_object and qualified != "os.open":
            mode = self._mode(call_arg(call, 0, "mode"))
            if _is_write_mode(mode):
                unbuffered = _is_unbuffered(call, 1, mode)
                self._add_file(scope, call, stmt, func.value, buffered=not unbuffered)
            elif self._note_mode_param(scope, call_arg(call, 0, "mode")):
                self._add_file(scope, call, stmt, func.value, True, sites=scope.mode_opens)
            else:
                self._remember_open(keys, self._target(call)[0], func.value)
        elif qualified == "os.fdopen":
            self._fdopen(scope, call, stmt)
        elif qualified == "os.open":
            self._os_open(scope, call, stmt)
        elif qualified in TEMP_FILES:
            self._temp_file(scope, call, stmt, qualified)
        elif qualified in _TEMP_DIRS:
            target, _ = self._target(call)
            if isinstance(target, ast.Name):
                has_dir = call_arg(call, _DIR_POSITION[qualified], "dir") is not None
                scope.temp_dirs.append((target.id, TempCreation(call, has_dir)))
        elif qualified in _COPIES and call_arg(call, 1, "dst") is not None:
            dst = call_arg(call, 1, "dst")
            scope.writes.append(WriteSite(call, stmt, "path", {keys.key(dst)}, path_expr=dst,
                                          may_be_dir=qualified != "shutil.copyfile"))
        elif method in ("write_text", "write_bytes") and on_object:
            scope.writes.append(WriteSite(call, stmt, "path", {keys.key(func.value)},
                                          path_expr=func.value))
        elif qualified in RENAMES:
            src, dst = call_arg(call, 0, "src"), call_arg(call, 1, "dst")
            if src is not None and dst is not None:
                scope.renames.append(Rename(call, stmt, keys.key(src), src, dst))
        elif method in ("replace", "rename") and on_object and self._is_path_rename(call):
            dst = call.args[0] if call.args else call.keywords[0].value
            scope.renames.append(Rename(call, stmt, keys.key(func.value), func.value, dst))
        elif qualified in _PATH_WRITERS:
            self._path_writer(scope, call, stmt, qualified)
        elif qualified in _REMOVES and call.args or method == "unlink" and on_object:
            removed = call.args[0] if qualified in _REMOVES else func.value
            scope.removes.append((keys.key(removed), pos(call)))
        elif qualified in FSYNCS:
            self._fsync(scope, call, stmt)
        elif qualified == "print" and _flushes_file(call) is not None:
            # It writes, then flushes: the flush counts from the end of the call.
            target = keys.key(_flushes_file(call))
            scope.syncs.append(Sync("flush", target, call, stmt, at=_end(call)))
        elif method == "flush" and not call.args:
            scope.syncs.append(Sync("flush", keys.key(func.value), call, stmt))
        elif method == "close" and not call.args and on_object:
            scope.closes.append((keys.key(func.value), call, stmt))
        elif qualified == "os.close" and call.args:
            scope.closes.append((keys.key(call.args[0]), call, stmt))
            scope.neutral_calls.add(id(call))
        else:
            self._helper_call(scope, call, stmt, qualified)

    def _note_mode_param(self, scope: Scope, mode: ast.expr | None) -> bool:
        """`open(p, mode)`, `open(p, mode.replace("b", "") + "b")` with `mode` a parameter:
        whether this opens for writing is the caller's to say."""
        if mode is None:
            return False
        named = {n.id for n in ast.walk(mode) if isinstance(n, ast.Name)}
        if len(named) == 1 and named <= self._params:
            scope.mode_params |= named
            return True
        return False

    # -- the class of a method's receiver ---------------------------------------------------

    def _class_of(self, expr: ast.expr, depth: int = 0) -> str | None:
        """The class of the object an expression names, where the source says it for sure:
        `self` in a method, a parameter's annotation, a name every binding of which makes
        the same class (`Cls(...)`, a method of a class here that returns one), `self.attr`
        bound so in the module's methods. None for anything less certain."""
        if depth > 3:
            return None
        if isinstance(expr, ast.Call):
            return self._made_by(expr, depth)
        if isinstance(expr, ast.Name):
            name = expr.id
        elif isinstance(expr, ast.Attribute) and _is_self(expr.value):
            name = f"self.{expr.attr}"
        else:
            return None
        if name not in self._classes_of:  # most method calls are on a few names: once each
            self._classes_of[name] = None  # (and a name bound from itself is unknown)
            self._classes_of[name] = self._class_of_name(name, depth)
        return self._classes_of[name]

    def _class_of_name(self, name: str, depth: int) -> str | None:
        classes = self.model.classes
        if name == "self":
            return self.model.class_of_method(self.scope.node)
        if name in self._annotations:
            return _class_name(classes.annotated(self._annotations[name]), classes)
        if name.startswith("self."):
            values = self.model.values_of(name)
        else:
            if self._assigned is None:
                self._assigned = {}
                for target, value in self.scope.assigns:
                    self._assigned.setdefault(target, []).append(value)
                self._store_counts = Counter(key for key, _, _ in self.scope.stores)
            values = self._assigned.get(name, [])
            if not values or len(values) != self._store_counts[name]:
                return None  # also bound by a loop, a `with`, a tuple: unknown
        found = {self._made_by(value, depth) for value in values}
        return found.pop() if len(found) == 1 else None

    def _made_by(self, value: ast.expr, depth: int) -> str | None:
        if isinstance(value, ast.Name):
            return self._class_of(value, depth + 1)
        if not isinstance(value, ast.Call):
            return None
        func = value.func
        classes = self.model.classes
        if isinstance(func, ast.Attribute) and not self.imports.is_module(func.value):
            # `self.temporarySibling(ext)`, `old.child(k)`: what that method returns, for a
            # class of this module (another module's returns are not summarised).
            receiver = self._class_of(func.value, depth + 1)
            if receiver is None or receiver not in classes.methods:
                return None
            return _class_name(classes.returned(receiver, func.attr), classes)
        return _class_name(classes.named(func), classes)

    def _path_writer(self, scope: Scope, call: ast.Call, stmt: ast.stmt, qualified: str) -> None:
        """`gzip.open(tmp, "wb")`, `zipfile.ZipFile(tmp, "w")`: a write by path, unless the
        "path" is a file object we saw opened (then that object is the write site)."""
        index, keyword, mode_index = _PATH_WRITERS[qualified]
        path = call_arg(call, index, keyword)
        mode = self._mode(call_arg(call, mode_index, "mode"))
        if path is None or not _is_write_mode(mode) or scope.keys.key(path) in self._fd_paths:
            return
        _, with_stmt = self._target(call)
        scope.writes.append(WriteSite(call, stmt, "path", {scope.keys.key(path)},
                                      with_stmt=with_stmt, path_expr=path))

    # -- calls of helpers: what their summaries say they do --------------------------------

    def _helper_call(self, scope: Scope, call: ast.Call, stmt: ast.stmt,
                     qualified: str | None, summary: Summary | None = None) -> None:
        if summary is None:
            summary = self.model.summary_for(call, qualified)
        if summary is None or summary.is_async and id(call) not in self._awaited:
            return  # an async helper's coroutine does nothing until awaited
        keys = scope.keys
        args = self.model.bind(summary, call)
        line, col = pos(call)
        during = (line, col, 1)
        syncs = scope.syncs
        for index, kinds in enumerate(summary.kinds):
            arg = args.get(index)
            if arg is None or not kinds:
                continue
            key = keys.key(arg)
            scope.neutral_calls.add(id(call))
            if "write" in kinds and summary.opens is None:  # an opener's handle is the write
                _, with_stmt = self._target(call)
                scope.writes.append(WriteSite(call, stmt, "path", {key}, path_expr=arg,
                                              with_stmt=with_stmt))
            for kind in kinds - {"write"}:
                syncs.append(Sync(kind, key, call, stmt, at=during))
                parent = keys.parent_key(arg) if kind == "path" else None
                if parent is not None:
                    syncs.append(Sync("parent", parent, call, stmt, at=during))
        if summary.syncs_dir:
            scope.neutral_calls.add(id(call))
            syncs.append(Sync("dir", None, call, stmt, at=during))
        self._renamed(scope, call, stmt, _renamed_args(summary, args))
        if summary.temp is not None:
            self._temp_file(scope, call, stmt, summary.temp)
        if summary.opens is not None:
            self._opened(scope, call, stmt, summary.opens, args)
        if summary.calls is not None:
            self._forwarded(scope, call, stmt, summary.calls)

    @staticmethod
    def _renamed(scope: Scope, call: ast.Call, stmt: ast.stmt,
                 renamed: list[tuple[ast.expr, ast.expr, bool]]) -> None:
        """What a call renames inside itself, (source, destination, durable) each, and for a
        durable rename the directory sync after it (ordered inside the call: its rename,
        then that sync)."""
        line, col = pos(call)
        for src, dst, durable in renamed:
            scope.renames.append(Rename(call, stmt, scope.keys.key(src), src, dst,
                                        at=(line, col, 2)))
            if durable:
                scope.syncs.append(Sync("dir", None, call, stmt, at=(line, col, 3)))

    def _opened(self, scope: Scope, call: ast.Call, stmt: ast.stmt, opens: OpenFact,
                args: dict[int, ast.expr]) -> None:
        """The call of an opener: its handle (or `(handle, name)`) is a write site here."""
        keys = scope.keys
        if opens.mode is not None and not _is_write_mode(self._mode(args.get(opens.mode))):
            return  # `fp.open()`: its own default reads
        target, with_stmt = self._target(call)
        path = args.get(opens.path) if opens.path is not None else None
        names: frozenset[str] = frozenset()
        if path is not None and opens.attr is not None:
            # The file is `fp.path`, and `fp` names it too (as for a pathlib object): a
            # helper that opens its parameter so still writes that parameter.
            names = frozenset({keys.key(path)})
            path = ast.copy_location(ast.Attribute(path, opens.attr, ast.Load()), path)
        if opens.pair:
            if not (isinstance(target, ast.Tuple) and len(target.elts) == 2):
                return
            target, name = target.elts
            names |= {keys.key(name)}
            path = path if path is not None else name
        site = self._add_file(scope, call, stmt, path, opens.buffered, target, names)
        if opens.synced and with_stmt is not None and site.handle is not None:
            # The opener flushes and fsyncs when the `with` hands control back to it.
            for kind in ("flush", "handle"):
                scope.syncs.append(Sync(kind, keys.key(site.handle), call, stmt,
                                        at=_end(with_stmt)))

    def _forwarded(self, scope: Scope, call: ast.Call, stmt: ast.stmt,
                   calls: tuple[int, ...]) -> None:
        """`retry(os.replace, tmp, path)`: a helper that calls the function it is given with
        the arguments that follow it (`calls[0]`: the function's position; the rest: which
        positions it passes on, or none for `*args`)."""
        first = calls[0]
        if len(call.args) <= first or any(isinstance(a, ast.Starred) for a in call.args):
            return
        handed = call.args[first]
        passed = [call.args[i] for i in calls[1:] if i < len(call.args)] if calls[1:] \
            else call.args[first + 1:]
        qualified = self.imports.qualname(handed)
        if qualified in RENAMES:
            renamed = [(passed[0], passed[1], False)] if len(passed) >= 2 else []
        else:  # a rename wrapper of the project's own: `retry(replace_file, tmp, path)`
            stand_in = ast.copy_location(ast.Call(handed, list(passed), []), call)
            summary = self.model.summary_for(stand_in, qualified)
            renamed = [] if summary is None else \
                _renamed_args(summary, self.model.bind(summary, stand_in))
        self._renamed(scope, call, stmt, renamed)

    def _is_imported_helper(self, call: ast.Call, method: str, qualified: str | None) -> bool:
        """`fileops.write_bytes(tmp, data)` after `from pkg import fileops`: another module's
        helper that the project knows, not a path method of an imported object."""
        receiver = call.func.value  # type: ignore[attr-defined]
        return method in _PATH_METHOD_NAMES and isinstance(receiver, ast.Name) \
            and receiver.id in self.imports.local_to_qualified \
            and self.model.summary_for(call, qualified) is not None

    @staticmethod
    def _is_path_rename(call: ast.Call) -> bool:
        if len(call.args) == 1 and not call.keywords:
            return not isinstance(call.args[0], ast.Starred)
        return not call.args and len(call.keywords) == 1 and call.keywords[0].arg == "target"

    def _is_raw_fd(self, keys: Keys, expr: ast.expr | None) -> bool:
        return expr is not None and not isinstance(expr, ast.Constant) \
            and keys.key(expr) in self._temps

    def _fdopen(self, scope: Scope, call: ast.Call, stmt: ast.stmt, mode_index: int = 1,
                mode_keyword: str = "mode", fd_keyword: str = "fd") -> None:
        """`os.fdopen(fd, mode)`, or `open(fd, mode)`: a file object over a descriptor."""
        keys = scope.keys
        fd = call_arg(call, 0, fd_keyword)
        mode = self._mode(call_arg(call, mode_index, mode_keyword))
        if fd is None:
            return
        fd_key = keys.key(fd)
        target, with_stmt = self._target(call)
        paths = set(self._fd_paths.get(fd_key, ()))
        path_expr = None
        if isinstance(fd, ast.Call) and self.imports.qualname(fd.func) == "os.open":
            path_expr = call_arg(fd, 0, "path")  # os.fdopen(os.open(tmp, flags), "w")
            paths = {keys.key(path_expr)} if path_expr is not None else paths
        if isinstance(target, (ast.Name, ast.Attribute)):
            self._fd_paths[keys.key(target)] = paths
        raw = self._temps.pop(fd_key, None)
        # A descriptor we saw created for writing is written through its file object, even
        # when the mode is a parameter we cannot read; the object also closes it.
        if not (_is_write_mode(mode) or raw is not None and not _is_read_mode(mode)):
            return
        if raw is not None and raw in scope.writes:
            scope.writes.remove(raw)  # the file object is the write site now
        unbuffered = _is_unbuffered(call, mode_index + 1, mode)
        site = WriteSite(call, stmt, "raw-file" if unbuffered else "file", paths,
                         with_stmt=with_stmt, temp=raw.temp if raw else None,
                         path_expr=raw.path_expr if raw else path_expr)
        site.handle_keys = {fd_key}
        if isinstance(target, (ast.Name, ast.Attribute)):
            site.handle = target
            site.handle_keys.add(keys.key(target))
        scope.writes.append(site)

    def _os_open(self, scope: Scope, call: ast.Call, stmt: ast.stmt) -> None:
        keys = scope.keys
        path, flags = call_arg(call, 0, "path"), call_arg(call, 1, "flags")
        if isinstance(flags, ast.Name):  # `attr = os.O_RDWR | os.O_CREAT`, bound once
            values = [value for name, value in scope.assigns if name == flags.id]
            flags = values[0] if len(values) == 1 else flags
        target, _ = self._target(call)
        self._remember_open(keys, target, path)
        elsewhere = self._bound_elsewhere(flags)
        if path is not None and (mentions_flag(flags, _WRITE_FLAGS) or elsewhere and all(
                mentions_flag(value, _WRITE_FLAGS) for value in elsewhere)) \
                and isinstance(target, (ast.Name, ast.Attribute)):
            site = WriteSite(call, stmt, "fd", {keys.key(path)}, handle=target,
                             handle_keys={keys.key(target)}, path_expr=path)
            scope.writes.append(site)
            self._temps[keys.key(target)] = site

    def _temp_file(self, scope: Scope, call: ast.Call, stmt: ast.stmt, qualified: str) -> None:
        keys = scope.keys
        temp = TempCreation(call, call_arg(call, _DIR_POSITION[qualified], "dir") is not None)
        target, with_stmt = self._target(call)
        if qualified == "tempfile.mkstemp":
            if isinstance(target, ast.Tuple) and len(target.elts) == 2:
                fd, path = target.elts
                fd_key = keys.key(fd)
                self._fd_paths[fd_key] = {keys.key(path)}
                site = WriteSite(call, stmt, "fd", {keys.key(path)}, handle=fd,
                                 handle_keys={fd_key}, temp=temp, path_expr=path)
                scope.writes.append(site)
                self._temps[fd_key] = site
            return
        delete = call_arg(call, 7, "delete")
        if not (isinstance(delete, ast.Constant) and delete.value is False):
            return
        if not isinstance(target, (ast.Name, ast.Attribute)):
            return
        name = ast.Attribute(value=target, attr="name", ctx=ast.Load())
        handle = keys.key(target)
        self._fd_paths[handle] = {keys.key(name)}
        mode = call_arg(call, 0, "mode") or ast.Constant("w+b")  # NamedTemporaryFile's default
        site = WriteSite(call, stmt, "raw-file" if _is_unbuffered(call, 1, mode) else "file",
                         {keys.key(name)}, handle=target, handle_keys={handle},
                         with_stmt=with_stmt, temp=temp, path_expr=name)
        scope.writes.append(site)

    def _fsync(self, scope: Scope, call: ast.Call, stmt: ast.stmt) -> None:
        arg = call_arg(call, 0, "fd")
        if arg is None:
            return
        target = scope.keys.key(arg)
        scope.neutral_calls.add(id(call))
        paths = self._fd_paths.get(target, ())
        scope.syncs.append(Sync("handle", target, call, stmt, opened=bool(paths)))
        for path in paths:
            scope.syncs.append(Sync("path", path, call, stmt))
        if target in self._fd_parents:
            scope.syncs.append(Sync("parent", self._fd_parents[target], call, stmt))
