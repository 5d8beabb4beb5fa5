"""ast -> findings: the rules, asked of each scope's write sites, renames and syncs.

One engine for every face: flake8 hands us its tree, the command parses files itself, and the
fixer applies the `Fix` each finding carries.
"""
from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterator

from lint_rules.config import Config
from lint_rules.engine.findings import Edit, Finding, Fix, ModuleSupport
from lint_rules.engine.summaries import Helpers
from lint_rules.engine.index import index_module
from lint_rules.engine.names import Imports
from lint_rules.engine.project import project_for
from lint_rules.engine.catalog import RULES
from lint_rules.engine.scope import (
    FSYNCS, RENAME_NAMES, RENAMES, SYNC_NAMES, WRITE_NAMES, WRITERS, Collector, Pos, Rename,
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
    collector = Collector(imports, helpers.facts)
    # Every finding sits at a rename or an fsync: other scopes need no closer look.
    syncing = index.lines_calling(SYNC_NAMES | imports.local_names_of(FSYNCS))
    renaming = index.lines_calling(RENAME_NAMES | imports.local_names_of(RENAMES))
    writing = index.lines_calling(WRITE_NAMES | imports.local_names_of(WRITERS))
    findings: dict[tuple[str, int, int], Finding] = {}
    for info in index.scopes:
        # DUR103 needs an fsync; the other rules a rename and a write in the same scope.
        if not (info.spans_any(syncing)
                or info.spans_any(renaming) and info.spans_any(writing)):
            continue
        scope = collector.collect(info.node, info.node.body)
        for finding in _ScopeRules(scope, support, source).run():
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
        self.written = {key for site in scope.writes for key in site.path_keys | site.handle_keys}

    def run(self) -> Iterator[Finding]:
        for site in self.scope.writes:
            renames = [r for r in self.scope.renames
                       if r.src_key in site.path_keys and r.pos > site.pos
                       and not self.scope.exclusive(site.stmt, r.stmt)]
            if renames:
                unsynced = [r for r in renames if not self._synced(site, r)]
                if unsynced and self._writes_itself(site, unsynced[0]) \
                        and not self._superseded(site, unsynced[0]):
                    yield _finding("DUR101", site.call, self._fix_file(site, unsynced[0]))
                if site.temp is not None and not site.temp.has_dir:
                    yield _finding("DUR105", site.temp.call)
                for rename in renames:
                    if not self._dir_synced(rename):
                        yield _finding("DUR102", rename.call, self._fix_dir(rename))
            yield from self._unflushed(site)
        yield from self._temp_dirs()

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

    def _close_before(self, site: WriteSite, rename: Rename) -> ast.stmt | None:
        """The last close of the handle before the rename: the one on the path that renames."""
        after = self._last_use(site, rename.pos) or site.pos
        until = min(rename.pos, self.scope.bound_until(site))
        closes = [stmt for key, call, stmt in self.scope.closes
                  if key in site.handle_keys and after < pos(call) < until]
        return closes[-1] if closes else None

    # -- DUR102 ---------------------------------------------------------------------------

    def _dir_synced(self, rename: Rename) -> bool:
        skip = self.written | {rename.src_key, self.scope.keys.key(rename.dst)}
        for sync in self.scope.syncs:
            if sync.pos <= rename.pos:
                continue
            if sync.kind in ("parent", "dir"):
                return True
            if sync.kind == "path" and sync.target not in skip:
                return True
            if sync.kind == "handle" and not sync.opened and sync.target not in skip:
                return True  # an fd from elsewhere: most likely the directory's
        return False

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
        for name, temp in self.scope.temp_dirs:
            if temp.has_dir:
                continue
            derived = {name}
            for _ in range(3):  # d -> p = join(d, x) -> q = p + ".tmp"
                for target, value in self.scope.assigns:
                    if _mentions(value, derived):
                        derived.add(target)
            if any(_mentions(r.src, derived) for r in self.scope.renames):
                yield _finding("DUR105", temp.call)

    @property
    def support(self) -> ModuleSupport:
        return self._support()

    def _text(self, node: ast.expr) -> str:
        if self.source is not None:
            segment = ast.get_source_segment(self.source, node)
            if segment is not None:
                return segment
        return ast.unparse(node)


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
