"""Fixer behaviour that was once wrong: kept so it stays right.

Each of these was a strict xfail until the engine was fixed (see also test_fixed_bugs.py).
"""
from __future__ import annotations

import textwrap

import pytest

from lint_rules.fixer.transform import fix_source


def source(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


# -- each function is its own scope: names of different functions never meet --------------

def test_a_fix_never_lands_in_a_function_that_does_not_have_the_handle() -> None:
    # save writes through a buffered file it never fsyncs; sync_fd fsyncs an fd of its own.
    # Nothing is renamed, and sync_fd has no file object: there is nothing to fix.
    text = """
        import os


        def save(path, text):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT)
            with os.fdopen(fd, "w") as fh:
                fh.write(text)


        def sync_fd(fd):
            os.fsync(fd)
    """
    assert fix_source(source(text)) == source(text)


@pytest.mark.parametrize("text", [
    """
        import os


        def write_draft(tmp, text):
            with open(tmp, "w") as fh:
                fh.write(text)


        def publish(tmp, path):
            os.replace(tmp, path)
    """,
    """
        import os


        class Drafts:
            def write(self, tmp, text):
                with open(tmp, "w") as fh:
                    fh.write(text)

            def publish(self, tmp, path):
                os.replace(tmp, path)
    """,
], ids=["functions", "methods"])
def test_a_write_and_a_rename_in_different_functions_are_not_one_writer(text: str) -> None:
    assert fix_source(source(text)) == source(text)


# -- helpers the engine recognises are reused, not duplicated --------------------------------

# `dirname(path) or "."` is the idiom of DESIGN.md's own example.
def test_a_durable_writer_with_a_dirname_or_dot_helper_is_left_alone() -> None:
    text = """
        import os


        def fsync_directory(path):
            fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


        def save(path, text):
            tmp = path + ".tmp"
            with open(tmp, "w") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            fsync_directory(path)
    """
    assert fix_source(source(text)) == source(text)
