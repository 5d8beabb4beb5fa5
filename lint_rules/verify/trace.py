"""strace's text output → `Syscall` records.

We read the output of `strace -f -qq -xx -y -s N -o FILE`: one call per line, prefixed by the
thread id; strings are C-escaped (all bytes as `\\xNN` with -xx, so binary data survives);
file descriptors carry their path as `3</dir/file>` (-y).  With several threads or processes a
call can be split into `name(args <unfinished ...>` and, later, `<... name resumed>rest`; the
call takes effect when it returns, so it is emitted at the resumed line.

The parser keeps arguments as raw text and offers small decoders for the shapes the lowering
needs (strings, fds, integers, flag sets, iovec arrays).  Failed calls are kept (with their
negative result) so the lowering decides what to ignore.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

_PID_PREFIX = re.compile(r"^(?:\[pid\s+(\d+)\]|(\d+))\s+")
_RESUMED = re.compile(r"^<\.\.\. ([A-Za-z0-9_]+) resumed>\s?(.*)$", re.S)
_UNFINISHED = " <unfinished ...>"
_ESCAPES = {"n": 10, "t": 9, "r": 13, "v": 11, "f": 12, "a": 7, "b": 8, "\\": 92, '"': 34, "'": 39}


class TraceError(ValueError):
    """The trace cannot be read, or lacks data we need (say which, and what to do)."""


@dataclass(frozen=True)
class Syscall:
    pid: int | None
    name: str
    args: tuple[str, ...]
    result: str
    line: int

    @property
    def ok(self) -> bool:
        """Returned without error (a result we can read as a non-negative number)."""
        value = result_int(self.result)
        return value is not None and value >= 0


def parse_trace(text: str) -> list[Syscall]:
    """Every complete call in `text`, in the order the calls returned."""
    calls: list[Syscall] = []
    pending: dict[int | None, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        pid, body = _split_pid(raw)
        if not body or body.startswith(("---", "+++", "strace:")):
            continue
        if body.endswith(_UNFINISHED):
            pending[pid] = body[: -len(_UNFINISHED)]
            continue
        resumed = _RESUMED.match(body)
        if resumed:
            head = pending.pop(pid, None)
            if head is None:
                continue  # the entry was before the trace started
            body = head + resumed.group(2)
        call = parse_call(body, pid, number)
        if call is not None:
            calls.append(call)
    return calls


def _split_pid(line: str) -> tuple[int | None, str]:
    match = _PID_PREFIX.match(line)
    if not match:
        return None, line.strip()
    pid = match.group(1) or match.group(2)
    return int(pid), line[match.end():].strip()


def parse_call(body: str, pid: int | None = None, line: int = 0) -> Syscall | None:
    """One `name(args) = result` text; None for lines that are not calls."""
    match = re.match(r"([A-Za-z0-9_]+)\(", body)
    if not match:
        return None
    end = _closing_paren(body, match.end())
    if end is None:
        return None
    rest = body[end + 1:].strip()
    if not rest.startswith("="):
        return None
    args = tuple(split_args(body[match.end():end]))
    return Syscall(pid, match.group(1), args, rest[1:].strip(), line)


def _closing_paren(text: str, start: int) -> int | None:
    for i, ch, depth in _scan(text, start):
        if ch == ")" and depth < 0:  # the parenthesis that the call's name opened
            return i
    return None


def _scan(text: str, start: int = 0):
    """(index, char, nesting depth) for the characters outside strings.

    The depth counts brackets and -y annotations (`3</path>`: a `<` right after a name or a
    number), closers included at the depth they close to; a `>` that closes nothing (as in
    `[0] => [512]`) is ordinary.
    """
    depth = 0
    angles = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = _string_end(text, i)
            continue
        if ch in "([{" or (ch == "<" and i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")):
            depth += 1
            angles += ch == "<"
        elif ch in ")]}" or (ch == ">" and angles):
            depth -= 1
            angles -= ch == ">"
        yield i, ch, depth
        i += 1


def _string_end(text: str, start: int) -> int:
    """Index just past the closing quote of the string that opens at `start`."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    raise TraceError(f"unterminated string in trace: {text[start:start + 60]!r}")


