"""`durable-writes verify`: the command-line face.

`add_arguments(parser)` fills a (sub)parser, including its description, epilog and
`handler=run` default; `run(args)` returns the exit status: 0 when no crash state violates
durability, 1 when one does, 2 when the run could not be verified (usage, strace missing or
not permitted, a trace we cannot read).
"""
from __future__ import annotations

import argparse
import sys

from .check import verify
from .models import MODELS
from .runner import DEFAULT_MAX_WRITE, StraceError
from .snapshot import SnapshotTooLarge
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

assumptions and what is not covered:
  - one program on an otherwise idle file system; several processes racing on a watched file
    are traced but their interleaving is taken as the one observed;
  - writes through mmap are not seen (a warning names files whose content after the run the
    trace does not explain); O_DIRECT writes are treated like buffered ones;
  - hard links, symlink creation, fallocate, RENAME_EXCHANGE and renames of directories are
    not modelled; they are reported when they touch a watched path;
  - ext4's writeback on close after a truncate is not modelled; fdatasync counts as fsync;
  - an open(O_CREAT) of a path outside the watch roots is taken to create the file;
  - acknowledgements are lines written to fd 1; for Python programs PYTHONUNBUFFERED=1 is
    set so that a print reaches fd 1 when it happens;
  - Linux only; strace must be installed, and ptrace permitted.

exit status:
  0  no violating state under any checked model
  1  violating states
  2  the run could not be verified (usage, strace missing or not permitted, unreadable trace)
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
                        metavar="N", help="longest write buffer strace captures "
                                          f"(default: {DEFAULT_MAX_WRITE})")
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
                              timeout=args.timeout)
    except (StraceError, TraceError, SnapshotTooLarge, OSError) as exc:
        return _error(str(exc))
    sys.stdout.flush()
    sys.stdout.write(verification.report(limit=args.show))
    return EXIT_DURABLE if verification.ok else EXIT_VIOLATIONS


def _error(message: str) -> int:
    print(f"durable-writes verify: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value
