"""`python -m libcst.tool codemod durable_writes.DurableWritesCommand PATH`

The same fixes as `durable-writes fix`, for repositories that run their rewrites through
LibCST's codemod runner (its parallelism, its diff and its formatter settings).
"""
from __future__ import annotations

import argparse
import io
import tokenize

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from lint_rules.config import ConfigError, config_for, split_names
from lint_rules.deep import TooDeep, call_deep
from lint_rules.fixer.transform import fix_file_data


class DurableWritesCommand(VisitorBasedCodemodCommand):
    DESCRIPTION = "Add the fsyncs that make write-then-rename durable (DUR101, DUR102, DUR103)."

    def __init__(self, context: CodemodContext, select: str = "", ignore: str = "") -> None:
        super().__init__(context)
        # On top of each file's own configuration (found per file, as for every face).
        self.overrides = {name: split_names(value.upper()) for name, value
                          in (("select", select), ("ignore", ignore)) if value}

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--select", default="", help="code prefixes to fix (a,b)")
        arg_parser.add_argument("--ignore", default="", help="code prefixes to skip (a,b)")

    def transform_module(self, tree: cst.Module) -> cst.Module:
        # This command needs no metadata: skip the wrapper LibCST would build, whose deep copy
        # of the tree runs out of recursion depth on deeply nested code.
        return self.transform_module_impl(tree)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        path = self.context.filename or "<module>"
        try:
            code = call_deep(lambda: tree.code)
        except TooDeep as exc:
            raise SkipFile(f"{path}: {exc}") from None
        # A module parsed from a str says "utf-8" whatever its coding cookie declares; give
        # the fixer the bytes the file would have, and hand back text, as we were given.
        encoding = _declared_encoding(code)
        try:
            config = config_for(path if self.context.filename else ".", self.overrides)
        except ConfigError as exc:
            raise SkipFile(f"unusable configuration: {exc}") from None
        try:
            result = fix_file_data(code.encode(encoding), path, config)
            if result.error:
                raise SkipFile(f"{result.where}: {result.error}")
            if not result.changed:
                return tree
            fixed = call_deep(lambda: cst.parse_module(result.fixed.decode(encoding)))
        except TooDeep as exc:
            raise SkipFile(f"{path}: {exc}") from None
        except (SkipFile, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the runner would print a traceback
            raise SkipFile(f"{path}: internal error ({type(exc).__name__}: {exc})") from None
        return fixed.with_changes(encoding=tree.encoding)


def _declared_encoding(code: str) -> str:
    first_lines = "".join(code.splitlines(keepends=True)[:2]).encode("utf-8")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(first_lines).readline)
    except SyntaxError:
        return "utf-8"
    return "utf-8" if encoding == "utf-8-sig" else encoding
