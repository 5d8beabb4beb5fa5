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

import binascii
import os
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

_PID_PREFIX = re.compile(r"^(?:\[pid\s+(\d+)\]|(\d+))\s+")
_RESUMED = re.compile(r"^<\.\.\. ([A-Za-z0-9_]+) resumed>\s?(.*)$", re.S)
_UNFINISHED = " <unfinished ...>"
_SPECIAL = re.compile(r'["()\[\]{}<>,]')
_ESCAPE = re.compile(r"([^\\]+)|\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)", re.S)
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
    return list(iter_calls(text.splitlines()))


def iter_calls(lines: Iterable[str]) -> Iterator[Syscall]:
    """The calls of a trace read line by line (a file object will do), as they complete: a
    trace holds every byte written, so it is never held whole."""
    pending: dict[int | None, str] = {}
    number = 0
    # Not enumerate(): its reused result tuple would keep each line alive while the next one
    # is parsed, and a line holds a whole write buffer, four characters a byte.
    for raw in lines:
        number += 1
        pid, body = _split_pid(raw)
        del raw
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
        del body  # its arguments are in the call; the line need not live while it is lowered
        if call is not None:
            yield call


def _split_pid(line: str) -> tuple[int | None, str]:
    """The pid and the call's text, in one copy (a line can be hundreds of megabytes)."""
    match = _PID_PREFIX.match(line)
    start = match.end() if match else 0
    stop = len(line)
    while stop > start and line[stop - 1].isspace():
        stop -= 1
    while start < stop and line[start].isspace():
        start += 1
    return (int(match.group(1) or match.group(2)) if match else None), line[start:stop]


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
    args = tuple(split_args(body, match.end(), end))
    return Syscall(pid, match.group(1), args, rest[1:].strip(), line)


def _closing_paren(text: str, start: int) -> int | None:
    for i, ch, depth in _scan(text, start):
        if ch == ")" and depth < 0:  # the parenthesis that the call's name opened
            return i
    return None


def _scan(text: str, start: int = 0):
    """(index, char, nesting depth) for the brackets and commas outside strings.

    The depth counts brackets and -y annotations (`3</path>`: a `<` right after a name or a
    number), closers included at the depth they close to; a `>` that closes nothing (as in
    `[0] => [512]`) is ordinary.  Strings are jumped over with str.find: a write buffer can be
    megabytes long, and a loop over its characters in Python takes seconds.
    """
    depth = 0
    angles = 0
    position = start
    while (match := _SPECIAL.search(text, position)) is not None:
        i, ch = match.start(), match.group()
        if ch == '"':
            position = _string_end(text, i)
            continue
        position = i + 1
        if ch in "([{" or (ch == "<" and i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")):
            depth += 1
            angles += ch == "<"
        elif ch in ")]}" or (ch == ">" and angles):
            depth -= 1
            angles -= ch == ">"
        yield i, ch, depth


def _string_end(text: str, start: int) -> int:
    """Index just past the closing quote of the string that opens at `start`."""
    quote = text.find('"', start + 1)
    while quote >= 0:
        before = quote  # an escaped quote has an odd number of backslashes before it
        while before > start + 1 and text[before - 1] == "\\":
            before -= 1
        if (quote - before) % 2 == 0:
            return quote + 1
        quote = text.find('"', quote + 1)
    raise TraceError(f"unterminated string in trace: {text[start:start + 60]!r}")


def split_args(text: str, begin: int = 0, end: int | None = None) -> list[str]:
    """Top-level comma-separated arguments of `text[begin:end]` (quotes, brackets and -y
    annotations respected), without copying that span first."""
    end = len(text) if end is None else end
    parts: list[str] = []
    start = begin
    for i, ch, depth in _scan(text, begin):
        if i >= end:
            break
        if ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    tail = text[start:end].strip()
    if tail or parts:
        parts.append(tail)
    return parts


def decode_c_string(quoted: str) -> bytes:
    """The bytes of a strace string argument: `"..."`, maybe followed by `...` (cut off)."""
    if not quoted.startswith('"'):
        raise TraceError(f"expected a string argument, got {quoted[:60]!r}")
    end = _string_end(quoted, 0)
    hexed = _all_hex(quoted if end == len(quoted) else quoted[:end], 1, end - 1)
    return hexed if hexed is not None else _unescape(quoted[1:end - 1])


def is_cut_off(quoted: str) -> bool:
    """strace appends `...` after the closing quote when -s cut the string short."""
    return quoted.rstrip().endswith('"...')


def _unescape(body: str) -> bytes:
    hexed = _all_hex(body, 0, len(body))
    if hexed is not None:
        return hexed
    out = bytearray()
    for match in _ESCAPE.finditer(body):
        plain, code = match.group(1), match.group(2)
        if plain is not None:
            out += plain.encode("utf-8", "surrogateescape")
        elif code[0] == "x":
            out.append(int(code[1:], 16))
        elif code[0] in "01234567":
            out.append(int(code, 8))
        else:
            out.append(_ESCAPES.get(code, ord(code)))
    return bytes(out)


def _all_hex(text: str, start: int, stop: int) -> bytes | None:
    """The bytes of `text[start:stop]` if it is nothing but `\\xNN` escapes (what -xx prints),
    decoded at C speed without slicing it out; None otherwise.  Outside the span `text` may
    hold only the quotes around it."""
    count = text.count("\\x", start, stop)
    if not count or count * 4 != stop - start or not text.isascii():
        return None
    digits = text.encode("ascii").translate(None, b'\\x"')
    if len(digits) != 2 * count:
        return None
    try:
        return binascii.unhexlify(digits)
    except binascii.Error:
        return None


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
