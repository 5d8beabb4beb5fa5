"""Deep code through every face: what CPython compiles is checked and fixed, what it does not
is reported as an error of that file, and no face shows a traceback."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from lint_rules import flake8_plugin
from lint_rules.cli import main
from lint_rules.config import Config
from lint_rules.engine.checker import check_source
from lint_rules.fixer.command import run
from lint_rules.fixer.transform import fix_source

from .pairs import CASES_DIR

WRITER = (CASES_DIR / "with_block.before.py").read_text()
WRITE_AND_RENAME = ("    with open(path + '.tmp', 'w') as fh:\n        fh.write(str(y))\n"
                    "    os.replace(path + '.tmp', path)\n")


def with_writer(body: str) -> str:
    """A module whose function `nested` holds `body` and a non-durable write."""
    return f"{WRITER}\n\ndef nested(path, x):\n{body}{WRITE_AND_RENAME}"


def plus(terms: int) -> str:
    return f"    y = {' + '.join(['1'] * terms)}\n"


def elifs(count: int) -> str:
    branches = "".join(f"    elif x == {i}:\n        y = {i}\n" for i in range(count))
    return f"    if x:\n        y = -1\n{branches}    else:\n        y = 0\n"


def calls(depth: int) -> str:
    return f"    y = {'f(' * depth}1{')' * depth}\n"


COMPILED = {"400 chained +": with_writer(plus(400)), "400 elifs": with_writer(elifs(400)),
            "190 nested calls": with_writer(calls(190))}
TOO_DEEP = {"3000 chained +": with_writer(plus(3000)), "3000 elifs": with_writer(elifs(3000))}


@pytest.mark.parametrize("source", COMPILED.values(), ids=COMPILED.keys())
def test_fix_handles_what_cpython_compiles(tmp_path: Path, source: str, capsys) -> None:
    compile(source, "deep.py", "exec")  # the premise
    target = tmp_path / "deep.py"
    target.write_text(source)
    assert run([str(target)], Config(), diff=False, check=False, jobs=1) == 0
    fixed = target.read_text()
    assert fixed != source
    compile(fixed, "deep.py", "exec")
    assert [f.code for f in check_source(fixed.encode(), "deep.py", Config()).findings] == []
    assert "fixed 4 finding(s) in 1 file(s)" in capsys.readouterr().err
    assert run([str(target)], Config(), diff=False, check=True, jobs=1) == 0


@pytest.mark.parametrize("source", TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_check_reports_what_python_cannot_parse_and_goes_on(
        tmp_path: Path, source: str, capsys) -> None:
    (tmp_path / "deep.py").write_text(source)
    (tmp_path / "plain.py").write_text(WRITER)
    assert main(["check", "-j", "1", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert f"{tmp_path / 'deep.py'}:1:1: error: cannot parse: nested too deeply" in captured.err
    assert f"{tmp_path / 'plain.py'}:7:10: DUR101" in captured.out
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("source", TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_fix_reports_what_python_cannot_parse(tmp_path: Path, source: str, capsys) -> None:
    target = tmp_path / "deep.py"
    target.write_text(source)
    assert main(["fix", "-j", "1", str(target)]) == 1
    assert target.read_text() == source
    assert f"{target}:1:1: not fixed: cannot parse: nested too deeply" in capsys.readouterr().err


@pytest.mark.parametrize("source", COMPILED.values(), ids=COMPILED.keys())
def test_flake8_plugin_analyses_deep_code(source: str) -> None:
    tree = ast.parse(source)
    checker = flake8_plugin.DurableWritesChecker(tree, source.splitlines(True), "deep.py")
    codes = sorted(message.split()[0] for _, _, message, _ in checker.run())
    assert codes == ["DUR101", "DUR101", "DUR102", "DUR102"]


def test_flake8_plugin_retries_with_a_large_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    # An analysis that needs more frames than the default allows (as a deeper tree walk would).
    real_analyze = flake8_plugin.analyze

    def needs_depth(*args):
        if sys.getrecursionlimit() < 10_000:
            raise RecursionError("maximum recursion depth exceeded")
        return real_analyze(*args)

    monkeypatch.setattr(flake8_plugin, "analyze", needs_depth)
    source = COMPILED["400 chained +"]
    checker = flake8_plugin.DurableWritesChecker(ast.parse(source), source.splitlines(True))
    assert len(list(checker.run())) == 4


def test_flake8_plugin_says_when_it_cannot_analyse(
        monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    def always_too_deep(*args):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(flake8_plugin, "analyze", always_too_deep)
    source = COMPILED["400 elifs"]
    checker = flake8_plugin.DurableWritesChecker(ast.parse(source), source.splitlines(True),
                                                 "deep.py")
    assert list(checker.run()) == []
    assert "deep.py: flake8-durable-writes: not analysed: nested too deeply" in (
        capsys.readouterr().err)


@pytest.fixture
def codemod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from libcst.codemod import CodemodContext

    from lint_rules.codemods.durable_writes import DurableWritesCommand

    monkeypatch.chdir(tmp_path)  # no pyproject.toml above: the default configuration
    return DurableWritesCommand(CodemodContext(filename="deep.py"))


@pytest.mark.parametrize("source", COMPILED.values(), ids=COMPILED.keys())
def test_codemod_fixes_deep_code(codemod, source: str) -> None:
    from libcst.codemod import TransformSuccess, transform_module

    result = transform_module(codemod, source)
    assert isinstance(result, TransformSuccess), getattr(result, "error", result)
    assert result.code == fix_source(source.encode(), "deep.py").decode() != source


@pytest.mark.parametrize("source", TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_codemod_skips_what_python_cannot_parse(codemod, source: str) -> None:
    from libcst.codemod import TransformSkip, transform_module

    result = transform_module(codemod, source)
    assert isinstance(result, TransformSkip), getattr(result, "error", result)
    assert "deep.py:1:1: cannot parse: nested too deeply" in result.skip_description


def test_fix_goes_as_deep_as_python_parses(tmp_path: Path) -> None:
    # 990 `elif`s: close to what ast.parse accepts at the default recursion limit.
    source = with_writer(elifs(990))
    compile(source, "deep.py", "exec")
    fixed = fix_source(source.encode(), "deep.py").decode()
    assert fixed.count("os.fsync(fh.fileno())") == 2
