"""The whole analysis on recorded traces, without running strace: which files are watched,
what old and new are, and the verdicts."""
from __future__ import annotations

import re
from pathlib import Path

from lint_rules.verify.check import analyse
from lint_rules.verify.snapshot import Snapshot

TRACES = Path(__file__).parent / "traces"
OLD = b'{"a": 0}\n'


def analysed(name: str, returncode: int = 0):
    trace = (TRACES / f"{name}.strace").read_text()
    return analyse(trace, Snapshot(("/w",), {"/w/data.json": OLD}), "/w", returncode,
                   models=("posix", "ext4"))


def test_the_recorded_protocol_is_durable_under_both_models():
    result = analysed("protocol")
    assert result.watched == ["/w/data.json"]
    assert result.old == {"/w/data.json": OLD} and result.new == {"/w/data.json": b'{"a": 1}'}
    assert result.ok


def test_the_recorded_naive_writer_is_not():
    result = analysed("naive")
    assert result.violations("ext4") == {("data.json", "old", True)}
    assert ("data.json", "empty", False) in result.violations("posix")


def test_temporary_and_deleted_files_are_not_watched():
    # log was created and unlinked, blob renamed away: only sub/blob2 is left.
    result = analysed("rawops")
    assert result.watched == ["/w/sub/blob2"]
    assert result.new == {"/w/sub/blob2": b"QZZ\xffcd\x00\x00\x00\x00en"}


def test_fdatasync_then_sync_before_the_acknowledgement_leave_only_missing_or_new():
    result = analysed("rawops")
    assert result.ok
    for model in ("posix", "ext4"):
        file = result.results[model].files["/w/sub/blob2"]
        seen = {(f.kind, f.acknowledged is not None) for v in file.verdicts for f in v.files}
        # The data was fdatasync'ed before the renames; until sync(), the new directory or
        # the renames can be lost, and the file did not exist before: missing is no violation.
        assert seen == {("missing", False), ("new", False), ("new", True)}


def test_content_the_trace_explains_is_verified():
    after = Snapshot(("/w",), {"/w/data.json": b'{"a": 1}'})
    result = analyse((TRACES / "protocol.strace").read_text(),
                     Snapshot(("/w",), {"/w/data.json": OLD}), "/w", after=after)
    assert result.gaps == [] and not result.unverifiable and result.ok


def test_content_the_trace_does_not_explain_makes_the_run_unverifiable():
    # The traced protocol writes {"a": 1}; the disk says otherwise, and a file nobody traced
    # appeared: both written by something the trace does not show.
    after = Snapshot(("/w",), {"/w/data.json": b'{"a": 2}', "/w/other": b"x"})
    result = analyse((TRACES / "protocol.strace").read_text(),
                     Snapshot(("/w",), {"/w/data.json": OLD}), "/w", after=after)
    assert result.unverifiable and not result.ok
    assert result.gaps == [
        "data.json: what it holds after the run (8 bytes) is not what the traced operations "
        "produce (8 bytes): written through mmap, or by a process outside the trace?",
        "other: what it holds after the run (1 bytes) is not what the traced operations "
        "produce (missing): written through mmap, or by a process outside the trace?"]
    # The states of the traced operations are still enumerated, and said to be only that.
    assert not result.results["posix"].violating
    assert "verdict: UNVERIFIABLE" in result.report()


def test_a_failed_run_has_no_exit_acknowledgement():
    result = analysed("naive", returncode=1)
    assert result.ops[-1].text == "saved"
    assert "exited with status 1" in result.warnings[0]


def test_every_crash_point_counts_each_distinct_state_once():
    result = analysed("naive")
    file = result.results["posix"].files["/w/data.json"]
    keys = [(v.state.persisted, v.files[0].acknowledged is not None) for v in file.verdicts]
    assert len(keys) == len(set(keys)) == 16


def many_writes_trace(writes: int, size: int) -> str:
    lines = ['1  openat(AT_FDCWD</w>, "data.json.tmp", O_WRONLY|O_CREAT|O_TRUNC, 0666) = '
             '3</w/data.json.tmp>']
    lines += [f'1  write(3</w/data.json.tmp>, "{"x" * size}", {size}) = {size}'] * writes
    lines += ['1  rename("data.json.tmp", "data.json") = 0',
              '1  write(1</dev/pts/0>, "saved\\n", 6) = 6']
    return "\n".join(lines) + "\n"


def test_a_state_of_many_operations_is_listed_with_a_count():
    result = analyse(many_writes_trace(20, 3), Snapshot(("/w",), {"/w/data.json": OLD}), "/w")
    report = result.report(limit=1)
    lost = next(line for line in report.splitlines() if line.strip().startswith("lost:"))
    assert lost.count("; #") == 11  # twelve operations named, then a count of the rest
    assert re.search(r"; \.\.\. and \d+ more operations$", lost)


def test_a_write_of_many_pages_is_listed_with_a_count():
    result = analyse(many_writes_trace(1, 5 * 4096), Snapshot(("/w",), {"/w/data.json": OLD}),
                     "/w")
    report = result.report()
    assert "#1 write 20480 bytes at offset 0 to data.json.tmp [size, 5 of its 5 data pages]" \
        in report
