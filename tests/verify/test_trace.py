"""The strace parser, on recorded traces (tests/verify/traces/, see record_traces.py) and on
small hand-written lines for the shapes a recording cannot produce on demand."""
from __future__ import annotations

from pathlib import Path

import pytest

from lint_rules.verify.trace import (FdRef, TraceError, decode_c_string, fd_arg, flags_arg,
                                     iovec_data, is_cut_off, iter_calls, parse_call, parse_trace,
                                     path_arg, result_fd)

TRACES = Path(__file__).parent / "traces"


def calls(name: str):
    return parse_trace((TRACES / f"{name}.strace").read_text())


def test_every_line_of_a_single_threaded_trace_is_one_call():
    parsed = calls("naive")
    assert [c.name for c in parsed] == [
        "openat", "close", "openat", "lseek", "lseek", "write", "close", "rename", "write",
        "write"]
    assert [c.line for c in parsed] == list(range(1, 11))
    assert len({c.pid for c in parsed}) == 1


def test_openat_arguments_and_result_decode():
    create = calls("naive")[2]
    dirfd, path, flags, mode = create.args
    assert fd_arg(dirfd) == FdRef(None, "/w")
    assert path_arg(path) == "data.json.tmp"
    assert flags_arg(flags) == {"O_WRONLY", "O_CREAT", "O_TRUNC", "O_CLOEXEC"}
    assert mode == "0666"
    assert result_fd(create.result) == FdRef(3, "/w/data.json.tmp")
    assert create.ok


def test_write_buffers_decode_to_the_bytes_written():
    write = calls("naive")[5]
    assert fd_arg(write.args[0]) == FdRef(3, "/w/data.json.tmp")
    assert decode_c_string(write.args[1]) == b'{"a": 1}'
    assert write.result == "8"


def test_binary_data_survives_and_iovecs_concatenate():
    writev = next(c for c in calls("rawops") if c.name == "writev")
    assert iovec_data(writev.args[1]) == (b"ab\x00\xffcd", False)
    copy = next(c for c in calls("copy") if c.name == "write")
    assert decode_c_string(copy.args[1]) == bytes(range(256)) * 2


def test_failed_calls_are_kept_but_not_ok():
    seeks = [c for c in calls("threads") if c.name == "lseek" and "fifo" in fd_arg(c.args[0]).path]
    assert seeks and all(not c.ok for c in seeks)
    assert all(c.result.startswith("-1 ESPIPE") for c in seeks)


def test_unfinished_calls_are_joined_at_the_line_where_they_resume():
    parsed = calls("threads")
    (blocked,) = [c for c in parsed if c.name == "openat" and "O_WRONLY" in c.args[2]
                  and path_arg(c.args[1]) == "/s/fifo"]
    assert result_fd(blocked.result) == FdRef(4, "/s/fifo")
    reader = next(c for c in parsed if c.name == "openat" and "O_RDONLY" in c.args[2]
                  and path_arg(c.args[1]) == "/s/fifo")
    # The writer's open returned only once the reader's open had: that is the order we keep.
    assert parsed.index(reader) < parsed.index(blocked)
    (write,) = [c for c in parsed if c.name == "write" and fd_arg(c.args[0]).path == "/s/fifo"]
    assert decode_c_string(write.args[1]) == b"x" and write.result == "1"


def test_several_processes_keep_their_pids():
    parsed = calls("threads")
    child = [c for c in parsed if c.name == "openat" and path_arg(c.args[1]) == "child.txt"]
    main = [c for c in parsed if c.name == "openat" and path_arg(c.args[1]) == "data.json"]
    assert child[0].pid != main[0].pid
    thread = [c for c in parsed if c.name == "write" and fd_arg(c.args[0]).fd == 4]
    assert len({child[0].pid, main[0].pid, thread[0].pid}) == 3


def test_pointer_offsets_with_an_arrow_do_not_end_the_arguments():
    sendfile = next(c for c in calls("copy") if c.name == "sendfile")
    assert sendfile.args[2:] == ("[0] => [512]", "8388608")
    assert sendfile.result == "512"


def test_bracketed_pid_prefix_and_plain_escapes():
    text = ('[pid  4242] write(3</tmp/a\\74b\\76>, "q\\"uote\\\\ \\n\\t\\0end", 13) = 13\n'
            '4243  +++ exited with 0 +++\n'
            '--- SIGCHLD {si_signo=SIGCHLD} ---\n')
    (call,) = parse_trace(text)
    assert call.pid == 4242
    assert fd_arg(call.args[0]) == FdRef(3, "/tmp/a<b>")
    assert decode_c_string(call.args[1]) == b'q"uote\\ \n\t\x00end'


def test_a_resumed_call_without_its_start_is_dropped():
    text = ('100  <... fsync resumed>) = 0\n'
            '100  fsync(3</a> <unfinished ...>\n'
            '101  close(4</b>) = 0\n'
            '100  <... fsync resumed>) = 0\n')
    assert [(c.pid, c.name, c.args) for c in parse_trace(text)] == [
        (101, "close", ("4</b>",)), (100, "fsync", ("3</a>",))]


def test_deleted_files_and_cut_strings_are_recognised():
    assert fd_arg("3</w/gone>(deleted)") == FdRef(3, "/w/gone", deleted=True)
    assert fd_arg("3</w/gone (deleted)>") == FdRef(3, "/w/gone", deleted=True)
    assert is_cut_off('"abc"...') and not is_cut_off('"abc"')
    assert decode_c_string('"abc"...') == b"abc"


def test_lines_that_are_not_calls_are_ignored():
    assert parse_call("exit_group(0) = ?") is not None
    assert parse_call("strace: Process 1 attached") is None
    assert parse_call("write(1, ") is None


def test_malformed_arguments_raise_trace_errors():
    with pytest.raises(TraceError):
        decode_c_string("NULL")
    with pytest.raises(TraceError):
        fd_arg("AT_SOMETHING")


def test_a_trace_read_from_a_file_parses_as_its_text_does(tmp_path):
    text = (TRACES / "naive.strace").read_text()
    (tmp_path / "trace").write_text(text)
    with open(tmp_path / "trace") as lines:  # lines keep their "\n", as strace writes them
        assert list(iter_calls(lines)) == parse_trace(text)


def test_a_hex_string_is_decoded_whole_and_a_cut_one_without_its_dots():
    data = bytes(range(256)) * 64
    quoted = '"' + "".join(f"\\x{b:02x}" for b in data) + '"'
    assert decode_c_string(quoted) == data
    assert decode_c_string(quoted + "...") == data and is_cut_off(quoted + "...")
    assert decode_c_string('"\\x41\\\\x42"') == b"A\\x42"  # an escaped backslash is no escape
