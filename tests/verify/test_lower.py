"""Syscalls → operations, on the recorded traces.  Every fixture ran in a directory /w that
held data.json = b'{"a": 0}\\n' (record_traces.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from lint_rules.verify.lower import lower
from lint_rules.verify.ops import (Ack, Create, Fsync, Mkdir, Rename, SyncAll, Truncate, Unlink,
                                   Write)
from lint_rules.verify.snapshot import Snapshot
from lint_rules.verify.trace import TraceError, parse_trace

TRACES = Path(__file__).parent / "traces"
OLD = b'{"a": 0}\n'


def lowered(name: str, roots=("/w",)):
    calls = parse_trace((TRACES / f"{name}.strace").read_text())
    return lower(calls, Snapshot(roots, {"/w/data.json": OLD}), "/w")


def test_naive_writer():
    result = lowered("naive")
    assert result.ops == [
        Create("/w/data.json.tmp", 1),
        Write(1, "/w/data.json.tmp", 0, b'{"a": 1}', 0),
        Rename("/w/data.json.tmp", "/w/data.json", 1, replaced=2),
        Ack("saved"),
    ]
    assert result.initial == {"/w/data.json": 2}
    assert result.initial_content == {2: OLD}
    assert result.final == {"/w/data.json": b'{"a": 1}', "/w/data.json.tmp": None}
    assert result.gaps == []


def test_full_protocol_fsyncs_the_file_and_its_directory():
    assert lowered("protocol").ops == [
        Create("/w/data.json.tmp", 1),
        Write(1, "/w/data.json.tmp", 0, b'{"a": 1}', 0),
        Fsync("/w/data.json.tmp", 1),
        Rename("/w/data.json.tmp", "/w/data.json", 1, replaced=2),
        Fsync("/w", None),
        Ack("saved"),
    ]


def test_offsets_appends_dups_truncation_and_relative_paths_after_chdir():
    result = lowered("rawops")
    assert result.ops == [
        Create("/w/log", 1),
        Write(1, "/w/log", 0, b"one\n", 0),
        Write(1, "/w/log", 4, b"two\n", 4),  # O_APPEND
        Create("/w/blob", 2),
        Write(2, "/w/blob", 0, b"ab\x00\xffcd", 0),  # writev
        Write(2, "/w/blob", 1, b"ZZ", 6),  # pwrite
        Write(2, "/w/blob", 10, b"end", 6),  # after lseek, past the end
        Truncate(2, "/w/blob", 12, 13),
        Write(2, "/w/blob", 0, b"Q", 12),  # through the dup2'ed fd, after its lseek
        Fsync("/w/blob", 2, data_only=True),
        Mkdir("/w/sub"),
        Rename("/w/blob", "/w/sub/blob", 2, replaced=None),
        Unlink("/w/log", 1),
        Rename("/w/sub/blob", "/w/sub/blob2", 2, replaced=None),  # relative to the new cwd
        SyncAll(),
        Ack("done"),
    ]
    assert result.final["/w/sub/blob2"] == b"QZZ\xffcd\x00\x00\x00\x00en"
    assert result.final["/w/log"] is None


def test_in_place_overwrite_threads_and_a_child_process():
    result = lowered("threads")
    assert result.ops == [
        Truncate(1, "/w/data.json", 0, len(OLD)),
        Write(1, "/w/data.json", 0, b'{"a": 1}', 0),
        Create("/w/child.txt", 2),  # written by the child process
        Write(2, "/w/child.txt", 0, b"from child", 0),
        # Outside the watch roots, an O_CREAT open is taken to create the file (a FIFO here).
        Create("/s/fifo", 3),
        Write(3, "/s/fifo", 0, b"x", 0),
        Ack("joined"),
    ]


def test_sendfile_copies_the_bytes_the_source_holds():
    result = lowered("copy")
    payload = bytes(range(256)) * 2
    assert result.ops == [
        Create("/w/src.bin", 1),
        Write(1, "/w/src.bin", 0, payload, 0),
        Create("/w/dst.bin", 2),
        Write(2, "/w/dst.bin", 0, payload, 0),
        Ack("copied"),
    ]


def test_changes_name_the_paths_each_operation_touched():
    result = lowered("naive")
    assert result.changes == [
        frozenset({"/w/data.json.tmp"}), frozenset({"/w/data.json.tmp"}),
        frozenset({"/w/data.json.tmp", "/w/data.json"}), frozenset()]


def test_a_write_that_strace_cut_short_is_an_error():
    trace = ('1  openat(AT_FDCWD</w>, "f", O_WRONLY|O_CREAT, 0666) = 3</w/f>\n'
             '1  write(3</w/f>, "abc"..., 10) = 10\n')
    with pytest.raises(TraceError, match="max-write-bytes"):
        lower(parse_trace(trace), Snapshot(("/w",)), "/w")


def test_cut_writes_to_pipes_do_not_matter():
    trace = '1  write(5<pipe:[77]>, "abc"..., 10) = 10\n'
    assert lower(parse_trace(trace), Snapshot(("/w",)), "/w").ops == []


def test_a_write_through_an_fd_after_unlink_still_lands_on_its_inode():
    trace = ('1  openat(AT_FDCWD</w>, "gone", O_WRONLY|O_CREAT, 0644) = 3</w/gone>\n'
             '1  unlink("gone") = 0\n'
             '1  write(3</w/gone>(deleted), "hi", 2) = 2\n')
    assert lower(parse_trace(trace), Snapshot(("/w",)), "/w").ops == [
        Create("/w/gone", 1), Unlink("/w/gone", 1), Write(1, "(unlinked)", 0, b"hi", 0)]


def test_stdout_lines_split_across_writes_make_one_acknowledgement_each():
    trace = ('1  write(1</dev/pts/0>, "par", 3) = 3\n'
             '1  write(1</dev/pts/0>, "tial\\nsecond\\nthi", 15) = 15\n')
    assert lower(parse_trace(trace), Snapshot(("/w",)), "/w").ops == [
        Ack("partial"), Ack("second")]


def test_rename_exchange_is_reported_not_guessed():
    trace = ('1  renameat2(AT_FDCWD</w>, "a", AT_FDCWD</w>, "b", RENAME_EXCHANGE) = 0\n')
    result = lower(parse_trace(trace), Snapshot(("/w",), {"/w/a": b"A", "/w/b": b"B"}), "/w")
    assert result.ops == []
    assert result.gaps == ["line 1: RENAME_EXCHANGE is not modelled"]


def test_calls_we_do_not_model_are_reported_when_they_can_touch_a_watched_file():
    trace = ('1  linkat(AT_FDCWD</w>, "a", AT_FDCWD</w>, "b", 0) = 0\n'
             '1  link("/elsewhere/a", "/elsewhere/b") = 0\n')
    result = lower(parse_trace(trace), Snapshot(("/w",)), "/w")
    assert result.ops == []
    assert result.gaps == ["line 1: linkat is not modelled (its effect may be missing from the "
                           "crash states)"]


MAPS = ('1  openat(AT_FDCWD</w>, "/w/data.json", O_RDWR|O_CLOEXEC) = 3</w/data.json>\n'
        '1  openat(AT_FDCWD</w>, "/lib/libc.so.6", O_RDONLY|O_CLOEXEC) = 4</lib/libc.so.6>\n'
        '1  mmap(NULL, 8192, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_DENYWRITE, 4</lib/libc.so.6>,'
        ' 0) = 0x7f0000000000\n'
        '1  mmap(NULL, 4096, PROT_READ, MAP_SHARED, 3</w/data.json>, 0) = 0x7f0000010000\n'
        '1  mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE, 3</w/data.json>, 0) = 0x7f00002\n'
        '1  mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7f00003\n')


def test_only_a_shared_writable_mapping_of_a_watched_file_is_a_gap():
    snapshot = Snapshot(("/w",), {"/w/data.json": OLD})
    assert lower(parse_trace(MAPS), snapshot, "/w").gaps == []
    shared = ('1  mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3</w/data.json>, 0) = '
              '0x7f0000020000\n')
    assert lower(parse_trace(MAPS + shared), snapshot, "/w").gaps == [
        "line 7: /w/data.json is mapped shared and writable (mmap): writes through the mapping "
        "are not in the trace"]
    elsewhere = shared.replace("/w/data.json", "/tmp/scratch")
    assert lower(parse_trace(MAPS + elsewhere), snapshot, "/w").gaps == []


@pytest.mark.parametrize("line, gap", [
    ('1  openat(AT_FDCWD</w>, "data.json", O_WRONLY|O_DIRECT) = 3</w/data.json>\n',
     "line 1: /w/data.json is opened with O_DIRECT, which bypasses the page cache; its ordering "
     "is not modelled"),
    ('1  openat(AT_FDCWD</w>, "data.json", O_WRONLY) = 3</w/data.json>\n'
     '1  fcntl(3</w/data.json>, F_SETFL, O_WRONLY|O_DIRECT) = 0\n',
     "line 2: /w/data.json is switched to O_DIRECT, which bypasses the page cache; its "
     "ordering is not modelled"),
    ('1  io_uring_setup(8, {flags=0}) = 3<anon_inode:[io_uring]>\n',
     "line 1: io_uring_setup: asynchronous I/O is not traced, so its writes (if any touch "
     "watched files) are not seen"),
    ('1  openat(AT_FDCWD</w>, "data.json", O_WRONLY) = 3</w/data.json>\n'
     '1  splice(4<pipe:[1]>, NULL, 3</w/data.json>, NULL, 8, 0) = 8\n',
     "line 2: splice moves bytes through a pipe into /w/data.json: they are not in the trace"),
])
def test_mechanisms_the_trace_cannot_follow_on_a_watched_file_are_gaps(line, gap):
    snapshot = Snapshot(("/w",), {"/w/data.json": OLD})
    assert lower(parse_trace(line), snapshot, "/w").gaps == [gap]
    # The same on a file nobody watches is no gap (io_uring excepted: it names no file).
    if "io_uring" not in line:
        assert lower(parse_trace(line.replace("/w", "/x")), snapshot, "/w").gaps == []


def test_a_watched_file_changed_by_two_processes_is_a_gap_and_by_one_is_not():
    trace = ('100  openat(AT_FDCWD</w>, "data.json", O_WRONLY) = 3</w/data.json>\n'
             '100  write(3</w/data.json>, "ab", 2) = 2\n'
             '101  write(3</w/data.json>, "cd", 2) = 2\n')
    snapshot = Snapshot(("/w",), {"/w/data.json": OLD})
    assert lower(parse_trace(trace), snapshot, "/w").gaps == [
        "/w/data.json is changed by 2 threads or processes; other interleavings than the one "
        "traced are not explored"]
    assert lower(parse_trace(trace.replace("101 ", "100 ")), snapshot, "/w").gaps == []


def test_a_file_from_outside_the_roots_renamed_onto_a_watched_path_is_a_gap():
    trace = '1  rename("/elsewhere/backup", "/w/data.json") = 0\n'
    result = lower(parse_trace(trace), Snapshot(("/w",), {"/w/data.json": OLD}), "/w")
    assert result.ops == [Rename("/elsewhere/backup", "/w/data.json", 1, replaced=2)]
    assert result.gaps == ["line 1: /elsewhere/backup is renamed onto watched /w/data.json, but "
                           "it existed before the run outside the watch roots: its content is "
                           "unknown"]


def test_an_inherited_stdout_file_is_written_at_its_offset_or_appended_to():
    trace = ('1  write(1</w/log>, "x\\n", 2) = 2\n'
             '1  write(1</w/log>, "y\\n", 2) = 2\n')
    snapshot = Snapshot(("/w",), {"/w/log": b"old\n"})
    appended = lower(parse_trace(trace), snapshot, "/w", inherited={1: (0, True)})
    assert appended.final["/w/log"] == b"old\nx\ny\n"
    at_offset = lower(parse_trace(trace), snapshot, "/w", inherited={1: (2, False)})
    assert at_offset.final["/w/log"] == b"olx\ny\n"
    # Without it (a recorded trace), a description starts at offset 0.
    assert lower(parse_trace(trace), snapshot, "/w").final["/w/log"] == b"x\ny\n"
