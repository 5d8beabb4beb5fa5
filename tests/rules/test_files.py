"""Whole-file behaviour through `check_source`: noqa, undecodable and unparsable files, coding
cookies, and the byte pre-filter that spares most files a parse."""
from __future__ import annotations

import ast

import pytest

import lint_rules.engine.checker
from lint_rules.engine.checker import check_source
from lint_rules.config import Config

WRITER = """\
import json
import os


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:{open_comment}
        json.dump(state, fh)
    os.replace(tmp, path){rename_comment}
"""
OPEN_LINE, RENAME_LINE = 7, 9


def codes(data: bytes, config: Config = Config()) -> list[tuple[int, str]]:
    report = check_source(data, "state.py", config)
    assert report.error is None, report.error
    return [(f.line, f.code) for f in report.findings]


def writer(open_comment: str = "", rename_comment: str = "") -> bytes:
    text = WRITER.format(open_comment=open_comment, rename_comment=rename_comment)
    return text.encode()


@pytest.mark.parametrize(
    ("open_comment", "rename_comment", "expected"),
    [
        ("", "", [(OPEN_LINE, "DUR101"), (RENAME_LINE, "DUR102")]),
        ("  # noqa", "", [(RENAME_LINE, "DUR102")]),
        ("  # noqa: DUR101", "", [(RENAME_LINE, "DUR102")]),
        ("  # noqa: DUR102", "", [(OPEN_LINE, "DUR101"), (RENAME_LINE, "DUR102")]),
        ("", "  # noqa: DUR", [(OPEN_LINE, "DUR101")]),
        ("  # noqa:DUR101,DUR102", "  # NOQA", []),
        ("", "  # noqa: E501", [(OPEN_LINE, "DUR101"), (RENAME_LINE, "DUR102")]),
    ],
    ids=["none", "bare", "exact-code", "other-code", "prefix", "list-and-upper", "foreign-code"],
)
def test_noqa_on_the_reported_line(open_comment: str, rename_comment: str, expected) -> None:
    assert codes(writer(open_comment, rename_comment)) == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("", [(6, "DUR101"), (6, "DUR105"), (9, "DUR102")]),
        ("  # noqa: DUR105", [(6, "DUR101"), (9, "DUR102")]),
        ("  # noqa: DUR101", [(6, "DUR105"), (9, "DUR102")]),
        ("  # noqa: DUR1", [(9, "DUR102")]),
    ],
    ids=["none", "one", "the-other", "prefix-with-digit"],
)
def test_noqa_on_a_line_with_two_codes(comment: str, expected) -> None:
    data = f"""\
import os
import tempfile


def save_bytes(path, payload):
    fd, tmp = tempfile.mkstemp(){comment}
    os.write(fd, payload)
    os.close(fd)
    os.replace(tmp, path)
""".encode()
    assert codes(data) == expected


def test_syntax_error_is_reported_with_its_line() -> None:
    data = b"""\
import os


def save(tmp, path):
    if path
        with open(tmp, "w") as fh:
            fh.write(path)
        os.replace(tmp, path)
"""
    report = check_source(data, "broken.py", Config())
    assert report.error is not None
    assert report.error_line == 5
    assert report.findings == []


@pytest.mark.parametrize("bad_line", [1, 2, 4])
def test_latin1_bytes_without_cookie_are_reported_with_their_line(bad_line: int) -> None:
    # A comment on line 1 makes the decoder look for a coding cookie on line 2 as well.
    lines = [
        b"# State files.",
        b"import os",
        b"",
        b"def save(tmp, path):",
        b"    open(tmp, 'w').close()",
        b"    os.replace(tmp, path)",
    ]
    lines[bad_line - 1] += b"  # r\xe9sum\xe9"  # latin-1, not valid UTF-8
    report = check_source(b"\n".join(lines) + b"\n", "latin.py", Config())
    assert report.error is not None
    assert report.error_line == bad_line
    assert report.findings == []


def test_coding_cookie_is_honoured() -> None:
    data = b"""\
# -*- coding: latin-1 -*-
import json
import os

TITLE = "r\xe9sum\xe9"


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump({"title": TITLE, **state}, fh)
    os.replace(tmp, path)
"""
    assert codes(data) == [(10, "DUR101"), (12, "DUR102")]


def test_file_with_only_an_fsync_is_still_checked() -> None:
    data = b"""\
import os


def append(log_path, line):
    with open(log_path, "a") as fh:
        fh.write(line)
        os.fsync(fh.fileno())
"""
    assert codes(data) == [(7, "DUR103")]


def _refuse(*args, **kwargs):
    raise AssertionError("parsed or analysed a file the pre-filter should have skipped")


def test_file_without_rename_or_fsync_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ast, "parse", _refuse)
    monkeypatch.setattr(lint_rules.engine.checker, "analyze", _refuse)
    data = b"""\
import json


def save_state(path, state):
    with open(path, "w") as fh:
        json.dump(state, fh)
"""
    report = check_source(data, "plain.py", Config())
    assert (report.findings, report.error) == ([], None)


def test_the_parse_guard_above_does_intercept_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without this, the skip test would pass even if check_source parsed some other way."""
    monkeypatch.setattr(ast, "parse", _refuse)
    with pytest.raises(AssertionError, match="pre-filter"):
        check_source(writer(), "state.py", Config())


def test_noqa_after_a_form_feed_line_is_on_the_reported_line() -> None:
    # str.splitlines() would also break at the form feed and shift every later line.
    data = (b"import os\n\x0c\n\ndef save(tmp, path):\n    with open(tmp, 'w') as fh:"
            b"  # noqa: DUR101\n        fh.write('x')\n    os.replace(tmp, path)  # noqa\n")
    assert codes(data) == []


def test_carriage_return_only_line_endings_keep_their_lines() -> None:
    data = (b"import os\rdef save(tmp, path):\r    with open(tmp, 'w') as fh:\r"
            b"        fh.write('x')\r    os.replace(tmp, path)\r")
    assert codes(data) == [(3, "DUR101"), (5, "DUR102")]
