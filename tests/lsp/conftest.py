from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project of its own, so the repository's pyproject.toml is not the one found."""
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[tool.durable-writes]\n")
    return root
