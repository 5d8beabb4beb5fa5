"""`check` and `fix` under bad input: every per-file failure is reported with its path (and
line), the run goes on, and the exit status says so."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from lint_rules.cli import main
from lint_rules.files import DEFAULT_MAX_FILE_SIZE

WRITER = (Path(__file__).parent / "fix" / "cases" / "with_block.before.py").read_bytes()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml above: the default configuration
    (tmp_path / "small.py").write_bytes(WRITER)
    return tmp_path


def big_module(path: Path, size: int) -> None:
    """A valid module of about `size` bytes with a finding at its top."""
    padding = b"X = 1\n" * (size // 6)
    path.write_bytes(WRITER + padding)


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_file_over_the_size_limit_is_skipped_and_reported(project: Path, capsys,
                                                            command: str) -> None:
    big_module(project / "big.py", 20_000)
    size = (project / "big.py").stat().st_size
    code, out, err = run(capsys, command, "--max-file-size", "10000", "-j", "1", ".")
    assert code == 1
    where = "big.py:1:1: error" if command == "check" else "big.py: not fixed"
    assert f"{where}: skipped: {size:,} bytes is over the size limit of 10,000" in err
    assert b"fsync" not in (project / "big.py").read_bytes()[:len(WRITER)]
    if command == "check":
        assert "small.py:7:10: DUR101" in out
    else:
        assert b"os.fsync" in (project / "small.py").read_bytes()


def test_the_size_limit_comes_from_the_configuration(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text("[tool.durable-writes]\nmax-file-size = 10000\n")
    big_module(project / "big.py", 20_000)
    code, _, err = run(capsys, "check", "-j", "1", ".")
    assert code == 1 and "big.py:1:1: error: skipped:" in err
    code, _, err = run(capsys, "check", "--max-file-size", "100000", "-j", "1", "big.py")
    assert code == 1 and "skipped" not in err  # the command line wins; findings remain


def test_a_bad_configured_size_limit_is_a_usage_error(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.durable-writes]\nmax-file-size = "1MB"\n')
    code, _, err = run(capsys, "check", ".")
    assert code == 2 and "max-file-size must be a positive integer" in err


def test_the_default_size_limit_holds_an_ordinary_big_module(project: Path, capsys) -> None:
    big_module(project / "big.py", 2_000_000)
    assert os.path.getsize(project / "big.py") < DEFAULT_MAX_FILE_SIZE
    code, out, err = run(capsys, "check", "-q", "-j", "1", "big.py")
    assert code == 1 and "big.py:7:10: DUR101" in out and err == ""


def test_a_nul_byte_is_reported_on_its_own_line(project: Path, capsys) -> None:
    (project / "nul.py").write_bytes(b"import os\nos.fsync(1)  \x00\n")
    code, _, err = run(capsys, "check", "nul.py")
    assert code == 1
    assert "nul.py:2:14: error: cannot parse: source code string cannot contain null bytes" in err


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_symbolic_link_loop_on_the_command_line_is_called_one(
        project: Path, capsys, command: str) -> None:
    (project / "loop.py").symlink_to(project / "loop.py")
    (project / "dangling.py").symlink_to(project / "nowhere.py")
    code, _, err = run(capsys, command, "loop.py", "dangling.py")
    assert code == 2
    assert "loop.py: symbolic link loop" in err
    assert "dangling.py: broken symbolic link (to " in err


def test_a_fifo_named_on_the_command_line_does_not_hang_the_run(project: Path, capsys) -> None:
    os.mkfifo(project / "pipe.py")
    code, out, err = run(capsys, "check", "-j", "1", "pipe.py", "small.py")
    assert code == 1
    assert "pipe.py:1:1: error: skipped: not a regular file" in err
    assert "small.py:7:10: DUR101" in out


def test_an_internal_error_in_one_file_is_reported_and_the_run_goes_on(
        project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import lint_rules.runner

    real = lint_rules.runner.check_source

    def broken_for_one(data, path, config):
        if path.endswith("bad.py"):
            raise ValueError("simulated")
        return real(data, path, config)

    monkeypatch.setattr(lint_rules.runner, "check_source", broken_for_one)
    (project / "bad.py").write_bytes(WRITER)
    code, out, err = run(capsys, "check", "-j", "1", ".")
    assert code == 1
    assert "bad.py:1:1: error: internal error (ValueError: simulated)" in err
    assert "small.py:7:10: DUR101" in out


def test_a_symbolic_link_loop_found_in_a_walk_is_reported_as_one(project: Path, capsys) -> None:
    (project / "pkg").mkdir()
    (project / "pkg" / "loop.py").symlink_to(project / "pkg" / "loop.py")
    code, out, err = run(capsys, "check", "-j", "1", ".")
    assert code == 1
    assert "pkg/loop.py:1:1: error: cannot read: symbolic link loop" in err
    assert "small.py:7:10: DUR101" in out


PARENT = os.getpid()


def test_a_worker_that_dies_costs_no_result_and_no_traceback(
        project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import lint_rules.runner

    real = lint_rules.runner.check_source

    def dies_in_a_worker(data, path, config):
        if path.endswith("victim.py") and os.getpid() != PARENT:
            os._exit(9)  # as the kernel's out-of-memory killer would end it
        return real(data, path, config)

    monkeypatch.setattr(lint_rules.runner, "check_source", dies_in_a_worker)
    for n in range(lint_rules.runner.POOL_THRESHOLD + 10):
        (project / f"m{n:03}.py").write_bytes(WRITER)
    (project / "victim.py").write_bytes(WRITER)
    code, out, err = run(capsys, "check", "-j", "2", ".")
    assert code == 1
    assert "a worker process died" in err and "Traceback" not in err
    assert "victim.py:7:10: DUR101" in out
    assert out.count(": DUR101 ") == lint_rules.runner.POOL_THRESHOLD + 12  # small.py too


def test_ctrl_c_stops_the_run_without_a_traceback(
        project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import lint_rules.runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(lint_rules.runner, "check_paths", interrupted)
    code, out, err = run(capsys, "check", ".")
    assert (code, out) == (130, "")
    assert err == "durable-writes: interrupted\n"
