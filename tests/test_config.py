"""One configuration, found per file: `[tool.durable-writes]` of the nearest pyproject.toml
above each checked file, through the real command and the real engine (flake8's face is in
tests/rules/test_flake8.py)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lint_rules import cli, config
from lint_rules.config import Config, ConfigError, config_for

# The real engine reports DUR101 at the open (7:10) and DUR102 at the rename (9:5).
WRITER = (Path(__file__).parent / "fix" / "cases" / "with_block.before.py").read_text()


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def check(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = cli.main(["check", "-q", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.fixture
def monorepo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A root project that ignores DUR102, a subproject that ignores DUR101, and a package
    whose pyproject.toml has no table of ours (so the root's applies there)."""
    write(tmp_path, "pyproject.toml", '[tool.durable-writes]\nignore = ["DUR102"]\n')
    write(tmp_path, "sub/pyproject.toml", '[tool.durable-writes]\nignore = ["DUR101"]\n')
    write(tmp_path, "plain/pyproject.toml", "[project]\nname = 'plain'\n")
    for name in ("top.py", "sub/pkg/deep.py", "plain/mod.py"):
        write(tmp_path, name, WRITER)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the working directory has no say
    return tmp_path


def test_each_file_gets_its_nearest_configuration(monorepo: Path, capsys) -> None:
    code, out, _ = check(capsys, str(monorepo))
    assert code == 1
    assert out == [
        f"{monorepo / 'plain' / 'mod.py'}:7:10: DUR101 {cli.RULES['DUR101'].message}",
        f"{monorepo / 'sub' / 'pkg' / 'deep.py'}:9:5: DUR102 {cli.RULES['DUR102'].message}",
        f"{monorepo / 'top.py'}:7:10: DUR101 {cli.RULES['DUR101'].message}",
    ]


def test_config_option_forces_one_file_for_every_file(monorepo: Path, capsys) -> None:
    forced = write(monorepo, "ci/lint.toml", '[tool.durable-writes]\nselect = ["DUR102"]\n')
    code, out, _ = check(capsys, "--config", str(forced), str(monorepo))
    assert code == 1
    assert [line.split()[1] for line in out] == ["DUR102"] * 3


def test_command_line_selection_goes_over_every_files_own(monorepo: Path, capsys) -> None:
    _, out, _ = check(capsys, "--ignore", "DUR105", str(monorepo))
    assert len(out) == 6  # both findings in each file: --ignore replaced each file's ignore


def test_fix_uses_each_files_configuration(monorepo: Path, capsys) -> None:
    assert cli.main(["fix", "-q", str(monorepo)]) == 0
    top = (monorepo / "top.py").read_text()
    deep = (monorepo / "sub" / "pkg" / "deep.py").read_text()
    assert "os.fsync(fh.fileno())" in top and "_fsync_parent_dir" not in top
    assert "_fsync_parent_dir(path)" in deep and "os.fsync(fh.fileno())" not in deep


