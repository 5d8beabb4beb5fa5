"""Where a module lives and what an import names, from files alone; the pre-filter's question;
the cache's JSON."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from lint_rules.config import Config
from lint_rules.engine import cache, project
from lint_rules.engine.checker import may_have_findings
from lint_rules.engine.names import Imports
from lint_rules.engine.rules import analyze
from lint_rules.engine.summaries import Summary


@pytest.fixture(autouse=True)
def fresh() -> None:
    project.reset()
    yield
    project.reset()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_module_is_named_by_the_init_chain_above_it(tmp_path: Path) -> None:
    write(tmp_path, {"src/pkg/__init__.py": "", "src/pkg/sub/__init__.py": "",
                     "src/pkg/sub/mod.py": "", "pyproject.toml": "", "script.py": ""})
    mod = project.locate(str(tmp_path / "src/pkg/sub/mod.py"))
    assert (mod.module, mod.package, mod.root) == ("pkg.sub.mod", "pkg.sub", str(tmp_path / "src"))
    init = project.locate(str(tmp_path / "src/pkg/sub/__init__.py"))
    assert (init.module, init.package, init.is_package) == ("pkg.sub", "pkg.sub", True)
    lone = project.locate(str(tmp_path / "script.py"))
    assert (lone.module, lone.package, lone.root) == ("script", None, str(tmp_path))
    # A src layout: the project (and its cache) is the directory above src/.
    assert project.project_root(mod.root) == str(tmp_path)
    assert project.project_root(lone.root) == str(tmp_path)


def test_imports_resolve_to_files_without_running_anything(tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    write(tmp_path, {
        # Importing this package would leave a marker file: resolution must not.
        "app/pkg/__init__.py": f"open({str(marker)!r}, 'w').close()\n",
        "app/pkg/x.py": "",
        "app/ns/inner.py": "",  # a namespace package (no __init__.py)
    })
    search = project.search_path(str(tmp_path / "app"))
    assert project.resolve("pkg.x", search) == str(tmp_path / "app/pkg/x.py")
    assert project.resolve("pkg", search) == str(tmp_path / "app/pkg/__init__.py")
    assert project.resolve("ns.inner", search) == str(tmp_path / "app/ns/inner.py")
    assert project.resolve("pkg.missing", search) is None
    assert project.resolve("nowhere.at.all", search) is None
    assert project.resolve("pkg.x.f", search) is None  # x is a module, not a package
    assert not marker.exists()


def test_the_standard_library_is_not_a_project_helper(tmp_path: Path) -> None:
    search = project.search_path(str(tmp_path))
    assert project.resolve("json", search) is None
    assert project.resolve("lint_rules.engine.project", search) == project.__file__


@pytest.mark.parametrize("statement, package, qualified", [
    ("from .x import f", "a.b", {"f": "a.b.x.f"}),
    ("from .. import y", "a.b", {"y": "a.y"}),
    ("from ..x import f as g", "a.b.c", {"g": "a.b.x.f"}),
    ("from . import w", "a", {"w": "a.w"}),
    ("from ... import z", "a.b", {}),  # beyond the top-level package
    ("from .x import f", None, {}),  # a module outside any package
])
def test_relative_imports_are_qualified_from_the_package(statement, package, qualified) -> None:
    imports = Imports(ast.parse(statement).body, package)
    assert imports.local_to_qualified == qualified


def test_scanning_imports_from_bytes_sees_every_spelling() -> None:
    data = (b"import os, pkg.a as b\n"
            b"from . import (x,  # a comment (\n    y as z)\n"
            b"from ..m import *\n"
            b"x = 1; from q import r\n"
            b"try: import t\nexcept ImportError: pass\n"
            b"def f():\n    from u import \\\n        v\n")
    assert project.scan_imports(data) == [
        (0, "os", None), (0, "pkg.a", None), (1, "", "x"), (1, "", "y"), (0, "q", "r"),
        (0, "t", None), (0, "u", "v"),
    ]


HELPERS = """\
import os


def replace_and_sync(fh):
    fh.flush()
    os.fsync(fh.fileno())


def log(message):
    print(message)


def to_bytes(path):
    return os.fsencode(path)
