"""Apply the fixes that findings carry, with LibCST, and nothing else.

The engine decided what to insert and where (`Finding.fix`); this module only finds those
statements in the concrete syntax tree, inserts the new ones, adds `import os` and the
module-level helpers the insertions call, and proves the result still parses.  Comments,
blank lines, quotes and newline style of everything else stay as they were.

LibCST needs about a hundred times the memory and time of `ast` per line, so it sees only the
top-level statements that hold an edit (and the module's head, where `import os` may go):
each such run of statements is cut out as text, parsed and transformed on its own, and put
back between the untouched lines.
"""
from __future__ import annotations

import ast
import bisect
import io
import os
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from lint_rules.deep import TooDeep, call_deep
from lint_rules.engine.checker import check_source, lines_with_ends
from lint_rules.config import Config
from lint_rules.engine.findings import Edit, Finding, ModuleSupport

DIR_HELPER_SOURCE = '''\
def {name}(path):
    """Make a rename of `path` durable: fsync its parent directory, where that is possible."""
    try:
        fd = {os}.open({os}.path.dirname({os}.path.abspath(path)), {os}.O_RDONLY)
    except OSError:
        return  # Windows and some file systems cannot open a directory; the data is published.
    try:
        {os}.fsync(fd)
    except OSError:
        pass  # Some network and FUSE file systems refuse a directory fsync (EINVAL, ENOTSUP).
    finally:
        {os}.close(fd)
'''

# Path.write_text/write_bytes open and close the file themselves, so its data can only be
# reached again by path.  On POSIX fsync works on any descriptor of the file, so a read-only
# one does (the file may have been made read-only since); Windows wants write access.
FILE_HELPER_SOURCE = '''\
def {name}(path):
    """Flush the data of the file at `path` to disk."""
    fd = {os}.open(path, {os}.O_RDWR if {os}.name == "nt" else {os}.O_RDONLY)
    try:
        {os}.fsync(fd)
    finally:
        {os}.close(fd)
'''


_BLANK = cst.EmptyLine()


class FixError(Exception):
    """A fix that could not be applied safely; the file is left as it was."""


@dataclass
class FixResult:
    path: str
    original: bytes
    fixed: bytes
    applied: list[Finding] = field(default_factory=list)
    unfixable: list[Finding] = field(default_factory=list)
    error: str | None = None
    error_line: int = 0  # where the error is, when it has a place (1-based; 0: none)
    error_col: int = 0
    status: os.stat_result | None = None  # of the file when `original` was read

    @property
    def where(self) -> str:
        """`path:line:col`, or the path alone when the error has no place."""
        if self.error_line:
            return f"{self.path}:{self.error_line}:{max(self.error_col, 1)}"
        return self.path

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix_source(data: bytes, path: str = "<source>", config: Config | None = None) -> bytes:
    """The fixed source, or `data` itself when there is nothing to fix."""
    result = fix_file_data(data, path, config or Config())
    if result.error:
        raise FixError(f"{path}: {result.error}")
    return result.fixed


def fix_file_data(data: bytes, path: str, config: Config) -> FixResult:
    trees: list[ast.Module] = []
    report = check_source(data, path, config, trees)
    result = FixResult(path, data, data)
    if report.error:
        result.error = report.error
        result.error_line, result.error_col = max(report.error_line, 1), report.error_col
        return result
    fixable = [f for f in report.findings if f.fix is not None]
    result.unfixable = [f for f in report.findings if f.fix is None]
    if not fixable:
        return result
    try:
        # Handed over, not kept: the check of the result parses a second tree as big.
        fixed, applied = apply_fixes(data, fixable, report.support, trees.pop())
        _check_converged(fixed, path, config, len(fixable) - len(applied))
    except (FixError, cst.ParserSyntaxError) as exc:
        result.error = str(exc)
        return result
    result.fixed = fixed
    result.applied = [f for f in fixable if id(f) in applied]
    result.unfixable += [f for f in fixable if id(f) not in applied]
    return result


def _check_converged(fixed: bytes, path: str, config: Config, unapplied: int) -> None:
    """The fixed text must parse, and every applied fix must make its finding go away; if the
    checker still sees more fixable findings than the fixer left alone, something went wrong:
    write nothing."""
    again = check_source(fixed, path, config)
    if again.error:  # never write what does not parse
        raise FixError(f"the fixed file would not parse ({again.error}, line {again.error_line})")
    left = [f for f in again.findings if f.fix is not None]
    if len(left) > unapplied:
        codes = ", ".join(f"{f.code} at line {f.line}" for f in left)
        raise FixError(f"the fixed file would still be flagged ({codes}); left unchanged")


