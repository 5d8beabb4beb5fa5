"""Where a module lives, what an import names, and what the functions of other modules do.

Everything here is found from files alone: a module's name from the `__init__.py` chain above
it, an import's file by path arithmetic over the project's roots and the interpreter's path
(`importlib.machinery.PathFinder` with explicit directories, which locates without importing
a parent package).  Nothing is imported or executed.

`Project` answers `summary(qualified name)` for the callees of a module: it parses the callee's
module, builds its `Helpers` (whose own calls of other modules come back here), and keeps the
result for the rest of the process and, through `SummaryCache`, for later runs.  Modules are
summarised only when some call being judged names them; a group of modules that call each
other is solved to a fixpoint, starting from empty summaries.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import os
import re
import site
import sys
import sysconfig
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.machinery import PathFinder

from lint_rules.config import Config
from lint_rules.engine import cache as cache_mod
from lint_rules.engine.index import ModuleIndex, index_module
from lint_rules.engine.names import Imports, absolute_module
from lint_rules.engine.summaries import Helpers, Summary

# Files that say "a project starts here": its summary cache goes beside them.
_PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
# Modules that call each other converge in a few rounds; this bounds a bad case.
_MAX_ROUNDS = 10
_MAX_REEXPORTS = 8  # `from .x import f` in an `__init__.py`, re-exported again...
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Location:
    path: str  # absolute
    module: str  # "pkg.sub.mod"; "pkg.sub" for pkg/sub/__init__.py
    is_package: bool
    root: str  # the directory holding the top-level package, or the lone module

    @property
    def package(self) -> str | None:
        """What relative imports count from (`__package__`); None outside any package."""
        if self.is_package:
            return self.module
        return self.module.rpartition(".")[0] or None


@functools.lru_cache(maxsize=4096)
def _is_package_dir(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "__init__.py"))


@functools.lru_cache(maxsize=4096)
def locate(path: str) -> Location:
    """The module a file is, found from the `__init__.py` files above it. A file outside any
    package is a top-level module named after itself, rooted in its own directory."""
    path = os.path.abspath(path)
    folder, name = os.path.split(path)
    stem = name[:-3] if name.endswith(".py") else name
    is_package = stem == "__init__"
    parts = [] if is_package else [stem]
    while _is_package_dir(folder):
        parent, part = os.path.split(folder)
        if not part:
            break
        parts.insert(0, part)
        folder = parent
    if not parts:  # an __init__.py at the file system's root
        parts = [stem]
    return Location(path, ".".join(parts), is_package, folder)


@functools.lru_cache(maxsize=1024)
def project_root(root: str) -> str:
    """The directory at or just above an import root that holds a pyproject.toml, a
    setup.py/setup.cfg or a .git (a src layout's root is above its `src/`); else the root.
    Only two levels up: a checkout far above (a tool's own repository) is not the project."""
    folder = root
    for _ in range(3):
        if any(os.path.exists(os.path.join(folder, m)) for m in _PROJECT_MARKERS):
            return folder
        folder = os.path.dirname(folder)
    return root


def is_installed(root: str) -> bool:
    """An import root that is the interpreter's own (the standard library, site-packages):
    such code is checked, but no cache is written into it."""
    return os.path.realpath(root) in _stdlib_dirs() | _site_dirs()


@functools.lru_cache(maxsize=1)
def _site_dirs() -> frozenset[str]:
    paths = sysconfig.get_paths()
    found = {paths[k] for k in ("purelib", "platlib") if k in paths}
    found |= {*site.getsitepackages(), site.getusersitepackages()}
    return frozenset(os.path.realpath(p) for p in found)


@functools.lru_cache(maxsize=1)
def _stdlib_dirs() -> frozenset[str]:
    paths = sysconfig.get_paths()
    stdlib = {os.path.realpath(paths[k]) for k in ("stdlib", "platstdlib") if k in paths}
    return frozenset(stdlib | {os.path.join(folder, "lib-dynload") for folder in stdlib})


@functools.lru_cache(maxsize=1)
def _installed_path() -> tuple[str, ...]:
    """The interpreter's path without the standard library: the engine knows the standard
    library's file functions by name, and its sources are not the project's helpers (unless
    the standard library is what is being checked: then it is the project, found first)."""
    stdlib = _stdlib_dirs()
    kept = []
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue  # '' is the working directory of the tool, not of the checked code
        if os.path.realpath(entry) in stdlib or entry in kept:
            continue
        kept.append(entry)
    return tuple(kept)


@functools.lru_cache(maxsize=1024)
def search_path(root: str) -> tuple[str, ...]:
    """Where the imports of a module rooted at `root` are looked for, in order: its own root,
    the project's root and its `src/` (namespace packages, src layouts), then installed code."""
    project = project_root(root)
    found = [root]
    for folder in (project, os.path.join(project, "src")):
        if folder not in found and os.path.isdir(folder):
            found.append(folder)
    return (*found, *(p for p in _installed_path() if p not in found))


@functools.lru_cache(maxsize=16384)
def resolve(module: str, search: tuple[str, ...]) -> str | None:
    """The source file of a dotted module name, or None (missing, compiled, not a file).
    Each package is looked for in its parent's directories: no parent is imported."""
    parent, _, name = module.rpartition(".")
    folders = _submodule_folders(parent, search) if parent else search
    spec = _find(name, folders) if folders else None
    origin = getattr(spec, "origin", None)
    if not origin or not origin.endswith(".py") or not os.path.isfile(origin):
        return None
    return os.path.abspath(origin)


@functools.lru_cache(maxsize=4096)
def _submodule_folders(package: str, search: tuple[str, ...]) -> tuple[str, ...] | None:
    """Where the submodules of a package are looked for; None when it is no package. Found
    once a package: `from pkg import name` asks whether `pkg.name` is a module for every
    name imported."""
    parent, _, name = package.rpartition(".")
    folders = _submodule_folders(parent, search) if parent else search
    spec = _find(name, folders) if folders else None
    if spec is None:
        return None
    if spec.origin is None:  # a namespace package: its portions, by path
        return tuple(os.path.join(f, name) for f in folders
                     if os.path.isdir(os.path.join(f, name)))
    if spec.submodule_search_locations is None:
        return None  # a module, not a package
    return tuple(spec.submodule_search_locations)


def _find(name: str, folders: tuple[str, ...]):
    try:
        return PathFinder.find_spec(name, list(folders))
    except Exception:  # noqa: BLE001 - a path hook's surprise: the module is not found
        return None


@dataclass
class ModuleFacts:
    """What other modules need of one module: its functions' summaries, the names it imports
    (to follow re-exports), and every file whose summaries went into them."""
    summaries: dict[str, Summary] = field(default_factory=dict)
    exports: dict[str, str] = field(default_factory=dict)
    # (importing file, module name, file it resolved to or None, that file's hash or None)
    deps: frozenset[tuple[str, str, str | None, str | None]] = frozenset()


Dep = tuple[str, str, "str | None", "str | None"]

# A module parsed to be summarised: its index (tree and source), imports, top-level functions
# and bytes.
Parsed = tuple[ModuleIndex, Imports, set[str], bytes]
# Told of each module parsed here, with its bytes, source and tree, once the run that parsed
# it has ended and its summaries are final (the checker, to check it from the same tree).
on_parsed: Callable[[str, bytes, str, ast.Module], None] | None = None


class Project:
    """One process's summaries of other modules, for one configuration.

    A module asked for while another is being summarised gets a provisional answer (no
    summaries yet) and joins a work list; whenever a module's summaries change, the modules
    that asked for them are summarised again, until nothing changes. Only then are the
    answers final, kept for the process and written to the cache.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.fingerprint = cache_mod.fingerprint(replace(config, use_cache=True))
        self.cache: cache_mod.SummaryCache | None = None
        self._done: dict[str, ModuleFacts] = {}
        self._hashes: dict[str, str | None] = {}
        # The modules being solved: provisional facts, who asked for whom, what each used.
        self._pending: dict[str, ModuleFacts] = {}
        self._parsed: dict[str, Parsed | None] = {}
        self._askers: dict[str, set[str]] = {}
        self._direct: dict[str, set[Dep]] = {}
        self._rounds: dict[str, int] = {}
        self._queue: deque[str] = deque()
        self._queued: set[str] = set()
        self._current: str | None = None

    def for_file(self, path: str) -> tuple[str | None, Callable[[str], Summary | None]]:
        """For the module being checked at `path`: its package (for relative imports) and
        the `external` resolver of its Helpers. The file itself may be an unsaved buffer:
        only the modules it imports are read from disk."""
        location = locate(path)
        self.use_cache_of(location)
        return location.package, self.external(location)

    def use_cache_of(self, location: Location) -> None:
        """Keep new summaries in the cache of the project being checked (installed packages
        get no cache of their own)."""
        if self.config.use_cache and not is_installed(location.root):
            self.cache = cache_mod.cache_at(project_root(location.root))
        else:
            self.cache = None

    def external(self, location: Location) -> Callable[[str], Summary | None]:
        """The `external` resolver for the Helpers of the module at `location`."""
        return functools.partial(self.summary, location)

    # -- answering for a callee -----------------------------------------------------------

    def summary(self, location: Location, qualified: str) -> Summary | None:
        """The summary of the function `qualified` names, as seen from the module at
        `location`; None when it is not a function of a module we can read."""
        module, _, attr = qualified.rpartition(".")
        for _ in range(_MAX_REEXPORTS):
            facts, path = self.module_facts(location, module)
            if facts is None:
                return None
            if attr in facts.summaries:
                return facts.summaries[attr]
            target = facts.exports.get(attr)
            if target is None:
                return None
            module, _, attr = target.rpartition(".")
            location = locate(path)
        return None

    def module_facts(self, location: Location, module: str,
                     ) -> tuple[ModuleFacts | None, str | None]:
        """The facts of a module imported from `location`, recording the dependency for the
        module being summarised (if any)."""
        if not module:
            return None, None
        path = resolve(module, search_path(location.root))
        if self._current is not None:
            self._direct[self._current].add((location.path, module, path, self._hash(path)))
        if path is None:
            return None, None
        return self._facts(path), path

    def used_summaries(self, location: Location, module: str, name: str | None,
                       data: bytes) -> list[Summary]:
        """What `from module import name` (or, with no name, `import module`) binds that
        acts (writes, renames, syncs) and that the file's bytes may use: the function
        itself, or each function of the module named as `.name` (called, or handed to a
        helper: every file imports os; few use its `fdopen`). Converters alone cannot make
        a finding."""
        if name is not None:
            summary = self.summary(location, f"{module}.{name}")
            if summary is not None:
                return [summary] if summary.acts else []
            module = f"{module}.{name}"
        facts, _ = self.module_facts(location, module)
        if facts is None:
            return []
        return [summary for function, summary in facts.summaries.items()
                if summary.acts and _names_attribute(data, function.encode())]

    # -- summarising modules --------------------------------------------------------------

    def _facts(self, path: str) -> ModuleFacts:
        if path in self._done:
            return self._done[path]
        if path not in self._pending:
            cached = self._load(path)
            if cached is not None:
                return cached
            self._pending[path] = self._provisional(path)
            self._queue.append(path)
            self._queued.add(path)
        if self._current is not None:
            self._askers.setdefault(path, set()).add(self._current)
            return self._pending[path]
        self._run()
        return self._done[path]

    def _provisional(self, path: str) -> ModuleFacts:
        """No summaries yet, but the imports (re-exports) as they are: they need no solving."""
        self._parsed[path] = parsed = _parse(path, locate(path))
        if parsed is None:
            return ModuleFacts()
        _, imports, functions, data = parsed
        # The bytes just parsed are the ones the cache entry will be keyed by: hashed here,
        # the file is not read a second time (and cannot change in between).
        self._hashes.setdefault(path, _digest(data))
        return ModuleFacts({}, _exports(imports, functions))

    def _run(self) -> None:
        while self._queue:
            path = self._queue.popleft()
            self._queued.discard(path)
            self._current, self._direct[path] = path, set()
            try:
                facts = self._summarise(path)
            finally:
                self._current = None
            old = self._pending[path]
            self._pending[path] = facts
            self._rounds[path] = self._rounds.get(path, 0) + 1
            if facts.summaries != old.summaries:
                for asker in self._askers.get(path, ()):
                    if asker not in self._queued and self._rounds[asker] < _MAX_ROUNDS:
                        self._queue.append(asker)
                        self._queued.add(asker)
        for path, facts in self._pending.items():
            facts.deps = frozenset(self._direct.get(path, ()))
            self._done[path] = facts
            self._store(path, facts)
        parsed = [(path, p) for path, p in self._parsed.items() if p is not None]
        for state in (self._pending, self._parsed, self._askers, self._direct, self._rounds):
            state.clear()
        if on_parsed is not None:  # after the state is cleared: the hook may start a run
            for path, (index, _, _, data) in parsed:
                on_parsed(path, data, index.source, index.scopes[0].node)

    def _summarise(self, path: str) -> ModuleFacts:
        """Summarise a module's functions (parsed once, however many rounds it takes). A
        module that cannot be read or parsed has no summaries: its own check reports the
        error, once."""
        parsed = self._parsed[path]
        if parsed is None:
            return ModuleFacts()
        index, imports, functions, _ = parsed
        location = locate(path)
        helpers = Helpers(index, imports, self.config, self.external(location))
        # Only what `module.name` can reach: methods and nested functions are summarised
        # only as far as those need them (Helpers is lazy), not each for its own sake.
        # (In the order Helpers.summaries would take them: a fixpoint's order stays the same.)
        names = [*helpers.aliases, *(info.node.name for info in index.scopes if info.is_function)]
        summaries = {}
        for name in dict.fromkeys(n for n in names if n in functions or n in helpers.aliases):
            summary = helpers.local(name)
            if summary is not None:
                summaries[name] = summary
        return ModuleFacts(summaries, _exports(imports, functions))

    def _hash(self, path: str | None) -> str | None:
        if path is None:
            return None
        if path not in self._hashes:
            try:
                with open(path, "rb") as fh:
                    self._hashes[path] = _digest(fh.read())
            except OSError:
                self._hashes[path] = None
        return self._hashes[path]

    # -- the disk cache -------------------------------------------------------------------

    def _key(self, path: str) -> tuple[str, str] | None:
        """The cache slot of a module and the key its entry there must have."""
        content = self._hash(path)
        if content is None or self.cache is None:
            return None
        location = locate(path)
        return cache_mod.slot(self.fingerprint, path), cache_mod.key(
            self.fingerprint, path, location.module, str(location.is_package), content)

    def _load(self, path: str) -> ModuleFacts | None:
        """A module's cached facts, if they and those of every module they used (and so on)
        are still what the files say; all or nothing."""
        found: dict[str, ModuleFacts] = {}
        try:
            valid = self._load_into(path, found)
        except RecursionError:
            valid = False
        if not valid:
            return None
        self._done.update(found)
        return found[path]

    def _load_into(self, path: str, found: dict[str, ModuleFacts]) -> bool:
        if path in self._done or path in found:
            return True
        if path in self._pending:
            return False  # being summarised anew
        where = self._key(path)
        entry = self.cache.load(*where) if where is not None else None
        facts = _facts_of(entry) if entry is not None else None
        if facts is None:
            return False
        found[path] = facts  # a module that used this one, in a cycle, finds it here
        for importer, module, dep, content in facts.deps:
            if resolve(module, search_path(locate(importer).root)) != dep \
                    or self._hash(dep) != content:
                return False
            if dep is not None and not self._load_into(dep, found):
                return False
        return True

    def _store(self, path: str, facts: ModuleFacts) -> None:
        where = self._key(path)
        if where is not None:
            self.cache.store(*where, {"summaries": facts.summaries, "exports": facts.exports,
                                      "deps": sorted(facts.deps, key=repr)})


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _names_attribute(data: bytes, name: bytes) -> bool:
    """Whether the bytes hold `.name` not followed by more of a longer name."""
    at = data.find(b"." + name)
    while at != -1:
        after = at + 1 + len(name)
        if after == len(data) or not (data[after:after + 1].isalnum() or data[after] == 95):
            return True
        at = data.find(b"." + name, after)
    return False


def _facts_of(entry: dict) -> ModuleFacts | None:
    """An entry's facts, or None for anything but what `_store` writes."""
    try:
        summaries, exports = entry["summaries"], entry["exports"]
        deps = frozenset(tuple(dep) for dep in entry["deps"])
    except (KeyError, TypeError):
        return None
    if not (isinstance(summaries, dict) and isinstance(exports, dict)
            and all(isinstance(s, Summary) for s in summaries.values())
            and all(len(dep) == 4 and isinstance(dep[1], str) for dep in deps)):
        return None
    return ModuleFacts(summaries, exports, deps)


def _exports(imports: Imports, functions: set[str]) -> dict[str, str]:
    return {local: q for local, q in imports.local_to_qualified.items() if local not in functions}


# -- the byte pre-filter's question --------------------------------------------------------

# Where an import statement starts: a line, or after `;` or a compound statement's `:`. The
# keywords are searched for (each a literal: the regular expression engine finds one fast,
# an alternation of the two it tries at every byte), what comes before them checked after.
_IMPORT_KEYWORDS = (re.compile(rb"from(?=[ \t.])"), re.compile(rb"import[ \t]"))
_STATEMENT_BREAKS = frozenset(b"\n;:")
_FROM = re.compile(r"from\s*(\.*)\s*([\w.]*)\s+import\s+(.*)", re.S)
_IMPORT = re.compile(r"import\s+(.*)", re.S)
_NEWLINE, _OPEN, _CLOSE, _HASH, _BACKSLASH = b"\n()#\\"  # as ints


def scan_imports(data: bytes) -> list[tuple[int, str, str | None]]:
    """(level, module, name) for each name imported, read from the bytes without a parse:
    `import a.b as c` -> (0, "a.b", None), `from ..x import f` -> (2, "x", "f")."""
    found = []
    for line in import_lines(data):
        for statement in line.decode("utf-8", "replace").split(";"):
            found += _names_of(statement.strip(" \t\r\n:"))
    return found


def import_lines(data: bytes) -> list[bytes]:
    """The logical lines that hold an import statement, from the keyword on, without their
    comments (what follows a `;` on such a line is kept)."""
    return [_logical_line(data, start) for start in _import_starts(data)]


def _import_starts(data: bytes) -> list[int]:
    """Offsets of the import keywords that begin a statement: only blanks between them and
    the start of the line, a `;` or a `:`."""
    starts = []
    found = [match.start() for keyword in _IMPORT_KEYWORDS for match in keyword.finditer(data)]
    for at in sorted(found):
        while at and data[at - 1] in b" \t":
            at -= 1
        if not at or data[at - 1] in _STATEMENT_BREAKS:
            starts.append(at)
    return starts


def _logical_line(data: bytes, start: int) -> bytes:
    """From `start` to the end of its logical line (brackets and backslashes continue it),
    comments left out."""
    stop = data.find(b"\n", start)
    line = data[start:] if stop == -1 else data[start:stop]
    if b"(" not in line and b"\\" not in line and b"#" not in line:
        return line  # most imports: one physical line, read without a byte loop
    chunks, depth, at, end = [], 0, start, len(data)
    i = start
    while i < end:
        byte = data[i]
        if byte == _HASH:
            chunks.append(data[at:i])
            i = data.find(b"\n", i)
            i, at = (end, end) if i == -1 else (i, i)
            continue
        if byte == _OPEN:
            depth += 1
        elif byte == _CLOSE:
            depth -= 1
        elif byte == _BACKSLASH:
            i += 2
            continue
        elif byte == _NEWLINE and depth <= 0:
            break
        i += 1
    chunks.append(data[at:i])
    return b"".join(chunks).replace(b"\\\r\n", b" ").replace(b"\\\n", b" ")


def _names_of(statement: str) -> list[tuple[int, str, str | None]]:
    statement = statement.replace("(", " ").replace(")", " ")
    if (match := _FROM.fullmatch(statement)) is not None:
        dots, module, names = match.groups()
        return [(len(dots), module, part.split()[0]) for part in names.split(",")
                if part.split() and part.split()[0] != "*"]
    if (match := _IMPORT.fullmatch(statement)) is not None:
        return [(0, part.split()[0], None) for part in match.group(1).split(",") if part.split()]
    return []


def imported_summaries(data: bytes, path: str, config: Config) -> list[Summary]:
    """The summaries that act of the functions a file imports and may use (see
    `Project.used_summaries`): a call of one may rename, write or sync with none of those
    names in the file's own bytes."""
    project = project_for(config)
    location = locate(path)
    project.use_cache_of(location)
    used: list[Summary] = []
    for level, module, name in scan_imports(data):
        if level:
            node = ast.ImportFrom(module=module or None, names=[], level=level)
            absolute = absolute_module(node, location.package)
            if absolute is None:
                continue
            module = absolute
        if name is not None:
            used += project.used_summaries(location, module, name, data)
            continue
        parts = module.split(".")  # `import a.b` binds `a`: `a.f()` and `a.b.f()` both
        for n in range(1, len(parts) + 1):
            used += project.used_summaries(location, ".".join(parts[:n]), None, data)
    return used


def _parse(path: str, location: Location) -> Parsed | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        from lint_rules.engine.checker import decode  # the checker imports this module

        source = decode(data)
        tree = ast.parse(source, filename=path)
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError, ValueError):
        return None
    index = index_module(tree, source)
    return index, Imports(index.imports, location.package), _top_level_functions(tree), data


def _top_level_functions(tree: ast.Module) -> set[str]:
    """Functions callable as `module.name`: defined at the top level, also under an `if` or
    `try` there (`if sys.platform == ...: def f`)."""
    names = set()
    stack = list(tree.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, _FUNCTIONS):
            names.add(stmt.name)
        elif isinstance(stmt, (ast.If, ast.Try, ast.TryStar)):
            for block in (stmt.body, stmt.orelse, getattr(stmt, "finalbody", [])):
                stack.extend(block)
            for handler in getattr(stmt, "handlers", ()):
                stack.extend(handler.body)
    return names


_PROJECTS: dict[Config, Project] = {}


def project_for(config: Config) -> Project:
    """The process's `Project` for a configuration (workers keep theirs between files). Only
    the helpers named and whether to cache can change summaries: configurations that differ
    in the rest (selection, fix safety, size limits) share one, and one cache."""
    config = replace(config, select=(), ignore=(), exclude=(), max_file_size=None,
                     unsafe_fixes=False)
    project = _PROJECTS.get(config)
    if project is None:
        project = _PROJECTS[config] = Project(config)
    return project


def reset() -> None:
    """Forget every summary of this process (tests that edit modules between runs)."""
    _PROJECTS.clear()
    for cached in (locate, project_root, search_path, resolve, _submodule_folders,
                   _is_package_dir, _installed_path, _site_dirs, cache_mod.cache_at):
        cached.cache_clear()
