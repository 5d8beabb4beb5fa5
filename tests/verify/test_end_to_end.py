"""`durable-writes verify` for real: the writers of writers.py run under strace, through the
pytest helper, and the exact violations under each model are asserted.

A violation is written (path, kind, after the acknowledgement); the acknowledgement is the
writer's return.  They run under strace (marker `strace`): skipped where it is missing, a
failure in CI (CI=true; .ci/run installs it).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from lint_rules.verify.pytest_helper import verify_call

from . import writers

pytestmark = pytest.mark.strace

OLD = b'{"a": 0}\n'


def violations(writer, tmp_path: Path, existing: bool = True):
    target = tmp_path / "data.json"
    if existing:
        target.write_bytes(OLD)
    result = verify_call(writer, str(target), {"a": 1}, watch=[tmp_path], model="both")
    assert target.read_bytes() == b'{"a": 1}'
    assert result.watched == [str(target)]
    assert result.warnings == [] and result.gaps == []
    path = str(target)
    return ({(p, kind, after) for p, kind, after in result.violations("posix") if p == path},
            {(p, kind, after) for p, kind, after in result.violations("ext4") if p == path},
            path)


def test_naive_writer(tmp_path):
    posix, ext4, path = violations(writers.naive, tmp_path)
    assert posix == {(path, "empty", False), (path, "torn", False),
                     (path, "empty", True), (path, "torn", True), (path, "old", True)}
    # ext4 replaces an existing file only with its data (auto_da_alloc); the rename itself can
    # still be lost after the writer returned.
    assert ext4 == {(path, "old", True)}


def test_fsync_without_flush(tmp_path):
    posix, ext4, path = violations(writers.fsync_without_flush, tmp_path)
    assert posix == {(path, "empty", False), (path, "torn", False),
                     (path, "empty", True), (path, "torn", True)}
    # The directory fsync commits the rename, and a rename over an existing file waits for
    # its data: ext4 hides this bug when the destination exists...
    assert ext4 == set()


def test_fsync_without_flush_to_a_new_file(tmp_path):
    posix, ext4, path = violations(writers.fsync_without_flush, tmp_path, existing=False)
    assert posix == {(path, "empty", False), (path, "torn", False),
                     (path, "empty", True), (path, "torn", True)}
    # ...and not when it does not: the committed rename names a file whose data is delayed.
    assert ext4 == {(path, "empty", False), (path, "empty", True)}


def test_file_fsync_without_directory_fsync(tmp_path):
    posix, ext4, path = violations(writers.no_directory_fsync, tmp_path)
    assert posix == {(path, "old", True)}
    assert ext4 == {(path, "old", True)}


def test_full_protocol(tmp_path):
    posix, ext4, _ = violations(writers.full_protocol, tmp_path)
    assert posix == set()
    assert ext4 == set()


def test_in_place_overwrite(tmp_path):
    posix, ext4, path = violations(writers.in_place, tmp_path)
    assert posix == {(path, "empty", False), (path, "torn", False),
                     (path, "empty", True), (path, "torn", True), (path, "old", True)}
    # The truncate is journaled ahead of the delayed data: empty, but never torn.
    assert ext4 == {(path, "empty", False), (path, "empty", True), (path, "old", True)}


def test_states_are_enumerated_exhaustively_for_small_writers(tmp_path):
    (tmp_path / "data.json").write_bytes(OLD)
    result = verify_call(writers.naive, str(tmp_path / "data.json"), {"a": 1},
                         watch=[tmp_path], model="both")
    assert all(r.exhaustive for r in result.results.values())


def test_the_temporary_file_is_not_watched(tmp_path):
    (tmp_path / "data.json").write_bytes(OLD)
    result = verify_call(writers.full_protocol, str(tmp_path / "data.json"), {"a": 1},
                         watch=[tmp_path], model="posix")
    assert result.watched == [str(tmp_path / "data.json")]
    assert result.old == {str(tmp_path / "data.json"): OLD}
    assert result.new == {str(tmp_path / "data.json"): b'{"a": 1}'}


def test_each_watched_file_is_judged_on_its_own(tmp_path):
    durable, naive = tmp_path / "durable.json", tmp_path / "naive.json"
    for path in (durable, naive):
        path.write_bytes(OLD)
    result = verify_call(writers.two_files, str(durable), str(naive), watch=[tmp_path],
                         model="posix")
    assert result.watched == [str(durable), str(naive)]
    assert {path for path, _, _ in result.violations("posix")} == {str(naive)}


@pytest.mark.parametrize("model", ["posix", "ext4"])
def test_every_crash_state_is_judged_against_old_and_new(tmp_path, model):
    (tmp_path / "data.json").write_bytes(OLD)
    result = verify_call(writers.full_protocol, str(tmp_path / "data.json"), {"a": 1},
                         watch=[tmp_path], model=model)
    kinds = {f.kind for verdict in result.results[model].verdicts for f in verdict.files}
    assert kinds == {"old", "new"}