"""


@pytest.mark.parametrize("caller, passes", [
    ("from pkg.helpers import replace_and_sync\nreplace_and_sync(x)\n", True),
    ("import pkg.helpers as h\nh.replace_and_sync(x)\n", True),
    ("from .helpers import replace_and_sync as r\nr(x)\n", True),
    ("from . import helpers\nhelpers.replace_and_sync(x)\n", True),
    ("import pkg.helpers\npkg.helpers.replace_and_sync(x)\n", True),
    ("import pkg.helpers\n", False),  # imported, never called
    ("import pkg.helpers as h\nh.log(x)\n", False),  # only what has no summary is called
    ("from pkg.helpers import log\nlog(x)\n", False),  # nothing with a summary
    ("from pkg.helpers import to_bytes\nto_bytes(x)\n", False),  # a converter alone
    ("from pkg.gone import replace_and_sync\n", False),  # a missing module
    ("import json\njson.dumps(x)\n", False),
])
def test_the_byte_filter_lets_through_calls_of_imported_helpers(tmp_path: Path, caller,
                                                                passes) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/helpers.py": HELPERS})
    path = str(tmp_path / "pkg" / "caller.py")
    data = caller.encode()
    assert not may_have_findings(data)  # the bytes alone would skip the file
    assert may_have_findings(data, Config(use_cache=False), path) is passes


KINDS = """\
import os


def replace_file(src, dst):
    os.replace(src, dst)


def write_state(path, text):
    with open(path, "w") as fh:
        fh.write(text)


def open_for_write(path):
    return open(path, "w")


def sync_file(fh):
    os.fsync(fh.fileno())


def flush_only(fh):
    fh.flush()


def retry(fn, *args):
    return fn(*args)
"""


@pytest.mark.parametrize("caller, passes, found", [
    # A finding needs a sync, or a write and a rename: each here or in what is imported.
    ("from pkg.kinds import replace_file\nreplace_file(a, b)\n", False, False),
    ("from pkg.kinds import replace_file\n"
     "with open(a, 'w') as fh:\n    fh.write(x)\nreplace_file(a, b)\n", True, True),
    ("from pkg.kinds import write_state\nwrite_state(a, x)\n", False, False),
    ("import os\nfrom pkg.kinds import write_state\nwrite_state(a, x)\nos.replace(a, b)\n",
     True, True),
    ("from pkg.kinds import open_for_write\nopen_for_write(a).write(x)\n", False, False),
    ("from pkg.kinds import open_for_write, replace_file\n"
     "with open_for_write(a) as fh:\n    fh.write(x)\nreplace_file(a, b)\n", True, True),
    ("import pkg.kinds as k\nwith k.open_for_write(a) as fh:\n    fh.write(x)\n"
     "k.replace_file(a, b)\n", True, True),
    ("from pkg.kinds import sync_file\nsync_file(fh)\n", True, False),
    ("from pkg.kinds import flush_only\nflush_only(fh)\n", False, False),  # syncs nothing
    ("from pkg.kinds import retry\nretry(f, a)\n", True, False),  # may be handed anything
])
def test_the_byte_filter_asks_what_imported_functions_do(tmp_path: Path, caller, passes,
                                                         found) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/kinds.py": KINDS})
    path = str(tmp_path / "pkg" / "caller.py")
    config = Config(use_cache=False)
    assert may_have_findings(caller.encode(), config, path) is passes
    # What the engine finds when it looks anyway: nothing in what the filter rules out.
    findings, _ = analyze(ast.parse(caller), config, caller, path)
    assert bool(findings) is found


def test_summaries_round_trip_through_json() -> None:
    summary = Summary(("fh", "path"), (frozenset({"handle", "flush"}), frozenset()), False)
    value = {"summaries": {"f": summary}, "deps": [("a", "b", None, "c")]}
    text = json.dumps(cache.encode(value))
    assert cache.decode(json.loads(text)) == value


@pytest.mark.parametrize("data", [
    {"dc": "Popen", "f": {}},  # not a registered class
    {"dc": "Summary", "f": {"params": {"t": []}, "shell": True}},  # not a field
    {"dc": "Summary", "f": {}},  # fields missing
    {"x": 1},
    {"t": "not a list"},
])
def test_foreign_json_is_refused(data) -> None:
    with pytest.raises(cache.CacheFormatError):
        cache.decode(data)


def test_a_value_the_cache_cannot_hold_is_not_written(tmp_path: Path) -> None:
    store = cache.SummaryCache(str(tmp_path / cache.DIRNAME))
    store.store("slot", "k", {"summaries": {"f": object()}})
    assert not (tmp_path / cache.DIRNAME).exists()
    store.store("slot", "k", {"summaries": {}})
    assert store.load("slot", "k") == {"summaries": {}}
    assert not [p for p in (tmp_path / cache.DIRNAME).iterdir() if p.name.startswith(".tmp")]


def test_an_entry_made_for_another_key_is_a_miss(tmp_path: Path) -> None:
    store = cache.SummaryCache(str(tmp_path / cache.DIRNAME))
    store.store("slot", "old", {"summaries": {}})
    assert store.load("slot", "new") is None
    store.store("slot", "new", {"exports": {}})
    assert store.load("slot", "new") == {"exports": {}}
    assert store.load("slot", "old") is None  # replaced, not kept beside it


WRITER_HELPERS = """\
import os


