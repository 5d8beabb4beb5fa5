"""Run each pair's writers, before and after the fix, and watch the syscalls.

Before the fix every writer must break the protocol somewhere (that is what the finding said);
after it, each rename must come after an fsync of the complete file and before an fsync of its
directory, and the files written must be byte for byte what they were before the fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .pairs import Pair, all_pairs, fixed
from .spy import files_in, run_module, violations


@dataclass(frozen=True)
class Run:
    calls: str | None  # run in the module's namespace, `d` naming the directory; None: a script
    outputs: tuple[str, ...]  # the files the run leaves in the directory
    argv: list[str] = field(default_factory=lambda: ["prog"])


RUNS: dict[str, Run] = {
    "with_block": Run("save_state(d + '/state.json', {'a': [1, 2]})", ("state.json",)),
    "bare_handle": Run("save_text(d + '/notes.txt', 'hello\\n')", ("notes.txt",)),
    "mkstemp_fdopen": Run("save_bytes(d + '/blob.bin', bytes(range(256)))", ("blob.bin",)),
    "mkstemp_os_write": Run("save_bytes(d + '/blob.bin', b'raw' * 99)", ("blob.bin",)),
    "named_temporary_with": Run("save_text(d + '/a.txt', 'named')", ("a.txt",)),
    "named_temporary_bare": Run("save_text(d + '/a.txt', 'named, bare')", ("a.txt",)),
    "path_open": Run("save_settings(Path(d) / 'settings.json', {'k': 'v'})", ("settings.json",)),
    "path_write_text": Run(
        "save_text(Path(d) / 't.txt', 'text'); save_bytes(Path(d) / 'b.bin', b'bytes')",
        ("b.bin", "t.txt"),
    ),
    "raw_fd": Run("save_bytes(d + '/raw.bin', b'\\x00\\xff' * 10)", ("raw.bin",)),
    "rename_in_try": Run("save_bytes(d + '/t.bin', b'try')", ("t.bin",)),
    "try_cleanup": Run("save_bytes(d + '/t.bin', b'cleanup')", ("t.bin",)),
    "method_self": Run(
        "s = Store(d + '/store.dat'); s.save(b'one'); s.save_lines(['a', 'b'])", ("store.dat",)
    ),
    "async_function": Run(
        "import asyncio; asyncio.run(save_bytes(d + '/a.bin', b'async'))", ("a.bin",)
    ),
    "nested_function": Run("make_saver(d)('n.txt', 'nested')", ("n.txt",)),
    "yielding_context_manager": Run(
        "with atomic_write(d + '/cm.txt') as out:\n    out.write('managed')", ("cm.txt",)
    ),
    "rename_inside_with": Run("save_text(d + '/w.txt', 'inside')", ("w.txt",)),
    "one_line_with": Run("save_text(d + '/o.txt', 'one line')", ("o.txt",)),
    "flush_before_fsync": Run("save_text(d + '/f.txt', 'flushed first')", ("f.txt",)),
    "existing_dir_helper": Run(
        "save_config(d + '/c.ini', '[a]'); save_cache(d + '/c.bin', b'cache')",
        ("c.bin", "c.ini"),
    ),
    "existing_file_helper": Run("save(Path(d) / 'e.txt', 'reused')", ("e.txt",)),
    "handle_name_reused": Run(
        "save_pair(d, {'n': 1}, b'payload')", ("data.bin", "index.json")
    ),
    "helper_name_taken": Run("save_text(d + '/h.txt', 'taken')", ("h.txt",)),
    "os_alias": Run("save_state(d + '/s.json', [1])", ("s.json",)),
    "from_os_import": Run("save_state(d + '/s.json', {'from': 'os'})", ("s.json",)),
    "no_os_import": Run("save_text(d + '/m.txt', 'moved')", ("m.txt",)),
    "docstring_future": Run("save_settings(Path(d) / 's.json', {'x': 1})", ("s.json",)),
    "comments_and_blank_lines": Run("save_text(d + '/c.txt', 'commented')", ("c.txt",)),
    "tabs": Run("save_text(d + '/t.txt', 'tabbed')", ("t.txt",)),
    "several_writers": Run(
        "save_json(d + '/j.json', {'b': 1, 'a': 2}); save_bytes(d + '/b.bin', b'b');"
        " save_raw(d + '/r.bin', b'r'); assert load(d + '/j.json') == {'a': 2, 'b': 1}",
        ("b.bin", "j.json", "r.bin"),
    ),
    "decorated": Run("save_text(d + '/dec.txt', 'decorated')", ("dec.txt",)),
    "module_script": Run(None, ("index.json",), ["regen", "b", "a"]),
    "main_guard": Run(None, ("out.txt",), ["prog", "out.txt", "x", "y"]),
    "latin1_cookie": Run("sauvegarder(d + '/p.txt', 'oui')", ("p.txt",)),
    "utf8_non_ascii": Run("sauvegarder(d + '/p.txt', 'oui')", ("p.txt",)),
    "utf8_non_ascii_compound_line": Run("sauvegarder(d + '/p.txt', 'oui')", ("p.txt",)),
    # Found by running the fixer over popular packages (see the closing notes of issue 3).
    "open_on_mkstemp_fd": Run(
        "atomic_write(d + '/a.bin', b'fd'); atomic_write_text(d + '/b.txt', 'fd', 'w')",
        ("a.bin", "b.txt"),
    ),
    "zip_in_same_with": Run(
        "build(d + '/w.zip', {'n': b'data'}); open(d + '/src', 'w').write('copied');"
        " copy_in(d + '/src', d + '/copy.txt')",
        ("copy.txt", "src", "w.zip"),
    ),
    # Issue 9: the protocol split across helpers, aliases, openers and a class.
    "rename_wrapper": Run("save_state(d + '/s.json', {'a': 1})", ("s.json",)),
    "rename_alias": Run(
        "save_text(d + '/t.txt', 'alias'); save_bytes(d + '/b.bin', b'partial')",
        ("b.bin", "t.txt"),
    ),
    "retry_forwarder": Run("save(d + '/r.bin', b'retry')", ("r.bin",)),
    "retry_own_wrapper": Run("save(d + '/w.bin', b'handed')", ("w.bin",)),
    "opener_context_manager": Run("save_text(d + '/o.txt', 'opened')", ("o.txt",)),
    "opener_pair": Run("save_bytes(d + '/p.bin', b'pair')", ("p.bin",)),
    "write_helper": Run("save_state(d + '/w.json', {'b': 2})", ("w.json",)),
    "gzip_by_path": Run("save_log(d + '/l.gz', b'log' * 50)", ("l.gz",)),
    "class_unit": Run(
        "f = AtomicFile(d + '/c.txt'); f.write('one'); f.write('two'); f.commit()", ("c.txt",)
    ),
    "handle_name_source": Run("save_text(d + '/h.txt', 'named')", ("h.txt",)),
    "method_on_object": Run(
        "set_content(FilePath(d + '/c.bin'), b'content'); save(d + '/s.bin', b'saved')",
        ("c.bin", "s.bin"),
    ),
    "written_in_either_branch": Run(
        "save(d + '/x.txt', 'first', ''); save(d + '/y.txt', '', 'second')", ("x.txt", "y.txt")
    ),
}

PAIRS = all_pairs()


def run_of(pair: Pair) -> Run:
    return RUNS[pair.name.removesuffix("-crlf")]


def test_every_pair_is_run() -> None:
    assert [p.name for p in PAIRS if p.name.removesuffix("-crlf") not in RUNS] == []


def execute(source: bytes, pair: Pair, workdir: Path, monkeypatch: pytest.MonkeyPatch):
    workdir.mkdir()
    run = run_of(pair)
    calls = None if run.calls is None else "from pathlib import Path\n" + run.calls
    spy = run_module(source, pair.name.replace("-", "_"), workdir, calls, run.argv, monkeypatch)
    written = files_in(workdir)
    assert sorted(written) == sorted(run.outputs), "the run left other files behind"
    return spy.events, written


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_fixed_writers_are_durable_and_write_the_same_bytes(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before_events, before_files = execute(pair.before, pair, tmp_path / "before", monkeypatch)
    assert violations(before_events), "the unfixed writer already looks durable"

    after_events, after_files = execute(fixed(pair), pair, tmp_path / "after", monkeypatch)
    assert violations(after_events) == [], after_events
    assert [e.kind for e in after_events].count("rename") == \
        [e.kind for e in before_events].count("rename")
    assert after_files == before_files
    assert all(after_files.values()), "a writer wrote an empty file"
