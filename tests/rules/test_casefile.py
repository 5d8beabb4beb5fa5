"""The harness itself: a case file format that misreads expectations would make every rule
test meaningless, so its parsing is tested on its own."""
from __future__ import annotations

import ast

import pytest

from lint_rules.config import Config

from .casefile import CaseFileError, Expected, parse_cases
from .test_rules import ALL_CASES, CASE_FILES

SAMPLE = """\
# Header comments are allowed before the first case.

# case: first
import os
os.replace(a, b)  # DUR102@0
x = 1  # DUR101 DUR105

# case: second
# config: durable-file-sync-helpers=mylib.fsync_file, other.sync; durable-dir-sync-helpers=sync_dir
y = "# DUR101 inside a string is not an expectation"
"""


def test_cases_are_split_and_blanked_keeping_file_line_numbers() -> None:
    first, second = parse_cases(SAMPLE, "sample.py")
    assert (first.name, first.first_line) == ("first", 3)
    assert (second.name, second.first_line) == ("second", 8)
    first_lines = first.source.splitlines()
    assert first_lines[4] == "os.replace(a, b)  # DUR102@0"
    assert first_lines[9] == ""  # the second case is blanked
    assert second.source.splitlines()[4] == ""  # and the first one in the second
    assert len(first_lines) == len(second.source.splitlines()) == len(SAMPLE.splitlines())


def test_expectations_are_read_from_trailing_comments_only() -> None:
    first, second = parse_cases(SAMPLE, "sample.py")
    assert first.expected == (
        Expected(5, "DUR102", 0),
        Expected(6, "DUR101"),
        Expected(6, "DUR105"),
    )
    assert second.expected == ()


def test_config_line_becomes_a_config() -> None:
    first, second = parse_cases(SAMPLE, "sample.py")
    assert first.config == Config()
    assert second.config == Config(
        file_sync_helpers=("mylib.fsync_file", "other.sync"), dir_sync_helpers=("sync_dir",)
    )


@pytest.mark.parametrize(
    "text",
    [
        "# case: a\nx = 1  # DUR101 because it is not synced\n",
        "# case: a\nx = 1  # dur101\n",
        "# case: a\n# config: durable-helpers=x\n",
        "# case: a\n# case: a\n",
        "# case: Not Kebab\n",
        "import os\n# case: a\n",
        "x = 1  # DUR101\n",
    ],
    ids=["prose", "lowercase", "config-key", "duplicate", "name", "header-code", "no-case"],
)
def test_malformed_case_files_are_refused(text: str) -> None:
    with pytest.raises(CaseFileError):
        parse_cases(text, "bad.py")


def test_every_case_is_valid_python() -> None:
    for case in ALL_CASES:
        try:
            ast.parse(case.source)
        except SyntaxError as exc:
            pytest.fail(f"{case.id}: {exc}")


def test_suite_size_and_themes() -> None:
    assert len(ALL_CASES) >= 90
    by_file: dict[str, list[bool]] = {}
    for case in ALL_CASES:
        by_file.setdefault(case.file, []).append(bool(case.expected))
    assert set(by_file) >= {
        "with_open.py", "bare_handles.py", "mkstemp_fdopen.py", "named_temporary.py",
        "path_api.py", "raw_fd.py", "renames.py", "methods_and_self.py", "async_and_nested.py",
        "context_managers.py", "helpers.py", "ordering.py", "flush.py", "tempdirs.py",
        "negatives.py",
    }
    # Every theme shows both sides of its rule; the negatives file only the silent one.
    for file, flagged in by_file.items():
        if file == "negatives.py":
            assert not any(flagged), file
        else:
            assert any(flagged) and not all(flagged), file
    assert len(CASE_FILES) == len(by_file)
