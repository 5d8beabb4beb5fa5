"""`python -m libcst.tool codemod durable_writes.DurableWritesCommand PATH`

The same fixes as `durable-writes fix`, for repositories that run their rewrites through
LibCST's codemod runner (its parallelism, its diff and its formatter settings).
"""
from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from lint_rules.config import find_pyproject, load_config, split_names
from lint_rules.fix import fix_file_data


class DurableWritesCommand(VisitorBasedCodemodCommand):
    DESCRIPTION = "Add the fsyncs that make write-then-rename durable (DUR101, DUR102, DUR103)."

    def __init__(self, context: CodemodContext, select: str = "", ignore: str = "") -> None:
        super().__init__(context)
        config = load_config(find_pyproject(Path.cwd()))
        self.config = replace(
            config,
            select=split_names(select) or config.select,
            ignore=split_names(ignore) or config.ignore,
        )

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--select", default="", help="comma-separated code prefixes to fix")
        arg_parser.add_argument("--ignore", default="", help="comma-separated code prefixes to skip")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        path = self.context.filename or "<module>"
        result = fix_file_data(tree.bytes, path, self.config)
        if result.error:
            raise SkipFile(result.error)
        if not result.changed:
            return tree
        return cst.parse_module(result.fixed)
