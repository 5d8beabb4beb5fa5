"""flake8 adapter: flake8 hands us the tree, the engine does the rest.

The configuration is the command's: `[tool.durable-writes]` of the pyproject.toml nearest to
each checked file, with the `--durable-*` options (command line or `[flake8]`) on top. A
configuration that cannot be used stops the run with flake8's "failed during execution"
message, which names the file and the mistake.
"""
from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from typing import Any

from lint_rules import __version__
from lint_rules.deep import TooDeep, call_deep
from lint_rules.engine.rules import analyze
from lint_rules.engine.checker import exempt, file_exemption, gc_paused, may_have_findings
from lint_rules.config import config_for, split_names

# flake8 option (its attribute) -> configuration field it overrides.
_OPTIONS = {
    "durable_file_sync_helpers": "file_sync_helpers",
    "durable_dir_sync_helpers": "dir_sync_helpers",
    "durable_rename_helpers": "rename_helpers",
    "durable_open_helpers": "open_helpers",
}


class DurableWritesChecker:
    name = "flake8-durable-writes"
    version = __version__
    # Only the options given: the others leave the pyproject's settings alone.
    overrides: dict[str, tuple[str, ...]] = {}

    def __init__(self, tree: ast.AST, lines: list[str], filename: str = "") -> None:
        self.tree = tree
        self.lines = lines
        # flake8 passes the path (or --stdin-display-name): it says where the project is.
        self.filename = filename
        # Here, not in run(): flake8 turns an exception raised while it creates the plugin
        # into its one-line "failed during execution" error; one from run() would be a
        # traceback. flake8 says "stdin" for standard input: the current directory's then.
        self.config = config_for(filename or "stdin", self.overrides)

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
        cls.overrides = {
            field: split_names(getattr(options, option))
            for option, field in _OPTIONS.items() if getattr(options, option)
        }

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        # Line noqa and flake8's --select/--ignore are flake8's own business here; the
        # pyproject's selection and our file-level noqa are ours, as in every face.
        with gc_paused():  # as in the command: the modules this one calls may be parsed
            findings = self._findings()
        yield from findings

    def _findings(self) -> list[tuple[int, int, str, type]]:
        source = "".join(self.lines)
        if not may_have_findings(source.encode("utf-8", "surrogatepass"), self.config,
                                 self.filename or None):
            return []
        config = self.config
        exemption = file_exemption(source)
        try:
            findings, _ = call_deep(
                lambda: analyze(self.tree, config, source, self.filename or None))
        except TooDeep as exc:
            # A plugin has no error channel of its own; say it rather than raise into flake8.
            print(f"{self.filename or '<file>'}: {self.name}: not analysed: {exc}",
                  file=sys.stderr)
            return []
        return [
            (finding.line, finding.col, f"{finding.code} {finding.message}", type(self))
            for finding in findings
            if config.enabled(finding.code) and not exempt(finding, exemption)
        ]
