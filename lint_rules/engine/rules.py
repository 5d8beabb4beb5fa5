"""ast -> findings: the rules, asked of each scope's write sites, renames and syncs.

One engine for every face: flake8 hands us its tree, the command parses files itself, and the
fixer applies the `Fix` each finding carries.
"""
from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Iterator

from lint_rules.config import Config
from lint_rules.engine.findings import Edit, Finding, Fix, ModuleSupport
from lint_rules.engine.summaries import Helpers
from lint_rules.engine.index import ModuleIndex, ScopeInfo, index_module
from lint_rules.engine.names import Imports
from lint_rules.engine.project import project_for
from lint_rules.engine.catalog import RULES
from lint_rules.engine.scope import (
    FSYNCS, SYNC_NAMES, Collector, Pos, Rename,
    Scope, WriteSite, pos,
)
from lint_rules.engine.support import module_support

# Statements after which a call can be inserted (a `return` or `raise` has no "after").
_HAS_AFTER = (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign)


def analyze(tree: ast.Module, config: Config, source: str | None = None,
            path: str | None = None) -> tuple[list[Finding], ModuleSupport | None]:
    """`path`, where the file is (or stands for, for a buffer): calls of other modules of its
    project and of installed packages are then judged by their source."""
    index = index_module(tree, source)
    package, external = project_for(config).for_file(path) if path else (None, None)
    imports = Imports(index.imports, package)
    helpers = Helpers(index, imports, config, external)
    # Module support walks the whole tree: only files with findings pay for it.
    support = functools.cache(lambda: module_support(tree, imports, helpers))
    collector = Collector(imports, helpers)
    # Every finding sits at a rename or an fsync: other scopes need no closer look.
    syncing = index.lines_calling(SYNC_NAMES | imports.local_names_of(FSYNCS))
    renaming, writing = helpers.renaming, helpers.writing
    findings: dict[tuple[str, int, int], Finding] = {}
    scopes: dict[int, Scope] = {}

    def scope_of(info: ScopeInfo) -> Scope:
        if id(info.node) not in scopes:
            scopes[id(info.node)] = helpers.scope_of(info.node) \
                or collector.collect(info.node, info.node.body)
        return scopes[id(info.node)]

    for info in index.scopes:
        # DUR103 needs an fsync; the other rules a rename and a write in the same scope,
        # spelled out or through a helper.
        if not (info.spans_any(syncing)
                or (info.spans_any(renaming) or helpers.calls_helper(info, "rename"))
                and (info.spans_any(writing) or helpers.calls_helper(info, "write"))):
            continue
        for finding in _ScopeRules(scope_of(info), support, source).run():
            findings.setdefault((finding.code, finding.line, finding.col), finding)
    for methods in class_units(index, helpers.rename_lines, writing):
        unit = [scope_of(info) for info in methods]
        for finding in class_findings(unit, support, source):
            findings.setdefault((finding.code, finding.line, finding.col), finding)
    ordered = sorted(findings.values(), key=lambda f: (f.line, f.col, f.code))
    return ordered, support() if findings else None


def _finding(code: str, node: ast.AST, fix: Fix | None = None) -> Finding:
    return Finding(code, node.lineno, node.col_offset, RULES[code].message, fix,
                   node.end_lineno or 0, node.end_col_offset or 0)


def _within(inner: Pos, outer: ast.stmt) -> bool:
    return pos(outer) <= inner <= (outer.end_lineno, outer.end_col_offset)


