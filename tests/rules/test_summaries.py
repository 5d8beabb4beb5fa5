"""Summaries as other parts of the tool consume them: plain frozen data (the cache encodes
them as JSON), one mapping from a function's name to its summary, and the same answers when
the engine has only a tree and no source text."""
from __future__ import annotations

import ast
import dataclasses
import json
import textwrap

from lint_rules.config import Config
from lint_rules.engine.index import index_module
from lint_rules.engine.names import Imports
from lint_rules.engine.rules import analyze
from lint_rules.engine.summaries import Helpers, OpenFact, RenameFact, Summary

MODULE = textwrap.dedent('''\
    import contextlib
    import os

    safe_rename = getattr(os, "replace", os.rename)


    def replace_file(src, dst):
        os.replace(src, dst)


    def durable_replace(src, dst):
        replace_file(src, dst)
        fd = os.open(os.path.dirname(dst), os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)


    @contextlib.contextmanager
    def open_tmp(path):
        with open(path, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())


    def ping(n):
        return pong(n - 1) if n else None


    def pong(n):
        return ping(n)


    def save(path, data):
        with open_tmp(path + ".tmp") as fh:
            fh.write(data)
        durable_replace(path + ".tmp", path)
        ping(3)
''')


def helpers(source: str | None = MODULE) -> Helpers:
    tree = ast.parse(MODULE)
    index = index_module(tree, source)
    return Helpers(index, Imports(index.imports), Config())


def plain(value: object) -> object:
    """What a generic JSON encoder of frozen dataclasses would write."""
    if dataclasses.is_dataclass(value):
        assert type(value).__dataclass_params__.frozen
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, frozenset)):
        return [plain(item) for item in sorted(value, key=repr)] if isinstance(
            value, frozenset) else [plain(item) for item in value]
    assert value is None or isinstance(value, (str, int, bool)), type(value)
    return value


def test_summaries_say_what_each_kind_of_helper_does() -> None:
    summaries = helpers().summaries
    assert summaries["replace_file"].renames == (RenameFact(0, 1, False),)
    assert summaries["durable_replace"].renames == (RenameFact(0, 1, True),)
    assert summaries["safe_rename"].renames == (RenameFact(0, 1, False),)
    assert summaries["open_tmp"].opens == OpenFact(0, True)
    assert "ping" not in summaries and "pong" not in summaries  # a cycle that does nothing
    assert summaries["save"].syncs_dir and not summaries["save"].renames  # renames no param
    assert set(summaries) == {"safe_rename", "replace_file", "durable_replace", "open_tmp",
                              "save"}


def test_summaries_are_plain_frozen_data() -> None:
    for summary in helpers().summaries.values():
        assert isinstance(summary, Summary)
        json.dumps(plain(summary))


def test_without_the_source_text_the_answers_are_the_same() -> None:
    assert dict(helpers(None).summaries) == dict(helpers().summaries)
    tree = ast.parse(MODULE)
    assert analyze(tree, Config(), None)[0] == analyze(tree, Config(), MODULE)[0]
    assert analyze(tree, Config(), MODULE)[0] == []  # the helpers do the whole protocol


# Functions the text of whose calls says they cannot write (left out before their scope is
# built) beside look-alikes that do write, or may.
LOOK_ALIKES = textwrap.dedent('''\
    import io
    import os
    import zipfile


    def load(path):
        with open(path, "rb") as fh:
            return fh.read()


    def load_text(path):
        with io.open(path, encoding="utf-8") as fh:
            return fh.read()


    def members(path):
        archive = zipfile.ZipFile(path, mode="r")
        return archive.namelist()


    def retry(fn, *args):
        return [fn, args]


    def save(path, data):
        with open(path, "wb") as fh:
            fh.write(data)


    def save_as(path, data, mode):
        with open(path, mode) as fh:
            fh.write(data)


    def save_split(path, data):
        with open(path,
                  "w") as fh:
            fh.write(data)


    def save_tricky(path, data):
        with open(path, "r" if not data else "w") as fh:
            fh.write(data)


    def save_zip(path, data):
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("x", data)


    def really_retry(fn, *args):
        return fn(*args)
''')


def look_alikes(source: str | None) -> Helpers:
    tree = ast.parse(LOOK_ALIKES)
    index = index_module(tree, source)
    return Helpers(index, Imports(index.imports), Config())


def test_functions_whose_calls_only_read_are_left_out_before_their_scope_is_built(
        monkeypatch) -> None:
    from lint_rules.engine import summaries as summaries_module

    built: list[str] = []
    real = summaries_module.Collector.collect

    def recording(self, node, body):
        built.append(node.name)
        return real(self, node, body)

    monkeypatch.setattr(summaries_module.Collector, "collect", recording)
    found = dict(look_alikes(LOOK_ALIKES).summaries)
    assert {"save", "save_split", "save_zip", "really_retry"} <= set(found)
    left_out = {"load", "load_text", "members", "retry"}
    assert set(built) == {"save", "save_as", "save_split", "save_tricky", "save_zip",
                          "really_retry"}
    built.clear()
    assert dict(look_alikes(None).summaries) == found  # no text: every scope is built
    assert left_out <= set(built)
