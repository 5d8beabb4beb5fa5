"""Syscalls → operations, by replaying the trace against a model of the namespace.

We keep, in program order, which inode each path names and what each inode holds, so that a
write through a file descriptor lands on the right inode even after its file was renamed, and
so that we know the final ("new") content of every path.  File descriptors are tracked in one
table for all traced processes (threads share it; a forked child's copies keep their numbers);
when the table disagrees with the path strace resolved for an fd, the path wins.

What we cannot see is recorded in `gaps` rather than guessed silently, when it touches a watched
file: a mechanism we do not model (a shared writable mmap, O_DIRECT, io_uring, splice, hard
links...), data copied from a file whose content we do not know, several processes changing one
file.  A gap makes the run unverifiable: the crash states would be those of another program.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable

from .ops import Ack, Create, Fsync, Mkdir, Op, Rename, SyncAll, Truncate, Unlink, Write
from .snapshot import Snapshot
from .trace import (FdRef, Syscall, TraceError, decode_c_string, fd_arg, flags_arg, int_arg,
                    iovec_data, is_cut_off, path_arg, result_fd, result_int)

# What `strace -e trace=` should include; names unknown on an architecture are skipped.
TRACED_SYSCALLS = (
    "open", "openat", "creat", "write", "pwrite64", "writev", "pwritev", "pwritev2", "lseek",
    "ftruncate", "truncate", "fsync", "fdatasync", "sync", "syncfs", "rename", "renameat",
    "renameat2", "unlink", "unlinkat", "mkdir", "mkdirat", "close", "dup", "dup2", "dup3",
    "fcntl", "chdir", "fchdir", "sendfile", "copy_file_range",
    # Not modelled; traced so that a run that uses them on a watched file says so.
    "mmap", "fallocate", "link", "linkat", "symlink", "symlinkat", "openat2", "splice",
    "vmsplice", "tee", "io_uring_setup", "io_submit",
)
_NOT_FILES = ("/dev/", "/proc/", "/sys/")


@dataclass
class _Description:
    """An open file description: shared by dup'ed fds, it holds the offset."""

    path: str
    ino: int | None  # None: a directory, or a file we never needed as an inode
    offset: int = 0
    append: bool = False


@dataclass
class Lowered:
    ops: list[Op]
    initial: dict[str, int]  # path → inode, for files that existed before the run
    initial_content: dict[int, bytes | None]  # None: existed, content unknown (not watched)
    final: dict[str, bytes | None]  # path → content at the end, for every path ops touched
    changes: list[frozenset[str]]  # per op, the paths whose content or existence it changed
    gaps: list[str] = field(default_factory=list)


