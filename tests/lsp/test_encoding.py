"""Position encodings: UTF-8 when the client offers it (Emacs lists it after UTF-32), the
engine's own unit; VS Code's UTF-16 is tested in test_server."""
from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lint_rules.fixer.transform import fix_source

from .documents import WIDE, columns
from .editing import apply_workspace_edit
from .session import code_actions, fixture, open_document, spans

pytestmark = pytest.mark.asyncio(loop_scope="module")

client = fixture("emacs")


async def test_utf8_is_chosen_when_offered_and_columns_are_bytes(
        client: LanguageClient, project: Path):
    diagnostics = await open_document(client, project / "wide.py", WIDE)
    start = columns(WIDE, 9, "os.replace", "utf-8", 1)
    assert start == len('    label = "é😀"; '.encode())  # not the UTF-32 count Emacs prefers
    assert spans(diagnostics) == [("DUR102", 9, start, 9, start + len("os.replace(tmp, path)"))]


async def test_a_client_that_cannot_resolve_gets_the_edits_at_once(client: LanguageClient,
                                                                   project: Path):
    path = project / "eager.py"
    await open_document(client, path, WIDE)
    everything = types.Range(start=types.Position(line=0, character=0),
                             end=types.Position(line=20, character=0))
    actions = await code_actions(client, path, everything, resolve=False)
    assert [a.kind for a in actions] == ["quickfix", "source.fixAll.durable-writes"]
    expected = fix_source(WIDE.encode(), str(path)).decode()
    for action in actions:
        assert apply_workspace_edit(WIDE, path.as_uri(), action.edit, "utf-8") == expected
