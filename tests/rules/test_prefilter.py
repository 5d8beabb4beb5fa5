"""The byte pre-filter stays sound for what summaries add: a file whose only write or rename
goes through a helper (its own, or a configured one) is still parsed and reported."""
from __future__ import annotations

import textwrap

from lint_rules.config import Config
from lint_rules.engine.checker import check_source, may_have_findings

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
