"""The fixture package, copied for each test, so that the summary cache is written in a
temporary directory and edits stay there."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lint_rules.engine import project

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "pkg", tmp_path / "pkg")
    monkeypatch.chdir(tmp_path)
    project.reset()
    yield tmp_path
    project.reset()
