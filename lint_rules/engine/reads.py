"""Which calls of write names surely only read, from the text of one line.

The summaries build a function's scope only where it may write, rename or sync, and most
functions that call `open` read with it. Telling the two apart from the line's text saves
building their scopes: `open(path)`, `open(path, "rb")`, `io.open(path, encoding=...)` read.
Anything the text leaves in doubt counts as a write.
"""
from __future__ import annotations

import re

# Write names whose call with a path, a read mode or none, and only the keywords below opens
# for reading (`open(path)`, `zipfile.ZipFile(f, "r")`).
READ_BY_DEFAULT = frozenset({"open", "fdopen", "ZipFile", "GzipFile", "BZ2File", "LZMAFile",
                             "TarFile"})

_CALL_ON_LINE = re.compile(r"(\w+)\s*\(")
_RECEIVER = re.compile(r"(?:^|[^\w.])(\w+)\s*\.\s*$")


def only_reads(line: str, write_names: frozenset[str], modules: frozenset[str]) -> bool:
    """Whether the line's calls of write names all surely read: each a plain call or one on a
    module (`open(p)`, `zipfile.ZipFile(f, "r")`, never `store.open(p)`, whose class may say
    otherwise), with a read mode or none, all of it on this line. Anything the text leaves
    in doubt (a mode not spelled out, a string the scan cannot skip, a call that goes on) is
    taken to write."""
    found = False
    for match in _CALL_ON_LINE.finditer(line):
        name = match.group(1)
        if name not in write_names:
            continue
        if name not in READ_BY_DEFAULT:
            return False
        before = line[:match.start()].rstrip()
        if before.endswith("."):
            receiver = _RECEIVER.search(before)
            if receiver is None or receiver.group(1) not in modules:
                return False
        arguments = _arguments(line, match.end())
        if arguments is None or not _read_arguments(arguments):
            return False
        found = True
    return found


# Keywords of open() and the like that cannot make a call write.
_READ_KEYWORDS = frozenset({"encoding", "errors", "newline", "buffering"})
_KEYWORD = re.compile(r"\s*(\w+)\s*=(?!=)")
_READ_MODE = re.compile(r"""\s*(?:'[^'wax+]*'|"[^"wax+]*")\s*\Z""")


def _read_arguments(arguments: list[str]) -> bool:
    """A path, then at most a read mode, and keywords that change nothing but the text."""
    for position, argument in enumerate(arguments):
        keyword = _KEYWORD.match(argument)
        if argument.lstrip().startswith("*"):
            return False
        if keyword is not None:
            name, value = keyword.group(1), argument[keyword.end():]
            if not (name in _READ_KEYWORDS or name == "mode" and _READ_MODE.match(value)):
                return False
        elif position == 1:
            if not _READ_MODE.match(argument):
                return False
        elif position > 1 or ":" in argument:  # a lambda or `:=` is no plain path
            return False
    return True


def _arguments(line: str, at: int) -> list[str] | None:
    """The top-level arguments of the call whose `(` ends just before `at`, when it closes on
    this line and its strings are plain (no escapes, no triple quotes); else None."""
    depth, start, found = 0, at, []
    while at < len(line):
        char = line[at]
        if char in "\"'":
            if line.startswith(char * 3, at):
                return None
            close = line.find(char, at + 1)
            if close == -1 or "\\" in line[at:close]:
                return None
            at = close
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                last = line[start:at]
                return found + [last] if last.strip() else found
            depth -= 1
        elif char in "#\\":
            return None
        elif char == "," and depth == 0:
            found.append(line[start:at])
            start = at + 1
        at += 1
    return None
