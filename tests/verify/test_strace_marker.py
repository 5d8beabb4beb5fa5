"""The `strace` marker (tests/conftest.py), in a pytest run of its own with a PATH we choose:
skipped with its reason by hand, a failure in CI, run where strace is found."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

TESTS = """
import pytest

@pytest.mark.strace
def test_needs_strace():
    pass

def test_does_not():
    pass
"""


def run_pytest(tmp_path: Path, with_strace: bool, ci: str | None) -> subprocess.CompletedProcess:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(CONFTEST, project / "conftest.py")
    (project / "pytest.ini").write_text("[pytest]\n")
    (project / "test_marked.py").write_text(TESTS)
    bin_dir = tmp_path / "bin"  # the whole PATH: nothing on it, or a stand-in strace
    bin_dir.mkdir()
    if with_strace:
        fake = bin_dir / "strace"
        fake.write_text("#!/bin/sh\nexit 0\n")
        fake.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PATH"] = str(bin_dir)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider",
                           str(project)], cwd=project, env=env, capture_output=True, text=True)


def test_without_strace_by_hand_the_test_is_skipped_with_the_reason(tmp_path):
    result = run_pytest(tmp_path, with_strace=False, ci=None)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED [1]")]
    assert len(skipped) == 1
    assert skipped[0].endswith(": strace is not on PATH (install it with `apt-get install "
                               "strace`); in CI (CI=true) this is a failure")


@pytest.mark.parametrize("ci", ["true", "TRUE", "1"])
def test_without_strace_in_ci_the_test_fails(tmp_path, ci):
    result = run_pytest(tmp_path, with_strace=False, ci=ci)
    assert result.returncode == 1
    assert "1 passed, 1 error" in result.stdout
    assert ("strace is not on PATH, and CI=true: CI must run this test; install it with "
            "`apt-get install strace`") in result.stdout


@pytest.mark.parametrize("ci", [None, "true", "false"])
def test_with_strace_the_test_runs(tmp_path, ci):
    result = run_pytest(tmp_path, with_strace=True, ci=ci)
    assert result.returncode == 0, result.stdout
    assert "2 passed" in result.stdout


def test_ci_false_is_not_ci(tmp_path):
    result = run_pytest(tmp_path, with_strace=False, ci="false")
    assert result.returncode == 0
    assert "1 passed, 1 skipped" in result.stdout