class _Lowering:
    def __init__(self, snapshot: Snapshot, cwd: str,
                 inherited: dict[int, tuple[int, bool]] | None = None) -> None:
        self.snapshot = snapshot
        self.inherited = dict(inherited or {})  # fd → (offset, O_APPEND) before the run
        self.cwd0 = cwd
        self.cwd: dict[int | None, str] = {}
        self.entries: dict[str, int] = {}
        self.decided: set[str] = set()  # paths whose pre-run existence is settled
        self.content: dict[int, bytearray | None] = {}
        self.initial: dict[str, int] = {}
        self.initial_content: dict[int, bytes | None] = {}
        self.fds: dict[int, _Description] = {}
        self.ops: list[Op] = []
        self.changes: list[frozenset[str]] = []
        self.touched: set[str] = set()
        self.gaps: list[str] = []
        self.stdout_line = bytearray()
        self.changed_by: dict[int, set[int | None]] = {}  # inode → the tasks that changed it

    # -- namespace ---------------------------------------------------------------------------
    def lookup(self, path: str, unknown_exists: bool) -> int | None:
        """The inode `path` names now, materialising files that existed before the run.

        For a path outside the watch roots we cannot know; `unknown_exists` says what the
        caller's syscall implies (a successful open without O_CREAT: it existed).
        """
        if path not in self.decided:
            self.decided.add(path)
            if self.snapshot.knows(path):
                before = self.snapshot.before(path)
                if before is not None:
                    self._materialise(path, before)
            elif unknown_exists:
                self._materialise(path, None)
        return self.entries.get(path)

    def _materialise(self, path: str, content: bytes | None) -> None:
        ino = self._new_inode(content)
        self.entries[path] = ino
        self.initial[path] = ino
        self.initial_content[ino] = content

    def _new_inode(self, content: bytes | None) -> int:
        ino = len(self.content) + 1
        self.content[ino] = bytearray(content) if content is not None else None
        return ino

    def names_of(self, ino: int) -> frozenset[str]:
        return frozenset(p for p, i in self.entries.items() if i == ino)

    def size(self, ino: int) -> int:
        data = self.content[ino]
        return len(data) if data is not None else 0

    def watched(self, path: str | None) -> bool:
        return path is not None and self.snapshot.knows(path)

    def gap(self, call: Syscall, what: str) -> None:
        self.gaps.append(f"line {call.line}: {what}")

    def changed(self, ino: int, call: Syscall) -> None:
        self.changed_by.setdefault(ino, set()).add(call.pid)

    def emit(self, op: Op, changed: frozenset[str] = frozenset()) -> None:
        self.ops.append(op)
        self.changes.append(changed)
        self.touched |= changed

    # -- paths -------------------------------------------------------------------------------
    def resolve(self, call: Syscall, dirfd: FdRef | None, raw: str) -> str:
        path = path_arg(raw)
        if dirfd is not None and dirfd.fd is None and dirfd.path:
            self.cwd[call.pid] = dirfd.path  # AT_FDCWD<cwd> tells us the caller's cwd
        if os.path.isabs(path):
            return os.path.normpath(path)
        base = dirfd.path if dirfd is not None and dirfd.path else self.cwd.get(call.pid, self.cwd0)
        return os.path.normpath(os.path.join(base, path))

    def description(self, ref: FdRef) -> _Description | None:
        """The open file behind an fd argument, or None for pipes, ttys and devices."""
        known = self.fds.get(ref.fd) if ref.fd is not None else None
        if ref.path is None or ref.deleted:
            return known
        if not ref.path.startswith("/") or ref.path.startswith(_NOT_FILES):
            return None
        if known is not None and known.path == ref.path:
            return known
        if known is not None and known.ino is not None and self.entries.get(ref.path) == known.ino:
            known.path = ref.path  # renamed while open
            return known
        fresh = _Description(ref.path, None)
        if ref.fd is not None:
            if ref.fd not in self.fds and ref.fd in self.inherited:
                fresh.offset, fresh.append = self.inherited.pop(ref.fd)
            self.fds[ref.fd] = fresh
        return fresh

    def file_of(self, desc: _Description) -> int:
        if desc.ino is None:
            desc.ino = self.lookup(desc.path, unknown_exists=True)
            if desc.ino is None:
                if self.watched(desc.path):
                    self.gaps.append(f"{desc.path} was written but its creation was not traced")
                desc.ino = self._create(desc.path)
        return desc.ino

    def _create(self, path: str) -> int:
        self.decided.add(path)
        ino = self._new_inode(b"")
        self.entries[path] = ino
        self.emit(Create(path, ino), frozenset({path}))
        return ino

    # -- effects on content -------------------------------------------------------------------
    def write(self, ino: int, offset: int, data: bytes) -> None:
        if not data:
            return
        size = self.size(ino)
        names = self.names_of(ino)
        current = self.content[ino]
        if current is not None:
            if offset > len(current):
                current.extend(bytes(offset - len(current)))
            current[offset:offset + len(data)] = data
        self.emit(Write(ino, min(names, default="(unlinked)"), offset, data, size), names)

    def truncate(self, ino: int, length: int) -> None:
        size = self.size(ino)
        current = self.content[ino]
        if current is not None:
            if length <= len(current):
                del current[length:]
            else:
                current.extend(bytes(length - len(current)))
        names = self.names_of(ino)
        self.emit(Truncate(ino, min(names, default="(unlinked)"), length, size), names)

    def acknowledge(self, data: bytes) -> None:
        self.stdout_line += data
        while b"\n" in self.stdout_line:
            line, _, rest = bytes(self.stdout_line).partition(b"\n")
            self.stdout_line = bytearray(rest)
            self.emit(Ack(line.decode("utf-8", "replace")))


def lower(calls: Iterable[Syscall], snapshot: Snapshot, cwd: str,
          inherited: dict[int, tuple[int, bool]] | None = None) -> Lowered:
    """`inherited`: offset and O_APPEND of the files the command got open (its stdout)."""
    state = _Lowering(snapshot, os.path.normpath(cwd), inherited)
    for call in calls:
        handler = _HANDLERS.get(call.name)
        if handler is not None and call.ok:
            handler(state, call)
    state.gaps += _races(state)
    final = {path: _final(state, path) for path in state.touched}
    return Lowered(state.ops, state.initial, state.initial_content, final, state.changes,
                   state.gaps)


