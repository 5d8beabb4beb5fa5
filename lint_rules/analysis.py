"""ast -> findings.  (Being written: stub returns nothing.)"""
from __future__ import annotations

import ast

from lint_rules.config import Config
from lint_rules.findings import Finding, ModuleSupport


def analyze(tree: ast.Module, config: Config, source: str | None = None) -> tuple[list[Finding], ModuleSupport]:
    return [], ModuleSupport()
