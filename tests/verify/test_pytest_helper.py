"""The pytest helper's contract: what it passes, what it raises, what it refuses."""
from __future__ import annotations

import pytest

from lint_rules.verify.pytest_helper import assert_durable, verify_call

from . import writers


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "data.json"
    path.write_text('{"a": 0}\n')
    return path


@pytest.mark.strace
def test_a_durable_writer_passes_and_returns_the_verification(target):
    result = assert_durable(writers.full_protocol, str(target), {"a": 1}, watch=[target.parent])
    assert result.ok
    assert set(result.results) == {"posix", "ext4"}
    assert target.read_text() == '{"a": 1}'


@pytest.mark.strace
def test_a_writer_the_trace_cannot_see_fails_as_unverifiable(target):
    result = verify_call(writers.through_mmap, str(target), {"a": 1}, watch=[target.parent])
    assert result.unverifiable and not result.ok
    assert target.read_text() == '{"a": 1}'
    with pytest.raises(AssertionError) as failure:
        assert_durable(writers.through_mmap, str(target), {"a": 2}, watch=[target.parent])
    message = str(failure.value)
    assert "writers.through_mmap could not be verified" in message
    assert "is mapped shared and writable (mmap)" in message
    assert "verdict: UNVERIFIABLE" in message


@pytest.mark.strace
def test_keyword_arguments_reach_the_function(target):
    assert_durable(writers.full_protocol, path=str(target), obj=[1, 2], watch=[target],
                   model="ext4")
    assert target.read_text() == "[1, 2]"


@pytest.mark.strace
def test_a_writer_that_is_not_durable_fails_with_the_states_in_words(target):
    with pytest.raises(AssertionError) as failure:
        assert_durable(writers.naive, str(target), {"a": 1}, watch=[target.parent])
    message = str(failure.value)
    assert "writers.naive is not durable" in message
    assert f"{target} is empty" in message
    assert "print 'durable-writes verify: returned' (acknowledgement)" in message
    assert "verdict: NOT DURABLE under posix" in message


@pytest.mark.strace
def test_verify_call_reports_without_raising(target):
    result = verify_call(writers.no_directory_fsync, str(target), {"a": 1}, watch=[target],
                         model="posix")
    assert not result.ok
    assert set(result.results) == {"posix"}
    assert result.violations("posix") == {(str(target), "old", True)}


@pytest.mark.strace
def test_a_function_that_raises_is_an_error_not_a_verdict(target):
    with pytest.raises(RuntimeError, match="ValueError: cannot write"):
        verify_call(writers.failing, str(target), watch=[target])


def test_functions_a_child_cannot_import_are_refused(target):
    def local(path):
        writers.full_protocol(path, {})

    with pytest.raises(TypeError, match="module-level function"):
        verify_call(local, str(target), watch=[target])
    with pytest.raises(TypeError, match="module-level function"):
        verify_call(lambda: None, watch=[target])


def test_an_unknown_model_is_refused(target):
    with pytest.raises(ValueError, match="posix, ext4 or both"):
        verify_call(writers.full_protocol, str(target), {}, watch=[target], model="xfs")
