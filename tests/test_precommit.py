"""The pre-commit hooks, run by the real pre-commit against this repository as a hook repo.

pre-commit installs a hook repository at a revision, so the hooks tested are those of the
commit checked out (HEAD; uncommitted changes are not part of it): a temporary clone at HEAD
is the hook repo, and a scratch git repository is the user's project. Installing the hook
environment reaches the package index (pip installs this project and its dependencies); it
happens once per test session, in a session-wide PRE_COMMIT_HOME.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES_DIR = ROOT / "tests" / "fix" / "cases"
BAD = (CASES_DIR / "with_block.before.py").read_text()
FIXED = (CASES_DIR / "with_block.after.py").read_text()


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """(a clone of this checkout at HEAD, its revision, the session's PRE_COMMIT_HOME)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("the pre-commit tests need git and a git checkout of this repository")
    base = tmp_path_factory.mktemp("pre-commit")
    clone = base / "hook-repo"
    git(base, "clone", "--quiet", str(ROOT), str(clone))
    git(clone, "checkout", "--quiet", git(ROOT, "rev-parse", "HEAD"))
    return clone, git(clone, "rev-parse", "HEAD"), base / "home"


@pytest.fixture
def project(tmp_path: Path, hook_repo: tuple[Path, str, Path]) -> Path:
    """A scratch git repository whose .pre-commit-config.yaml uses both hooks."""
    clone, rev, _ = hook_repo
    git(tmp_path, "init", "--quiet")
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone}\n    rev: {rev}\n    hooks:\n"
        "      - id: durable-writes\n      - id: durable-writes-fix\n")
    return tmp_path


def pre_commit(project: Path, hook_repo: tuple[Path, str, Path], hook: str,
               *files: str) -> subprocess.CompletedProcess[str]:
    git(project, "add", "--all")
    env = {**os.environ, "PRE_COMMIT_HOME": str(hook_repo[2])}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never", hook, "--files", *files],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )


def test_the_check_hook_fails_on_a_writer_that_is_not_durable(project, hook_repo) -> None:
    (project / "store.py").write_text(BAD)
    result = pre_commit(project, hook_repo, "durable-writes", "store.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "store.py:7:10: DUR101 " in result.stdout
    assert "store.py:9:5: DUR102 " in result.stdout
    assert (project / "store.py").read_text() == BAD


def test_the_check_hook_passes_a_durable_writer(project, hook_repo) -> None:
    (project / "store.py").write_text(FIXED)
    result = pre_commit(project, hook_repo, "durable-writes", "store.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_the_fix_hook_rewrites_the_file(project, hook_repo) -> None:
    (project / "store.py").write_text(BAD)
    (project / "notes.txt").write_text(BAD)  # not Python: the hook never sees it
    result = pre_commit(project, hook_repo, "durable-writes-fix", "store.py", "notes.txt")
    # pre-commit fails a hook that modified files, so that the user reviews the change.
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert (project / "store.py").read_text() == FIXED
    assert (project / "notes.txt").read_text() == BAD
    again = pre_commit(project, hook_repo, "durable-writes-fix", "store.py")
    assert again.returncode == 0, again.stdout + again.stderr


def test_the_hooks_keep_the_projects_excludes(project, hook_repo) -> None:
    (project / "pyproject.toml").write_text('[tool.durable-writes]\nexclude = ["vendor"]\n')
    (project / "vendor").mkdir()
    (project / "vendor" / "lib.py").write_text(BAD)
    (project / "store.py").write_text(FIXED)
    # pre-commit names each file; the hooks still leave out what the project excludes.
    for hook in ("durable-writes", "durable-writes-fix"):
        result = pre_commit(project, hook_repo, hook, "vendor/lib.py", "store.py")
        assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "vendor" / "lib.py").read_text() == BAD
