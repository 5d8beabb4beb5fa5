"""Check many files: each read once, in worker processes when there are enough of them.

`check_paths` takes files (see `lint_rules.files.discover` for turning directories into
files) and returns one report per file, sorted by path; the command and the fixer share it.
"""
from __future__ import annotations

import functools
import os
import signal
import sys
from typing import TypeVar
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from lint_rules.engine.checker import check_source, expect, gc_paused
from lint_rules.config import Config, PerFile, resolve
from lint_rules.engine.findings import FileReport
from lint_rules.files import SourceError, read_source

T = TypeVar("T")

# Starting workers costs tens of milliseconds, about what a core needs to check this many
# ordinary files (most never get parsed: the byte pre-filter rules them out).
POOL_THRESHOLD = 50
# Chunks per worker: enough to even out files of unequal size, few enough to keep the
# per-task overhead of the pool small.
_CHUNKS_PER_WORKER = 16


def default_jobs() -> int:
    """The cores this process may run on (the affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def check_file(path: str, config: Config | PerFile) -> FileReport:
    config = resolve(config, path)  # found per file unless one was forced
    try:
        data, _ = read_source(path, config.max_file_size)
    except SourceError as exc:
        return FileReport(path=path, error=str(exc), error_line=1)
    try:
        with gc_paused():
            return check_source(data, path, config)
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the others
        return FileReport(path=path, error=f"internal error ({type(exc).__name__}: {exc})",
                          error_line=1)


def check_paths(paths: Sequence[str], config: Config | PerFile,
                jobs: int | None = None) -> list[FileReport]:
    return map_chunks(check_chunk, paths, config, jobs)


def check_chunk(paths: list[str], config: Config | PerFile) -> list[FileReport]:
    """Check files one after another in this process. One that another's check parses for
    its summaries is checked then, from that tree, not parsed a second time (in a worker,
    among the files of its chunk: a package's modules, which import each other most)."""
    expect((path, resolve(config, path)) for path in paths)
    try:
        return [check_file(path, config) for path in paths]
    finally:
        expect(())


def _pooled(paths: Sequence[str], jobs: int | None) -> bool:
    return (jobs or default_jobs()) > 1 and len(paths) > POOL_THRESHOLD


def map_files(work: Callable[[str, Config | PerFile], T], paths: Sequence[str],
              config: Config | PerFile, jobs: int | None = None) -> list[T]:
    """`work(path, config)` for every file, in worker processes when there are enough files;
    results sorted by their `path`. `work` must be a module-level function (it is pickled)."""
    return map_chunks(functools.partial(_each, work), paths, config, jobs)


def _each(work: Callable[[str, Config | PerFile], T], paths: list[str],
          config: Config | PerFile) -> list[T]:
    return [work(path, config) for path in paths]


def map_chunks(work: Callable[[list[str], Config | PerFile], list[T]], paths: Sequence[str],
               config: Config | PerFile, jobs: int | None = None) -> list[T]:
    """`work(chunk, config)` for consecutive chunks of the files, in worker processes when
    there are enough files (else one chunk of all of them, here); the results of every chunk,
    sorted by their `path`."""
    jobs = jobs or default_jobs()
    if _pooled(paths, jobs):
        results = _in_pool(work, paths, config, min(jobs, len(paths)))
    else:
        results = work(list(paths), config)
    results.sort(key=lambda result: result.path)
    return results


def _in_pool(work: Callable[[list[str], Config | PerFile], list[T]], paths: Sequence[str],
             config: Config | PerFile, workers: int) -> list[T]:
    size = max(1, len(paths) // (workers * _CHUNKS_PER_WORKER))
    chunks = [list(paths[at:at + size]) for at in range(0, len(paths), size)]
    # Workers ignore Ctrl-C: the command stops them (each ends the chunk it is in; none is
    # handed another) and says it was interrupted.
    pool = ProcessPoolExecutor(max_workers=workers, initializer=signal.signal,
                               initargs=(signal.SIGINT, signal.SIG_IGN))
    try:
        results = [result for done in pool.map(work, chunks, [config] * len(chunks))
                   for result in done]
    except BrokenProcessPool:
        # A worker died (killed for its memory, most often) and took its results with it.
        # Every file is done again here: workers only read (the fixer writes what they
        # found afterwards, in this process), so nothing is done twice to a file.
        pool.shutdown(wait=False, cancel_futures=True)
        print("durable-writes: warning: a worker process died; going on in one process",
              file=sys.stderr)
        return work(list(paths), config)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results
