"""Calls of helpers that other modules define, run through `check` and through a real flake8.

The fixture package (fixtures/pkg) carries its expected findings inline, in the case-file
comment format (tests/rules/casefile.py): helpers in fsutil.py, callers in callers/*.py
importing them every way, a chain (wrappers.py), helpers of every other kind (fileops.py:
rename wrappers, aliases, openers, writers, a converter, the whole protocol) called from
callers/kinds*.py and through midway.py, a cycle (cycle_a/cycle_b), a helper module
that does not parse (broken.py) and one that is missing.  Every test works on a copy, so the
summary cache is written in a temporary directory.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lint_rules import cli
from lint_rules.engine import project
from lint_rules.engine.cache import DIRNAME

from rules.casefile import _parse_expectations

_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")
BROKEN = "pkg/broken.py"

Finding = tuple[str, int, int, str]  # path relative to the root, line, 1-based column, code


def expected(root: Path) -> set[tuple[str, int, str]]:
    found = set()
    for path in sorted((root / "pkg").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative == BROKEN:
            continue
        for want in _parse_expectations(path.read_text(), relative):
            found.add((relative, want.line, want.code))
    return found


def parse_output(text: str) -> set[Finding]:
    found = set()
    for line in text.splitlines():
        match = _LINE.match(line)
        assert match, line
        path = Path(match["path"]).as_posix()
        found.add((path, int(match["line"]), int(match["col"]), match["code"]))
    return found


def check(capsys: pytest.CaptureFixture[str], *options: str,
          paths: tuple[str, ...] = ("pkg",)) -> tuple[set[Finding], list[str]]:
    """`durable-writes check` in this process, as a new run (no summaries remembered)."""
    project.reset()
    cli.main(["check", "--quiet", *options, *paths])
    out, err = capsys.readouterr()
    return parse_output(out), err.splitlines()


def flake8(cwd: Path, *args: str, stdin: str | None = None,
           env: dict[str, str] | None = None) -> set[Finding]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "DUR", "--isolated", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120,
        env=env,
    )
    assert result.stderr == ""
    return {f for f in parse_output(result.stdout) if f[3].startswith("DUR")}


def codes(findings: set[Finding]) -> set[tuple[str, int, str]]:
    return {(path, line, code) for path, line, _, code in findings}


def test_check_finds_what_the_fixture_expects(root: Path, capsys) -> None:
    findings, errors = check(capsys, "--no-cache")
    assert codes(findings) == expected(root)


def test_a_helper_module_that_does_not_parse_is_reported_once(root: Path, capsys) -> None:
    # Two callers would see it (callers/unknown.py, and its own check): one error line.
    _, errors = check(capsys)
    assert errors == [f"{BROKEN}:5:19: error: cannot parse: expected ':'"]


def test_flake8_gives_what_check_gives(root: Path, capsys) -> None:
    findings, _ = check(capsys)
    assert flake8(root, "pkg") == findings


def test_flake8_reads_the_summaries_check_wrote(root: Path, capsys) -> None:
    # The command offers unsafe fixes to its own filter, flake8 offers none: neither that
    # nor selection may key the cache, or the editor would summarise everything again.
    check(capsys, "--select", "DUR101")
    written = set(entries(root))
    assert written
    flake8(root, "pkg")
    assert set(entries(root)) == written


def test_flake8_on_an_unsaved_buffer_reads_the_other_modules_from_disk(
        root: Path, capsys) -> None:
    caller = root / "pkg" / "callers" / "absolute.py"
    text = caller.read_text()
    edited = text.replace("        fsync_file(fh)\n", "        log(fh)\n", 1)
    assert edited != text
    display = "pkg/callers/absolute.py"
    from_stdin = flake8(root, "--stdin-display-name", display, "-", stdin=edited)
    caller.write_text(edited)
    findings, _ = check(capsys, paths=(display,))
    assert from_stdin == findings
    assert (display, 12, 10, "DUR101") in from_stdin  # the helper call is gone from disk too


def test_without_a_path_calls_of_other_modules_stay_unknown(root: Path) -> None:
    import ast

    from lint_rules.config import Config
    from lint_rules.engine.rules import analyze

    source = (root / "pkg" / "callers" / "absolute.py").read_text()
    blind, _ = analyze(ast.parse(source), Config(), source)
    seeing, _ = analyze(ast.parse(source), Config(), source, "pkg/callers/absolute.py")
    assert len(blind) > len(seeing)
    assert {(f.line, f.code) for f in seeing} == {
        (line, code) for path, line, code in expected(root) if path.endswith("absolute.py")}


# -- installed packages -------------------------------------------------------------------

INSTALLED = '''\
import os


def fsync_file(fh):
    fh.flush()
    os.fsync(fh.fileno())


def fsync_dir(path):
    fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
'''

APP = '''\
import json
import os

from durhelpers import fsync_dir
from durhelpers import fsync_file


def save(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
        fsync_file(fh)
    os.replace(tmp, path)
    fsync_dir(path)
'''


def test_a_helper_of_an_installed_package_is_judged_by_its_source(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "durhelpers").mkdir(parents=True)
    (site / "durhelpers" / "__init__.py").write_text(INSTALLED)
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text(APP)
    env = {**os.environ, "PYTHONPATH": str(site)}
    argv = [sys.executable, "-m", "lint_rules.cli", "check", "--quiet", "main.py"]
    installed = subprocess.run(argv, cwd=app, env=env, capture_output=True, text=True)
    assert (installed.returncode, installed.stdout, installed.stderr) == (0, "", "")
    assert flake8(app, "main.py", env=env) == set()
    # Not on the path: unknown, so the write is unsynced as far as anyone can tell.
    env.pop("PYTHONPATH")
    missing = subprocess.run(argv, cwd=app, env=env, capture_output=True, text=True)
    found = codes(parse_output(missing.stdout))
    assert found == {("main.py", 10, "DUR101"), ("main.py", 13, "DUR102")}
    assert flake8(app, "main.py", env=env) == parse_output(missing.stdout)
    assert not (site / "durhelpers" / DIRNAME).exists()  # installed code gets no cache


# -- the summary cache --------------------------------------------------------------------


def entries(root: Path) -> list[Path]:
    return sorted((root / DIRNAME).glob("*.json"))


def test_the_cache_is_git_ignored_and_changes_nothing(root: Path, capsys) -> None:
    uncached, _ = check(capsys, "--no-cache")
    assert not (root / DIRNAME).exists()
    cold, _ = check(capsys)
    assert (root / DIRNAME / ".gitignore").read_text().splitlines()[-1] == "*"
    assert entries(root)
    warm, _ = check(capsys)
    assert uncached == cold == warm


def test_editing_a_helper_changes_its_callers_findings(root: Path, capsys) -> None:
    before, _ = check(capsys)
    fsutil = root / "pkg" / "fsutil.py"
    fsutil.write_text(fsutil.read_text().replace("    os.fsync(fh.fileno())\n", "    pass\n"))
    after, _ = check(capsys)
    new = codes(after - before)
    # The direct caller, and the caller through wrappers.py whose own bytes did not change.
    assert ("pkg/callers/absolute.py", 12, "DUR101") in new
    assert ("pkg/callers/absolute.py", 38, "DUR101") in new
    uncached, _ = check(capsys, "--no-cache")
    assert after == uncached


def test_the_cache_keeps_one_entry_a_module_however_often_it_changes(
        root: Path, capsys) -> None:
    check(capsys)
    count = len(entries(root))
    fsutil = root / "pkg" / "fsutil.py"
    text = fsutil.read_text()
    for n in range(3):
        fsutil.write_text(text + f"\n\nEDITS = {n}\n")
        check(capsys)
    assert len(entries(root)) == count


# Edits of fileops.py, and the findings each one takes away: every call of the helper, by
# name, through the module, re-exported by __init__ and through midway.py (whose own bytes
# do not change).
KIND_EDITS = {
    "durable-rename-wrapper": (
        "    os.replace(src, dst)\n\n\ndef durable_replace",
        "    os.replace(src, dst)\n    _fsync_dir(dst)\n\n\ndef durable_replace",
        {("pkg/callers/kinds.py", 18, "DUR102"), ("pkg/callers/kinds.py", 33, "DUR102"),
         ("pkg/callers/kinds.py", 102, "DUR102"), ("pkg/callers/handed.py", 13, "DUR102"),
         ("pkg/callers/kinds_modules.py", 16, "DUR102"),
         ("pkg/callers/kinds_modules.py", 36, "DUR102")}),
    "synced-write-helper": (
        "        fh.write(data)\n\n\ndef to_bytes",
        "        fh.write(data)\n        fh.flush()\n        os.fsync(fh.fileno())\n\n\n"
        "def to_bytes",
        {("pkg/callers/kinds.py", 82, "DUR101"), ("pkg/callers/kinds_modules.py", 21, "DUR101"),
         ("pkg/callers/kinds_modules.py", 41, "DUR101")}),
}


@pytest.mark.parametrize("edit", sorted(KIND_EDITS))
def test_editing_a_helper_of_another_kind_changes_its_callers_findings(
        root: Path, capsys, edit: str) -> None:
    old, new, gone = KIND_EDITS[edit]
    before, _ = check(capsys)
    fileops = root / "pkg" / "fileops.py"
    text = fileops.read_text()
    assert text.count(old) == 1
    fileops.write_text(text.replace(old, new))
    after, _ = check(capsys)
    assert codes(before - after) == gone
    assert after <= before
    assert after == check(capsys, "--no-cache")[0]
    fileops.write_text(text)  # and back again
    assert check(capsys)[0] == before


def test_a_module_that_appears_is_seen(root: Path, capsys) -> None:
    before, _ = check(capsys)
    (root / "pkg" / "nothere.py").write_text((root / "pkg" / "fsutil.py").read_text())
    after, _ = check(capsys)
    assert codes(before - after) == {("pkg/callers/unknown.py", 14, "DUR102")}


@pytest.mark.parametrize("garbage", [
    b"", b"{not json", b'{"key": "elsewhere", "entry": {}}', b"[1, 2]", b"\xff\xfe",
])
def test_a_corrupt_cache_is_rebuilt_without_an_error(root: Path, capsys, garbage) -> None:
    clean, _ = check(capsys)
    for entry in entries(root):
        entry.write_bytes(garbage)
    again, errors = check(capsys)
    assert again == clean
    assert errors == [f"{BROKEN}:5:19: error: cannot parse: expected ':'"]
    assert all(entry.read_bytes().startswith(b'{"key":') for entry in entries(root))


def test_an_entry_naming_a_foreign_class_is_a_miss(root: Path, capsys) -> None:
    clean, _ = check(capsys)
    for entry in entries(root):
        entry.write_text(entry.read_text().replace('"dc":"Summary"', '"dc":"Popen"'))
    again, _ = check(capsys)
    assert again == clean


def test_a_cache_that_cannot_be_written_is_no_cache(root: Path, capsys) -> None:
    (root / DIRNAME).write_text("a file where the directory would go")
    clean, errors = check(capsys)
    assert codes(clean) == expected(root)
    assert errors == [f"{BROKEN}:5:19: error: cannot parse: expected ':'"]


def test_fix_no_cache_writes_no_cache(root: Path, capsys) -> None:
    project.reset()
    cli.main(["fix", "--no-cache", "--diff", "pkg"])
    assert "absolute.py" in capsys.readouterr().out
    assert not (root / DIRNAME).exists()


def test_a_long_chain_of_modules_is_followed_to_its_end(
        tmp_path: Path, monkeypatch, capsys) -> None:
    # Each module's helper only calls the next one's; the last one syncs. Deeper than any
    # recursion through the modules could go.
    chain = tmp_path / "chain"
    chain.mkdir()
    (chain / "__init__.py").write_text("")
    length = 150
    for n in range(length):
        (chain / f"m{n}.py").write_text(
            f"from chain import m{n + 1}\n\n\ndef sync(fh):\n    m{n + 1}.sync(fh)\n")
    (chain / f"m{length}.py").write_text(
        "import os\n\n\ndef sync(fh):\n    fh.flush()\n    os.fsync(fh.fileno())\n")
    (tmp_path / "caller.py").write_text(APP.replace(
        "from durhelpers import fsync_file\n", "from chain.m0 import sync as fsync_file\n"))
    monkeypatch.chdir(tmp_path)
    for options in (("--no-cache",), (), ()):  # uncached, cold, warm
        findings, errors = check(capsys, *options, paths=("caller.py",))
        assert codes(findings) == {("caller.py", 13, "DUR102")}  # fsync_dir: not installed
        assert errors == []
