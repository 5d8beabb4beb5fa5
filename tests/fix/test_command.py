"""`durable-writes fix` on real directories: what it writes, what it refuses, what it says."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from lint_rules.cli import main
from lint_rules.config import Config
from lint_rules.engine.checker import lines_with_ends
from lint_rules.fixer.transform import fix_source
from lint_rules.fixer.command import run

from .pairs import WRITER, WRITER_FIXED

# Mentions `replace`, so the byte pre-filter does not skip it and the parser has to see it.
BROKEN = (b"import os\n\ndef save(path:\n    open(path + '.tmp', 'w').write('x')\n"
          b"    os.replace(path + '.tmp', path)\n")
CLEAN = b"def title(name):\n    return name.replace('_', ' ')\n"  # str.replace: no finding
UNRELATED = b"print('nothing to see')\n"


def fix(paths: list[Path], *, diff: bool = False, check: bool = False,
        config: Config = Config()) -> int:
    return run([str(p) for p in paths], config, diff=diff, check=check, jobs=1)


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Content and inode of every file: a file written anew gets a new inode."""
    return {p.relative_to(directory).as_posix(): (p.read_bytes(), p.stat().st_ino)
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two files with findings (one in a subdirectory), one without, one never parsed."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "store.py").write_bytes(WRITER)
    (tmp_path / "pkg" / "cache.py").write_bytes(WRITER)
    (tmp_path / "pkg" / "names.py").write_bytes(CLEAN)
    (tmp_path / "pkg" / "hello.py").write_bytes(UNRELATED)
    return tmp_path


def test_fix_rewrites_only_the_files_with_findings(project: Path, capsys) -> None:
    before = snapshot(project)
    assert fix([project]) == 0
    after = snapshot(project)
    assert after["store.py"][0] == WRITER_FIXED
    assert after["pkg/cache.py"][0] == WRITER_FIXED
    for untouched in ("pkg/names.py", "pkg/hello.py"):
        assert after[untouched] == before[untouched]
    assert sorted(after) == sorted(before), "no temporary file may be left behind"
    assert "fixed 4 finding(s) in 2 file(s)" in capsys.readouterr().err


def test_a_second_run_finds_nothing_to_do(project: Path, capsys) -> None:
    assert fix([project]) == 0
    fixed = snapshot(project)
    capsys.readouterr()
    assert fix([project], check=True) == 0
    assert fix([project]) == 0
    assert snapshot(project) == fixed
    assert "fixed 0 finding(s) in 0 file(s)" in capsys.readouterr().err


def test_check_writes_nothing_and_exits_1_when_something_would_change(
        project: Path, capsys) -> None:
    before = snapshot(project)
    assert fix([project], check=True) == 1
    assert snapshot(project) == before
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "would fix 4 finding(s) in 2 file(s)" in captured.err


def test_check_exits_0_on_clean_files(tmp_path: Path) -> None:
    (tmp_path / "names.py").write_bytes(CLEAN)
    (tmp_path / "fixed.py").write_bytes(WRITER_FIXED)
    before = snapshot(tmp_path)
    assert fix([tmp_path], check=True) == 0
    assert snapshot(tmp_path) == before


def _apply_unified_diff(original: list[str], diff: str) -> list[str]:
    """Apply one file's unified diff: enough of `patch` to prove the diff is a real one."""
    result: list[str] = []
    source = 0
    lines = lines_with_ends(diff)
    assert lines[0].startswith("--- ") and lines[1].startswith("+++ ")
    for line in lines[2:]:
        hunk = re.match(r"@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@", line)
        if hunk:
            start = int(hunk.group(1)) - 1
            result += original[source:start]
            source = start
        elif line.startswith("+"):
            result.append(line[1:])
        else:
            assert original[source] == line[1:], "context or removed line does not match"
            source += 1
            if line.startswith(" "):
                result.append(line[1:])
    return result + original[source:]


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path, capsys) -> None:
    target = tmp_path / "store.py"
    target.write_bytes(WRITER)
    assert fix([target], diff=True) == 1  # something would change: exit 1, as ruff
    assert target.read_bytes() == WRITER
    out = capsys.readouterr().out
    assert out.startswith(f"--- {target}\n+++ {target}\n")
    patched = _apply_unified_diff(WRITER.decode().splitlines(keepends=True), out)
    assert "".join(patched).encode() == WRITER_FIXED


def test_the_diff_breaks_lines_where_python_does(tmp_path: Path, capsys) -> None:
    # A form feed is no line break: the diff must not split the lines that hold one.
    source = WRITER.replace(b"import os\n", b"import os\n\x0c\n# \x0c page two\n", 1)
    target = tmp_path / "store.py"
    target.write_bytes(source)
    assert fix([target], diff=True) == 1
    out = capsys.readouterr().out
    assert " \x0c\n" in lines_with_ends(out)
    patched = _apply_unified_diff(lines_with_ends(source.decode()), out)
    assert "".join(patched).encode() == fix_source(source)


