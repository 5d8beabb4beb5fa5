"""Which lines' calls of write names surely only read: what lets the summaries skip a
function's scope. A line in doubt must come out as a write."""
from __future__ import annotations

import pytest

from lint_rules.engine.reads import only_reads

WRITE_NAMES = frozenset({"open", "fdopen", "ZipFile", "TarFile", "mkstemp", "osopen"})
MODULES = frozenset({"io", "os", "zipfile", "tarfile"})

READS = [
    "with open(path) as fh:",
    "with open(path, 'rb') as fh:",
    'with open(path, "r") as fh:',
    'with open(filename, encoding="utf-8") as fp:',
    "with open(path, mode='r', errors='replace', newline='') as fh:",
    'with open("a,b") as fh:',  # the comma is in the string
    "with io.open(p) as fh:",
    "with io . open(p) as fh:",
    "fh = os.fdopen(fd)",
    "z = zipfile.ZipFile(f)",
    "t = tarfile.TarFile(name, 'r:*')",
    "data = open(p).read() + open(os.path.join(a, 'w')).read()",
    "f = open(p)  # , 'w'",
    "f = open(a == b)",
    "f = open(p,)",
]
WRITES_OR_IN_DOUBT = [
    'with open(path, "w") as fh:',
    "f = open(path, 'rb+')",
    "f = open(path, 'ab')",
    "f = open(path, 'x')",
    "f = open(path, mode='w')",
    'with open("x)", "w") as fh:',  # a parenthesis in a string does not end the call
    "f = open(p, mode)",  # a mode not spelled out
    "f = open(p, mode=m)",
    "f = open(p, 'r' if a else 'w')",
    "f = open(p, ',w')",
    "f = open(p, 'r', 1)",
    "f = open(*args)",
    "f = open(path, **kw)",
    "t = open(fileobj=name)",
    "sys.stdin = open(fd, encoding='utf-8', closefd=False)",
    "with open(",  # goes on on the next line
    "with open(path,",
    'f = open(r"a\\b")',
    'f = open("""x""")',
    "f = open(x[1:2])",  # a colon: taken for a lambda or `:=`
    "f = open(x := y)",
    "f = open(lambda: 1)",
    "with store.open(p) as fh:",  # its class may open for writing by default
    "with a.io.open(p) as fh:",
    "fd = os.fdopen(fd); tmp = mkstemp()",  # mkstemp always creates a file
    "data = open(p).read() + open(q, 'a').read()",
    "self.osopen(p)",  # a name with no read default
    "f = g(open)",  # no call of a write name at all
]


@pytest.mark.parametrize("line", READS)
def test_a_call_that_reads(line: str) -> None:
    assert only_reads(f"    {line}\n", WRITE_NAMES, MODULES)


@pytest.mark.parametrize("line", WRITES_OR_IN_DOUBT)
def test_a_call_that_writes_or_may(line: str) -> None:
    assert not only_reads(f"    {line}\n", WRITE_NAMES, MODULES)
