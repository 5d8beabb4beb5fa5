"""The command-line face, on real programs run under strace: exit status and the report."""
from __future__ import annotations

import argparse
import re
import subprocess
import sys

import pytest

from lint_rules.verify import command

from .record_traces import PROGRAMS

# The programs whose traces tests/verify/traces/ holds, run live here.
NAIVE, PROTOCOL = PROGRAMS["naive"], PROGRAMS["protocol"]

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


@pytest.mark.strace
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
                     r"'saved' \(acknowledgement\): it holds 9 bytes b'\{\"a\": 0\}\\n'\n", out)
    # posix: before the print, the rename alone (empty), with the size (zeros, torn), with the
    # data but not the size (empty); after it, every state but the complete one.
    assert out.rstrip().endswith("verdict: NOT DURABLE under posix (10 violating states); "
                                 "NOT DURABLE under ext4 (2 violating states)")


@pytest.mark.strace
def test_the_full_protocol_passes(existing, monkeypatch, capsys):
    assert verify(existing, monkeypatch, "--model", "both", program=PROTOCOL) == 0
    out = capsys.readouterr().out
    assert out.count("no violating state") == 2
    assert out.rstrip().endswith("verdict: durable under posix; durable under ext4")


@pytest.mark.strace
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


MMAP_NO_MSYNC = MMAP.replace("        mapped.flush()\n", "")


@pytest.mark.strace
@pytest.mark.parametrize("program", [MMAP, MMAP_NO_MSYNC], ids=["msync", "no-msync"])
def test_writes_through_mmap_are_unverifiable(existing, monkeypatch, capsys, program):
    # Synced or not, the stores through the mapping are in no syscall: we cannot enumerate
    # the crash states of bytes we do not see.
    assert verify(existing, monkeypatch, "--model", "both", program=program) == 2
    out = capsys.readouterr().out
    assert re.search(r"unverifiable: line \d+: \S+/data.json is mapped shared and writable "
                     r"\(mmap\): writes through the mapping are not in the trace", out)
    assert ("unverifiable: data.json: what it holds after the run (9 bytes) is not what the "
            "traced operations produce (9 bytes)") in out
    assert "verdict: UNVERIFIABLE: the trace does not show all that changed the watched " in out


@pytest.mark.strace
def test_a_normal_writer_next_to_a_read_only_mapping_is_verified(existing, monkeypatch, capsys):
    # A private or read-only mapping (every program maps its libraries) changes no file.
    program = ("import mmap\nwith open('data.json', 'rb') as fh:\n"
               "    mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ).close()\n" + PROTOCOL)
    assert verify(existing, monkeypatch, "--model", "both", program=program) == 0
    out = capsys.readouterr().out
    assert "unverifiable" not in out
    assert out.rstrip().endswith("verdict: durable under posix; durable under ext4")


@pytest.mark.strace
def test_watch_limits_the_files_checked(existing, monkeypatch, capsys):
    (existing / "other").write_text("x")
    assert verify(existing, monkeypatch, "--watch", "other", program=NAIVE) == 0
    out = capsys.readouterr().out
    assert "none of the watched paths was written" in out


@pytest.mark.strace
def test_show_limits_the_states_printed(existing, monkeypatch, capsys):
    assert verify(existing, monkeypatch, "--show", "1", program=NAIVE) == 1
    out = capsys.readouterr().out
    assert "violating states; the first 1:" in out
    assert "  2. power lost" not in out


@pytest.mark.strace
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


@pytest.mark.parametrize("name, said", [
    ("no-such-program-xyz", "command not found: no-such-program-xyz (not on PATH)"),
    ("./missing.py", "command not found: ./missing.py (no such file)"),
    ("./script.sh", "cannot run ./script.sh: not an executable file"),
])
def test_a_missing_command_says_it_is_missing(tmp_path, monkeypatch, capsys, name, said):
    (tmp_path / "script.sh").write_text("echo hi\n")  # not executable
    monkeypatch.chdir(tmp_path)
    args = parser().parse_args(["--", name, "arg"])
    assert args.handler(args) == 2
    err = capsys.readouterr().err
    assert err == f"durable-writes verify: error: {said}\n"
    assert "ptrace" not in err


@pytest.mark.strace
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


BIG_WRITE = """
import os
with open("data.json", "wb") as fh:
    fh.write(b"x" * 5000)
"""


@pytest.mark.strace
def test_a_write_longer_than_max_write_bytes_names_the_option_and_the_value(
        existing, monkeypatch, capsys):
    assert verify(existing, monkeypatch, "--max-write-bytes", "1000", program=BIG_WRITE) == 2
    err = capsys.readouterr().err
    assert err.startswith("durable-writes verify: error: line ")
    assert ("strace cut a 5000-byte write short (it keeps --max-write-bytes, 1000, of each "
            "buffer); raise --max-write-bytes to at least 5000\n") in err
    # The hint works: raised to what it said, the run is judged.
    (existing / "data.json").write_bytes(b'{"a": 0}\n')  # the first run did write it
    assert verify(existing, monkeypatch, "--max-write-bytes", "5000", program=BIG_WRITE) == 1
    assert "data.json: old 9 bytes, new 5000 bytes" in capsys.readouterr().out


@pytest.mark.strace
def test_a_long_write_to_a_file_nobody_watches_needs_no_higher_limit(
        tmp_path, monkeypatch, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "watched").mkdir()
    program = f"""
with open({str(outside / "log")!r}, "wb") as fh:
    fh.write(b"x" * 5000)
print("done")
"""
    assert verify(tmp_path, monkeypatch, "--watch", "watched", "--max-write-bytes", "1000",
                  program=program) == 0
    assert "none of the watched paths was written" in capsys.readouterr().out


@pytest.mark.strace
def test_watch_roots_larger_than_max_watch_bytes_name_the_option_and_the_value(
        existing, monkeypatch, capsys):
    (existing / "big").write_bytes(b"y" * 3000)
    assert verify(existing, monkeypatch, "--max-watch-bytes", "2000", program=PROTOCOL) == 2
    err = capsys.readouterr().err
    assert (f"the watch roots {existing} hold 3009 bytes, more than --max-watch-bytes (2000): "
            "raise it to at least 3009, or name the files the command writes with --watch") in err
    assert verify(existing, monkeypatch, "--max-watch-bytes", "3009", program=PROTOCOL) == 0


@pytest.mark.strace
def test_watch_roots_with_more_files_than_max_watch_files_name_the_option(
        existing, monkeypatch, capsys):
    (existing / "other").write_text("x")
    assert verify(existing, monkeypatch, "--max-watch-files", "1", program=PROTOCOL) == 2
    assert "hold 2 files, more than --max-watch-files (1): raise it to at least 2" in \
        capsys.readouterr().err


@pytest.mark.strace
def test_a_report_appended_to_a_watched_log_is_verified(tmp_path):
    # `durable-writes verify -- prog >> log`: the program's stdout is a watched file it never
    # opened; its writes land at the end, and the run is judged, not unverifiable.
    log = tmp_path / "log.txt"
    log.write_text("old\n")
    with open(log, "a") as out:
        done = subprocess.run([sys.executable, "-m", "lint_rules.cli", "verify", "--",
                               sys.executable, "-c", "print('x')"], cwd=tmp_path, stdout=out)
    assert done.returncode == 1  # a log that is never fsynced is not durable
    text = log.read_text()
    assert text.startswith("old\nx\ndurable-writes verify: ")
    assert "log.txt: old 4 bytes, new 6 bytes" in text and "unverifiable" not in text
