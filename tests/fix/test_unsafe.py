"""Unsafe fixes: DUR105's `dir=` the destination's directory, applied only when asked.

Before/after pairs in cases/unsafe/ (outside the safe pairs' directory, since `fix` without
`--unsafe-fixes` must leave them alone), put through the same checks as the safe pairs, and
run: after the fix the temporary file is made in the destination's directory, so the rename
stays within one directory (and one file system).
"""
from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest

from lint_rules.config import Config
from lint_rules.engine.checker import check_source
from lint_rules.fixer.transform import fix_file_data

from .pairs import CASES_DIR, Pair, text_diff

UNSAFE = Config(unsafe_fixes=True)
PAIRS = [
    Pair(before.name.removesuffix(".before.py"), before.read_bytes(),
         before.with_name(before.name.replace(".before.", ".after.")).read_bytes())
    for before in sorted((CASES_DIR / "unsafe").glob("*.before.py"))
]
CALLS = {
    "mkstemp_param": "save_bytes(d + '/out.bin', b'bytes')",
    "named_temporary_path": "save_text(Path(d) / 'out.txt', 'text')",
    "no_os_import": "save_bytes(d + '/out.bin', b'no os')",
    "method_attribute": "Store(d + '/out.dat').save(b'store')",
}


def codes(data: bytes, config: Config = UNSAFE) -> list[str]:
    report = check_source(data, "case.py", config)
    assert report.error is None
    return [f.code for f in report.findings]


def test_pairs_are_found() -> None:
    assert sorted(p.name for p in PAIRS) == sorted(CALLS)


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_the_unsafe_fix_gives_exactly_the_expected_text(pair: Pair) -> None:
    result = fix_file_data(pair.before, pair.name, UNSAFE)
    assert result.error is None
    assert [f.code for f in result.applied] == ["DUR105"]
    assert [f.fix.applicability for f in result.applied] == ["unsafe"]
    assert result.fixed == pair.after, text_diff(pair.after, result.fixed)


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_without_unsafe_fixes_nothing_changes(pair: Pair) -> None:
    assert codes(pair.before, Config()) == ["DUR105"]
    result = fix_file_data(pair.before, pair.name, Config())
    assert (result.fixed, result.applied) == (pair.before, [])
    assert [f.code for f in result.unfixable] == ["DUR105"]


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_fixed_output_compiles_is_clean_and_stable(pair: Pair) -> None:
    compile(pair.after, pair.name, "exec", dont_inherit=True)
    assert codes(pair.after) == []
    assert fix_file_data(pair.after, pair.name, UNSAFE).fixed == pair.after


def run_writer(source: bytes, call: str, workdir: Path, systemp: Path,
               monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Run `call` on the module with the system temp directory elsewhere; the (source
    directory, destination directory) of every rename."""
    renames = []
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        renames.append((os.path.dirname(os.path.abspath(src)),
                        os.path.dirname(os.path.abspath(dst))))
        return real_replace(src, dst, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace)  # Path.replace calls it too
        patch.setattr(tempfile, "tempdir", str(systemp))
        namespace: dict = {"__name__": "unsafe_case"}
        exec(compile(source, "case.py", "exec", dont_inherit=True), namespace)
        exec(f"from pathlib import Path\n{call}", {**namespace, "d": str(workdir)})
    return renames


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_after_the_fix_the_temp_file_is_made_next_to_its_destination(
        pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    systemp = tmp_path / "systemp"
    systemp.mkdir()
    outputs = {}
    for label, source in (("before", pair.before), ("after", pair.after)):
        workdir = tmp_path / label
        workdir.mkdir()
        renames = run_writer(source, CALLS[pair.name], workdir, systemp, monkeypatch)
        sources = {src for src, _ in renames}
        assert {dst for _, dst in renames} == {str(workdir)}
        assert sources == ({str(systemp)} if label == "before" else {str(workdir)})
        outputs[label] = {p.name: p.read_bytes() for p in workdir.iterdir()}
    assert outputs["after"] == outputs["before"]
    assert list(systemp.iterdir()) == []


# -- where there is no fix -------------------------------------------------------------

NO_FIX = {
    "destination computed after the temp file": """\
        def save(name, data):
            fd, tmp = tempfile.mkstemp()
            path = os.path.join(ROOT, name)
            os.write(fd, data); os.fsync(fd); os.close(fd)
            os.replace(tmp, path)
        """,
    "destination rebound in between": """\
        def save(path, data):
            fd, tmp = tempfile.mkstemp()
            path = path + ".json"
            os.write(fd, data); os.fsync(fd); os.close(fd)
            os.replace(tmp, path)
        """,
    "a call over several lines": """\
        def save(path, data):
            fd, tmp = tempfile.mkstemp(
                suffix=".tmp")
            os.write(fd, data); os.fsync(fd); os.close(fd)
            os.replace(tmp, path)
        """,
    "keyword arguments passed on": """\
        def save(path, data, **options):
            fd, tmp = tempfile.mkstemp(**options)
            os.write(fd, data); os.fsync(fd); os.close(fd)
            os.replace(tmp, path)
        """,
    "two destinations": """\
        def save(path, backup, data, keep):
            fd, tmp = tempfile.mkstemp()
            os.write(fd, data); os.fsync(fd); os.close(fd)
            if keep:
                os.replace(tmp, backup)
            else:
                os.replace(tmp, path)
        """,
    "a destination with side effects": """\
        def save(data):
            fd, tmp = tempfile.mkstemp()
            os.write(fd, data); os.fsync(fd); os.close(fd)
            os.replace(tmp, next_name())
        """,
}


@pytest.mark.parametrize("snippet", NO_FIX.values(), ids=NO_FIX.keys())
def test_no_fix_where_the_destination_is_not_known_first(snippet: str) -> None:
    source = ("import os\nimport tempfile\n\n\n" + textwrap.dedent(snippet)).encode()
    report = check_source(source, "case.py", UNSAFE)
    found = [f for f in report.findings if f.code == "DUR105"]
    assert len(found) == 1
    assert found[0].fix is None


def test_the_command_applies_unsafe_fixes_only_with_the_option(tmp_path, capsys) -> None:
    from lint_rules.cli import main

    [pair] = [p for p in PAIRS if p.name == "mkstemp_param"]
    target = tmp_path / "w.py"
    target.write_bytes(pair.before)
    assert main(["fix", "--check", str(target)]) == 0
    assert main(["fix", "--check", "--unsafe-fixes", str(target)]) == 1
    assert main(["fix", "--unsafe-fixes", str(target)]) == 0
    assert target.read_bytes() == pair.after
    assert "fixed 1 finding(s) in 1 file(s)" in capsys.readouterr().err