def split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments (quotes, brackets and -y annotations respected)."""
    parts: list[str] = []
    start = 0
    for i, ch, depth in _scan(text):
        if ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    tail = text[start:].strip()
    if tail or parts:
        parts.append(tail)
    return parts


def decode_c_string(quoted: str) -> bytes:
    """The bytes of a strace string argument: `"..."`, maybe followed by `...` (cut off)."""
    if not quoted.startswith('"'):
        raise TraceError(f"expected a string argument, got {quoted[:60]!r}")
    end = _string_end(quoted, 0)
    return _unescape(quoted[1:end - 1])


def is_cut_off(quoted: str) -> bool:
    """strace appends `...` after the closing quote when -s cut the string short."""
    return quoted.rstrip().endswith('"...')


def _unescape(body: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out += ch.encode("utf-8", "surrogateescape")
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "x":
            out.append(int(body[i + 2:i + 4], 16))
            i += 4
        elif nxt in "01234567":
            digits = re.match(r"[0-7]{1,3}", body[i + 1:i + 4]).group(0)
            out.append(int(digits, 8))
            i += 1 + len(digits)
        else:
            out.append(_ESCAPES.get(nxt, ord(nxt)))
            i += 2
    return bytes(out)


def _annotation(text: str) -> tuple[str, str | None, bool]:
    """Split `3</path>(deleted)` into ("3", "/path", deleted)."""
    open_at = text.find("<")
    if open_at < 0:
        return text.strip(), None, False
    close_at = text.rfind(">")
    path = os.fsdecode(_unescape(text[open_at + 1:close_at]))
    deleted = text[close_at + 1:].strip() == "(deleted)" or path.endswith(" (deleted)")
    if path.endswith(" (deleted)"):
        path = path[: -len(" (deleted)")]
    return text[:open_at].strip(), path, deleted


@dataclass(frozen=True)
class FdRef:
    """A file-descriptor argument or result: its number and the path strace resolved."""

    fd: int | None  # None for AT_FDCWD
    path: str | None
    deleted: bool = False


def fd_arg(text: str) -> FdRef:
    head, path, deleted = _annotation(text)
    if head == "AT_FDCWD":
        return FdRef(None, path, deleted)
    try:
        return FdRef(int(head), path, deleted)
    except ValueError:
        raise TraceError(f"expected a file descriptor, got {text[:60]!r}") from None


def path_arg(text: str) -> str:
    return os.fsdecode(decode_c_string(text))


def int_arg(text: str) -> int:
    head = text.split()[0] if text.split() else text
    return int(head, 0)


def flags_arg(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split("|"))


def result_int(result: str) -> int | None:
    match = re.match(r"(-?(?:0x[0-9a-fA-F]+|\d+))", result)
    return int(match.group(1), 0) if match else None


def result_fd(result: str) -> FdRef:
    return fd_arg(result.split(" ", 1)[0] if "<" not in result else result[: result.rfind(">") + 1])


def iovec_data(text: str) -> tuple[bytes, bool]:
    """The bytes of an iovec array `[{iov_base="..", iov_len=N}, ...]` and whether any was cut."""
    data = bytearray()
    cut = False
    for item in split_args(text.strip()[1:-1]):
        fields = dict(_field(part) for part in split_args(item.strip()[1:-1]))
        base = fields.get("iov_base", '""')
        if base.startswith('"'):
            data += decode_c_string(base)
            cut = cut or is_cut_off(base)
    return bytes(data), cut


def _field(part: str) -> tuple[str, str]:
    name, _, value = part.partition("=")
    return name.strip(), value.strip()