class _ScopeRules:
    def __init__(self, scope: Scope, support: Callable[[], ModuleSupport],
                 source: str | None) -> None:
        self.scope = scope
        self._support = support
        self.source = source

    def run(self) -> Iterator[Finding]:
        for site in self.scope.writes:
            if self._reserves_name(site):
                continue
            renames = [r for r in self.scope.renames
                       if r.src_key in site.path_keys and r.pos > site.pos
                       and not self.scope.exclusive(site.stmt, r.stmt)]
            if renames:
                unsynced = [r for r in renames if not self._synced(site, r)]
                if unsynced and self._writes_itself(site, unsynced[0]) \
                        and not self._superseded(site, unsynced[0]):
                    yield _finding("DUR101", site.call, self._fix_file(site, unsynced[0]))
                if site.temp is not None and not site.temp.has_dir:
                    yield _finding("DUR105", site.temp.call, _temp_dir_fix(self, site, renames))
                for rename in renames:
                    if not self.scope.dir_synced(rename):
                        yield _finding("DUR102", rename.call, self._fix_dir(rename))
            yield from self._unflushed(site)
        yield from self._temp_dirs()

    def _reserves_name(self, site: WriteSite) -> bool:
        """`fd, name = mkstemp(); os.close(fd); os.remove(name)`: only a name is taken, no
        file is written (what later fills that name is another write)."""
        if site.kind != "fd" or site.temp is None or self.scope.uses(site, (1 << 30, 0)):
            return False
        closed = [pos(call) for key, call, _ in self.scope.closes if key in site.handle_keys]
        if not closed:
            return False
        return any(key in site.path_keys and at > min(closed) for key, at in self.scope.removes)

    # -- DUR101 ---------------------------------------------------------------------------

    def _writes_itself(self, site: WriteSite, rename: Rename) -> bool:
        """False for a temp file created, closed unused, and filled by something else by path
        (sqlite, a copy): syncing this handle would sync nothing."""
        if site.kind == "path" or site.handle is None:
            return True
        return self._last_use(site, rename.pos) is not None

    def _superseded(self, site: WriteSite, rename: Rename) -> bool:
        """A later write of the same file on the same path to the rename: its sync, made
        after all writes, covers this one's data too (a copy, then an append)."""
        return any(
            other is not site and other.path_keys & site.path_keys
            and site.pos < other.pos < rename.pos
            and not self.scope.exclusive(site.stmt, other.stmt)
            for other in self.scope.writes
        )

    def _last_use(self, site: WriteSite, before: Pos) -> Pos | None:
        return max(self.scope.uses(site, before), default=None)

    def _synced(self, site: WriteSite, rename: Rename) -> bool:
        after = self._last_use(site, rename.pos) or site.pos
        until = min(rename.pos, self.scope.bound_until(site))
        return any(
            (sync.kind == "handle" and sync.target in site.handle_keys
             or sync.kind == "path" and sync.target in site.path_keys)
            and after < sync.pos < until
            for sync in self.scope.syncs
        )

    def _fix_file(self, site: WriteSite, rename: Rename) -> Fix | None:
        fsync = self.support.fsync
        needs = frozenset() if self.support.fsync_bound else frozenset({"import_os"})
        if site.kind == "path":
            # shutil.copy into a directory is legal: a helper opening it would fail.
            return None if site.may_be_dir else self._sync_by_path(site, rename)
        if site.handle is None:
            return None
        handle = ast.unparse(site.handle)
        if site.kind == "fd":
            code: tuple[str, ...] = (f"{fsync}({handle})",)
        else:
            code = (f"{handle}.flush()", f"{fsync}({handle}.fileno())")
        if site.with_stmt is not None and _wrapped_in_same_with(site):
            # `with fdopen(fd) as fh, ZipFile(fh) as zf:` writes on exit, after the block:
            # only a sync by path after the whole statement sees everything.
            if _within(rename.pos, site.with_stmt):
                return None
            return self._sync_by_path(site, rename)
        if site.with_stmt is not None and not _within(rename.pos, site.with_stmt):
            close = self._close_before(site, rename)
            if close is not None and _within(pos(close), site.with_stmt):
                # The block closes the file itself: a sync at its end would find it closed.
                return Fix((Edit(pos(close), "before", code),), needs)
            return Fix((Edit(pos(site.with_stmt), "append", code),), needs)
        closing = self._with_closing(site, rename)
        if closing is not None:
            # `with fh:` closes the handle at the end of its block: the sync goes there.
            return Fix((Edit(pos(closing), "append", code),), needs)
        # Before the close (or else the rename), lifted into the block that bound the handle
        # where that is still after the last write, so the sync runs on every path that
        # reaches the rename. Outside that block the handle may be unbound: no fix.
        anchor = self._close_before(site, rename) or rename.stmt
        owner = site.with_stmt or self.scope.enclosing.get(id(site.stmt))
        lifted = self.scope.lift(anchor, owner)
        if lifted is None:
            return None
        if pos(lifted) > (self._last_use(site, rename.pos) or site.pos):
            anchor = lifted
        return Fix((Edit(pos(anchor), "before", code),), needs)

    def _sync_by_path(self, site: WriteSite, rename: Rename) -> Fix | None:
        """A call of the file helper with the site's path, right before the rename (after
        every write, including those other code makes in between, such as a subprocess), or,
        where the rename is part of a larger statement (a comprehension), right after the
        write."""
        if not _is_simple(site.path_expr):
            return None
        call = f"{self.support.file_helper}({self._text(site.path_expr)})"
        if _is_the_statement(rename):
            edit = Edit(pos(rename.stmt), "before", (call,))
        else:
            edit = Edit(pos(site.with_stmt or site.stmt), "after", (call,))
        return Fix((edit,), frozenset({"file_helper"}))

    def _with_closing(self, site: WriteSite, rename: Rename) -> ast.stmt | None:
        """A `with fh:` of the handle after it was opened that ends before the rename."""
        for key, stmt in self.scope.handle_withs:
            if key in site.handle_keys and site.pos < pos(stmt) < rename.pos \
                    and not _within(rename.pos, stmt) \
                    and not self.scope.exclusive(site.stmt, stmt):
                return stmt
        return None

    def _close_before(self, site: WriteSite, rename: Rename) -> ast.stmt | None:
        """The last close of the handle before the rename: the one on the path that renames."""
        after = self._last_use(site, rename.pos) or site.pos
        until = min(rename.pos, self.scope.bound_until(site))
        closes = [stmt for key, call, stmt in self.scope.closes
                  if key in site.handle_keys and after < pos(call) < until
                  and not self.scope.exclusive(site.stmt, stmt)]
        return closes[-1] if closes else None

    # -- DUR102 ---------------------------------------------------------------------------

    def _fix_dir(self, rename: Rename) -> Fix | None:
        stmt = rename.stmt
        # Only a rename that is the statement itself: in a comprehension or a conditional
        # expression, "after the statement" is not "after the rename".
        if not _is_the_statement(rename):
            return None
        if not _is_simple(rename.dst):
            return None
        if any(kw.arg == "dst_dir_fd" for kw in rename.call.keywords):
            return None  # the destination is relative to a directory fd, not to the cwd
        call = f"{self.support.dir_helper}({self._text(rename.dst)})"
        return Fix((Edit(pos(stmt), "after", (call,)),), frozenset({"dir_helper"}))

    # -- DUR103 ---------------------------------------------------------------------------

    def _unflushed(self, site: WriteSite) -> Iterator[Finding]:
        if site.kind != "file" or site.handle is None:
            return
        for sync in self.scope.syncs:
            if not (sync.kind == "handle" and sync.target in site.handle_keys
                    and site.pos < sync.pos < self.scope.bound_until(site)):
                continue
            last = self._last_use(site, sync.pos)
            if last is None:
                continue
            # A helper that flushes before it fsyncs says so at the same position.
            flushed = any(
                other.kind == "flush" and other.target in site.handle_keys
                and last < other.pos <= sync.pos
                for other in self.scope.syncs
            )
            if not flushed:
                code = (f"{ast.unparse(site.handle)}.flush()",)
                yield _finding("DUR103", sync.call, Fix((Edit(pos(sync.stmt), "before", code),)))

    # -- DUR105 for directories from mkdtemp ------------------------------------------------

    def _temp_dirs(self) -> Iterator[Finding]:
        """A file written inside a temp directory made elsewhere (`mkdtemp()` or
        `TemporaryDirectory()` without `dir=`), then moved out of it."""
        for name, temp in self.scope.temp_dirs:
            if temp.has_dir:
                continue
            derived = {name}
            for _ in range(3):  # d -> p = join(d, x) -> q = p + ".tmp"
                for target, value in self.scope.assigns:
                    if _mentions(value, derived):
                        derived.add(target)
            moved = [r for r in self.scope.renames
                     if _mentions(r.src, derived) and not _mentions(r.dst, derived)]
            written = [site for site in self.scope.writes
                       if site.path_expr is not None and _mentions(site.path_expr, derived)]
            # The moved file must be one written here (not one a subprocess left there).
            if any(site.pos < r.pos and r.src_key in site.path_keys
                   for site in written for r in moved):
                yield _finding("DUR105", temp.call)

    @property
    def support(self) -> ModuleSupport:
        return self._support()

    def _text(self, node: ast.expr) -> str:
        """The expression as the user spelled it (`ast.get_source_segment` without splitting
        the whole source again for every fix)."""
        if self.source is None or node.end_lineno is None:
            return ast.unparse(node)
        lines = _source_lines(self.source)
        first, last = node.lineno - 1, node.end_lineno - 1
        if last >= len(lines):
            return ast.unparse(node)
        if first == last:
            return lines[first].encode()[node.col_offset:node.end_col_offset].decode()
        parts = [lines[first].encode()[node.col_offset:].decode(), *lines[first + 1:last],
                 lines[last].encode()[:node.end_col_offset].decode()]
        return "".join(parts)


