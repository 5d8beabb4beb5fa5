"""The language server is one long-lived process: when a helper module is saved, the
summaries it remembered for it are dropped, and open callers are checked again."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp.session import fixture, open_document, spans

pytestmark = pytest.mark.asyncio(loop_scope="module")

client = fixture("visual-studio-code")

HELPER = '''\
import os


def replace_file(src, dst):
    os.replace(src, dst)
'''

DURABLE = HELPER + '''\
    fd = os.open(os.path.dirname(os.path.abspath(dst)), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
'''

CALLER = '''\
import os

from pkg.helpers import replace_file


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    replace_file(tmp, path)
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[tool.durable-writes]\n")
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    return root


async def save(client: LanguageClient, path: Path, text: str,
               caller: Path) -> list[types.Diagnostic]:
    """What an editor does on save (the file on disk, then didSave); what the server then
    publishes for `caller`.  The server publishes for several documents at once, so this
    reads what the client kept rather than waiting for one notification, which a burst of
    them can pass by."""
    uri = caller.as_uri()
    client.diagnostics.pop(uri, None)
    path.write_text(text)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri())))
    while uri not in client.diagnostics:
        await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 60)
    return list(client.diagnostics[uri])


@pytest.mark.parametrize("saved", ["open", "closed"])
async def test_saving_a_helper_module_changes_its_callers_diagnostics(
        client: LanguageClient, project: Path, saved: str) -> None:
    helper = project / "pkg" / "helpers.py"
    helper.write_text(HELPER)
    if saved == "open":
        assert await open_document(client, helper, HELPER) == []
    caller = project / "pkg" / f"caller_{saved}.py"
    caller.write_text(CALLER)
    assert spans(await open_document(client, caller, CALLER)) == [("DUR102", 11, 4, 11, 27)]
    assert await save(client, helper, DURABLE, caller) == []
    # And back: nothing stale survives either way.
    assert spans(await save(client, helper, HELPER, caller)) == [("DUR102", 11, 4, 11, 27)]
