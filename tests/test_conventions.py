"""The command's conventions, ruff's: default path, stdin, file-level noqa, exit codes, the
summary line, statistics, fixes shown and carried in reports, explain by name. Real engine,
real files; stdin and exit codes through the installed command in a subprocess."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lint_rules import cli
from lint_rules.engine.catalog import RULES

# DUR101 at 7:10 (the open, ending at 7:24) and DUR102 at 9:5 (the rename, ending at 9:26).
WRITER = (Path(__file__).parent / "fix" / "cases" / "with_block.before.py").read_text()
FIXED = (Path(__file__).parent / "fix" / "cases" / "with_block.after.py").read_text()
# DUR105 with an unsafe fix, and a DUR102 with a safe one.
TEMP_WRITER = """\
import os
import tempfile


def save(path, data):
    fd, tmp = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
"""
CLEAN = "def title(name):\n    return name.replace('_', ' ')\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.durable-writes]\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def put(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def command(cwd: Path, *argv: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lint_rules.cli", *argv], cwd=cwd,
                          input=stdin, capture_output=True, text=True, timeout=60)


# -- paths and standard input --------------------------------------------------------------

def test_check_without_a_path_checks_the_current_directory(here, capsys) -> None:
    put(here, "pkg/w.py", WRITER)
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == ["pkg/w.py", "pkg/w.py"]


def test_check_reads_stdin_and_shows_its_name(here) -> None:
    result = command(here, "check", "-", stdin=WRITER)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"-:7:10: DUR101 {RULES['DUR101'].message}",
                                          f"-:9:5: DUR102 {RULES['DUR102'].message}"]
    named = command(here, "check", "--stdin-filename", "src/new.py", "-", stdin=WRITER)
    assert named.stdout.splitlines()[0].startswith("src/new.py:7:10: DUR101")
    # As ruff: a name and no path also means standard input.
    alone = command(here, "check", "--stdin-filename", "src/new.py", stdin=CLEAN)
    assert (alone.returncode, alone.stdout) == (0, "")


def test_stdin_cannot_be_mixed_with_paths(here, capsys) -> None:
    put(here, "a.py", CLEAN)
    code, _, err = run(capsys, "check", "-", "a.py")
    assert code == 2
    assert "cannot be combined" in err


def test_fix_of_stdin_prints_the_fixed_source(here) -> None:
    result = command(here, "fix", "-", stdin=WRITER)
    assert (result.returncode, result.stdout) == (0, FIXED)
    # Nothing to fix, or nothing that may be fixed: the input comes back as it was.
    assert command(here, "fix", "-", stdin=CLEAN).stdout == CLEAN
    broken = "import os\nopen('a', 'w')\nos.replace(\n"
    failed = command(here, "fix", "-", stdin=broken)
    assert (failed.returncode, failed.stdout) == (1, broken)
    assert failed.stderr.startswith("-:3:11: not fixed: cannot parse")


def test_fix_diff_of_stdin_exits_1_when_it_would_change(here) -> None:
    result = command(here, "fix", "--diff", "--stdin-filename", "w.py", "-", stdin=WRITER)
    assert result.returncode == 1
    assert result.stdout.startswith("--- w.py\n+++ w.py\n")
    assert "+        os.fsync(fh.fileno())\n" in result.stdout
    clean = command(here, "fix", "--diff", "-", stdin=CLEAN)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_stdin_filename_finds_that_files_configuration(here) -> None:
    put(here, "legacy/pyproject.toml", '[tool.durable-writes]\nignore = ["DUR101"]\n')
    result = command(here, "fix", "--diff", "--stdin-filename", "legacy/w.py", "-",
                     stdin=WRITER)
    assert "_fsync_parent_dir(path)" in result.stdout
    assert "os.fsync(fh.fileno())" not in result.stdout


# -- file-level noqa -----------------------------------------------------------------------

@pytest.mark.parametrize("comment", ["# flake8: noqa", "# durable-writes: noqa",
                                     "#durable-writes:noqa", "# FLAKE8: NOQA"])
def test_a_file_level_noqa_exempts_the_file_from_check_and_fix(here, capsys, comment) -> None:
    target = put(here, "w.py", f"{comment}\n{WRITER}")
    assert run(capsys, "check", "-q", ".") == (0, "", "")
    assert run(capsys, "fix", "-q", ".")[0] == 0
    assert target.read_text() == f"{comment}\n{WRITER}"


def test_a_file_level_noqa_with_codes_exempts_those_rules(here, capsys) -> None:
    put(here, "w.py", f'"""Module."""\n# durable-writes: noqa: DUR102\n{WRITER}')
    _, out, _ = run(capsys, "check", "-q", ".")
    assert [line.split()[1] for line in out.splitlines()] == ["DUR101"]


def test_flake8s_file_noqa_with_codes_exempts_nothing(here, capsys) -> None:
    # flake8 ignores `# flake8: noqa: CODE` (it warns that the codes make no sense there).
    put(here, "w.py", f"# flake8: noqa: DUR102\n{WRITER}")
    _, out, _ = run(capsys, "check", "-q", ".")
    assert [line.split()[1] for line in out.splitlines()] == ["DUR101", "DUR102"]


# -- exit codes, summary, statistics ---------------------------------------------------------

def test_exit_zero_and_quiet(here) -> None:
    put(here, "w.py", WRITER)
    result = command(here, "check", "--exit-zero", ".")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr == "Found 2 findings (2 fixable with durable-writes fix).\n"
    quiet = command(here, "check", "-q", ".")
    assert (quiet.returncode, quiet.stderr) == (1, "")
    assert command(here, "fix", "-q", "--check", ".").stderr == ""


@pytest.mark.parametrize("files, summary", [
    ({}, "All checks passed!"),
    ({"clean.py": CLEAN}, "All checks passed!"),
    ({"w.py": WRITER}, "Found 2 findings (2 fixable with durable-writes fix)."),
    ({"t.py": TEMP_WRITER}, "Found 2 findings (1 fixable with durable-writes fix; 1 hidden "
     "fix can be enabled with the `--unsafe-fixes` option)."),
    ({"w.py": WRITER, "t.py": TEMP_WRITER, "u.py": TEMP_WRITER},
     "Found 6 findings (4 fixable with durable-writes fix; 2 hidden fixes can be enabled "
     "with the `--unsafe-fixes` option)."),
    ({"b.py": "import os\nopen('a', 'w')\nos.replace(\n"},
     "No findings. 1 file could not be checked."),
])
def test_the_summary_line(here, capsys, files, summary) -> None:
    for name, text in files.items():
        put(here, name, text)
    _, _, err = run(capsys, "check", ".")
    assert err.splitlines()[-1] == summary


def test_unsafe_fixes_count_as_fixable_once_enabled(here, capsys) -> None:
    put(here, "t.py", TEMP_WRITER)
    _, _, err = run(capsys, "check", "--unsafe-fixes", ".")
    assert err == "Found 2 findings (2 fixable with durable-writes fix).\n"
    put(here, "pyproject.toml", "[tool.durable-writes]\nunsafe-fixes = true\n")
    _, _, err = run(capsys, "check", ".")
    assert err == "Found 2 findings (2 fixable with durable-writes fix).\n"


def test_a_singular_finding(here, capsys) -> None:
    put(here, "w.py", WRITER)
    _, _, err = run(capsys, "check", "--select", "DUR102", ".")
    assert err == "Found 1 finding (1 fixable with durable-writes fix).\n"


def test_statistics_count_by_code(here, capsys) -> None:
    put(here, "a.py", WRITER)
    put(here, "b.py", WRITER)
    put(here, "t.py", TEMP_WRITER)
    code, out, err = run(capsys, "check", "--statistics", ".")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "3\tDUR102\t[*] rename-without-dir-fsync",
        "2\tDUR101\t[*] rename-without-file-fsync",
        "1\tDUR105\t[-] temp-file-outside-destination-dir",
    ]
    _, out, _ = run(capsys, "check", "--statistics", "--format", "json", ".")
    assert json.loads(out)[2] == {"code": "DUR105", "name": "temp-file-outside-destination-dir",
                                  "count": 1, "fixable": 0, "hidden_fixes": 1}
    assert run(capsys, "check", "--statistics", "--format", "sarif", ".")[0] == 2


# -- what fix would change -------------------------------------------------------------------

def test_show_fixes_lists_each_findings_change(here, capsys) -> None:
    put(here, "w.py", WRITER)
    code, out, _ = run(capsys, "check", "--show-fixes", "--select", "DUR101", ".")
    assert code == 1
    assert out.splitlines() == [
        f"w.py:7:10: DUR101 {RULES['DUR101'].message}",
        "  fix (safe):",
        "    insert at line 9:",
        "    +         fh.flush()",
        "    +         os.fsync(fh.fileno())",
    ]


def test_show_fixes_of_a_line_that_changes(here, capsys) -> None:
    put(here, "t.py", TEMP_WRITER)
    _, out, _ = run(capsys, "check", "--show-fixes", "--select", "DUR105", ".")
    assert out.splitlines()[1:] == [
        "  fix (unsafe):",
        "    replace line 6 with:",
        '    +     fd, tmp = tempfile.mkstemp(suffix=".json", '
        "dir=os.path.dirname(os.path.abspath(path)))",
    ]


def apply(text: str, replacements: list[dict]) -> str:
    """SARIF replacements applied to `text`, last first so earlier regions stay put."""
    lines = text.splitlines(keepends=True)

    def offset(line: int, col: int) -> int:
        return sum(len(x) for x in lines[:line - 1]) + col - 1

    for r in sorted(replacements, key=lambda r: (r["deletedRegion"]["startLine"],
                                                 r["deletedRegion"]["startColumn"]),
                    reverse=True):
        region = r["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        text = text[:start] + r["insertedContent"]["text"] + text[end:]
        lines = text.splitlines(keepends=True)
    return text


@pytest.mark.parametrize("code", ["DUR101", "DUR102"])
def test_sarif_fixes_are_the_edits_fix_makes(here, capsys, sarif_validator, code) -> None:
    target = put(here, "w.py", WRITER)
    _, out, _ = run(capsys, "check", "--format", "sarif", "--select", code, ".")
    log = json.loads(out)
    assert list(sarif_validator.iter_errors(log)) == []
    [result] = log["runs"][0]["results"]
    [fix] = result["fixes"]
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "w.py", "uriBaseId": "%SRCROOT%"}
    patched = apply(WRITER, change["replacements"])
    assert run(capsys, "fix", "-q", "--select", code, ".")[0] == 0
    assert patched == target.read_text()


def test_sarif_and_json_carry_end_positions_and_rule_links(here, capsys) -> None:
    put(here, "w.py", WRITER)
    _, out, _ = run(capsys, "check", "--format", "sarif", ".")
    run_ = json.loads(out)["runs"][0]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in run_["results"]]
    assert regions == [{"startLine": 7, "startColumn": 10, "endLine": 7, "endColumn": 24},
                       {"startLine": 9, "startColumn": 5, "endLine": 9, "endColumn": 26}]
    assert [rule["helpUri"] for rule in run_["tool"]["driver"]["rules"]] == [
        rule.url for rule in RULES.values()]
    _, out, _ = run(capsys, "check", "--format", "json", ".")
    first = json.loads(out)[0]
    assert (first["end_line"], first["end_column"], first["url"]) == (7, 24, RULES["DUR101"].url)
    assert first["fix"]["applicability"] == "safe"
    assert first["fix"]["edits"] == [{
        "content": "        fh.flush()\n        os.fsync(fh.fileno())\n",
        "location": {"row": 9, "column": 1}, "end_location": {"row": 9, "column": 1}}]


def test_github_annotations_are_errors_with_ranges(here, capsys) -> None:
    put(here, "w.py", WRITER)
    _, out, _ = run(capsys, "check", "--format", "github", ".")
    assert out.splitlines()[1] == (
        "::error title=durable-writes (DUR102),file=w.py,line=9,col=5,endLine=9,endColumn=26"
        f"::w.py:9:5: DUR102 {RULES['DUR102'].message}")


def test_fix_diff_exits_1_when_it_would_change_something(here) -> None:
    put(here, "w.py", WRITER)
    result = command(here, "fix", "--diff", ".")
    assert result.returncode == 1
    assert result.stdout.startswith("--- w.py\n+++ w.py\n")
    assert (here / "w.py").read_text() == WRITER
    assert command(here, "fix", ".").returncode == 0
    again = command(here, "fix", "--diff", ".")
    assert (again.returncode, again.stdout) == (0, "")


# -- unsafe fixes ----------------------------------------------------------------------------

def test_fix_applies_unsafe_fixes_only_when_asked(here, capsys) -> None:
    target = put(here, "t.py", TEMP_WRITER)
    assert run(capsys, "fix", ".")[0] == 0
    safe = target.read_text()
    assert "_fsync_parent_dir(path)" in safe and "dir=" not in safe
    code, _, err = run(capsys, "fix", "--unsafe-fixes", ".")
    assert code == 0
    assert "fixed 1 finding(s) in 1 file(s)" in err
    assert 'tempfile.mkstemp(suffix=".json", dir=os.path.dirname(os.path.abspath(path)))' \
        in target.read_text()
    assert run(capsys, "check", "-q", ".") == (0, "", "")


def test_unsafe_fixes_from_the_configuration(here, capsys) -> None:
    put(here, "pyproject.toml", "[tool.durable-writes]\nunsafe-fixes = true\n")
    target = put(here, "t.py", TEMP_WRITER)
    assert run(capsys, "fix", "-q", ".")[0] == 0
    assert "dir=os.path.dirname" in target.read_text()


def test_fix_check_counts_unsafe_fixes_only_when_enabled(here) -> None:
    put(here, "t.py", TEMP_WRITER.replace("    os.replace(tmp, path)\n",
                                          "    os.replace(tmp, path)\n    sync_dir(path)\n"))
    # DUR102 is still reported (sync_dir is unknown) unless named as a helper.
    put(here, "pyproject.toml",
        '[tool.durable-writes]\ndurable-dir-sync-helpers = ["sync_dir"]\n')
    assert command(here, "fix", "--check", ".").returncode == 0
    assert command(here, "fix", "--check", "--unsafe-fixes", ".").returncode == 1


# -- explain ---------------------------------------------------------------------------------

def test_explain_accepts_a_rules_name(capsys) -> None:
    by_code = run(capsys, "explain", "DUR102")
    assert run(capsys, "explain", "rename-without-dir-fsync") == by_code
    assert run(capsys, "explain", "dur102") == by_code


def test_explain_all_prints_every_rules_documentation(capsys) -> None:
    code, out, _ = run(capsys, "explain", "--all")
    assert code == 0
    for rule in RULES.values():
        assert f"{rule.code} ({rule.name}): {rule.summary}\n\n{rule.docs}" in out
    assert run(capsys, "explain", "--all", "DUR101")[0] == 2


def test_explain_dur105_says_why_its_fix_is_unsafe(capsys) -> None:
    _, out, _ = run(capsys, "explain", "DUR105")
    safety = out.split("## Fix safety")[1]
    assert safety.lstrip().startswith("Unsafe")
    assert "--unsafe-fixes" in safety and "read-only" in safety and "network" in safety


def test_hidden_fixes_are_counted_per_files_configuration(here, capsys) -> None:
    put(here, "bold/pyproject.toml", "[tool.durable-writes]\nunsafe-fixes = true\n")
    put(here, "bold/t.py", TEMP_WRITER)
    put(here, "careful/t.py", TEMP_WRITER)
    _, _, err = run(capsys, "check", ".")
    assert err == ("Found 4 findings (3 fixable with durable-writes fix; 1 hidden fix can be "
                   "enabled with the `--unsafe-fixes` option).\n")