@functools.lru_cache(maxsize=8)
def _source_lines(source: str) -> list[str]:
    """Lines with their ends, broken where Python breaks them (not at form feeds)."""
    return re.split(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", source)


# Calls that compute a path without side effects: safe to evaluate once more in a fix.
_PURE_CALLS = frozenset({
    "os.path.join", "os.path.dirname", "os.path.abspath", "os.path.realpath", "os.path.expanduser",
    "os.fspath", "str", "Path", "pathlib.Path", "joinpath", "with_suffix", "with_name",
})


def _is_simple(node: ast.expr | None) -> bool:
    """A destination expression with no side effects, so the fix may name it again."""
    if node is None:
        return False
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            name = ast.unparse(func) if isinstance(func, ast.Name) else getattr(func, "attr", "")
            dotted = ast.unparse(func)
            if dotted not in _PURE_CALLS and name not in _PURE_CALLS:
                return False
        elif isinstance(child, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.Lambda)):
            return False
    return True


def _wrapped_in_same_with(site: WriteSite) -> bool:
    """The handle is given to another item of its own `with` (a ZipFile, a GzipFile...)."""
    names = {ast.unparse(site.handle)} if site.handle is not None else set()
    return any(
        item.context_expr is not site.call and any(
            isinstance(n, (ast.Name, ast.Attribute)) and ast.unparse(n) in names
            for n in ast.walk(item.context_expr))
        for item in site.with_stmt.items
    )


