"""One verification: snapshot, trace, lower, enumerate crash states, classify, judge.

`analyse` works on a recorded trace (tests feed it fixtures); `verify` runs the command first.

A watched file is a path under a watch root that the program created, wrote, truncated,
renamed or unlinked, and that existed before or after the run (a temporary file that came and
went is not one).  Its *old* content is the snapshot's, its *new* content what the trace says
it held at the end.  A crash state violates durability when a watched file in it is empty or
torn, is missing although it existed before the run and after it, or is anything but new
although the program had acknowledged (printed a line, or exited 0) after the file's last
change.

A run is *unverifiable* (exit 2, whatever the states say) when something touched a watched file
that the trace does not show: the lowering's gaps (mmap, O_DIRECT, io_uring, several processes
on one file, ...), or content after the run that the replay of the traced operations does not
produce.  The crash states of the traced operations are then those of another program.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Iterable

from .lower import Lowered, lower
from .models import MODELS, DataPut, DirMake, EntryLink, EntryMove, EntryUnlink, Plan, SizeSet
from .ops import Ack, Create, Mkdir, Op, Rename
from .replay import EMPTY, MISSING, NEW, TORN, Scratch, classify, read_path
from .runner import DEFAULT_MAX_WRITE, inherited_files, run_traced
from .snapshot import MAX_BYTES, MAX_FILES, Snapshot, real, take_snapshot
from .states import DEFAULT_BOUND, CrashState, Enumeration, Reach, crash_states
from .trace import iter_calls


PREVIEW = 40


@dataclass(frozen=True)
class FileState:
    path: str
    kind: str  # old | new | empty | torn | missing
    size: int | None  # what the file held: its length (None: it did not exist)...
    preview: bytes  # ...and its first PREVIEW bytes (a state is never kept whole: it can be
    # as large as the file, and there are thousands)
    acknowledged: int | None  # index of the acknowledgement that promised it, if it had run
    violation: str | None  # why this is a violation, or None


@dataclass
class StateVerdict:
    state: CrashState
    files: list[FileState]

    @property
    def violations(self) -> list[FileState]:
        return [f for f in self.files if f.violation]


@dataclass
class FileResult:
    """One watched file under one model: the crash states of the effects that can change it."""

    path: str
    relevant: set[int]  # indices into the plan's effects
    enumeration: Enumeration
    verdicts: list[StateVerdict]


@dataclass
class ModelResult:
    model: str
    plan: Plan
    files: dict[str, FileResult]

    @property
    def verdicts(self) -> list[StateVerdict]:
        return [v for result in self.files.values() for v in result.verdicts]

    @property
    def violating(self) -> list[StateVerdict]:
        return [v for v in self.verdicts if v.violations]

    @property
    def exhaustive(self) -> bool:
        return all(result.enumeration.exhaustive for result in self.files.values())


@dataclass
class Verification:
    command: list[str]
    cwd: str
    returncode: int
    ops: list[Op]
    watched: list[str]
    old: dict[str, bytes | None]
    new: dict[str, bytes | None]
    results: dict[str, ModelResult]
    gaps: list[str] = field(default_factory=list)  # why the run is unverifiable
    warnings: list[str] = field(default_factory=list)
    stdout: str | None = None
    stderr: str | None = None

    @property
    def unverifiable(self) -> bool:
        return bool(self.gaps)

    @property
    def ok(self) -> bool:
        """Verified, and no state violates durability."""
        return not self.unverifiable and not any(r.violating for r in self.results.values())

    def violations(self, model: str) -> set[tuple[str, str, bool]]:
        """The distinct (path, kind, after acknowledgement) violations under `model`, with
        paths relative to the working directory when they are below it."""
        return {(self.short(f.path), f.kind, f.acknowledged is not None)
                for verdict in self.results[model].violating for f in verdict.violations}

    def short(self, path: str) -> str:
        if path.startswith(self.cwd.rstrip(os.sep) + os.sep):
            return os.path.relpath(path, self.cwd)
        return path

    def report(self, limit: int = 10) -> str:
        from .report import render
        return render(self, limit)


def verify(command: list[str], watch: list[str | os.PathLike[str]] | None = None,
           models: tuple[str, ...] = ("posix",), cwd: str | None = None,
           env: dict[str, str] | None = None, bound: int = DEFAULT_BOUND, seed: int = 0,
           max_write_bytes: int = DEFAULT_MAX_WRITE, max_watch_bytes: int = MAX_BYTES,
           max_watch_files: int = MAX_FILES, capture_output: bool = False,
           timeout: float | None = None) -> Verification:
    """Run `command` under strace and check its watched files under each model."""
    cwd = real(cwd or os.getcwd())
    roots = [os.path.join(cwd, os.fspath(p)) for p in (watch or ["."])]
    snapshot = take_snapshot(roots, max_watch_files, max_watch_bytes)
    inherited = {} if capture_output else inherited_files()
    with tempfile.TemporaryDirectory(prefix="durable-writes-verify-") as scratch:
        run = run_traced(command, os.path.join(scratch, "trace"), cwd=cwd, env=env,
                         max_write_bytes=max_write_bytes, capture_output=capture_output,
                         timeout=timeout)
        after = take_snapshot(roots, max_watch_files, max_watch_bytes)
        with open(run.trace_file, encoding="ascii", errors="replace") as trace:
            verification = analyse(trace, snapshot, cwd, run.returncode, models, bound, seed,
                                   command=command, after=after, inherited=inherited)
    verification.stdout, verification.stderr = run.stdout, run.stderr
    return verification


def analyse(trace: str | Iterable[str], snapshot: Snapshot, cwd: str, returncode: int = 0,
            models: tuple[str, ...] = ("posix",), bound: int = DEFAULT_BOUND, seed: int = 0,
            command: list[str] | None = None, after: Snapshot | None = None,
            inherited: dict[int, tuple[int, bool]] | None = None) -> Verification:
    """Judge a trace: its text, or its lines as an iterable (a file, read as a stream)."""
    lines = trace.splitlines() if isinstance(trace, str) else trace
    lowered = lower(iter_calls(lines), snapshot, cwd, inherited)
    ops = list(lowered.ops)
    if returncode == 0:
        ops.append(Ack("exit", kind="exit"))
    watched = sorted(p for p, content in lowered.final.items()
                     if snapshot.knows(p) and not (content is None and snapshot.before(p) is None))
    verification = Verification(
        command=list(command or []), cwd=cwd, returncode=returncode, ops=ops, watched=watched,
        old={p: snapshot.before(p) for p in watched}, new={p: lowered.final[p] for p in watched},
        results={}, gaps=list(lowered.gaps))
    verification.gaps += _unexplained(snapshot, lowered, after, verification.short)
    if returncode != 0:
        verification.warnings.append(
            f"the command exited with status {returncode}: its exit acknowledges nothing")
    promises = _promises(ops, lowered, watched)
    made_dirs = {op.path for op in ops if isinstance(op, Mkdir)}
    for name in models:
        plan = MODELS[name](ops)
        files = {}
        for path in watched:
            # Each file on its own: the states of its effects are the projections of the
            # whole disk's states (a need through another file's effect is followed), and a
            # file's verdict depends on nothing else.  Several files cost a sum, not a product.
            relevant, reach = _relevant(plan, ops, lowered, path)
            enumeration = crash_states(plan, ops, relevant, bound, seed, reach)
            scratch = Scratch()
            verdicts = _distinct_verdicts(
                _judge(state, plan, lowered, made_dirs, verification, path, promises[path],
                       scratch)
                for state in enumeration.states)
            files[path] = FileResult(path, relevant, enumeration, verdicts)
        verification.results[name] = ModelResult(name, plan, files)
    return verification


def _unexplained(before: Snapshot, lowered: Lowered, after: Snapshot | None,
                 short) -> list[str]:
    """Files under the watch roots whose content after the run is not what the trace says:
    writes we did not see (mmap, a process outside the trace, something else on the system)."""
    if after is None:
        return []
    paths = sorted(set(before.files) | set(after.files) | set(lowered.final))
    notes = []
    for path in paths:
        replayed = lowered.final.get(path, before.before(path))
        if before.knows(path) and after.before(path) != replayed:
            notes.append(f"{short(path)}: what it holds after the run "
                         f"({size_in_words(after.before(path))}) is not what the traced "
                         f"operations produce ({size_in_words(replayed)}): written through "
                         "mmap, or by a process outside the trace?")
    return notes


def size_in_words(content: bytes | None) -> str:
    return "missing" if content is None else f"{len(content)} bytes"


def _promises(ops: list[Op], lowered: Lowered, watched: list[str]) -> dict[str, int | None]:
    """Per watched file, the first acknowledgement after its last change (None: none came)."""
    acks = [i for i, op in enumerate(ops) if isinstance(op, Ack)]
    promises: dict[str, int | None] = {}
    for path in watched:
        last = max((i for i, changed in enumerate(lowered.changes) if path in changed), default=-1)
        promises[path] = next((a for a in acks if a > last), None)
    return promises


def _relevant(plan: Plan, ops: list[Op], lowered: Lowered,
              watched: str) -> tuple[set[int], Reach]:
    """The effects that can change what the path `watched` holds, and how it reaches inodes."""
    initial = lowered.initial.get(watched)
    inodes = {initial} if initial is not None else set()
    for op in ops:
        if isinstance(op, Create) and op.path == watched:
            inodes.add(op.ino)
        elif isinstance(op, Rename) and watched in (op.src, op.dst):
            inodes.add(op.ino)
    ancestors = set(_parents(watched))
    relevant: set[int] = set()
    reach = Reach(initial, {}, {})
    for index, effect in enumerate(plan.effects):
        match effect.change:
            case EntryLink(path=path, ino=ino):
                hit = path == watched
                if hit:
                    reach.links[index] = ino
            case EntryUnlink(path=path):
                hit = path == watched
            case EntryMove(src=src, dst=dst, ino=ino):
                hit = watched in (src, dst)
                if dst == watched:
                    reach.links[index] = ino
            case DirMake(path=path):
                hit = path in ancestors
            case SizeSet(ino=ino) | DataPut(ino=ino):
                hit = ino in inodes
                if hit:
                    reach.data[index] = ino
        if hit:
            relevant.add(index)
    return relevant, reach


def _parents(path: str):
    directory = os.path.dirname(path)
    while directory != os.path.dirname(directory):
        yield directory
        directory = os.path.dirname(directory)


def _judge(state: CrashState, plan: Plan, lowered: Lowered, made_dirs: set[str],
           verification: Verification, path: str, promise: int | None,
           scratch: Scratch) -> StateVerdict:
    held = read_path(path, lowered.initial, lowered.initial_content,
                     (plan.effects[e].change for e in sorted(state.persisted)), made_dirs,
                     scratch)
    old, new = verification.old[path], verification.new[path]
    kind = classify(held, old, new)
    acknowledged = promise if promise is not None and promise < state.point else None
    return StateVerdict(state, [FileState(path, kind, None if held is None else len(held),
                                          b"" if held is None else held.preview(PREVIEW),
                                          acknowledged,
                                          _violation(kind, old, new, acknowledged))])


def _distinct_verdicts(verdicts) -> list[StateVerdict]:
    """Drop a state that repeats an earlier one in all that matters: the same effects on disk,
    and each file promised or not (a later acknowledgement that promises nothing new)."""
    seen: set[tuple] = set()
    kept = []
    for verdict in verdicts:
        key = (verdict.state.persisted,
               tuple(f.acknowledged is not None for f in verdict.files))
        if key not in seen:
            seen.add(key)
            kept.append(verdict)
    return kept


def _violation(kind: str, old: bytes | None, new: bytes | None,
               acknowledged: int | None) -> str | None:
    if kind in (EMPTY, TORN):
        return kind
    if kind == MISSING and old is not None and new is not None:
        return "lost (it existed before the run and after it)"
    if acknowledged is not None and kind != NEW:
        return f"{kind} after the acknowledgement"
    return None