def _races(state: _Lowering) -> list[str]:
    """Watched files changed by more than one thread or process: we replay the interleaving
    strace saw, and another schedule could leave other bytes and other crash states."""
    names: dict[int, set[str]] = {}
    for op in state.ops:
        if isinstance(op, (Write, Truncate)):
            names.setdefault(op.ino, set()).add(op.path)
    gaps = []
    for ino, tasks in state.changed_by.items():
        watched = sorted(p for p in names.get(ino, ()) if state.watched(p))
        if len(tasks) > 1 and watched:
            gaps.append(f"{watched[0]} is changed by {len(tasks)} threads or processes; other "
                        "interleavings than the one traced are not explored")
    return gaps


def _final(state: _Lowering, path: str) -> bytes | None:
    ino = state.entries.get(path)
    if ino is None:
        return None
    data = state.content[ino]
    return bytes(data) if data is not None else None


# -- handlers, one per syscall family ----------------------------------------------------------
def _open(state: _Lowering, call: Syscall) -> None:
    if call.name == "creat":
        dirfd, raw_path, flags = None, call.args[0], frozenset({"O_CREAT", "O_WRONLY", "O_TRUNC"})
    elif call.name == "open":
        dirfd, raw_path, flags = None, call.args[0], flags_arg(call.args[1])
    else:
        dirfd, raw_path, flags = fd_arg(call.args[0]), call.args[1], flags_arg(call.args[2])
    opened = result_fd(call.result)
    resolved = state.resolve(call, dirfd, raw_path)  # also learns the cwd from AT_FDCWD<...>
    path = opened.path or resolved
    writable = bool(flags & {"O_WRONLY", "O_RDWR"})
    if "O_DIRECT" in flags and state.watched(path):
        state.gap(call, f"{path} is opened with O_DIRECT, which bypasses the page cache; "
                        "its ordering is not modelled")
    desc = _Description(path, None, append="O_APPEND" in flags)
    if writable or "O_CREAT" in flags:
        ino = state.lookup(path, unknown_exists="O_CREAT" not in flags)
        if ino is None:
            ino = state._create(path)
        elif "O_TRUNC" in flags and state.size(ino) > 0:
            state.truncate(ino, 0)
        desc.ino = ino
    elif "O_DIRECTORY" not in flags:
        desc.ino = state.entries.get(path)
    if opened.fd is not None:
        state.fds[opened.fd] = desc


def _write(state: _Lowering, call: Syscall) -> None:
    ref = fd_arg(call.args[0])
    count = result_int(call.result) or 0
    if call.name in ("writev", "pwritev", "pwritev2"):
        data, cut = iovec_data(call.args[1])
    else:
        data, cut = decode_c_string(call.args[1]), is_cut_off(call.args[1])
    desc = state.description(ref)
    if desc is None and ref.fd != 1:
        return  # a pipe, a socket, a device: nothing that persists
    if len(data) < count:
        if not cut:
            raise TraceError(f"line {call.line}: {call.name} of {count} bytes shows {len(data)}")
        if ref.fd == 1 or desc is None or state.watched(desc.path):
            raise TraceError(f"line {call.line}: strace cut a {count}-byte {call.name} short "
                             f"(it keeps --max-write-bytes, {len(data)}, of each buffer); raise "
                             f"--max-write-bytes to at least {count}")
        _write_unseen(state, call, desc, count)
        return
    data = data[:count]
    if ref.fd == 1:
        state.acknowledge(data)
    if desc is None:
        return
    ino = state.file_of(desc)
    state.changed(ino, call)
    if call.name in ("pwrite64", "pwritev", "pwritev2"):
        offset_arg = call.args[3]
        state.write(ino, int_arg(offset_arg), data)
        return
    offset = state.size(ino) if desc.append else desc.offset
    state.write(ino, offset, data)
    desc.offset = offset + count


def _write_unseen(state: _Lowering, call: Syscall, desc: _Description, count: int) -> None:
    """A write outside the watch roots that strace cut short: its bytes do not matter unless
    the file is later renamed onto a watched path, and then its content counts as unknown."""
    ino = state.file_of(desc)
    state.content[ino] = None
    if call.name not in ("pwrite64", "pwritev", "pwritev2"):
        desc.offset += count


def _lseek(state: _Lowering, call: Syscall) -> None:
    desc = state.description(fd_arg(call.args[0]))
    if desc is not None:
        desc.offset = result_int(call.result) or 0


