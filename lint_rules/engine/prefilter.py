"""The byte pre-filter: whether a file may hold a finding, decided without a parse.

Every finding needs an fsync (DUR103), or a rename and something that writes a file
(DUR101/102/105): each spelled in the file's own bytes, or done by a function it imports
(whose summary says so). Most files have neither, and looking at bytes is far cheaper than
a parse.
The filter must be sound: a file it rules out is never parsed, so anything the engine could
report in it has to pass. It may let through files that hold nothing.
"""
from __future__ import annotations

import keyword
import re

from lint_rules.config import Config
from lint_rules.engine.project import import_lines, imported_summaries
from lint_rules.engine.scope import RENAME_NAMES, SYNC_NAMES, WRITE_NAMES
from lint_rules.engine.summaries import Summary


def _searched(names: frozenset[str]) -> tuple[bytes, ...]:
    """The bytes to look for so that a file holding any of `names` is found: none that holds
    another (`open` finds `fdopen`), the short and common first (most files stop there)."""
    tokens = sorted({name.encode() for name in names}, key=lambda t: (len(t), t))
    return tuple(t for t in tokens if not any(o != t and o in t for o in tokens))


_SYNCING = _searched(SYNC_NAMES)
_RENAMING = tuple(sorted(name.encode() for name in RENAME_NAMES))
_WRITING = _searched(WRITE_NAMES)

_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
                        + bytes(range(0x80, 0x100)))  # UTF-8 of non-ASCII identifiers
_BLANKS = b" \t"
_QUOTES = b"'\""
_OPENERS, _CLOSERS = b"([{", b")]}"
_IMPORT_SEPARATORS = re.compile(rb"[\s,().]+")
# Receivers a two-argument `.replace(` may rename on though no import of the file names
# them: `os` used without an import of its own, and `self.replace(a, b)` of a class that
# renames in a method of that name.
_ALWAYS_RECEIVERS = frozenset({b"os", b"shutil", b"self", b"cls"})


def may_have_findings(data: bytes, config: Config | None = None, path: str | None = None,
                      ) -> bool:
    """`path` given: also a file whose rename, write or sync may be a call of a function that
    another module defines (one it imports that has a summary)."""
    if any(token in data for token in _SYNCING):
        return True
    # Configured helpers rename or open under names of their own (a file's own helpers
    # contain the calls above, so they need nothing here).
    writing, renaming = _WRITING, ()
    if config is not None and (config.rename_helpers or config.open_helpers):
        renaming = _configured_tokens(config.rename_helpers)
        writing += _configured_tokens(config.open_helpers)
    writes = any(t in data for t in writing)
    renames = None  # looked for only when needed: the costly part of the test
    if writes:
        renames = any(t in data for t in renaming) or may_rename(data)
        if renames:
            return True
    if path is None:
        return False
    used = imported_summaries(data, path, config or Config())
    if any(_enough_alone(summary) for summary in used):
        return True
    if not (writes or any(summary.writes for summary in used)):
        return False
    if renames is None:
        renames = any(t in data for t in renaming) or may_rename(data)
    return renames or any(summary.renames for summary in used)


def _enough_alone(summary: Summary) -> bool:
    """An imported function that may complete a finding by itself: one that fsyncs (DUR103
    needs nothing else), or a forwarder (`retry(fn, *args)`), which may be handed anything.
    A flush alone syncs nothing."""
    return summary.syncs_dir or summary.calls is not None \
        or any(kinds & {"handle", "path", "parent"} for kinds in summary.kinds)


