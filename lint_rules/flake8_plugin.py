"""flake8 adapter: flake8 hands us the tree, the engine does the rest."""
from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from lint_rules import __version__
from lint_rules.engine.rules import analyze
from lint_rules.engine.checker import may_have_findings
from lint_rules.config import Config, split_names


class DurableWritesChecker:
    name = "flake8-durable-writes"
    version = __version__
    config = Config()

    def __init__(self, tree: ast.AST, lines: list[str], filename: str = "") -> None:
        self.tree = tree
        self.lines = lines
        # flake8 passes the path (or --stdin-display-name): it says where the project is.
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--durable-file-sync-helpers",
            default="",
            parse_from_config=True,
            help="Comma-separated functions that fsync the file, fd or path passed to them.",
        )
        manager.add_option(
            "--durable-dir-sync-helpers",
            default="",
            parse_from_config=True,
            help="Comma-separated functions that fsync a directory after a rename.",
        )
        manager.add_option(
            "--durable-rename-helpers",
            default="",
            parse_from_config=True,
            help="Comma-separated functions that rename their first argument over their second "
            "(append ':durable' to one that also fsyncs the directory).",
        )
        manager.add_option(
            "--durable-open-helpers",
            default="",
            parse_from_config=True,
            help="Comma-separated functions that return a writable file for the path passed.",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.config = Config(
            file_sync_helpers=split_names(options.durable_file_sync_helpers),
            dir_sync_helpers=split_names(options.durable_dir_sync_helpers),
            rename_helpers=split_names(options.durable_rename_helpers),
            open_helpers=split_names(options.durable_open_helpers),
        )

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        # noqa, select and ignore are flake8's own business here.
        source = "".join(self.lines)
        data = source.encode("utf-8", "surrogatepass")
        if not may_have_findings(data, self.filename or None, self.config):
            return
        findings, _ = analyze(self.tree, self.config, source, self.filename or None)
        for finding in findings:
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)