def test_stdin_is_configured_by_its_file_name(monorepo: Path, capsys, monkeypatch) -> None:
    import io
    import sys

    stdin = io.TextIOWrapper(io.BytesIO(WRITER.encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    name = str(monorepo / "sub" / "unsaved.py")
    code, out, _ = check(capsys, "--stdin-filename", name, "-")
    assert (code, out) == (1, [f"{name}:9:5: DUR102 {cli.RULES['DUR102'].message}"])


# -- mistakes are usage errors -----------------------------------------------------------

@pytest.mark.parametrize("table, message", [
    ('durable-file-sync-helper = "x"', "unknown key(s) in "),
    ('select = ["DUR9"]', "unknown rule selector(s) in "),
    ('ignore = ["DUR11"]', "unknown rule selector(s) in "),
    ('select = "DUR1, DUR1050"', "DUR1050"),
    ("select = 101", "select must be a string or a list of strings"),
    ("max-file-size = -1", "max-file-size must be a positive integer"),
    ('unsafe-fixes = "yes"', "unsafe-fixes must be true or false"),
])
def test_a_bad_key_or_value_is_exit_2(tmp_path, monkeypatch, capsys, table, message) -> None:
    write(tmp_path, "pyproject.toml", f"[tool.durable-writes]\n{table}\n")
    write(tmp_path, "a.py", WRITER)
    monkeypatch.chdir(tmp_path)
    code, out, err = check(capsys, ".")
    assert (code, out) == (2, [])
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("name", ["durable_writes", "durablewrites", "Durable-Writes",
                                  "durable-write", "durable.writes"])
def test_a_misspelt_table_is_exit_2(tmp_path, monkeypatch, capsys, name) -> None:
    write(tmp_path, "pyproject.toml", f'[tool."{name}"]\nignore = ["DUR102"]\n')
    write(tmp_path, "a.py", WRITER)
    monkeypatch.chdir(tmp_path)
    code, _, err = check(capsys, ".")
    assert code == 2
    assert f"unknown table [tool.{name}]; did you mean [tool.durable-writes]?" in err


def test_other_tools_tables_are_not_mistaken_for_ours(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, "pyproject.toml", "[tool.ruff]\n[tool.durable]\n[tool.writes]\n")
    write(tmp_path, "a.py", WRITER)
    monkeypatch.chdir(tmp_path)
    assert check(capsys, ".")[0] == 1


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("codes", ["DUR9", "DUR11", "DUR101,E501", "X"])
def test_a_selector_that_selects_nothing_is_exit_2(tmp_path, monkeypatch, capsys, option,
                                                   codes) -> None:
    write(tmp_path, "a.py", WRITER)
    monkeypatch.chdir(tmp_path)
    code, out, err = check(capsys, option, codes, ".")
    assert (code, out) == (2, [])
    assert f"unknown rule selector(s) in {option}: " in err


@pytest.mark.parametrize("codes", ["DUR", "dur1", "DUR10", "DUR105"])
def test_selectors_are_prefixes_of_known_codes(tmp_path, monkeypatch, capsys, codes) -> None:
    write(tmp_path, "a.py", WRITER)
    monkeypatch.chdir(tmp_path)
    assert check(capsys, "--select", codes, ".")[0] in (0, 1)


def test_a_broken_configuration_deep_in_the_tree_stops_the_run(
        tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, "ok/a.py", WRITER)
    write(tmp_path, "bad/pyproject.toml", "[tool.durable-writes]\nselct = []\n")
    write(tmp_path, "bad/b.py", WRITER)
    monkeypatch.chdir(tmp_path)
    code, out, err = check(capsys, ".")
    assert (code, out) == (2, [])
    assert f"{tmp_path / 'bad' / 'pyproject.toml'} [tool.durable-writes]: selct" in err


# -- config_for, the one function every face calls ----------------------------------------

def test_config_for_reads_each_pyproject_once(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.durable-writes]\nignore = ["DUR105"]\n')
    config.clear_cache()
    for i in range(50):
        assert config_for(tmp_path / f"pkg{i % 5}" / f"m{i}.py").ignore == ("DUR105",)
    # One look per directory (the five package directories and the project's), one read.
    assert config._settings_in.cache_info().misses == 5 + 1
    assert config._table_of.cache_info().misses == 1
    assert config._cached_config.cache_info().misses == 1


def test_config_for_takes_overrides_and_files_that_do_not_exist(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml",
          '[tool.durable-writes]\ndurable-file-sync-helpers = ["a.sync"]\n')
    config.clear_cache()
    found = config_for(tmp_path / "unsaved.py", {"dir_sync_helpers": ("b.sync",)})
    assert found == Config(file_sync_helpers=("a.sync",), dir_sync_helpers=("b.sync",))
    assert config_for(tmp_path / "x.py", {"file_sync_helpers": ()}).file_sync_helpers == ()


def test_config_for_outside_any_project_is_the_default(tmp_path: Path) -> None:
    config.clear_cache()
    assert config_for(tmp_path / "a.py") == Config()


def test_config_for_raises_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.durable_writes]\n")
    config.clear_cache()
    with pytest.raises(ConfigError, match="did you mean"):
        config_for(tmp_path / "a.py")


def test_worker_processes_find_each_files_configuration(monorepo: Path, capsys) -> None:
    from lint_rules.runner import POOL_THRESHOLD

    for i in range(POOL_THRESHOLD):
        write(monorepo, f"sub/many/m{i:02}.py", WRITER)
    code, out, _ = check(capsys, "-j", "2", str(monorepo))
    assert code == 1
    codes = [line.split()[1] for line in out if "/sub/many/" in line]
    assert codes == ["DUR102"] * POOL_THRESHOLD  # the subproject ignores DUR101


def test_the_codemod_reads_each_files_configuration(tmp_path: Path) -> None:
    from libcst.codemod import CodemodContext, TransformSkip, TransformSuccess, transform_module

    from lint_rules.codemods.durable_writes import DurableWritesCommand

    write(tmp_path, "a/pyproject.toml", '[tool.durable-writes]\nignore = ["DUR102"]\n')
    write(tmp_path, "b/pyproject.toml", '[tool.durable-writes]\nselct = 1\n')
    config.clear_cache()
    fixed = {}
    for project in ("a", "c"):
        context = CodemodContext(filename=str(tmp_path / project / "w.py"))
        result = transform_module(DurableWritesCommand(context), WRITER)
        assert isinstance(result, TransformSuccess)
        fixed[project] = result.code
    assert "os.fsync(fh.fileno())" in fixed["a"] and "_fsync_parent_dir" not in fixed["a"]
    assert "_fsync_parent_dir(path)" in fixed["c"]
    broken = CodemodContext(filename=str(tmp_path / "b" / "w.py"))
    skipped = transform_module(DurableWritesCommand(broken), WRITER)
    assert isinstance(skipped, TransformSkip)
    assert "unusable configuration: " in skipped.skip_description


def test_a_nested_projects_excludes_apply_to_its_files(monorepo: Path, capsys) -> None:
    # Names of directories above the subproject (its own, the monorepo's) match nothing.
    write(monorepo, "sub/pyproject.toml", '[tool.durable-writes]\nignore = ["DUR101"]\n'
          f'exclude = ["generated", "*_pb2.py", "sub", "{monorepo.name}"]\n')
    for name in ("sub/generated/g.py", "sub/pkg/api_pb2.py", "api_pb2.py"):
        write(monorepo, name, WRITER)
    _, out, _ = check(capsys, str(monorepo))
    paths = sorted({line.split(":")[0] for line in out})
    assert paths == [str(monorepo / name) for name in (
        "api_pb2.py", "plain/mod.py", "sub/pkg/deep.py", "top.py")]
    # Named explicitly, a file is checked all the same.
    _, out, _ = check(capsys, str(monorepo / "sub" / "pkg" / "api_pb2.py"))
    assert len(out) == 1


def test_force_exclude_applies_excludes_to_named_files(monorepo: Path, capsys) -> None:
    write(monorepo, "pyproject.toml", '[tool.durable-writes]\nexclude = ["vendor"]\n')
    write(monorepo, "sub/pyproject.toml", '[tool.durable-writes]\nexclude = ["*_pb2.py"]\n')
    named = [write(monorepo, name, WRITER) for name in (
        "vendor/lib/v.py", "sub/api_pb2.py", "sub/keep.py", "build/gen.py")]
    _, out, _ = check(capsys, *map(str, named))
    assert len({line.split(":")[0] for line in out}) == 4  # named: checked
    _, out, _ = check(capsys, "--force-exclude", *map(str, named))
    # The root's exclude, the subproject's, and the built-in ones (build/) all hold.
    assert {line.split(":")[0] for line in out} == {str(monorepo / "sub" / "keep.py")}
    assert cli.main(["fix", "-q", "--force-exclude", *map(str, named)]) == 0
    assert (monorepo / "vendor" / "lib" / "v.py").read_text() == WRITER
    assert (monorepo / "sub" / "keep.py").read_text() != WRITER


def test_force_exclude_keeps_the_built_in_excludes_without_any_configured(tmp_path, capsys,
                                                                          monkeypatch) -> None:
    named = [write(tmp_path, name, WRITER) for name in ("build/gen.py", ".venv/x.py", "a.py")]
    monkeypatch.chdir(tmp_path)
    _, out, _ = check(capsys, "--force-exclude", *map(str, named))
    assert {line.split(":")[0] for line in out} == {str(tmp_path / "a.py")}
