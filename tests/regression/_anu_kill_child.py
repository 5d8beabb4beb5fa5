"""Child process for the SIGKILL test: starts a result.json write and stalls half-way.

Usage: python _anu_kill_child.py TASK_DIR

Half of the payload is encoded (and, being far larger than the file buffer, mostly in the
temporary file already) when the child prints "stalled" and blocks reading stdin, which the
parent never closes. The parent kills it there, so the kill lands mid-write every time
instead of racing a timer.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from dispatch import anu_owned_callback_enforcement as module


class StallingList(list):
    """A JSON array whose encoding stops half-way until stdin yields (it never does)."""

    def __iter__(self) -> Iterator[Any]:
        half = len(self) // 2
        for index, item in enumerate(list.__iter__(self)):
            if index == half:
                sys.stdout.write("stalled\n")
                sys.stdout.flush()
                sys.stdin.read()
            yield item


def main() -> None:
    payload = StallingList(["x" * 1024] * 256)
    module.executor_write_result_json(sys.argv[1], "task-2717", "executor-7", "succeeded", payload)


if __name__ == "__main__":
    main()
