"""`durable-writes` as users run it: discovery, formats, selection, config, errors, exit codes.

The engine is replaced by a small stand-in (`fake_analyze`) so that these tests pin down the
command's own behaviour whatever the rules decide: it reports DUR102 at every `os.replace(...)`
call and DUR103 at every `os.fsync(...)` call.  The subprocess tests at the end run the real
engine and rely only on what the checker itself reports (parse and decode errors).
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import lint_rules
from lint_rules import cli
from lint_rules.engine import checker
from lint_rules.config import Config
from lint_rules.files import discover
from lint_rules.engine.findings import Finding, Fix, ModuleSupport
from lint_rules.engine.catalog import RULES
from lint_rules.runner import POOL_THRESHOLD, check_paths

MSG102 = RULES["DUR102"].message
MSG103 = RULES["DUR103"].message


def fake_analyze(
    tree: ast.Module, config: Config, source: str | None = None, path: str | None = None
) -> tuple[list[Finding], ModuleSupport]:
    findings = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "replace" and getattr(node.func.value, "id", None) == "os":
            findings.append(
                Finding("DUR102", node.lineno, node.col_offset, MSG102, fix=Fix(edits=()))
            )
        elif node.func.attr == "fsync":
            findings.append(Finding("DUR103", node.lineno, node.col_offset, MSG103))
    return findings, ModuleSupport()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory as the current directory, with its own (empty) pyproject.

    The stand-in engine comes with a stand-in pre-filter that lets through what it reports
    on; the real pre-filter is tested with the real engine (tests/rules/test_files.py)."""
    monkeypatch.setattr(checker, "analyze", fake_analyze)
    monkeypatch.setattr(checker, "may_have_findings", lambda data, *_: b"replace" in data
                        or b"fsync" in data)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


PUBLISH = """\
import os

def save(tmp, path):
    with open(tmp, "w") as fh:
        fh.write("x")
        os.fsync(fh.fileno())
    os.replace(tmp, path)
"""


# -- exit codes and the text format ------------------------------------------------------

def test_clean_files_exit_0_and_print_nothing(project, capsys):
    write(project, "pkg/a.py", "import os\nprint(os.getcwd())\n")
    assert run(capsys, "check", ".") == (0, "", "All checks passed!\n")


def test_findings_print_sorted_flake8_lines_and_exit_1(project, capsys):
    write(project, "pkg/b.py", PUBLISH)
    write(project, "pkg/a.py", "import os\nos.replace('x', 'y'); os.replace('y', 'z')\n")
    code, out, err = run(capsys, "check", "pkg")
    assert code == 1
    # The stand-in engine offers a (safe) fix for DUR102 only.
    assert err == "Found 4 findings (3 fixable with durable-writes fix).\n"
    assert out.splitlines() == [
        f"pkg/a.py:2:1: DUR102 {MSG102}",
        f"pkg/a.py:2:23: DUR102 {MSG102}",
        f"pkg/b.py:6:9: DUR103 {MSG103}",
        f"pkg/b.py:7:5: DUR102 {MSG102}",
    ]


def test_a_path_that_does_not_exist_is_a_usage_error(project, capsys):
    write(project, "a.py", PUBLISH)
    code, out, err = run(capsys, "check", "a.py", "missing.py", "gone/")
    assert code == 2
    assert out == ""
    assert "missing.py: no such file or directory" in err
    assert "gone/: no such file or directory" in err


def test_bad_options_exit_2(project, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["check", "--format", "xml", "."])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["check", "--jobs", "0", "."])
    assert exit_info.value.code == 2


def test_help_documents_exit_status(project, capsys):
    with pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    out = capsys.readouterr().out
    assert "exit status" in out
    assert "could not be read, decoded or parsed" in out


# -- other formats -----------------------------------------------------------------------

