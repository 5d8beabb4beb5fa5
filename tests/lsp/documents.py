"""A document whose columns differ in every position encoding."""
from __future__ import annotations

WIDE = '''\
import os


def save(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    label = "é😀"; os.replace(tmp, path)
'''


def columns(text: str, line: int, before: str, codec: str, width: int) -> int:
    row = text.splitlines()[line]
    return len(row[:row.index(before)].encode(codec)) // width