def _truncate(state: _Lowering, call: Syscall) -> None:
    length = int_arg(call.args[1])
    if call.name == "ftruncate":
        desc = state.description(fd_arg(call.args[0]))
        if desc is None:
            return
        ino = state.file_of(desc)
    else:
        ino = state.lookup(state.resolve(call, None, call.args[0]), unknown_exists=True)
        if ino is None:
            return
    state.changed(ino, call)
    state.truncate(ino, length)


def _fsync(state: _Lowering, call: Syscall) -> None:
    ref = fd_arg(call.args[0])
    desc = state.description(ref)
    if desc is None:
        return
    ino = desc.ino if desc.ino is not None else state.lookup(desc.path, unknown_exists=False)
    state.emit(Fsync(desc.path, ino, data_only=call.name == "fdatasync"))


def _sync(state: _Lowering, call: Syscall) -> None:
    state.emit(SyncAll())


def _rename(state: _Lowering, call: Syscall) -> None:
    if call.name == "rename":
        src = state.resolve(call, None, call.args[0])
        dst = state.resolve(call, None, call.args[1])
    else:
        src = state.resolve(call, fd_arg(call.args[0]), call.args[1])
        dst = state.resolve(call, fd_arg(call.args[2]), call.args[3])
        if call.name == "renameat2" and "RENAME_EXCHANGE" in flags_arg(call.args[4]):
            if state.watched(src) or state.watched(dst):
                state.gap(call, "RENAME_EXCHANGE is not modelled")
            return
    ino = state.lookup(src, unknown_exists=True)
    if ino is None or src == dst:
        return
    replaced = state.lookup(dst, unknown_exists=False)
    if state.content[ino] is None and state.snapshot.knows(dst):
        state.gaps.append(f"line {call.line}: {src} is renamed onto watched {dst}, but it existed "
                          "before the run outside the watch roots: its content is unknown")
    if any(p.startswith(src + os.sep) for p in state.entries) and (
            state.watched(src) or state.watched(dst)):
        state.gap(call, f"renaming directory {src} is not modelled")
    del state.entries[src]
    state.entries[dst] = ino
    state.decided.add(dst)
    state.emit(Rename(src, dst, ino, replaced), frozenset({src, dst}))


def _unlink(state: _Lowering, call: Syscall) -> None:
    if call.name == "unlink":
        path = state.resolve(call, None, call.args[0])
    else:
        if "AT_REMOVEDIR" in flags_arg(call.args[2]):
            return
        path = state.resolve(call, fd_arg(call.args[0]), call.args[1])
    ino = state.lookup(path, unknown_exists=True)
    if ino is None:
        return
    del state.entries[path]
    state.emit(Unlink(path, ino), frozenset({path}))


def _mkdir(state: _Lowering, call: Syscall) -> None:
    if call.name == "mkdir":
        path = state.resolve(call, None, call.args[0])
    else:
        path = state.resolve(call, fd_arg(call.args[0]), call.args[1])
    state.emit(Mkdir(path))


def _close(state: _Lowering, call: Syscall) -> None:
    ref = fd_arg(call.args[0])
    if ref.fd is not None:
        state.fds.pop(ref.fd, None)


def _dup(state: _Lowering, call: Syscall) -> None:
    if call.name == "fcntl" and not call.args[1].startswith("F_DUPFD"):
        return
    desc = state.description(fd_arg(call.args[0]))
    new = result_fd(call.result)
    if desc is not None and new.fd is not None:
        state.fds[new.fd] = desc


def _chdir(state: _Lowering, call: Syscall) -> None:
    if call.name == "chdir":
        state.cwd[call.pid] = state.resolve(call, None, call.args[0])
    else:
        ref = fd_arg(call.args[0])
        if ref.path:
            state.cwd[call.pid] = ref.path


def _copy(state: _Lowering, call: Syscall) -> None:
    """sendfile/copy_file_range: the bytes come from the source inode as we know it."""
    count = result_int(call.result) or 0
    if call.name == "sendfile":
        out_ref, in_ref, in_offset_arg = fd_arg(call.args[0]), fd_arg(call.args[1]), call.args[2]
        out_offset_arg = "NULL"
    else:
        in_ref, in_offset_arg = fd_arg(call.args[0]), call.args[1]
        out_ref, out_offset_arg = fd_arg(call.args[2]), call.args[3]
    source, target = state.description(in_ref), state.description(out_ref)
    if source is None or target is None:
        return
    source_ino, target_ino = state.file_of(source), state.file_of(target)
    explicit_in = _pointed_offset(in_offset_arg)
    start = explicit_in if explicit_in is not None else source.offset
    held = state.content[source_ino]
    if held is None:
        if state.watched(target.path):
            state.gap(call, f"{call.name} copies from {source.path}, whose content we do not "
                            "know (watch it)")
        held = bytearray(start + count)
    if explicit_in is None:
        source.offset += count
    explicit_out = _pointed_offset(out_offset_arg)
    offset = explicit_out if explicit_out is not None else (
        state.size(target_ino) if target.append else target.offset)
    state.changed(target_ino, call)
    state.write(target_ino, offset, bytes(held[start:start + count]))
    if explicit_out is None:
        target.offset = offset + count