def test_json_lists_findings_with_one_based_columns(project, capsys):
    write(project, "b.py", PUBLISH)
    code, out, _ = run(capsys, "check", "--format", "json", ".")
    assert code == 1
    assert json.loads(out) == [
        {"path": "b.py", "line": 6, "column": 9, "end_line": 6, "end_column": 9,
         "code": "DUR103", "message": MSG103, "fixable": False, "fix": None,
         "url": RULES["DUR103"].url},
        # The stand-in's fix has no edits: nothing to replace.
        {"path": "b.py", "line": 7, "column": 5, "end_line": 7, "end_column": 5,
         "code": "DUR102", "message": MSG102, "fixable": True,
         "fix": {"applicability": "safe", "edits": []}, "url": RULES["DUR102"].url},
    ]


def test_json_of_a_clean_tree_is_an_empty_list(project, capsys):
    write(project, "a.py", "x = 1\n")
    assert run(capsys, "check", "--format", "json", ".") == (0, "[]\n", "")


def test_github_annotations(project, capsys):
    write(project, "src/b.py", PUBLISH)
    code, out, _ = run(capsys, "check", "--format", "github", "src")
    assert code == 1
    # Only `%` and line breaks need escaping in an annotation's text; these messages have none.
    assert out.splitlines() == [
        "::error title=durable-writes (DUR103),file=src/b.py,line=6,col=9,endLine=6,"
        f"endColumn=9::src/b.py:6:9: DUR103 {MSG103}",
        "::error title=durable-writes (DUR102),file=src/b.py,line=7,col=5,endLine=7,"
        f"endColumn=5::src/b.py:7:5: DUR102 {MSG102}",
    ]


def test_sarif_names_each_result_and_its_relative_location(project, capsys):
    write(project, "src/b.py", PUBLISH)
    code, out, _ = run(capsys, "check", "--format", "sarif", ".")
    assert code == 1
    run_ = json.loads(out)["runs"][0]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]) for r in run_["results"]] == [
        ("DUR103", {"artifactLocation": {"uri": "src/b.py", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 6, "startColumn": 9, "endLine": 6,
                               "endColumn": 9}}),
        ("DUR102", {"artifactLocation": {"uri": "src/b.py", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 7, "startColumn": 5, "endLine": 7,
                               "endColumn": 5}}),
    ]


# -- selection ---------------------------------------------------------------------------

def codes_reported(out: str) -> list[str]:
    return [line.split()[1] for line in out.splitlines()]


def test_select_and_ignore_take_code_prefixes(project, capsys):
    write(project, "b.py", PUBLISH)
    assert codes_reported(run(capsys, "check", "--select", "DUR103", ".")[1]) == ["DUR103"]
    assert codes_reported(run(capsys, "check", "--ignore", "DUR103", ".")[1]) == ["DUR102"]
    assert codes_reported(run(capsys, "check", "--select", "dur10", ".")[1]) == [
        "DUR103", "DUR102"]
    code, out, _ = run(capsys, "check", "--select", "DUR101,DUR105", ".")
    assert (code, out) == (0, "")


def test_command_line_selection_overrides_the_configuration(project, capsys):
    write(project, "pyproject.toml", '[tool.durable-writes]\nselect = ["DUR102"]\n')
    write(project, "b.py", PUBLISH)
    assert codes_reported(run(capsys, "check", ".")[1]) == ["DUR102"]
    assert codes_reported(run(capsys, "check", "--select", "DUR103", ".")[1]) == ["DUR103"]


def test_noqa_still_applies_through_the_command(project, capsys):
    write(project, "a.py", "import os\nos.replace('a', 'b')  # noqa: DUR102\n")
    assert run(capsys, "check", ".") == (0, "", "All checks passed!\n")


# -- discovery ---------------------------------------------------------------------------

FINDING = "import os\nos.replace('a', 'b')\n"


def reported_paths(out: str) -> list[str]:
    return sorted({line.split(":")[0] for line in out.splitlines()})


