"""The command-line face, on real programs run under strace: exit status and the report."""
from __future__ import annotations

import argparse
import re
import sys

import pytest

from lint_rules.verify import command

NAIVE = """
import json, os
with open("data.json.tmp", "w") as fh:
    json.dump({"a": 1}, fh)
os.replace("data.json.tmp", "data.json")
print("saved")
"""

PROTOCOL = """
import json, os
with open("data.json.tmp", "w") as fh:
    json.dump({"a": 1}, fh)
    fh.flush()
    os.fsync(fh.fileno())
os.replace("data.json.tmp", "data.json")
dfd = os.open(".", os.O_RDONLY)
os.fsync(dfd)
os.close(dfd)
print("saved")
"""

# The full protocol, into a directory the program makes and never makes durable in its parent.
NEW_DIRECTORY = """
import os
os.mkdir("out")
with open("out/data.json.tmp", "w") as fh:
    fh.write("{}")
    fh.flush()
    os.fsync(fh.fileno())
os.replace("out/data.json.tmp", "out/data.json")
dfd = os.open("out", os.O_RDONLY)
os.fsync(dfd)
os.close(dfd)
print("saved")
"""


def parser() -> argparse.ArgumentParser:
    built = argparse.ArgumentParser(prog="durable-writes verify")
    command.add_arguments(built)
    return built


def verify(tmp_path, monkeypatch, *options: str, program: str) -> int:
    monkeypatch.chdir(tmp_path)
    args = parser().parse_args([*options, "--", sys.executable, "-c", program])
    return args.handler(args)


@pytest.fixture
def existing(tmp_path):
    (tmp_path / "data.json").write_bytes(b'{"a": 0}\n')
    return tmp_path


def test_a_naive_writer_fails_with_its_states_in_words(existing, monkeypatch, capsys):
    assert verify(existing, monkeypatch, "--model", "both", program=NAIVE) == 1
    out = capsys.readouterr().out
    assert "data.json: old 9 bytes, new 8 bytes" in out
    assert "#1 write 8 bytes at offset 0 to data.json.tmp" in out
    assert "#2 rename data.json.tmp -> data.json" in out
    assert "print 'saved' (acknowledgement)" in out
    assert "(every dependency-closed state)" in out
    assert ("data.json is empty: it holds 0 bytes b''\n"
            "       persisted: #2 rename data.json.tmp -> data.json\n"
            "       lost:      #1 write 8 bytes at offset 0 to data.json.tmp [size, data]") in out
    # Where stdout is a file, each print is also a write: the operation numbers move.
    assert re.search(r"data.json is old after the acknowledgement, promised by #\d+ print "
                     r"'saved' \(acknowledgement\): it holds 9 bytes", out)
    # posix: before the print, the rename alone (empty), with the size (zeros, torn), with the
    # data but not the size (empty); after it, every state but the complete one.
    assert out.rstrip().endswith("verdict: NOT DURABLE under posix (10 violating states); "
                                 "NOT DURABLE under ext4 (2 violating states)")


def test_the_full_protocol_passes(existing, monkeypatch, capsys):
    assert verify(existing, monkeypatch, "--model", "both", program=PROTOCOL) == 0
    out = capsys.readouterr().out
    assert out.count("no violating state") == 2
    assert out.rstrip().endswith("verdict: durable under posix; durable under ext4")


def test_a_new_directory_must_be_made_durable_in_its_parent_under_posix(tmp_path, monkeypatch,
                                                                        capsys):
    assert verify(tmp_path, monkeypatch, "--model", "posix", program=NEW_DIRECTORY) == 1
    out = capsys.readouterr().out
    assert "out/data.json is missing after the acknowledgement" in out
    assert "#0 mkdir out" in out
    # ext4 commits the mkdir with the journal when the new directory is fsynced.
    again = tmp_path / "again"
    again.mkdir()
    assert verify(again, monkeypatch, "--model", "ext4", program=NEW_DIRECTORY) == 0


MMAP = """
import mmap
with open("data.json", "r+b") as fh:
    with mmap.mmap(fh.fileno(), 0) as mapped:
        mapped[:4] = b"MMAP"
        mapped.flush()
print("saved")
"""


def test_writes_through_mmap_are_not_seen_and_the_report_says_so(existing, monkeypatch, capsys):
    verify(existing, monkeypatch, program=MMAP)
    out = capsys.readouterr().out
    assert "not modelled: line " in out and "writes through mmap" in out
    assert ("warning: data.json: what it holds after the run is not what the traced operations "
            "produce") in out
    assert out.rstrip().endswith("(incomplete: see the notes above)")


def test_watch_limits_the_files_checked(existing, monkeypatch, capsys):
    (existing / "other").write_text("x")
    assert verify(existing, monkeypatch, "--watch", "other", program=NAIVE) == 0
    out = capsys.readouterr().out
    assert "none of the watched paths was written" in out


def test_show_limits_the_states_printed(existing, monkeypatch, capsys):
    assert verify(existing, monkeypatch, "--show", "1", program=NAIVE) == 1
    out = capsys.readouterr().out
    assert "violating states; the first 1:" in out
    assert "  2. power lost" not in out


def test_a_failing_command_acknowledges_nothing(existing, monkeypatch, capsys):
    program = NAIVE.replace('print("saved")', "raise SystemExit(3)")
    assert verify(existing, monkeypatch, program=program) == 1
    out = capsys.readouterr().out
    assert "the command exited with status 3" in out
    assert "after the acknowledgement" not in out.split("model posix")[1].split("violating")[1]


def test_no_command_is_a_usage_error(capsys):
    args = parser().parse_args(["--model", "ext4"])
    assert args.handler(args) == 2
    assert "no command given" in capsys.readouterr().err


def test_a_command_that_cannot_start_is_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = parser().parse_args(["--", str(tmp_path / "no-such-program")])
    assert args.handler(args) == 2
    assert "strace recorded nothing" in capsys.readouterr().err


def test_the_program_does_not_clobber_the_subcommand_name(existing, monkeypatch):
    monkeypatch.chdir(existing)
    top = argparse.ArgumentParser(prog="durable-writes")
    commands = top.add_subparsers(dest="command", required=True)
    command.add_arguments(commands.add_parser("verify"))
    args = top.parse_args(["verify", "--", sys.executable, "-c", PROTOCOL])
    assert args.command == "verify"
    assert args.handler(args) == 0


def test_help_states_the_models_and_what_is_not_covered():
    text = parser().format_help()
    for phrase in ("posix", "ext4", "mmap", "O_DIRECT", "several processes", "sampled",
                   "exit status"):
        assert phrase in text
