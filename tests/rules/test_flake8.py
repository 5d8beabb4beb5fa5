"""The flake8 face, run for real: the entry point is registered by the (editable) install and
the plugin's own options reach the engine."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lint_rules.engine.catalog import DUR101, DUR102

SOURCE = """\
import json
import os

import mylib


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
    mylib.fsync_path(tmp)
    os.replace(tmp, path)
"""


def flake8(tmp_path: Path, *options: str) -> tuple[int, list[str]]:
    target = tmp_path / "state.py"
    target.write_text(SOURCE)
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "DUR", "--isolated", *options, str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.stderr == ""
    return result.returncode, result.stdout.splitlines()


def test_flake8_reports_through_the_registered_entry_point(tmp_path: Path) -> None:
    target = tmp_path / "state.py"
    # flake8 shows 1-based columns: `open` starts at offset 9, `os.replace` at 4.
    assert flake8(tmp_path) == (
        1,
        [
            f"{target}:9:10: DUR101 {DUR101.message}",
            f"{target}:12:5: DUR102 {DUR102.message}",
        ],
    )


@pytest.mark.parametrize("spelling", ["--durable-file-sync-helpers=mylib.fsync_path",
                                      "--durable-file-sync-helpers=other.sync, mylib.fsync_path"])
def test_flake8_option_names_a_file_sync_helper(tmp_path: Path, spelling: str) -> None:
    target = tmp_path / "state.py"
    assert flake8(tmp_path, spelling) == (1, [f"{target}:12:5: DUR102 {DUR102.message}"])


# -- one configuration: the pyproject.toml nearest to each file, flake8's options on top ---

def run_flake8(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    # Not --isolated: flake8 reads no setup.cfg here anyway, and pyproject.toml is ours.
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "DUR", *args],
        capture_output=True, text=True, cwd=cwd, timeout=120, input=stdin,
    )


def project(root: Path, table: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f"[tool.durable-writes]\n{table}\n")
    (root / "state.py").write_text(SOURCE)
    return root / "state.py"


def test_flake8_reads_the_sync_helpers_of_the_pyproject(tmp_path: Path) -> None:
    project(tmp_path, 'durable-file-sync-helpers = ["mylib.fsync_path"]')
    result = run_flake8(tmp_path, "state.py")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [f"state.py:12:5: DUR102 {DUR102.message}"]


def test_flake8_options_override_the_pyproject(tmp_path: Path) -> None:
    project(tmp_path, 'durable-file-sync-helpers = ["mylib.fsync_path"]')
    # The option replaces the configured list: mylib.fsync_path is no longer a sync helper.
    result = run_flake8(tmp_path, "--durable-file-sync-helpers=other.sync", "state.py")
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["DUR101", "DUR102"]


def test_flake8_finds_the_configuration_per_file(tmp_path: Path) -> None:
    project(tmp_path / "a", 'ignore = ["DUR102"]')
    project(tmp_path / "b", 'durable-file-sync-helpers = ["mylib.fsync_path"]')
    # Run from a directory with no configuration: each file's own pyproject applies.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_flake8(elsewhere, "-j", "1", "../a/state.py", "../b/state.py")
    assert result.stdout.splitlines() == [
        f"../a/state.py:9:10: DUR101 {DUR101.message}",
        f"../b/state.py:12:5: DUR102 {DUR102.message}",
    ]


def test_flake8_stdin_is_configured_by_its_display_name(tmp_path: Path) -> None:
    project(tmp_path / "a", 'ignore = ["DUR101"]')
    result = run_flake8(tmp_path, "--stdin-display-name", "a/new.py", "-", stdin=SOURCE)
    assert result.stdout.splitlines() == [f"a/new.py:12:5: DUR102 {DUR102.message}"]


@pytest.mark.parametrize("table, message", [
    ('select = ["DUR9"]', "unknown rule selector(s) in "),
    ("selct = []", "unknown key(s) in "),
])
def test_flake8_reports_a_bad_configuration_without_a_traceback(tmp_path: Path, table: str,
                                                                message: str) -> None:
    project(tmp_path, table)
    result = run_flake8(tmp_path, "state.py")
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert message in result.stdout
    assert "state.py: " in result.stdout  # flake8 names the file it was checking


def test_flake8_reports_a_misspelt_table(tmp_path: Path) -> None:
    tmp_path.joinpath("pyproject.toml").write_text("[tool.durable_writes]\n")
    tmp_path.joinpath("state.py").write_text(SOURCE)
    result = run_flake8(tmp_path, "state.py")
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "did you mean [tool.durable-writes]?" in result.stdout


@pytest.mark.parametrize("comment, codes", [
    ("# durable-writes: noqa", []),
    ("# durable-writes: noqa: DUR102", ["DUR101"]),
    ("# flake8: noqa", []),
])
def test_flake8_honours_file_level_noqa(tmp_path: Path, comment: str, codes: list[str]) -> None:
    tmp_path.joinpath("state.py").write_text(f"{comment}\n{SOURCE}")
    result = run_flake8(tmp_path, "--isolated", "state.py")
    assert [line.split()[1] for line in result.stdout.splitlines()] == codes
