"""The byte pre-filter stays sound: a file whose only write or rename goes through a helper
(its own, or a configured one) is still parsed and reported, and so is every spelling of a
rename, while a file whose only `replace` is `str.replace` is not parsed."""
from __future__ import annotations

import ast
import textwrap

import pytest

from lint_rules.config import Config
from lint_rules.engine.checker import check_source, may_have_findings
from lint_rules.engine.prefilter import may_rename

OWN_WRITE_HELPER = textwrap.dedent('''\
    import json
    import os


    def dump(path, obj):
        with open(path, "w") as fh:
            json.dump(obj, fh)


    def save(path, obj):
        dump(path + ".tmp", obj)
        os.replace(path + ".tmp", path)
''').encode()

OWN_RENAME_WRAPPER = textwrap.dedent('''\
    import os


    def publish(src, dst):
        os.rename(src, dst)


    def save(path, data):
        with open(path + ".tmp", "wb") as fh:
            fh.write(data)
        publish(path + ".tmp", path)
''').encode()

CONFIGURED = textwrap.dedent('''\
    from storage import commit_file, atomic_handle


    def save(path, data):
        with atomic_handle(path + ".tmp") as fh:
            fh.write(data)
        commit_file(path + ".tmp", path)
''').encode()


def codes(data: bytes, config: Config = Config()) -> list[tuple[int, str]]:
    report = check_source(data, "m.py", config)
    assert report.error is None
    return [(f.line, f.code) for f in report.findings]


def test_a_write_only_through_the_files_own_helper_is_analysed() -> None:
    assert codes(OWN_WRITE_HELPER) == [(11, "DUR101"), (12, "DUR102")]


def test_a_rename_only_through_the_files_own_wrapper_is_analysed() -> None:
    assert codes(OWN_RENAME_WRAPPER) == [(9, "DUR101"), (11, "DUR102")]


def test_configured_helpers_with_names_of_their_own_pass_the_filter() -> None:
    assert not may_have_findings(CONFIGURED)
    config = Config(rename_helpers=("storage.commit_file",),
                    open_helpers=("storage.atomic_handle",))
    assert may_have_findings(CONFIGURED, config)
    assert codes(CONFIGURED, config) == [(5, "DUR101"), (7, "DUR102")]


def test_a_durable_configured_rename_owes_no_directory_sync() -> None:
    config = Config(rename_helpers=("commit_file:durable",), open_helpers=("atomic_handle",))
    assert codes(CONFIGURED, config) == [(5, "DUR101")]


# -- renames the bytes spell: what must pass, and the `str.replace` that need not -----------

# Each may rename, or the scan cannot tell: the filter must let it through.
MAY_RENAME = [
    "os.replace(tmp, path)",
    "os . replace (tmp, path)",
    "os.replace(\n    tmp,\n    path,\n)",
    "import os as _os\n_os.rename(tmp, path)",
    "import shutil\nshutil.move(tmp, path)",
    "os.renames(tmp, path)",
    "tmp.replace(path)",
    "tmp.rename(target=path)",
    "Path(tmp).replace(path,)",
    "tmp.rename('a,b')",
    "tmp.rename(f'{a},{b}')",
    'tmp.rename(f"{d[","]}")',
    "tmp.replace(*args)",
    "tmp.replace(x  # a comment, with a comma\n, y)",
    "tmp.replace('''a''', b)",
    "from os import replace\nreplace(tmp, path)",
    "from os import (\n    replace as swap,\n)\nswap(tmp, path)",
    "swap = os.replace",
    "swap = getattr(os, 'replace', os.rename)",
    "swap = functools.partial(os.replace)",
    "retry(os.replace, tmp, path)",
    "self.replace(tmp, path)",
    "from . import store\nstore.replace(tmp, path)",
    "import pkg.store\npkg.store.replace(tmp, path)",
    "replace(tmp, path)",
    "os.replace(tmp, path) if x else None",
    "(os\n    .replace(tmp, path))",
    "(os).replace(tmp, path)",
    "((os)).replace(tmp, path)",
    "f(')').replace(a, b)",
    "return (os).replace(tmp, path)",
]

# Each cannot rename: the filter need not parse a file for it.
CANNOT_RENAME = [
    "name.replace('-', '_')",
    "name.replace(old, new, 1)",
    "'a-b'.replace('-', '_')",
    "f(x).replace(a, b)",
    "f(g(x), y).replace(a, b)",
    "self.name().replace(a, b)",
    "{'a': 1}['a'].replace(a, b)",
    "text.replace(\n    old,\n    new,\n)",
    "parts[0].replace('\\\\', '/')",
    "# replace the file, then move on",
    '"""Rename the file; replace its contents."""',
    "sub(pattern, repl, replace=True)",
    "def replace(self, old, new):\n    pass",
    "replacement = renamed = moved = 1",
]


@pytest.mark.parametrize("code", MAY_RENAME)
def test_a_possible_rename_passes_the_filter(code: str) -> None:
    assert may_rename(code.encode())
    assert may_have_findings(b"open(tmp, 'w')\n" + code.encode())


@pytest.mark.parametrize("code", CANNOT_RENAME)
def test_what_cannot_rename_does_not_pass_the_filter(code: str) -> None:
    assert not may_rename(code.encode())
    assert not may_have_findings(b"open(tmp, 'w')\n" + code.encode())


def test_a_file_that_only_calls_str_replace_is_not_parsed(monkeypatch: pytest.MonkeyPatch,
                                                          ) -> None:
    monkeypatch.setattr(ast, "parse", _refuse)
    data = textwrap.dedent('''\
        def save(path, name, state):
            """Write the state; replace dashes in its name."""
            with open(path, "w") as fh:
                fh.write(name.replace("-", "_") + state)
    ''').encode()
    assert check_source(data, "plain.py", Config()).findings == []


def _refuse(*args, **kwargs):
    raise AssertionError("parsed a file the pre-filter should have skipped")


def test_str_replace_beside_a_real_rename_is_still_analysed() -> None:
    data = textwrap.dedent('''\
        import os as _os


        def save(path, name):
            with open(path + ".tmp", "w") as fh:
                fh.write(name.replace("-", "_"))
            _os.replace(path + ".tmp", path)
    ''').encode()
    assert codes(data) == [(5, "DUR101"), (7, "DUR102")]
