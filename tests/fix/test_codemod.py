"""The LibCST codemod face gives the same result as `durable-writes fix`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from libcst.codemod import CodemodContext, TransformFailure, TransformSuccess, transform_module

from lint_rules.codemods.durable_writes import DurableWritesCommand
from .pairs import CASES_DIR, Pair, all_pairs, fixed

# libcst parses a str as UTF-8 whatever its coding cookie says: the latin-1 pair checks
# that the command still hands the fixer the file's real bytes.
PAIRS = [pytest.param(pair, id=pair.name) for pair in all_pairs()]


@pytest.fixture(scope="module")
def command(tmp_path_factory: pytest.TempPathFactory):
    """One command for the module (each reads the configuration): made where no
    pyproject.toml is above, so the default configuration applies."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("codemod"))
        yield DurableWritesCommand(CodemodContext())


def _text(pair: Pair, data: bytes) -> str:
    encoding = "latin-1" if data.startswith(b"# -*- coding: latin-1") else "utf-8"
    return data.decode(encoding)


@pytest.mark.parametrize("pair", PAIRS)
def test_codemod_output_is_the_fixers(pair: Pair, command: DurableWritesCommand) -> None:
    result = transform_module(command, _text(pair, pair.before))
    assert isinstance(result, TransformSuccess), result
    assert result.code == _text(pair, fixed(pair))


def test_codemod_leaves_clean_code_alone(command: DurableWritesCommand) -> None:
    code = (CASES_DIR / "with_block.after.py").read_text()
    result = transform_module(command, code)
    assert isinstance(result, TransformSuccess)
    assert result.code == code


def test_codemod_select_limits_the_fixes(command: DurableWritesCommand) -> None:
    code = (CASES_DIR / "with_block.before.py").read_text()
    command = DurableWritesCommand(CodemodContext(), select="DUR102")
    result = transform_module(command, code)
    assert isinstance(result, TransformSuccess)
    assert "_fsync_parent_dir(path)" in result.code
    assert "fh.flush()" not in result.code


def test_codemod_fails_on_a_syntax_error(command: DurableWritesCommand) -> None:
    result = transform_module(command, "def f(:\n    replace\n")
    assert isinstance(result, TransformFailure)


CODEMOD_CONFIG = """\
generated_code_marker: '@generated'
formatter: ['cat']
blacklist_patterns: []
modules: ['lint_rules.codemods']
repo_root: '.'
"""


def test_python_m_libcst_tool_codemod_runs_the_command(tmp_path: Path) -> None:
    # One run over two files (the tool costs seconds to start): the runner reads files as
    # bytes, so the latin-1 module must come out as the fixer has it.
    (tmp_path / ".libcst.codemod.yaml").write_text(CODEMOD_CONFIG)
    latin1 = next(p for p in all_pairs() if p.name == "latin1_cookie")
    (tmp_path / "store.py").write_bytes((CASES_DIR / "with_block.before.py").read_bytes())
    (tmp_path / "latin.py").write_bytes(latin1.before)
    done = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "--no-format",
         "durable_writes.DurableWritesCommand", "store.py", "latin.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "store.py").read_bytes() == (CASES_DIR / "with_block.after.py").read_bytes()
    assert (tmp_path / "latin.py").read_bytes() == latin1.after
