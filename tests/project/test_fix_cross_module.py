"""`durable-writes fix` on the fixture package, whose findings come from other modules'
helpers: every fix goes in the caller, and the fixer's guarantees hold."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lint_rules import cli
from lint_rules.engine import project

from .test_cross_module import BROKEN, check, expected

HELPERS = ("pkg/__init__.py", "pkg/fileops.py", "pkg/fsutil.py", "pkg/midway.py",
           "pkg/wrappers.py", "pkg/cycle_a.py", "pkg/cycle_b.py")


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted((root / "pkg").rglob("*.py"))}


def signatures(source: bytes) -> dict[str, str]:
    """Each function's qualified name -> its parameters, as the tree spells them."""
    found = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    found[name] = ast.dump(child.args) + ast.dump(ast.Tuple(
                        child.decorator_list, ast.Load())) + ast.dump(child.returns or ast.Pass())
                visit(child, name + ".")
    visit(ast.parse(source), "")
    return found


def fix(capsys: pytest.CaptureFixture[str]) -> str:
    project.reset()
    cli.main(["fix", "pkg"])
    return capsys.readouterr().out


def test_fix_puts_every_cross_module_fix_in_the_caller(root: Path, capsys) -> None:
    before = snapshot(root)
    assert expected(root)  # there is something to fix
    fix(capsys)
    after = snapshot(root)
    changed = {path for path in before if after[path] != before[path]}
    # Every caller with an expected finding changed; no helper module did.
    assert changed == {path for path, _, _ in expected(root)}
    assert not changed & set(HELPERS)
    for path in changed:
        compile(after[path], path, "exec")
        old, new = signatures(before[path]), signatures(after[path])
        assert {name: new[name] for name in old} == old  # added helpers only, none changed
    findings, errors = check(capsys)
    assert findings == set()
    assert errors == [f"{BROKEN}:5:19: error: cannot parse: expected ':'"]
    fix(capsys)
    assert snapshot(root) == after