def _is_the_statement(rename: Rename) -> bool:
    """The rename is a statement of its own (`os.replace(a, b)`, `x = shutil.move(a, b)`)."""
    return isinstance(rename.stmt, _HAS_AFTER) and rename.stmt.value is rename.call


def _mentions(node: ast.expr, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


# -- DUR105's unsafe fix ------------------------------------------------------------------

def _temp_dir_fix(rules: _ScopeRules, site: WriteSite, renames: list[Rename]) -> Fix | None:
    """`dir=` the destination's directory on the temp-creating call, where that destination
    is known before the temp file is made (nothing it names is bound anew between the two).

    Unsafe: the temp file then lands on the destination's file system, which may be full,
    read-only or a network mount, where the system temp directory was none of these."""
    call = site.temp.call
    destinations = {ast.dump(rename.dst) for rename in renames}
    if len(destinations) != 1 or call.lineno != call.end_lineno:
        return None  # several destinations, or a call spread over lines
    if any(isinstance(arg, ast.Starred) for arg in call.args) \
            or any(kw.arg is None for kw in call.keywords):
        return None  # `*args`/`**kwargs` may hold a `dir` already
    dst = renames[0].dst
    text = rules._text(dst)
    if not _is_simple(dst) or "\n" in text:
        return None
    names = {ast.unparse(n) for n in ast.walk(dst) if isinstance(n, (ast.Name, ast.Attribute))}
    last = max(rename.pos for rename in renames)
    if any(name in names and pos(site.stmt) <= at <= last for name, at, _ in rules.scope.stores):
        return None  # the destination is (re)computed after the temp file exists
    os_name = rules.support.os_name
    code = f"dir={os_name}.path.dirname({os_name}.path.abspath({text}))"
    needs = frozenset() if rules.support.has_os_import else frozenset({"import_os"})
    return Fix((Edit(pos(call), "argument", (code,)),), needs, applicability="unsafe")


# -- classes: one unit for their `self.` attributes ---------------------------------------

# A class that writes `self.path` in one method and renames it in another is as often a log
# rotating its file away as an atomic writer; only a temporary source is the latter.
_TEMP_HINTS = ("tmp", "temp", "part", "new", "pending", "staging", "incomplete")


def class_units(index: ModuleIndex, rename_lines: Callable[[], list[int] | None],
                writing: list[int] | None) -> Iterator[list[ScopeInfo]]:
    """The methods of each class where one method renames a `self.` attribute (itself or
    through a function of the module) and another writes."""
    renaming: list[int] | None | bool = False  # asked once a class writes
    for info in index.scopes:
        node = info.node
        if not isinstance(node, ast.ClassDef) or not info.spans_any(writing):
            continue
        if renaming is False:
            renaming = rename_lines()
            if renaming is not None:  # only renames of an attribute can join two methods
                renaming = [line for line in renaming if "self." in index.line_text(line)]
        if not info.spans_any(renaming):
            continue
        members = {id(stmt) for stmt in node.body}
        methods = [m for m in index.scopes if m.method and id(m.node) in members]
        renamers = [m for m in methods if m.spans_any(renaming)]
        writers = [m for m in methods if m.spans_any(writing)]
        if renamers and writers and (len(renamers) > 1 or writers != renamers):
            yield methods  # the others may write through the handle, or sync it


def class_findings(unit: list[Scope], support: Callable[[], ModuleSupport],
                   source: str | None) -> Iterator[Finding]:
    """A handle or path opened for writing in one method and renamed in another: DUR101 at
    the open unless some method syncs it, DUR102 at the rename unless its method syncs the
    directory after it."""
    for scope in unit:
        for site in scope.writes:
            paths = {key for key in site.path_keys if key.startswith("self.")}
            if not paths or not _looks_temporary(site, paths):
                continue
            renames = [(other, r) for other in unit if other is not scope
                       for r in other.renames if r.src_key in paths]
            if not renames:
                continue
            if not _synced_in_unit(site, scope, unit) and _written_in_unit(site, scope, unit):
                fix = _class_fix(site, *renames[0], support, source)
                yield _finding("DUR101", site.call, fix)
            if site.temp is not None and not site.temp.has_dir:
                yield _finding("DUR105", site.temp.call)
            for other, rename in renames:
                if not other.dir_synced(rename):
                    yield _finding("DUR102", rename.call,
                                   _ScopeRules(other, support, source)._fix_dir(rename))


def _looks_temporary(site: WriteSite, paths: set[str]) -> bool:
    return site.temp is not None or any(
        hint in key.lower() for key in paths for hint in _TEMP_HINTS)


def _synced_in_unit(site: WriteSite, scope: Scope, unit: list[Scope]) -> bool:
    return any(
        (sync.kind == "handle" and sync.target in site.handle_keys
         or sync.kind == "path" and sync.target in site.path_keys)
        and (other is not scope or sync.pos > site.pos)
        for other in unit for sync in other.syncs)


def _written_in_unit(site: WriteSite, scope: Scope, unit: list[Scope]) -> bool:
    if site.kind == "path" or site.handle is None or scope.uses(site, (1 << 30, 0)):
        return True
    return any(next(other.data_uses(site.handle_keys), None) is not None
               for other in unit if other is not scope)


def _class_fix(site: WriteSite, scope: Scope, rename: Rename,
               support: Callable[[], ModuleSupport], source: str | None) -> Fix | None:
    """In the renaming method: flush and fsync the handle right before it closes it there,
    or, for a file its own method closed (a local handle), sync by path before the rename."""
    rules = _ScopeRules(scope, support, source)
    local = site.handle is not None and not any(
        key.startswith("self.") for key in site.handle_keys)
    if site.kind == "path" or local and site.with_stmt is not None:
        return rules._sync_by_path(site, rename)
    if site.handle is None or site.kind not in ("file", "raw-file"):
        return None
    closes = [stmt for key, call, stmt in scope.closes
              if key in site.handle_keys and pos(call) < rename.pos]
    if not closes or scope.lift(closes[-1], None) is None:
        return None
    handle = ast.unparse(site.handle)
    needs = frozenset() if rules.support.fsync_bound else frozenset({"import_os"})
    code = (f"{handle}.flush()", f"{rules.support.fsync}({handle}.fileno())")
    return Fix((Edit(pos(closes[-1]), "before", code),), needs)
