"""Position encodings: UTF-8 when the client offers it (Emacs lists it after UTF-32), the
engine's own unit; VS Code's UTF-16 is tested in test_server."""
from __future__ import annotations

from pathlib import Path

import pytest
from pytest_lsp import LanguageClient

from .documents import WIDE, columns
from .session import fixture, open_document, spans

pytestmark = pytest.mark.asyncio(loop_scope="module")

client = fixture("emacs")


async def test_utf8_is_chosen_when_offered_and_columns_are_bytes(
        client: LanguageClient, project: Path):
    diagnostics = await open_document(client, project / "wide.py", WIDE)
    start = columns(WIDE, 9, "os.replace", "utf-8", 1)
    assert start == len('    label = "é😀"; '.encode())  # not the UTF-32 count Emacs prefers
    assert spans(diagnostics) == [("DUR102", 9, start, 9, start + len("os.replace(tmp, path)"))]