def _configured_tokens(names: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(name.partition(":")[0].rsplit(".", 1)[-1].encode() for name in names)


def may_rename(data: bytes) -> bool:
    """Whether the bytes may spell a rename of their own: `os.replace(...)`, `p.rename(q)`,
    `from os import replace`, `r = os.replace`, `getattr(os, "replace")`, `replace(...)`.

    A bare substring test lets through every file that calls `str.replace`. Ruled out here
    are the uses that cannot rename: an attribute called with two or more arguments on
    anything no import binds (`name.replace("-", "_")`: `os.replace` is called on its module,
    `Path.replace` takes one argument), and the word outside code the engine reads as a
    rename (comments, docstrings, `replace=True`, `def replace(`), unless an import names it.
    """
    imported: frozenset[bytes] | None = None
    for name in _RENAMING:
        for start, end in _whole_words(data, name):
            verdict = _rename_use(data, start, end)
            if isinstance(verdict, bytes):  # a name: renames if an import binds it
                if imported is None:
                    imported = _import_words(data)
                verdict = verdict in imported
            if verdict:
                return True
    return False


def _whole_words(data: bytes, word: bytes):
    """(start, end) of each occurrence of `word` that is not part of a longer name."""
    at = data.find(word)
    while at != -1:
        end = at + len(word)
        if (not at or data[at - 1] not in _WORD_BYTES) \
                and (end == len(data) or data[end] not in _WORD_BYTES):
            yield at, end
        at = data.find(word, end)


def _rename_use(data: bytes, start: int, end: int) -> bool | bytes:
    """What the rename name at data[start:end] may be: True (a rename), False (none), or a
    name that makes it one if the file's imports bind that name."""
    before = _skip_back(data, start)
    after = _skip(data, end)
    previous, following = data[before - 1:before], data[after:after + 1]
    if previous == b".":  # an attribute: `os.replace`, `p.rename(q)`, `s.replace(a, b)`
        if following != b"(" or not _two_or_more_arguments(data, after):
            return True
        return _receiver(data, _skip_back(data, before - 1))
    if previous and previous in _QUOTES and following == previous:  # getattr(os, "replace")
        return True
    if following == b"(":  # a call of the bare name: imported, aliased, or a local wrapper
        return _name_ending_at(data, before) != b"def"
    return data[start:end]  # prose, a keyword argument, or an import statement


def _receiver(data: bytes, end: int) -> bool | bytes:
    """What the receiver ending at `end` may be: its name, False where it is surely no
    module (a string, a subscript, a call's result), True where the scan cannot tell (a
    receiver on the line before, `(os).replace`)."""
    name = _name_ending_at(data, end)
    if name:
        return name
    last = data[end - 1:end]
    if last and (last in _QUOTES or last in b"]}"):
        return False
    if last == b")":  # `f(x).replace`: a call's result; `(os).replace`, `return (os)`: not
        opening = _opening_paren(data, end - 1)
        called = _name_ending_at(data, _skip_back(data, opening)) if opening >= 0 else b""
        return not called or keyword.iskeyword(called.decode("ascii", "replace"))
    return True


def _opening_paren(data: bytes, closing: int) -> int:
    """Where the `(` that the `)` at `closing` closes is, or -1 when brackets inside do not
    simply nest (strings are not read here)."""
    depth, at = 0, closing
    while at >= 0:
        byte = data[at]
        if byte == 0x29:  # )
            depth += 1
        elif byte == 0x28:  # (
            depth -= 1
            if not depth:
                return at
        elif byte in _QUOTES or byte == 0x23:  # a string or a comment: cannot tell
            return -1
        at -= 1
    return -1


def _skip(data: bytes, at: int, blanks: bytes = _BLANKS) -> int:
    while at < len(data) and data[at] in blanks:
        at += 1
    return at


def _skip_back(data: bytes, at: int) -> int:
    while at and data[at - 1] in _BLANKS:
        at -= 1
    return at


def _name_ending_at(data: bytes, end: int) -> bytes:
    start = end
    while start and data[start - 1] in _WORD_BYTES:
        start -= 1
    return data[start:end]


def _import_words(data: bytes) -> frozenset[bytes]:
    """Every word of the file's import statements (a superset of the names they bind), and
    the receivers that count without an import."""
    words = set(_ALWAYS_RECEIVERS)
    for line in import_lines(data):
        words.update(_IMPORT_SEPARATORS.split(line))
    return frozenset(words)


def _two_or_more_arguments(data: bytes, paren: int) -> bool:
    """Whether the call whose `(` is at `paren` surely has two or more arguments. Anything
    the scan cannot read for certain (triple quotes, f-strings, a comment, a line joined by
    a backslash, the end of the file) answers False."""
    depth, i, end = 0, paren + 1, len(data)
    while i < end:
        byte = data[i]
        if byte in _QUOTES:
            if data[i:i + 3] == bytes([byte]) * 3 or b"f" in _name_ending_at(data, i).lower():
                return False
            i = _string_end(data, i)
            if i < 0:
                return False
        elif byte in _OPENERS:
            depth += 1
        elif byte in _CLOSERS:
            if not depth:
                return False
            depth -= 1
        elif byte == 0x2C and not depth:  # a comma: a second argument unless `)` follows
            following = _skip(data, i + 1, b" \t\r\n")
            return following < end and data[following] not in b")#\\"
        elif byte in b"#\\":
            return False
        i += 1
    return False


def _string_end(data: bytes, quote_at: int) -> int:
    """Where the one-line string opened at `quote_at` closes, or -1 if it does not."""
    quote, i = data[quote_at], quote_at + 1
    while i < len(data):
        byte = data[i]
        if byte == quote:
            return i
        if byte == 0x5C:  # a backslash escapes the next byte
            i += 1
        elif byte in b"\r\n":
            return -1
        i += 1
    return -1