def test_directory_walk_skips_tool_and_environment_directories(project, capsys):
    write(project, "app/main.py", FINDING)
    write(project, "app/notes.txt", FINDING)  # not Python: never looked at in a walk
    for skipped in (
        ".git/hooks/x.py",
        ".tox/py311/x.py",
        ".venv/lib/x.py",
        "build/lib/x.py",
        "dist/x.py",
        "app/__pycache__/x.py",
        "node_modules/pkg/x.py",
        "demo.egg-info/x.py",
        ".mypy_cache/x.py",
    ):
        write(project, skipped, FINDING)
    # A virtual environment under any name is recognised by its marker file.
    write(project, "env-3.11/pyvenv.cfg", "home = /usr/bin\n")
    write(project, "env-3.11/lib/site.py", FINDING)
    write(project, "app/commands/venv/create.py", FINDING)  # a subpackage, no marker
    code, out, _ = run(capsys, "check", ".")
    assert code == 1
    assert reported_paths(out) == ["app/commands/venv/create.py", "app/main.py"]


def test_explicitly_named_files_are_checked_even_in_skipped_places(project, capsys):
    write(project, "build/gen.py", FINDING)
    write(project, "tools/script", FINDING)  # no .py suffix, named on the command line
    _, out, _ = run(capsys, "check", "build/gen.py", "tools/script", "--exclude", "gen.py")
    assert reported_paths(out) == ["build/gen.py", "tools/script"]


def test_exclude_matches_names_and_paths(project, capsys):
    for name in ("app/keep.py", "app/gen_models.py", "app/vendored/x.py", "other/vendored/y.py",
                 "app/sub/deep.py"):
        write(project, name, FINDING)
    _, out, _ = run(capsys, "check", ".", "--exclude", "gen_*.py, app/vendored,*/sub/*")
    # `app/vendored` is a path pattern: other/vendored stays; `gen_*.py` matches names anywhere.
    assert reported_paths(out) == ["app/keep.py", "other/vendored/y.py"]


def test_exclude_from_configuration_is_relative_to_the_pyproject(project, capsys, monkeypatch):
    write(project, "pyproject.toml",
          '[tool.durable-writes]\nexclude = ["app/legacy", "*_pb2.py"]\n')
    for name in ("app/main.py", "app/legacy/old.py", "app/api_pb2.py", "lib/util.py"):
        write(project, name, FINDING)
    # Run from a subdirectory: the configuration is found upward and its patterns still hold.
    monkeypatch.chdir(project / "app")
    _, out, _ = run(capsys, "check", ".", str(project / "lib"), "--exclude", "main.py")
    assert reported_paths(out) == [str(project / "lib" / "util.py")]


def test_discover_returns_sorted_unique_files_and_the_missing_ones(project):
    write(project, "b.py", "")
    write(project, "a/c.py", "")
    found = discover(["b.py", ".", "./b.py", "nope.py"])
    assert found.files == ["a/c.py", "b.py"]
    assert found.missing == ["nope.py"]


# -- files that cannot be checked --------------------------------------------------------

def test_syntax_error_is_reported_and_other_files_are_still_checked(project, capsys):
    write(project, "a_broken.py", "import os\nos.replace('a', 'b')\ndef f(:\n    pass\n")
    write(project, "b.py", PUBLISH)
    code, out, err = run(capsys, "check", ".")
    assert code == 1
    assert reported_paths(out) == ["b.py"]
    error, summary = err.splitlines()
    assert summary == ("Found 2 findings (1 fixable with durable-writes fix). "
                       "1 file could not be checked.")
    assert error.startswith("a_broken.py:3:")
    assert ": error: cannot parse: " in error


def test_a_file_error_alone_still_exits_1(project, capsys):
    write(project, "broken.py", "os.replace(\n")
    write(project, "fine.py", "x = 1\n")
    code, out, err = run(capsys, "check", ".")
    assert (code, out) == (1, "")
    assert err.startswith("broken.py:1:")


