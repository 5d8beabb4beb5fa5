"""`durable-writes verify`: the command-line face.

`add_arguments(parser)` fills a (sub)parser, including its description, epilog and
`handler=run` default; `run(args)` returns the exit status: 0 when no crash state violates
durability, 1 when one does, 2 when the run could not be verified: usage, a missing command,
strace missing or not permitted, a limit reached, or a watched file changed in a way the trace
does not show (mmap, O_DIRECT, io_uring, several processes, content the replay does not
produce).
"""
from __future__ import annotations

import argparse
import sys

from .check import verify
from .models import MODELS
from .runner import DEFAULT_MAX_WRITE, StraceError
from .snapshot import MAX_BYTES, MAX_FILES, SnapshotTooLarge
from .states import DEFAULT_BOUND
from .trace import TraceError

EXIT_DURABLE = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2

DESCRIPTION = """\
Run COMMAND under strace, then enumerate the states the disk could be in after a power loss
at any point of the run, and check the watched files in each: old, new, empty, torn or
missing, before or after the program acknowledged (printed a line on stdout, or exited 0).
"""

EPILOG = """\
violations:
  a watched file that is empty or torn in some crash state; missing although it existed
  before and after the run; or anything but its new content in a crash after an
  acknowledgement that followed its last change. Each violating state is printed in words:
  where the power was lost, which operations persisted, which were lost, what the file held.

models:
  posix  (default; conservative) nothing is ordered unless an fsync orders it; a write that
         grows a file can persist its size without its data; fsync of a file does not persist
         its directory entry; a rename, create or unlink is durable after an fsync of its
         directory.
  ext4   (data=ordered, delayed allocation; approximate) metadata persists as a prefix in
         program order; growth of a file persists atomically with its size, after the
         metadata before it; overwrites persist page by page, unordered; any fsync commits the
         journal; a rename over an existing name waits for the renamed file's data.
  both   check under each.

watched files:
  every path under a --watch root (a file or a directory; default: the working directory)
  that the command creates, writes, truncates, renames or unlinks, unless it neither existed
  before nor after the run (a temporary file). The roots are read before the run: that is
  the "old" content. Directories .git, __pycache__, .venv, venv, node_modules and tool caches
  are skipped.

states:
  every dependency-closed crash state is enumerated while a crash point has at most
  max(64, MAX_STATES / crash points) of them; past that the point is sampled (its smallest
  and largest states plus random closed ones, --seed) and the output says how many points
  were sampled.

limits:
  each limit that stops a run names its option and the value needed: --max-write-bytes (the
  longest write to a watched file or stdout whose bytes strace keeps), --max-watch-bytes and
  --max-watch-files (what is read from the watch roots, before and after the run).

assumptions and what is not covered:
  - one program on an otherwise idle file system: a watched file whose content after the run
    is not what the traced operations produce makes the run unverifiable (exit 2);
  - so does any mechanism the trace cannot follow on a watched file: a shared writable mmap,
    O_DIRECT, io_uring or Linux AIO (any use), splice/tee/vmsplice, hard links, symlink
    creation, fallocate, RENAME_EXCHANGE, renames of directories, and a file changed by
    several processes or threads (other interleavings are not explored);
  - ext4's writeback on close after a truncate is not modelled; fdatasync counts as fsync;
  - an open(O_CREAT) of a path outside the watch roots is taken to create the file;
  - acknowledgements are lines written to fd 1; for Python programs PYTHONUNBUFFERED=1 is
    set so that a print reaches fd 1 when it happens;
  - Linux only; strace must be installed, and ptrace permitted.

exit status:
  0  no violating state under any checked model
  1  violating states
  2  the run could not be verified: usage, a missing command, strace missing or not
     permitted, a limit reached (each error names the option that raises it), an unreadable
     trace, or a watched file changed in a way the trace does not show ("unverifiable")
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--model", choices=(*MODELS, "both"), default="posix",
                        help="persistence model (default: posix)")
    parser.add_argument("--watch", action="append", metavar="PATH",
                        help="file or directory whose files to check; repeatable "
                             "(default: the working directory)")
    parser.add_argument("--max-states", type=_positive, default=DEFAULT_BOUND, metavar="N",
                        help=f"states to enumerate before sampling (default: {DEFAULT_BOUND})")
    parser.add_argument("--seed", type=int, default=0, help="seed for sampling (default: 0)")
    parser.add_argument("--show", type=_positive, default=10, metavar="N",
                        help="violating states to print per model (default: 10)")
    parser.add_argument("--max-write-bytes", type=_positive, default=DEFAULT_MAX_WRITE,
                        metavar="N", help="longest single write whose bytes strace captures "
                                          f"(default: {DEFAULT_MAX_WRITE})")
    parser.add_argument("--max-watch-bytes", type=_positive, default=MAX_BYTES, metavar="N",
                        help="most bytes read from the watch roots, before and after the run "
                             f"(default: {MAX_BYTES})")
    parser.add_argument("--max-watch-files", type=_positive, default=MAX_FILES, metavar="N",
                        help=f"most files under the watch roots (default: {MAX_FILES})")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="stop the command after this long")
    # Not dest="command": the top-level parser keeps the subcommand's name there.
    parser.add_argument("program", nargs=argparse.REMAINDER, metavar="-- COMMAND [ARGS]",
                        help="the program to run")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    command = list(args.program)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        return _error("no command given: durable-writes verify [options] -- COMMAND [ARGS]")
    models = tuple(MODELS) if args.model == "both" else (args.model,)
    try:
        verification = verify(command, watch=args.watch, models=models, bound=args.max_states,
                              seed=args.seed, max_write_bytes=args.max_write_bytes,
                              max_watch_bytes=args.max_watch_bytes,
                              max_watch_files=args.max_watch_files, timeout=args.timeout)
    except (StraceError, TraceError, SnapshotTooLarge, OSError) as exc:
        return _error(str(exc))
    sys.stdout.flush()
    sys.stdout.write(verification.report(limit=args.show))
    if verification.unverifiable:
        return EXIT_ERROR
    return EXIT_DURABLE if verification.ok else EXIT_VIOLATIONS


def _error(message: str) -> int:
    print(f"durable-writes verify: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value
