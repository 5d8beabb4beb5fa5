"""Before/after pairs for the fixer, and the checks every pair is put through.

Most pairs are files: `cases/<name>.before.py` is what a user wrote, `cases/<name>.after.py`
is exactly what `durable-writes fix` must turn it into.  Pairs whose bytes matter more than
their text (CRLF line endings, a latin-1 source) are derived here, so that no editor or git
setting can quietly normalise them.
"""
from __future__ import annotations

import ast
import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

from lint_rules.fixer.transform import fix_source

CASES_DIR = Path(__file__).parent / "cases"
# The writer most command tests share: DUR101 at the open, DUR102 at the rename.
WRITER = (CASES_DIR / "with_block.before.py").read_bytes()
WRITER_FIXED = (CASES_DIR / "with_block.after.py").read_bytes()


@dataclass(frozen=True)
class Pair:
    name: str
    before: bytes
    after: bytes

    def __str__(self) -> str:
        return self.name


def file_pairs() -> list[Pair]:
    pairs = []
    for before in sorted(CASES_DIR.glob("*.before.py")):
        name = before.name.removesuffix(".before.py")
        after = CASES_DIR / f"{name}.after.py"
        pairs.append(Pair(name, before.read_bytes(), after.read_bytes()))
    return pairs


def _crlf(pair: Pair) -> Pair:
    return Pair(
        f"{pair.name}-crlf",
        pair.before.replace(b"\n", b"\r\n"),
        pair.after.replace(b"\n", b"\r\n"),
    )


# The helper the fixer inserts, as a user will read it in their own file.
PARENT_DIR_HELPER = '''\
def _fsync_parent_dir(path):
    """Make a rename of `path` durable: fsync its parent directory, where that is possible."""
    try:
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    except OSError:
        return  # Windows and some file systems cannot open a directory; the data is published.
    try:
        os.fsync(fd)
    except OSError:
        pass  # Some network and FUSE file systems refuse a directory fsync (EINVAL, ENOTSUP).
    finally:
        os.close(fd)
'''

FRENCH_WRITER = '''\
"""Sauvegarde des préférences."""
import os


def sauvegarder(chemin, texte):
    # écrire à côté, puis remplacer
    tmp = chemin + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("résumé : " + texte)
    os.replace(tmp, chemin)
'''

FRENCH_WRITER_FIXED = f'''\
"""Sauvegarde des préférences."""
import os


{PARENT_DIR_HELPER}

def sauvegarder(chemin, texte):
    # écrire à côté, puis remplacer
    tmp = chemin + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("résumé : " + texte)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, chemin)
    _fsync_parent_dir(chemin)
'''

LATIN1_COOKIE = "# -*- coding: latin-1 -*-\n"

# Non-ASCII text before the rename on its own line: ast counts that column in UTF-8 bytes,
# LibCST in characters.
COMPOUND_LINE = ('    os.replace(tmp, chemin)\n', '    étape = "é"; os.replace(tmp, chemin)\n')


def derived_pairs() -> list[Pair]:
    by_name = {pair.name: pair for pair in file_pairs()}
    compound_before = FRENCH_WRITER.replace(*COMPOUND_LINE)
    compound_after = FRENCH_WRITER_FIXED.replace(*COMPOUND_LINE)
    return [
        _crlf(by_name["with_block"]),
        _crlf(by_name["comments_and_blank_lines"]),
        _crlf(by_name["one_line_with"]),
        Pair("latin1_cookie", (LATIN1_COOKIE + FRENCH_WRITER).encode("latin-1"),
             (LATIN1_COOKIE + FRENCH_WRITER_FIXED).encode("latin-1")),
        Pair("utf8_non_ascii", FRENCH_WRITER.encode(), FRENCH_WRITER_FIXED.encode()),
        Pair("utf8_non_ascii_compound_line", compound_before.encode(), compound_after.encode()),
    ]


@functools.cache
def all_pairs() -> list[Pair]:
    return file_pairs() + derived_pairs()


@functools.cache
def fixed(pair: Pair) -> bytes:
    """The fixer's output for a pair, computed once for all test modules: LibCST is the slow
    part of the suite."""
    return fix_source(pair.before, pair.name)


def text_diff(expected: bytes, actual: bytes) -> str:
    """A readable diff of two sources, with line endings made visible."""
    def lines(data: bytes) -> list[str]:
        return [line.replace("\r", "\\r") for line in
                data.decode("latin-1").splitlines(keepends=True)]
    return "".join(difflib.unified_diff(lines(expected), lines(actual), "expected", "actual"))


def signatures(source: bytes) -> dict[str, str]:
    """Every function's signature (name, parameters, decorators, return annotation), by its
    dotted place in the module (`Store.save`, `make_saver.save`)."""
    found: dict[str, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualname = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    found[qualname] = " | ".join((
                        type(child).__name__,
                        ast.dump(child.args),
                        ast.dump(ast.List(child.decorator_list)),
                        ast.dump(child.returns) if child.returns else "-",
                    ))
                visit(child, qualname + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found