def test_a_file_that_does_not_parse_is_reported_and_left_alone(project: Path, capsys) -> None:
    broken = project / "pkg" / "broken.py"
    broken.write_bytes(BROKEN)
    assert fix([project]) == 1
    assert broken.read_bytes() == BROKEN
    err = capsys.readouterr().err
    assert f"{broken}:3:9: not fixed: cannot parse: '(' was never closed" in err
    assert "1 file(s) could not be fixed" in err
    # ... and the other files were still fixed.
    assert (project / "store.py").read_bytes() == WRITER_FIXED


def test_a_file_that_cannot_be_decoded_is_reported_and_left_alone(tmp_path: Path, capsys) -> None:
    undecodable = tmp_path / "bytes.py"
    data = WRITER.replace(b"import json", b"import json  # \xff\xfe")
    undecodable.write_bytes(data)
    assert fix([tmp_path]) == 1
    assert undecodable.read_bytes() == data
    assert f"{undecodable}:1:1: not fixed: cannot decode" in capsys.readouterr().err


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o755, 0o640])
def test_the_fixed_file_keeps_its_permission_bits(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "store.py"
    target.write_bytes(WRITER)
    target.chmod(mode)
    assert fix([target]) == 0
    assert target.read_bytes() == WRITER_FIXED
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_crlf_and_latin1_survive_the_round_trip_through_the_command(tmp_path: Path) -> None:
    source = ("# -*- coding: latin-1 -*-\r\n# \u00e9t\u00e9\r\n"
              + WRITER.decode().replace("\n", "\r\n")).encode("latin-1")
    target = tmp_path / "store.py"
    target.write_bytes(source)
    assert fix([target]) == 0
    written = target.read_bytes()
    assert written == fix_source(source) != source
    assert written.count(b"\r\n") == written.count(b"\n")
    assert b"# \xe9t\xe9\r\n" in written


def test_the_cli_fix_command_uses_the_same_exit_codes(project: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(project)  # no pyproject.toml above: the default configuration
    before = snapshot(project)
    assert main(["fix", "--check", "-j", "1", "."]) == 1
    assert snapshot(project) == before
    assert main(["fix", "--select", "DUR101", "-j", "1", "store.py"]) == 0
    fixed = (project / "store.py").read_bytes()
    assert b"os.fsync(fh.fileno())" in fixed and b"_fsync_parent_dir" not in fixed
    assert main(["fix", "-j", "1", "."]) == 0
    assert main(["fix", "--check", "-j", "1", "."]) == 0
    assert (project / "store.py").read_bytes() == WRITER_FIXED
    capsys.readouterr()


def test_no_temporary_files_are_left_next_to_a_fixed_file(tmp_path: Path) -> None:
    target = tmp_path / "store.py"
    target.write_bytes(WRITER)
    assert fix([target]) == 0
    assert os.listdir(tmp_path) == ["store.py"]


def test_a_fix_whose_result_would_not_parse_is_not_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    # LibCST only builds valid syntax, so make the final re-parse refuse the fixed text (it
    # is the only text that calls the inserted helper) and check that nothing is written.
    import ast

    import lint_rules.fixer.transform

    real_parse = ast.parse

    def parse(text, *args, **kwargs):
        raw = text if isinstance(text, bytes) else text.encode()
        if b"_fsync_parent_dir(path)" in raw:
            raise SyntaxError("simulated", ("<fixed>", 1, 1, ""))
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr(lint_rules.fixer.transform.ast, "parse", parse)
    target = tmp_path / "store.py"
    target.write_bytes(WRITER)
    assert fix([target]) == 1
    assert target.read_bytes() == WRITER
    assert f"{target}: not fixed: the fixed file would not parse" in capsys.readouterr().err


def test_a_file_too_deep_for_the_fixer_is_reported_and_the_others_are_fixed(
        project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    # 400 terms are fixed now (see tests/fix/test_deep.py); with the large stack's recursion
    # limit cut down, they are too deep again, and must be said to be.
    import lint_rules.deep

    monkeypatch.setattr(lint_rules.deep, "DEEP_RECURSION_LIMIT", 1100)
    deep = project / "deep.py"
    deep.write_bytes(WRITER + b"\n\ndef nested(path):\n    y = " + b"+".join([b"1"] * 400)
                     + b"\n    with open(path + '.tmp', 'w') as fh:\n"
                     b"        fh.write(str(y))\n    os.replace(path + '.tmp', path)\n")
    original = deep.read_bytes()
    assert fix([project]) == 1
    assert deep.read_bytes() == original
    assert (f"{deep}: not fixed: nested too deeply for LibCST even with a large stack"
            in capsys.readouterr().err)
    assert (project / "store.py").read_bytes() == WRITER_FIXED
