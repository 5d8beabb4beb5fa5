"""`durable-writes check|fix|explain`: the command-line face of the engine."""
from __future__ import annotations

import argparse
import os
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from lint_rules import __version__
from lint_rules.config import Config, find_pyproject, load_config, split_names
from lint_rules.files import discover, normalize_patterns
from lint_rules.output import FORMATS, render
from lint_rules.engine.catalog import RULES

PROG = "durable-writes"

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

CHECK_EPILOG = """\
exit status:
  0  no findings and every file was checked
  1  findings, or a file could not be read, decoded or parsed (reported as
     "path:line:col: error: ..." on stderr, or as an error entry in json, sarif and github)
  2  usage error: bad option, a path that does not exist, an unreadable configuration

configuration: [tool.durable-writes] in the nearest pyproject.toml (searched from the current
directory upward) or in the file given with --config. Keys: durable-file-sync-helpers,
durable-dir-sync-helpers, select, ignore, exclude. --select and --ignore replace the
configured ones; --exclude adds to the configured ones.
"""


class UsageError(Exception):
    """A mistake in the invocation: reported one line per problem, exit status 2."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _add_file_options(parser: argparse.ArgumentParser) -> None:
    """Options that `check` and `fix` share: what to look at and which rules apply."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files and directories")
    parser.add_argument(
        "--select", metavar="CODES", help="comma-separated code prefixes to report (e.g. DUR10)"
    )
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated code prefixes to skip")
    parser.add_argument(
        "--exclude",
        metavar="PATTERNS",
        help="comma-separated glob patterns of files and directories to skip, matched against "
        "names and paths, in addition to .git, venv, build, __pycache__ and the like",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="pyproject.toml to read instead of the nearest one"
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        metavar="N",
        help="worker processes (default: all cores)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the summaries of other modules in .durable_writes_cache/",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find and fix writes that are atomic but not durable (missing fsync).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="report findings",
        description="Report writes that are not durable.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_file_options(check)
    check.add_argument("--format", choices=FORMATS, default="text", help="output format")
    check.set_defaults(handler=run_check)

    fix = commands.add_parser(
        "fix", help="apply the safe fixes", description="Apply the safe fixes in place."
    )
    _add_file_options(fix)
    fix.add_argument("--diff", action="store_true", help="print a diff instead of writing files")
    fix.add_argument(
        "--check", action="store_true", help="write nothing, exit 1 if a file would change"
    )
    fix.set_defaults(handler=run_fix)

    explain = commands.add_parser(
        "explain",
        help="show a rule's documentation",
        description="Show a rule's documentation; without a code, list the rules.",
    )
    explain.add_argument("code", nargs="?", metavar="CODE", help="e.g. DUR101")
    explain.set_defaults(handler=run_explain)

    # Listed for --help only: main() hands `verify` to its own parser, built only when it
    # runs, because its modules would slow every check.
    commands.add_parser("verify", help="prove durability under simulated power loss")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["verify"]:
        return run_verify(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as exc:
        for line in str(exc).splitlines():
            print(f"{PROG}: error: {line}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS


def _codes(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(code.upper() for code in split_names(text))


def resolve_config(args: argparse.Namespace) -> Config:
    """The configuration file's settings with the command line's on top."""
    cwd = Path.cwd()
    if args.config:
        pyproject: Path | None = Path(args.config)
        if not pyproject.is_file():
            raise UsageError(f"configuration file not found: {args.config}")
    else:
        pyproject = find_pyproject(cwd)
    try:
        config = load_config(pyproject)
    except (OSError, tomllib.TOMLDecodeError, TypeError, AttributeError, ValueError) as exc:
        raise UsageError(f"cannot read configuration from {pyproject}: {exc}") from None
    # Path-like patterns are relative to where they were written down.
    exclude = normalize_patterns(config.exclude, pyproject.parent if pyproject else cwd)
    exclude += normalize_patterns(split_names(args.exclude), cwd)
    select, ignore = _codes(args.select), _codes(args.ignore)
    return replace(
        config,
        select=config.select if select is None else select,
        ignore=config.ignore if ignore is None else ignore,
        exclude=exclude,
        use_cache=not args.no_cache,
    )


def _require_existing(paths: Sequence[str]) -> None:
    missing = [path for path in paths if not os.path.exists(path)]
    if missing:
        raise UsageError("\n".join(f"{path}: no such file or directory" for path in missing))


def run_check(args: argparse.Namespace) -> int:
    # Imported here so that `explain` and `--help` do not pay for the process pool machinery.
    from lint_rules.runner import check_paths

    config = resolve_config(args)
    _require_existing(args.paths)
    files = discover(args.paths, config.exclude).files
    reports = check_paths(files, config, args.jobs)
    rendered = render(reports, args.format)
    sys.stdout.write(rendered.stdout)
    sys.stdout.flush()
    sys.stderr.write(rendered.stderr)
    problems = any(report.findings or report.error for report in reports)
    return EXIT_FINDINGS if problems else EXIT_CLEAN


def run_fix(args: argparse.Namespace) -> int:
    config = resolve_config(args)
    _require_existing(args.paths)
    # Imported here: LibCST is slow to import, and check never needs it.
    from lint_rules.fixer.command import run

    return run(list(args.paths), config, diff=args.diff, check=args.check, jobs=args.jobs)


def run_verify(argv: list[str]) -> int:
    from lint_rules.verify import command

    parser = argparse.ArgumentParser(prog=f"{PROG} verify")
    command.add_arguments(parser)
    return command.run(parser.parse_args(argv))


def run_explain(args: argparse.Namespace) -> int:
    if args.code is None:
        for rule in RULES.values():
            print(f"{rule.code}  {rule.name:<36} fix: {rule.fix:<5} {rule.summary}")
        return EXIT_CLEAN
    rule = RULES.get(args.code.upper())
    if rule is None:
        raise UsageError(f"unknown rule {args.code!r}; known rules: {', '.join(RULES)}")
    print(f"{rule.code} ({rule.name}): {rule.summary}")
    print()
    print(rule.docs, end="" if rule.docs.endswith("\n") else "\n")
    return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