def test_undecodable_file_is_reported_with_its_line(project, capsys):
    # Latin-1 bytes in a file without a coding cookie: not UTF-8, so not Python source.
    write(project, "latin.py", b"import os\n\n# caf\xe9\nos.replace('a', 'b')\n")
    write(project, "b.py", PUBLISH)
    code, out, err = run(capsys, "check", ".")
    assert code == 1
    assert reported_paths(out) == ["b.py"]
    assert err.startswith("latin.py:3:1: error: cannot decode: ")


def test_errors_appear_in_json(project, capsys):
    write(project, "broken.py", "import os\nos.replace(\n")
    code, out, _ = run(capsys, "check", "--format", "json", ".")
    assert code == 1
    [record] = json.loads(out)
    assert record["path"] == "broken.py"
    assert record["code"] == "error"
    assert record["line"] == 2
    assert record["message"].startswith("cannot parse: ")
    assert record["fixable"] is False


def test_errors_appear_in_sarif_as_notifications(project, capsys):
    write(project, "broken.py", "import os\nos.replace(\n")
    _, out, _ = run(capsys, "check", "--format", "sarif", ".")
    [invocation] = json.loads(out)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    location = note["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "broken.py"
    assert location["region"]["startLine"] == 2


# -- configuration -----------------------------------------------------------------------

def test_configuration_from_the_nearest_pyproject(project, capsys, monkeypatch):
    write(project, "pyproject.toml", '[tool.durable-writes]\nignore = "DUR103"\n')
    write(project, "src/pkg/b.py", PUBLISH)
    monkeypatch.chdir(project / "src" / "pkg")
    assert codes_reported(run(capsys, "check", ".")[1]) == ["DUR102"]


def test_config_option_names_the_file(project, capsys):
    write(project, "ci/lint.toml", '[tool.durable-writes]\nselect = ["DUR103"]\n')
    write(project, "b.py", PUBLISH)
    assert codes_reported(run(capsys, "check", "--config", "ci/lint.toml", ".")[1]) == ["DUR103"]


def test_sync_helpers_from_the_configuration_reach_the_engine(project, capsys, monkeypatch):
    write(project, "pyproject.toml", textwrap.dedent("""\
        [tool.durable-writes]
        durable-file-sync-helpers = ["storage.sync_file"]
        durable-dir-sync-helpers = "storage.sync_dir, util.fsync_parent"
    """))
    write(project, "b.py", PUBLISH)
    seen: list[Config] = []

    def spy(tree, config, source=None, path=None):
        seen.append(config)
        return [], ModuleSupport()

    monkeypatch.setattr(checker, "analyze", spy)
    assert run(capsys, "check", ".")[0] == 0
    [config] = seen
    assert config.file_sync_helpers == ("storage.sync_file",)
    assert config.dir_sync_helpers == ("storage.sync_dir", "util.fsync_parent")


def test_unusable_configuration_is_a_usage_error(project, capsys):
    write(project, "a.py", FINDING)
    code, _, err = run(capsys, "check", "--config", "absent.toml", ".")
    assert code == 2
    assert "absent.toml" in err
    write(project, "pyproject.toml", "[tool.durable-writes\n")
    code, _, err = run(capsys, "check", ".")
    assert code == 2
    assert "cannot read" in err
    assert "pyproject.toml: Expected ']'" in err


# -- explain -----------------------------------------------------------------------------

def test_explain_prints_title_and_docs(capsys):
    code, out, _ = run(capsys, "explain", "DUR101")
    rule = RULES["DUR101"]
    assert code == 0
    assert out.splitlines()[0] == f"DUR101 (rename-without-file-fsync): {rule.summary}"
    assert out.endswith(rule.docs)


def test_explain_without_a_code_lists_every_rule(capsys):
    code, out, _ = run(capsys, "explain")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(RULES)


def test_explain_unknown_code_lists_the_known_ones(capsys):
    code, out, err = run(capsys, "explain", "DUR999")
    assert (code, out) == (2, "")
    assert "DUR999" in err
    assert all(known in err for known in RULES)


# -- fix is handed over to lint_rules.fixer.command ----------------------------------------

def test_fix_hands_paths_and_merged_configuration_to_the_fixer(project, capsys, monkeypatch):
    write(project, "pyproject.toml", '[tool.durable-writes]\nignore = ["DUR105"]\n')
    write(project, "a.py", FINDING)
    calls = []
    fake_fix = types.ModuleType("lint_rules.fixer.command")
    fake_fix.run = lambda paths, config, *, diff, check, jobs, quiet, force: calls.append(
        (paths, config, diff, check, jobs)) or 3
    # Both places the import may look, whichever tests ran before.
    monkeypatch.setitem(sys.modules, "lint_rules.fixer.command", fake_fix)
    monkeypatch.setattr(lint_rules, "fix_command", fake_fix, raising=False)
    assert cli.main(["fix", "--diff", "--select", "DUR102", "-j", "2", "a.py"]) == 3
    [(paths, config, diff, check, jobs)] = calls
    assert (paths, diff, check, jobs) == (["a.py"], True, False, 2)
    # Each file's own configuration, with the command line's selection on top.
    assert (config.for_path("a.py").select, config.for_path("a.py").ignore) == (
        ("DUR102",), ("DUR105",))


def test_fix_refuses_missing_paths(project, capsys):
    code, _, err = run(capsys, "fix", "nope.py")
    assert code == 2
    assert "nope.py" in err


# -- the runner ------------------------------------------------------------------------

def test_pool_gives_the_same_reports_as_one_process(project):
    count = POOL_THRESHOLD + 10
    for i in range(count):
        body = PUBLISH if i % 3 else "x = 1\n"
        write(project, f"m{i:03}.py", "import os\n" * (i % 5) + body)
    write(project, "z_broken.py", "os.replace(\n")
    files = discover(["."]).files
    serial = check_paths(files, Config(), jobs=1)
    pooled = check_paths(files, Config(), jobs=2)  # above the threshold: worker processes
    assert pooled == serial
    assert [r.path for r in pooled] == sorted(files)
    publishing = sum(1 for i in range(count) if i % 3)
    assert sum(len(r.findings) for r in pooled) == 2 * publishing
    assert pooled[-1].error is not None


# -- the installed command, end to end ---------------------------------------------------

def durable_writes(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lint_rules.cli", *argv],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )


def test_command_exit_codes_end_to_end(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    write(tmp_path, "clean.py", "print('hello')\n")
    assert durable_writes(tmp_path, "check", "clean.py").returncode == 0
    write(tmp_path, "broken.py", "import os\nopen('a.tmp', 'w').close()\nos.replace(\n")
    result = durable_writes(tmp_path, "check", ".")
    assert result.returncode == 1
    assert result.stderr.startswith("broken.py:3:")
    assert durable_writes(tmp_path, "check", "missing.py").returncode == 2


@pytest.mark.strace
def test_verify_is_reached_through_the_command(tmp_path, monkeypatch, capsys):
    """`durable-writes verify` runs the program under strace and judges its writes."""
    (tmp_path / "state.json").write_text('{"v": 1}\n')
    script = tmp_path / "save.py"
    script.write_text(textwrap.dedent("""
        import json, os
        with open("state.json.tmp", "w") as fh:
            json.dump({"v": 2}, fh)
        os.replace("state.json.tmp", "state.json")
        print("saved")
    """))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["verify", "--model", "ext4", "--", sys.executable, str(script)]) == 1
    out = capsys.readouterr().out
    assert "state.json is old after the acknowledgement" in out
    assert "NOT DURABLE under ext4" in out


def test_a_misspelt_configuration_key_is_a_usage_error(project, capsys):
    write(project, "pyproject.toml", '[tool.durable-writes]\ndurable-file-sync-helper = "x"\n')
    write(project, "a.py", FINDING)
    code, _, err = run(capsys, "check", "a.py")
    assert code == 2
    assert "unknown key(s) in " in err
    assert "pyproject.toml [tool.durable-writes]: durable-file-sync-helper; known: " in err
