"""`durable-writes fix`: check many files, fix those with findings, report what was done."""
from __future__ import annotations

import difflib
import os
import sys
from collections import Counter

from lint_rules.engine.checker import decode, gc_paused, lines_with_ends
from lint_rules.config import Config, PerFile, resolve
from lint_rules.fixer.durable_io import Original, Skipped, remove_stale_temps, replace_file
from lint_rules.files import SourceError, discover, read_source
from lint_rules.fixer.transform import FixResult, fix_file_data
from lint_rules.runner import map_files


def run(paths: list[str], config: Config | PerFile, *, diff: bool, check: bool,
        jobs: int | None, quiet: bool = False, force: bool = False) -> int:
    """`durable-writes fix`: 0 when done (or nothing to do), 1 with --check or --diff when
    files would change (ruff's convention) or when a file could not be fixed. `force`
    rewrites read-only files too."""
    files = discover(paths, config.exclude).files
    writing = not (diff or check)
    if writing:
        _remove_stale_temps(files)
    results = map_files(fix_file, files, config, jobs)
    for result in results:
        if result.changed and diff:
            sys.stdout.write(_diff(result))
        elif result.changed and writing:
            _write(result, force)
        if result.error:
            print(f"{result.where}: not fixed: {result.error}", file=sys.stderr)
    if not quiet:
        _summarise(results, wrote=writing)
    failed = any(r.error for r in results)
    return 1 if failed or ((check or diff) and any(r.changed for r in results)) else 0


def run_stdin(data: bytes, name: str, config: Config, *, diff: bool, check: bool) -> int:
    """`durable-writes fix -`: the fixed source on stdout (the input itself where nothing is
    fixed or it cannot be, so a pipe never loses the text), or the diff with --diff."""
    result = fix_file_data(data, name, config)
    if result.error:
        print(f"{result.where}: not fixed: {result.error}", file=sys.stderr)
    if diff:
        if result.changed:
            sys.stdout.write(_diff(result))
    elif not check:
        sys.stdout.buffer.write(result.fixed if result.changed else data)
        sys.stdout.flush()
    return 1 if result.error or ((check or diff) and result.changed) else 0


def fix_file(path: str, config: Config | PerFile) -> FixResult:
    """Read, check and (only where there are findings) fix one file; writes nothing."""
    config = resolve(config, path)
    try:
        data, status = read_source(path, config.max_file_size)
    except SourceError as exc:
        return FixResult(path, b"", b"", error=str(exc))
    try:
        with gc_paused():
            result = fix_file_data(data, path, config)
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the others
        return FixResult(path, b"", b"", error=f"internal error ({type(exc).__name__}: {exc})")
    if not result.changed:
        result.original = result.fixed = b""  # nothing to send back from a worker
    result.status = status
    return result


# -- the write phase ---------------------------------------------------------------------

def _remove_stale_temps(files: list[str]) -> None:
    """Temporary files a killed run left next to the files about to be fixed."""
    for directory in sorted({os.path.dirname(os.path.realpath(path)) for path in files}):
        for path in remove_stale_temps(directory):
            print(f"{path}: removed, left by an interrupted run", file=sys.stderr)


def _write(result: FixResult, force: bool) -> None:
    """Put the fixed text in place; a file that cannot or must not be replaced keeps its
    content and is reported as not fixed (the run goes on with the next)."""
    try:
        replace_file(result.path, result.fixed, Original(result.original, result.status),
                     force=force)
        return
    except Skipped as exc:
        result.error = str(exc)
    except OSError as exc:
        result.error = f"cannot write: {exc.strerror or exc}"
    result.applied = []  # counted as a file not fixed, not as findings without a fix
    result.fixed = result.original


def _diff(result: FixResult) -> str:
    # Lines as Python breaks them: a form feed inside a line is no line break to `patch`.
    before = lines_with_ends(decode(result.original))
    after = lines_with_ends(decode(result.fixed))
    return "".join(difflib.unified_diff(before, after, result.path, result.path))


def _summarise(results: list[FixResult], wrote: bool) -> None:
    changed = [r for r in results if r.changed]
    applied = sum(len(r.applied) for r in results)
    left = Counter(f.code for r in results for f in r.unfixable)
    verb = "fixed" if wrote else "would fix"
    line = f"{verb} {applied} finding(s) in {len(changed)} file(s)"
    if left:
        counts = ", ".join(f"{n} {code}" for code, n in sorted(left.items()))
        line += f"; left without a fix: {counts}"
    errors = sum(1 for r in results if r.error)
    if errors:
        line += f"; {errors} file(s) could not be fixed"
    print(line, file=sys.stderr)
