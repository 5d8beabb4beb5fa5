"""`durable-writes check|fix|explain`: the command-line face of the engine."""
from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from lint_rules import __version__
from lint_rules.config import (
    KEY_FIELDS, Config, ConfigError, PerFile, check_selectors, clear_cache, find_pyproject,
    load_config, resolve, split_names, with_overrides,
)
from lint_rules.engine.catalog import RULES, Rule
from lint_rules.engine.findings import FileReport
from lint_rules.files import (
    DEFAULT_EXCLUDE, DEFAULT_MAX_FILE_SIZE, Excluder, describe_missing, discover,
    normalize_patterns,
)
from lint_rules.output import FORMATS, Fixes, fix_key, render, statistics, statistics_lines, summary

PROG = "durable-writes"

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # what a shell reports for a program stopped by Ctrl-C

CHECK_EPILOG = """\
exit status:
  0  no findings and every file was checked (or --exit-zero)
  1  findings, or a file could not be read, decoded or parsed (reported as
     "path:line:col: error: ..." on stderr, or as an error entry in json, sarif and github)
  2  usage error: bad option, a path that does not exist, an unusable configuration

""" + textwrap.fill(  # the keys from config.py, so that the list cannot fall behind
    "configuration: [tool.durable-writes] in the nearest pyproject.toml above each checked "
    "file (one without that table is passed over), or the one file given with --config. "
    f"Keys: {', '.join(KEY_FIELDS)}. --select and --ignore replace the configured ones; "
    "--exclude adds to the configured ones.", width=92,
    break_on_hyphens=False) + "\n"

