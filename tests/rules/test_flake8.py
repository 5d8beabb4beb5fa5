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