def apply_fixes(data: bytes, findings: list[Finding], support: ModuleSupport,
                tree: ast.Module | None = None) -> tuple[bytes, set[int]]:
    """The fixed bytes and the ids of the findings whose edits were placed; `tree` is the
    module `data` parses to, where the caller has it already."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    source = data.decode(encoding)
    if tree is None:
        tree = ast.parse(source)
    pieces = lines_with_ends(source)
    chunks = _chunks(tree, findings, support)
    del tree
    try:
        texts, applied = _transform_deep(pieces, chunks, findings, support)
    except cst.ParserSyntaxError:
        # A cut the parser does not accept (a line continuation at a statement's end, say):
        # the whole module at once, as the slow but sure way.
        chunks = [(1, len(pieces))]
        texts, applied = _transform_deep(pieces, chunks, findings, support)
    out, line = [], 1
    for (first, last), text in zip(chunks, texts):
        out += pieces[line - 1:first - 1]
        out.append(text)
        line = last + 1
    out += pieces[line - 1:]
    return "".join(out).encode(encoding), applied


def _chunks(tree: ast.Module, findings: list[Finding], support: ModuleSupport,
            ) -> list[tuple[int, int]]:
    """Line ranges (first, last; 1-based, inclusive) to hand to LibCST: runs of top-level
    statements holding an edit, each with the blank lines and comments above it, and the
    module's head (docstring, imports and the statement after them) where `import os` may go.
    """
    blocks = _blocks(tree)
    starts = [first for first, _ in blocks]
    wanted: set[int] = set()
    for finding in findings:
        for edit in finding.fix.edits:
            wanted.add(bisect.bisect_right(starts, edit.anchor[0]) - 1)
    if not support.has_os_import:
        for stmt in tree.body:
            wanted.add(bisect.bisect_right(starts, _first_line(stmt)) - 1)
            if not isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Expr)):
                break
    chunks: list[tuple[int, int]] = []
    for index in sorted(i for i in wanted if i >= 0):
        first = blocks[index - 1][1] + 1 if index else 1
        if chunks and chunks[-1][1] + 1 >= first:
            chunks[-1] = (chunks[-1][0], blocks[index][1])
        else:
            chunks.append((first, blocks[index][1]))
    return chunks


def _blocks(tree: ast.Module) -> list[tuple[int, int]]:
    """Line spans of the top-level statements, joined where two share a line (`a; b`)."""
    blocks: list[tuple[int, int]] = []
    for stmt in tree.body:
        first, last = _first_line(stmt), stmt.end_lineno or stmt.lineno
        if blocks and first <= blocks[-1][1]:
            blocks[-1] = (blocks[-1][0], max(last, blocks[-1][1]))
        else:
            blocks.append((first, last))
    return blocks


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", [])
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def _transform_deep(pieces: list[str], chunks: list[tuple[int, int]], findings: list[Finding],
                    support: ModuleSupport) -> tuple[list[str], set[int]]:
    """`_transform`, with a large stack if the code is nested deeper than the default allows
    (LibCST recurses a few times per level of nesting)."""
    try:
        return call_deep(lambda: _transform(pieces, chunks, findings, support))
    except TooDeep:
        raise FixError("nested too deeply for LibCST even with a large stack; "
                       "left unchanged") from None


def _transform(pieces: list[str], chunks: list[tuple[int, int]], findings: list[Finding],
               support: ModuleSupport) -> tuple[list[str], set[int]]:
    """Each chunk's fixed text; the head chunk gets `import os` last, once every chunk has
    said what it needs."""
    lines = [piece.rstrip("\r\n") for piece in pieces]
    transformer = _Inserter(findings, support, cst.Module([]), lines)
    modules = []
    for first, last in chunks:
        module = cst.parse_module("".join(pieces[first - 1:last]))
        if first > 1 and module.header:
            # Blank lines and comments above a statement mid-file are its leading lines, as
            # they would be in the whole module; at a chunk's top LibCST makes them a header.
            head = module.body[0]
            module = module.with_changes(header=[], body=[
                head.with_changes(leading_lines=[*module.header, *head.leading_lines]),
                *module.body[1:]])
        transformer.module, transformer.line_offset = module, first - 1
        modules.append(MetadataWrapper(module, unsafe_skip_copy=True).visit(transformer))
    if chunks and chunks[0][0] == 1:
        modules[0] = _add_support(modules[0], transformer, support)
    return [module.code for module in modules], transformer.applied


def _char_col(lines: list[str], line: int, byte_col: int) -> int:
    """ast counts columns in UTF-8 bytes of the decoded line, LibCST in characters."""
    if 0 < line <= len(lines):
        return len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", "replace"))
    return byte_col


class _Inserter(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, findings: list[Finding], support: ModuleSupport, module: cst.Module,
                 lines: list[str]) -> None:
        super().__init__()
        self.module = module
        self.edits: dict[tuple[int, int], list[tuple[Edit, Finding]]] = {}
        for finding in findings:
            for edit in finding.fix.edits:
                line, col = edit.anchor
                anchor = (line, _char_col(lines, line, col))
                self.edits.setdefault(anchor, []).append((edit, finding))
        self.applied: set[int] = set()
        self.support = support
        self.first_use: dict[str, int] = {}  # need -> first line of an edit that has it
        self.helpers_inserted: set[str] = set()
        # Lines above the chunk being visited: positions are the whole file's.
        self.line_offset = 0

    def _start(self, node: cst.CSTNode) -> tuple[int, int]:
        start = self.get_metadata(PositionProvider, node).start
        return (start.line + self.line_offset, start.column)

    def _statements(self, edit: Edit, finding: Finding, line: int) -> list[cst.BaseStatement]:
        self._applying(finding, line)
        config = self.module.config_for_parsing
        return [cst.parse_statement(code, config=config) for code in edit.code]

    def _applying(self, finding: Finding, line: int) -> None:
        self.applied.add(id(finding))
        for need in finding.fix.needs:
            self.first_use[need] = min(self.first_use.get(need, line), line)

    # -- "argument": a keyword argument added to a call (DUR105's `dir=`) -----------------

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        added = []
        for edit, finding in self._edits_at(original, "argument"):
            self._applying(finding, self._start(original)[0])
            config = self.module.config_for_parsing
            added += cst.parse_expression(f"_({edit.code[0]})", config=config).args
        if not added:
            return updated
        args = list(updated.args)
        if args:  # `f(a)` -> `f(a, dir=...)`; a trailing comma stays the last thing
            trailing = args[-1].comma
            space = cst.SimpleWhitespace(" ")
            args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=space))
            added[-1] = added[-1].with_changes(comma=trailing)
        return updated.with_changes(args=[*args, *added])

    def _edits_at(self, node: cst.CSTNode, where: str) -> list[tuple[Edit, Finding]]:
        return [(e, f) for e, f in self.edits.get(self._start(node), []) if e.where == where]

    # -- "append": the end of a `with` block -------------------------------------------

    def leave_With(self, original: cst.With, updated: cst.With) -> cst.With:
        new: list[cst.BaseStatement] = []
        for edit, finding in self._edits_at(original, "append"):
            new += self._statements(edit, finding, self._start(original)[0])
        if not new:
            return updated
        body = updated.body
        if isinstance(body, cst.SimpleStatementSuite):  # `with ...: stmt` on one line
            first = cst.SimpleStatementLine(body=body.body)
            body = cst.IndentedBlock(body=[first], header=body.trailing_whitespace)
        return updated.with_changes(body=body.with_changes(body=[*body.body, *new]))

    # -- "before" and "after": next to a statement in its block --------------------------

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock,
                            ) -> cst.IndentedBlock:
        body: list[cst.BaseStatement] = []
        for stmt, current in zip(original.body, updated.body):
            body += self._expand(stmt, current)
        return updated.with_changes(body=body)

    def leave_SimpleStatementSuite(self, original: cst.SimpleStatementSuite,
                                   updated: cst.SimpleStatementSuite) -> cst.BaseSuite:
        """`if ok: os.replace(tmp, path)` opens into a block when something goes next to it."""
        lines = self._split(original.body, updated.body, [], updated.trailing_whitespace)
        if lines is None:
            return updated
        return cst.IndentedBlock(body=lines)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        # Runs last, so every nested edit has already said which helpers it calls.
        body: list[cst.BaseStatement] = []
        for stmt, current in zip(original.body, updated.body):
            expanded = self._expand(stmt, current)
            span = self.get_metadata(PositionProvider, stmt)
            helpers = self._helpers_used_within(span.start.line + self.line_offset,
                                                span.end.line + self.line_offset)
            if helpers:
                body += helpers
                expanded[0] = _spaced(expanded[0])
            body += expanded
        return updated.with_changes(body=body)

    def _helpers_used_within(self, start: int, end: int) -> list[cst.BaseStatement]:
        """Helper definitions to place above the top-level statement spanning start..end."""
        found = []
        sources = (("file_helper", FILE_HELPER_SOURCE), ("dir_helper", DIR_HELPER_SOURCE))
        for need, source in sources:
            line = self.first_use.get(need)
            if line is None or not start <= line <= end or need in self.helpers_inserted:
                continue
            name = getattr(self.support, need)
            if getattr(self.support, need + "_exists"):
                continue
            code = source.format(name=name, os=self.support.os_name)
            helper = cst.parse_statement(code, config=self.module.config_for_parsing)
            found.append(helper.with_changes(leading_lines=[_BLANK, _BLANK]))
            self.helpers_inserted.add(need)
        return found

    def _expand(self, stmt: cst.BaseStatement, current: cst.BaseStatement,
                ) -> list[cst.BaseStatement]:
        """`current` with the statements that go before and after it."""
        if isinstance(stmt, cst.SimpleStatementLine):
            lines = self._split(stmt.body, current.body, current.leading_lines,
                                current.trailing_whitespace)
            return [current] if lines is None else lines
        return [*self._inserted(stmt, "before"), current, *self._inserted(stmt, "after")]

    def _inserted(self, node: cst.CSTNode, where: str) -> list[cst.BaseStatement]:
        line = self._start(node)[0]
        return [s for e, f in self._edits_at(node, where) for s in self._statements(e, f, line)]

    def _split(self, parts: Sequence[cst.BaseSmallStatement],
               current: Sequence[cst.BaseSmallStatement], leading: Sequence[cst.EmptyLine],
               trailing: cst.TrailingWhitespace) -> list[cst.BaseStatement] | None:
        """Small statements as lines, with insertions between them; None if nothing to insert.

        `a(); fh.close()` splits where the insertion goes, so that it runs exactly between
        the two statements; the line's comments and blank lines stay where they were.
        """
        out: list[cst.BaseStatement] = []
        chunk: list[cst.BaseSmallStatement] = []
        inserted = False
        kept_leading = False

        def close_chunk(last: bool) -> None:
            nonlocal kept_leading
            if chunk:
                chunk[-1] = chunk[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
                out.append(cst.SimpleStatementLine(
                    body=list(chunk),
                    leading_lines=[] if kept_leading else leading,
                    trailing_whitespace=trailing if last else cst.TrailingWhitespace(),
                ))
                kept_leading = True
                chunk.clear()

        for part, now in zip(parts, current):
            before, after = self._inserted(part, "before"), self._inserted(part, "after")
            if before:
                close_chunk(last=False)
                out += before
            chunk.append(now)
            if after:
                close_chunk(last=now is current[-1])
                out += after
            inserted = inserted or bool(before or after)
        close_chunk(last=True)
        if not inserted:
            return None
        return out


def _spaced(stmt: cst.BaseStatement) -> cst.BaseStatement:
    """A statement that follows an inserted helper starts after blank lines, as PEP 8 has it."""
    if stmt.leading_lines and isinstance(stmt.leading_lines[0], cst.EmptyLine):
        return stmt
    return stmt.with_changes(leading_lines=[_BLANK, _BLANK, *stmt.leading_lines])


def _add_support(module: cst.Module, inserter: _Inserter, support: ModuleSupport) -> cst.Module:
    """`import os` where the inserted code or helpers need it and the module lacks it."""
    if support.has_os_import:
        return module
    if inserter.helpers_inserted or "import_os" in inserter.first_use:
        return _insert_import_os(module, support.os_name)
    return module


def _insert_import_os(module: cst.Module, name: str) -> cst.Module:
    """`import os` (as `name`, where `os` means something else in the module) in the first
    import block, in alphabetical place; else at the top."""
    body = list(module.body)
    code = "import os" if name == "os" else f"import os as {name}"
    statement = cst.parse_statement(code, config=module.config_for_parsing)
    index = 0
    while index < len(body) and _is_docstring_or_future(body[index], index):
        index += 1
    start = index
    while index < len(body) and _imported_module(body[index]) is not None:
        if _imported_module(body[index]) > "os":
            break
        index += 1
    if index == start and index < len(body) and _imported_module(body[index]) is None:
        body[index] = body[index].with_changes(
            leading_lines=[cst.EmptyLine(), *body[index].leading_lines])
    elif index == start and index < len(body):
        statement = statement.with_changes(leading_lines=body[index].leading_lines)
        body[index] = body[index].with_changes(leading_lines=[])
    body.insert(index, statement)
    return module.with_changes(body=body)


def _imported_module(stmt: cst.BaseStatement) -> str | None:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        node = stmt.body[0]
        if isinstance(node, cst.Import):
            return cst.Module([]).code_for_node(node.names[0].name)
        if isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
            name = cst.Module([]).code_for_node(node.module)
            return None if name == "__future__" else name
    return None


def _is_docstring_or_future(stmt: cst.BaseStatement, index: int) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    node = stmt.body[0]
    if index == 0 and isinstance(node, cst.Expr) and isinstance(node.value, cst.SimpleString):
        return True
    return (isinstance(node, cst.ImportFrom) and node.module is not None
            and cst.Module([]).code_for_node(node.module) == "__future__")