def _mmap(state: _Lowering, call: Syscall) -> None:
    """A shared, writable mapping of a watched file: its stores reach the file with no
    syscall, so neither the bytes nor their order are in the trace."""
    prot, flags = flags_arg(call.args[2]), flags_arg(call.args[3])
    if "MAP_SHARED" not in flags or "PROT_WRITE" not in prot:
        return
    ref = fd_arg(call.args[4])
    desc = state.description(ref) if ref.fd is not None and ref.fd >= 0 else None
    if desc is not None and state.watched(desc.path):
        state.gap(call, f"{desc.path} is mapped shared and writable (mmap): writes through "
                        "the mapping are not in the trace")


def _fcntl(state: _Lowering, call: Syscall) -> None:
    if call.args[1:2] == ("F_SETFL",) and "O_DIRECT" in flags_arg(call.args[2]):
        desc = state.description(fd_arg(call.args[0]))
        if desc is not None and state.watched(desc.path):
            state.gap(call, f"{desc.path} is switched to O_DIRECT, which bypasses the page "
                            "cache; its ordering is not modelled")
        return
    _dup(state, call)


def _unseen_io(state: _Lowering, call: Syscall) -> None:
    """Asynchronous I/O (io_uring, Linux AIO): the operations are in shared memory, not in the
    syscalls, so we cannot tell which files they touch; any use makes the run unverifiable."""
    state.gap(call, f"{call.name}: asynchronous I/O is not traced, so its writes (if any "
                    "touch watched files) are not seen")


def _splice(state: _Lowering, call: Syscall) -> None:
    """splice/tee/vmsplice move bytes through pipes, whose content we do not know."""
    refs = [fd_arg(arg) for arg in call.args if arg[:1].isdigit() and "<" in arg]
    targets = [state.description(ref) for ref in refs]
    touched = sorted(d.path for d in targets if d is not None and state.watched(d.path))
    if touched:
        state.gap(call, f"{call.name} moves bytes through a pipe into {touched[0]}: "
                        "they are not in the trace")


def _unmodelled(state: _Lowering, call: Syscall) -> None:
    """Calls whose effect on persistence we do not model: a gap, if it can touch a watched
    file."""
    if call.name == "fallocate":
        desc = state.description(fd_arg(call.args[0]))
        touches = desc is not None and state.watched(desc.path)
    else:
        # Paths taken relative to the cwd, whatever the dirfd: enough to tell a watched one.
        touches = any(state.watched(state.resolve(call, None, arg)) for arg in call.args
                      if arg.startswith('"'))
    if touches:
        state.gap(call, f"{call.name} is not modelled (its effect may be missing from the "
                        "crash states)")


def _pointed_offset(text: str) -> int | None:
    """`[0]` or `[0] => [5]` (an offset passed by pointer): the offset before the call."""
    text = text.strip()
    if not text.startswith("["):
        return None
    return int(text[1:text.index("]")], 0)


_HANDLERS = {
    "open": _open, "openat": _open, "creat": _open,
    "write": _write, "pwrite64": _write, "writev": _write, "pwritev": _write, "pwritev2": _write,
    "lseek": _lseek, "ftruncate": _truncate, "truncate": _truncate,
    "fsync": _fsync, "fdatasync": _fsync, "sync": _sync, "syncfs": _sync,
    "rename": _rename, "renameat": _rename, "renameat2": _rename,
    "unlink": _unlink, "unlinkat": _unlink, "mkdir": _mkdir, "mkdirat": _mkdir,
    "close": _close, "dup": _dup, "dup2": _dup, "dup3": _dup, "fcntl": _fcntl,
    "chdir": _chdir, "fchdir": _chdir, "sendfile": _copy, "copy_file_range": _copy,
    "mmap": _mmap, "fallocate": _unmodelled, "link": _unmodelled,
    "linkat": _unmodelled, "symlink": _unmodelled, "symlinkat": _unmodelled,
    "openat2": _unmodelled, "splice": _splice, "vmsplice": _splice, "tee": _splice,
    "io_uring_setup": _unseen_io, "io_submit": _unseen_io,
}
