"""Run recursive work (the analysis, LibCST's parse and transform) on code nested deeper than
Python's default recursion limit allows.

CPython compiles expressions and `elif` chains a few hundred levels deep, but tree walkers
written in Python recurse once or more per level and hit the limit of 1,000 frames well before.
`call_deep` first runs the work as usual (nearly every file), and only after a RecursionError
runs it again in a thread with a large stack and a raised recursion limit.  What still does
not fit raises `TooDeep`, which callers report as an error of that file.
"""
from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# What CPython's parser accepts at its default limit nests about a thousand levels deep, and
# LibCST needs about six frames per level (990 chained `elif`s fix with a limit of 6,000):
# 30,000 frames leave room. The stack is reserved address space, touched only as deep as the
# work goes; 512 MiB gives each frame 17 KiB, well above what a Python frame that goes through
# C (LibCST's generators and context managers) takes, so the limit is reached before the
# stack's end and a RecursionError, not a crash, stops what is deeper still.
DEEP_STACK_BYTES = 512 * 2**20
DEEP_RECURSION_LIMIT = 30_000

# sys.setrecursionlimit is per process: deep calls take turns.
_deep_lock = threading.Lock()


class TooDeep(Exception):
    """The code is nested too deeply to process, even with the large stack."""


def call_deep(work: Callable[[], T]) -> T:
    """`work()`, retried with a large stack if it runs out of recursion depth."""
    try:
        return work()
    except Exception as exc:
        if not ran_out_of_depth(exc):
            raise
    return _in_deep_thread(work)


def ran_out_of_depth(exc: BaseException) -> bool:
    """A RecursionError, or an error raised while handling one: LibCST's position provider
    turns a RecursionError deep in code generation into a KeyError per level of nesting."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, RecursionError):
            return True
        seen.add(id(current))
        current = current.__context__
    return False


def _in_deep_thread(work: Callable[[], T]) -> T:
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            outcome["too_deep" if ran_out_of_depth(exc) else "error"] = exc

    with _deep_lock:
        old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
        try:
            threading.stack_size(DEEP_STACK_BYTES)
            sys.setrecursionlimit(DEEP_RECURSION_LIMIT)
            thread = threading.Thread(target=target, name="deep-code")
            thread.start()
            thread.join()
        except (RuntimeError, MemoryError, ValueError) as exc:  # no room for the stack
            raise TooDeep(f"no memory for a deep stack ({exc})") from None
        finally:
            sys.setrecursionlimit(old_limit)
            threading.stack_size(old_stack)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    if outcome.get("too_deep"):
        raise TooDeep("nested too deeply to process")
    return outcome["value"]  # type: ignore[return-value]