def replace_and_sync(fh):
    fh.flush()
    os.fsync(fh.fileno())


def save(path, text):
    with open(path + ".tmp", "w") as fh:
        fh.write(text)
    os.replace(path + ".tmp", path)
"""

CALLER = """\
import os
from pkg.helpers import replace_and_sync


def store(path, data):
    with open(path + ".tmp", "wb") as fh:
        fh.write(data)
        replace_and_sync(fh)
    os.replace(path + ".tmp", path)
"""


def test_a_module_summarised_for_another_file_is_checked_from_the_same_tree(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from lint_rules import cli

    write(tmp_path, {"pkg/__init__.py": "", "pkg/a_caller.py": CALLER,
                     "pkg/helpers.py": WRITER_HELPERS})
    monkeypatch.chdir(tmp_path)
    parsed: dict[str, int] = {}
    real = ast.parse

    def counting(source, filename="<unknown>", *args, **kwargs):
        key = str(Path(filename).resolve())
        parsed[key] = parsed.get(key, 0) + 1
        return real(source, filename, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    # a_caller.py comes first: its check summarises helpers.py, whose own check then
    # takes that tree instead of parsing the file again.
    cli.main(["check", "--jobs", "1", "--no-cache", "pkg"])
    together = capsys.readouterr().out
    assert parsed[str(tmp_path / "pkg" / "helpers.py")] == 1
    alone = []
    for name in ("pkg/a_caller.py", "pkg/helpers.py"):
        project.reset()
        cli.main(["check", "--jobs", "1", "--no-cache", name])
        alone += capsys.readouterr().out.splitlines()
    assert together.splitlines() == alone
    assert "pkg/helpers.py:10:10: DUR101" in together


def test_a_module_is_read_only_as_far_as_the_calls_asked_about_reach(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller asks about `write_state`; the module's class calls `pkg.remote` in a method
    nothing asks about, so pkg/remote.py is never parsed."""
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/remote.py": "def fetch(url):\n    return url\n",
        "pkg/helpers.py": (
            "from pkg import remote\n\n\n"
            "def write_state(path, text):\n"
            "    with open(path, 'w') as fh:\n"
            "        fh.write(text)\n\n\n"
            "class Client:\n"
            "    def get(self, url):\n"
            "        return remote.fetch(url)\n"),
        "pkg/caller.py": (
            "import os\n"
            "from pkg.helpers import write_state\n\n\n"
            "def store(path, text):\n"
            "    write_state(path + '.tmp', text)\n"
            "    os.replace(path + '.tmp', path)\n"),
    })
    parsed: list[str] = []
    real = ast.parse

    def recording(source, filename="<unknown>", *args, **kwargs):
        parsed.append(Path(filename).name)
        return real(source, filename, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", recording)
    data = (tmp_path / "pkg" / "caller.py").read_bytes()
    config = Config(use_cache=False)
    assert may_have_findings(data, config, str(tmp_path / "pkg" / "caller.py"))
    assert parsed == ["helpers.py"]