STDIN = "-"


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
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files and directories (default: .); - reads standard input")
    parser.add_argument(
        "--stdin-filename", metavar="NAME",
        help="the name to show for standard input, and where its configuration is found",
    )
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
        "--config", metavar="FILE",
        help="pyproject.toml to read for every file instead of the nearest one",
    )
    parser.add_argument(
        "--unsafe-fixes", action="store_true", default=None,
        help="fix (or, for check, count as fixable) what only an unsafe fix repairs: fixes "
        "that may change what the program does (see a rule's Fix safety in explain)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        metavar="N",
        help="worker processes (default: all cores)",
    )
    parser.add_argument(
        "--force-exclude", action="store_true",
        help="apply the excludes to files named explicitly too (for pre-commit, which names "
        "every file it checks)",
    )
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print findings (or fixed output) only, no summary")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the summaries of other modules in .durable_writes_cache/",
    )
    parser.add_argument(
        "--max-file-size",
        type=_positive_int,
        metavar="BYTES",
        help=f"skip (and report) files larger than this (default: {DEFAULT_MAX_FILE_SIZE:,})",
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
    check.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when there are findings")
    check.add_argument("--statistics", action="store_true",
                       help="count findings by code instead of listing them (text, json)")
    check.add_argument("--show-fixes", action="store_true",
                       help="list under each finding what `fix` would change for it")
    check.set_defaults(handler=run_check)

    fix = commands.add_parser(
        "fix", help="apply the safe fixes",
        description="Apply the safe fixes in place (and the unsafe ones with --unsafe-fixes). "
        "With -, print the fixed source of standard input.",
    )
    _add_file_options(fix)
    fix.add_argument("--diff", action="store_true",
                     help="print a diff instead of writing files; exit 1 if there is one")
    fix.add_argument(
        "--check", action="store_true", help="write nothing, exit 1 if a file would change"
    )
    fix.add_argument(
        "--force", action="store_true", help="also rewrite read-only files (mode 444 and such)"
    )
    fix.set_defaults(handler=run_fix)

    explain = commands.add_parser(
        "explain",
        help="show a rule's documentation",
        description="Show a rule's documentation; without a rule, list the rules.",
    )
    explain.add_argument("rule", nargs="?", metavar="RULE",
                         help="a code (DUR101) or a name (rename-without-file-fsync)")
    explain.add_argument("--all", action="store_true", help="every rule's documentation")
    explain.set_defaults(handler=run_explain)

    # Listed for --help only: main() hands `verify` to its own parser, built only when it
    # runs, because its modules would slow every check.
    commands.add_parser("verify", help="prove durability under simulated power loss")
    commands.add_parser("lsp", help="run the language server (stdio), for editors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["verify"]:
        return run_verify(argv[1:])
    if argv[:1] == ["lsp"]:
        from lint_rules.lsp.server import run as run_lsp

        return run_lsp(argv[1:])
    args = build_parser().parse_args(argv)
    clear_cache()  # main() may run many times in one process (tests, an editor's plugin)
    try:
        return args.handler(args)
    except (UsageError, ConfigError) as exc:
        for line in str(exc).splitlines():
            print(f"{PROG}: error: {line}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS


# -- what to check, and with which configuration ------------------------------------------

def _codes(text: str | None, option: str) -> tuple[str, ...] | None:
    return None if text is None else check_selectors(split_names(text), option)


def resolve_settings(args: argparse.Namespace) -> Config | PerFile:
    """The command line's settings on top of the configuration: one file's for every file
    with --config, else each file's own (found per file, in the workers too)."""
    overrides: dict[str, object] = {}
    select, ignore = _codes(args.select, "--select"), _codes(args.ignore, "--ignore")
    if select is not None:
        overrides["select"] = select
    if ignore is not None:
        overrides["ignore"] = ignore
    if args.unsafe_fixes:
        overrides["unsafe_fixes"] = True
    if args.max_file_size is not None:
        overrides["max_file_size"] = args.max_file_size
    if args.no_cache:
        overrides["use_cache"] = False
    if not args.config:
        return PerFile(overrides)
    pyproject = Path(args.config)
    if not pyproject.is_file():
        raise UsageError(f"configuration file not found: {args.config}")
    return with_overrides(load_config(pyproject), overrides)


def _stdin_name(args: argparse.Namespace) -> str | None:
    """The name standard input goes by, when it is what is checked; None otherwise."""
    if STDIN in args.paths:
        if len(args.paths) > 1:
            raise UsageError("- (standard input) cannot be combined with other paths")
        return args.stdin_filename or STDIN
    if not args.paths and args.stdin_filename:
        return args.stdin_filename  # as ruff: a name given and no path means stdin
    return None


def _files(args: argparse.Namespace, settings: Config | PerFile) -> list[str]:
    """Discovered files, each one's configuration read once here so that a broken one is a
    usage error before any work starts (the workers then find it in their cache)."""
    paths = args.paths or ["."]
    _require_existing(paths)
    exclude = normalize_patterns(split_names(args.exclude), Path.cwd())
    # Excludes configured for the named paths apply throughout their walk.
    roots = [settings] if isinstance(settings, Config) else [
        settings.for_path(path) for path in paths]
    exclude += tuple(pattern for config in roots for pattern in config.exclude)
    files = discover(paths, exclude).files
    named = set() if args.force_exclude else {os.path.normpath(path) for path in paths}
    forced = exclude if args.force_exclude else None
    return [path for path in files if path in named
            or not _excluded(path, resolve(settings, path), roots, forced)]


def _excluded(path: str, config: Config, roots: list[Config],
              forced: tuple[str, ...] | None) -> bool:
    """Excluded by what the walk could not apply: a nested project's own excludes (its
    pyproject.toml below a named directory, as ruff has it), and with --force-exclude every
    exclude, for files named explicitly too (pre-commit names every file it checks).
    Matched against the file and the directories above it, up to the directory of the
    pyproject.toml that says so (the current directory where there is none)."""
    patterns = (forced or ()) + (() if config in roots else config.exclude)
    if forced is None and not patterns:
        return False
    excluded = _excluder(patterns if forced is None else (*DEFAULT_EXCLUDE, *patterns))
    absolute = os.path.abspath(path)
    top = find_pyproject(os.path.dirname(absolute))
    below = os.path.join(str(top.parent) if top else os.getcwd(), "")
    while True:
        if excluded(os.path.basename(absolute), absolute):
            return True
        absolute = os.path.dirname(absolute)
        if not absolute.startswith(below):
            return False


@functools.cache
def _excluder(patterns: tuple[str, ...]) -> Excluder:
    return Excluder(patterns)


def _require_existing(paths: Sequence[str]) -> None:
    missing = [path for path in paths if not os.path.exists(path)]
    if missing:
        raise UsageError("\n".join(f"{path}: {describe_missing(path)}" for path in missing))


def _check_stdin(name: str, settings: Config | PerFile) -> tuple[FileReport, bytes]:
    from lint_rules.engine.checker import check_source

    data = sys.stdin.buffer.read()
    # An unnamed stdin is configured as a file in the current directory would be.
    return check_source(data, name, resolve(settings, name)), data


# -- check ---------------------------------------------------------------------------------

def run_check(args: argparse.Namespace) -> int:
    # Imported here so that `explain` and `--help` do not pay for the process pool machinery.
    from lint_rules.runner import check_paths

    if args.statistics and args.format not in ("text", "json"):
        raise UsageError("--statistics works with --format text or json")
    user = resolve_settings(args)
    # Every fix stays visible to the report; the summary tells the unsafe ones apart.
    settings = _with_unsafe(user)
    stdin = _stdin_name(args)
    sources: dict[str, bytes] = {}
    if stdin is not None:
        report, sources[stdin] = _check_stdin(stdin, settings)
        reports = [report]
    else:
        reports = check_paths(_files(args, settings), settings, args.jobs)
    unsafe = _unsafe_enabled(user)
    if args.statistics:
        _print_statistics(reports, args.format, unsafe)
    else:
        fixes = None
        if args.show_fixes or args.format in ("json", "sarif"):
            fixes = _replacements(reports, sources)
        rendered = render(reports, args.format, fixes)
        sys.stdout.write(rendered.stdout)
        sys.stdout.flush()
        sys.stderr.write(rendered.stderr)
    if args.format == "text" and not args.quiet and not args.statistics:
        print(summary(reports, unsafe), file=sys.stderr)
    problems = any(report.findings or report.error for report in reports)
    return EXIT_FINDINGS if problems and not args.exit_zero else EXIT_CLEAN


def _with_unsafe(settings: Config | PerFile) -> Config | PerFile:
    if isinstance(settings, PerFile):
        return PerFile({**settings.overrides, "unsafe_fixes": True})
    return replace(settings, unsafe_fixes=True)


def _unsafe_enabled(user: Config | PerFile) -> Callable[[str], bool]:
    """Whether `fix`, run the same way, would apply the unsafe fixes in a file:
    --unsafe-fixes, or `unsafe-fixes = true` in that file's configuration."""
    return lambda path: resolve(user, path).unsafe_fixes


def _print_statistics(reports: Sequence[FileReport], fmt: str,
                      unsafe: Callable[[str], bool]) -> None:
    rows = statistics(reports, unsafe)
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        sys.stdout.write("".join(line + "\n" for line in statistics_lines(rows)))
    sys.stderr.write(render(reports, "text").stderr)  # files that could not be checked


def _replacements(reports: Sequence[FileReport], sources: dict[str, bytes]) -> Fixes:
    """What `fix` would change for each finding with a fix, read from the files again."""
    from lint_rules.fixer.replacements import replacements

    fixes = {}
    for report in reports:
        if not any(f.fix for f in report.findings):
            continue
        data = sources.get(report.path)
        if data is None:
            try:
                with open(report.path, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
        for finding in report.findings:
            fixes[fix_key(report.path, finding)] = replacements(data, finding, report.support)
    return fixes


# -- fix -----------------------------------------------------------------------------------

def run_fix(args: argparse.Namespace) -> int:
    settings = resolve_settings(args)
    stdin = _stdin_name(args)
    # Imported here: LibCST is slow to import, and check never needs it.
    if stdin is not None:
        from lint_rules.fixer.command import run_stdin

        data = sys.stdin.buffer.read()
        return run_stdin(data, stdin, resolve(settings, stdin), diff=args.diff,
                         check=args.check)
    from lint_rules.fixer.command import run

    files = _files(args, settings)
    return run(files, settings, diff=args.diff, check=args.check, jobs=args.jobs,
               quiet=args.quiet, force=args.force)


def run_verify(argv: list[str]) -> int:
    from lint_rules.verify import command

    parser = argparse.ArgumentParser(prog=f"{PROG} verify")
    command.add_arguments(parser)
    return command.run(parser.parse_args(argv))


def _rule(key: str) -> Rule:
    by_name = {rule.name: rule for rule in RULES.values()}
    rule = RULES.get(key.upper()) or by_name.get(key.lower())
    if rule is None:
        known = ", ".join(f"{r.code} ({r.name})" for r in RULES.values())
        raise UsageError(f"unknown rule {key!r}; known rules: {known}")
    return rule


def _print_rule(rule: Rule) -> None:
    print(f"{rule.code} ({rule.name}): {rule.summary}")
    print()
    print(rule.docs, end="" if rule.docs.endswith("\n") else "\n")


def run_explain(args: argparse.Namespace) -> int:
    if args.all:
        if args.rule:
            raise UsageError("explain takes a rule or --all, not both")
        for index, rule in enumerate(RULES.values()):
            if index:
                print()
            _print_rule(rule)
        return EXIT_CLEAN
    if args.rule is None:
        for rule in RULES.values():
            print(f"{rule.code}  {rule.name:<36} fix: {rule.fix:<6} {rule.summary}")
        return EXIT_CLEAN
    _print_rule(_rule(args.rule))
    return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
