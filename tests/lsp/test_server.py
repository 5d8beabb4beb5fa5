"""The language server end to end: a real LSP client (VS Code's capabilities, so UTF-16
positions) drives `durable-writes lsp` over stdio."""
from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lint_rules.config import Config
from lint_rules.engine.catalog import RULES
from lint_rules.engine.checker import check_source
from lint_rules.fixer.transform import fix_source

from .documents import WIDE, columns
from .editing import apply_workspace_edit
from .session import (close_document, code_actions, fixture, open_document, published,
                      replace_text, spans)

pytestmark = pytest.mark.asyncio(loop_scope="module")

client = fixture("visual-studio-code")

BAD = '''\
import json
import os


def save(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
    os.replace(tmp, path)
'''

CLEAN = '''\
import os


def save(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
'''

# Needs the directory helper and `import os`, which the file does not have.
NEEDS_SUPPORT = '''\
from os import fsync, replace


def save(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        fsync(fh.fileno())
    replace(tmp, path)
'''

SECOND_WRITER = '''\


def keep(path, text):
    with open(path + ".tmp", "w") as fh:
        fh.write(text)
    os.rename(path + ".tmp", path)
'''

BAD_SPANS = [("DUR101", 6, 9, 6, 23), ("DUR102", 8, 4, 8, 25)]


def _everywhere(text: str) -> types.Range:
    return types.Range(start=types.Position(line=0, character=0),
                       end=types.Position(line=len(text.splitlines()), character=0))


async def test_findings_arrive_with_full_ranges_codes_and_links(
        client: LanguageClient, project: Path):
    diagnostics = await open_document(client, project / "bad.py", BAD)
    assert spans(diagnostics) == BAD_SPANS
    for diagnostic in diagnostics:
        assert diagnostic.severity == types.DiagnosticSeverity.Warning
        assert diagnostic.source == "durable-writes"
        assert diagnostic.code_description.href == RULES[diagnostic.code].url
    assert {d.message for d in diagnostics} == {RULES[c].message for c, *_ in BAD_SPANS}


async def test_a_clean_file_gets_no_diagnostics(client: LanguageClient, project: Path):
    assert await open_document(client, project / "clean.py", CLEAN) == []


async def test_changes_are_analysed_before_they_are_saved(
        client: LanguageClient, project: Path):
    path = project / "edited.py"
    assert await open_document(client, path, CLEAN) == []
    # An incremental change, as editors send them: delete the directory fsync block.
    start = CLEAN.splitlines().index("    fd = os.open(os.path.dirname(os.path.abspath(path)),"
                                     " os.O_RDONLY)")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=start, character=0),
                              end=types.Position(line=start + 5, character=0)),
            text="")]))
    assert spans(await published(client, path.as_uri())) == [("DUR102", 9, 4, 9, 25)]
    assert await replace_text(client, path, 3, CLEAN) == []
    assert not path.exists()  # the buffer was analysed, not a file


async def test_saving_rereads_the_configuration(client: LanguageClient, project: Path):
    folder = project / "configured"
    folder.mkdir()
    path = folder / "bad.py"
    assert spans(await open_document(client, path, BAD)) == BAD_SPANS
    (folder / "pyproject.toml").write_text('[tool.durable-writes]\nignore = ["DUR102"]\n')
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri())))
    assert spans(await published(client, path.as_uri())) == BAD_SPANS[:1]


async def test_noqa_is_honoured(client: LanguageClient, project: Path):
    text = BAD.replace("os.replace(tmp, path)", "os.replace(tmp, path)  # noqa: DUR102")
    assert spans(await open_document(client, project / "noqa.py", text)) == BAD_SPANS[:1]


@pytest.mark.parametrize("name, text", [("bad", BAD), ("support", NEEDS_SUPPORT)])
async def test_quick_fixes_one_by_one_make_what_fix_makes(
        client: LanguageClient, project: Path, name: str, text: str):
    """Each finding's quick fix, applied in turn as a user would, gives `fix`'s output."""
    path = project / f"quick_{name}.py"
    diagnostics = await open_document(client, path, text)
    expected = fix_source(text.encode(), str(path)).decode()
    current, version = text, 1
    while diagnostics:
        first = diagnostics[0]
        actions = await code_actions(client, path, first.range)
        quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
        assert [a.diagnostics[0].code for a in quick] == [first.code]
        assert quick[0].is_preferred
        current = apply_workspace_edit(current, path.as_uri(), quick[0].edit)
        version += 1
        left = await replace_text(client, path, version, current)
        assert spans(left) != spans(diagnostics) and len(left) == len(diagnostics) - 1
        diagnostics = left
    assert current == expected != text


async def test_a_single_quick_fix_is_the_fixers_edit_for_that_finding(
        client: LanguageClient, project: Path):
    path = project / "single.py"
    await open_document(client, path, NEEDS_SUPPORT)
    (quick,) = await code_actions(client, path, _everywhere(NEEDS_SUPPORT),
                                  only=[types.CodeActionKind.QuickFix])
    fixed = apply_workspace_edit(NEEDS_SUPPORT, path.as_uri(), quick.edit)
    assert fixed == fix_source(NEEDS_SUPPORT.encode(), str(path)).decode()
    assert "import os\n" in fixed and "def _fsync_parent_dir(path):" in fixed
    # A minimal edit: the untouched lines are not sent back.
    sent = "".join(edit.new_text for edit in quick.edit.changes[path.as_uri()])
    assert "tmp = path" not in sent and "fh.write(text)" not in sent


async def test_fix_all_gives_a_clean_file(client: LanguageClient, project: Path):
    path = project / "fix_all.py"
    text = BAD + SECOND_WRITER
    assert len(await open_document(client, path, text)) == 4
    (action,) = await code_actions(client, path, _everywhere(text), only=["source.fixAll"])
    assert action.kind == "source.fixAll.durable-writes"
    fixed = apply_workspace_edit(text, path.as_uri(), action.edit)
    assert fixed == fix_source(text.encode(), str(path)).decode()
    again = check_source(fixed.encode(), str(path), Config())
    assert again.error is None and [f for f in again.findings if f.fix] == []
    assert await replace_text(client, path, 2, fixed) == []
    assert await code_actions(client, path, _everywhere(fixed)) == []


async def test_hover_shows_the_rules_documentation(client: LanguageClient, project: Path):
    path = project / "hover.py"
    await open_document(client, path, BAD)
    inside = types.Position(line=8, character=10)  # on `os.replace(tmp, path)`
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=inside))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert RULES["DUR102"].docs in hover.contents.value
    assert RULES["DUR102"].url in hover.contents.value
    assert RULES["DUR101"].docs not in hover.contents.value
    assert (hover.range.start.line, hover.range.start.character) == (8, 4)
    outside = types.Position(line=0, character=0)
    assert await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=outside)) is None


async def test_a_broken_document_is_an_error_at_the_parse_error_not_a_crash(
        client: LanguageClient, project: Path):
    path = project / "broken.py"
    text = BAD.replace("def save(path, state):", "def save(path, state:")
    (diagnostic,) = await open_document(client, path, text)
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range.start.line == 4
    assert "cannot parse" in diagnostic.message
    assert await code_actions(client, path, _everywhere(text)) == []
    # Still serving: fixing the typo brings the findings back.
    assert spans(await replace_text(client, path, 2, BAD)) == BAD_SPANS


async def test_a_broken_configuration_is_shown_and_nothing_crashes(
        client: LanguageClient, project: Path):
    folder = project / "misconfigured"
    folder.mkdir()
    (folder / "pyproject.toml").write_text('[tool.durable-writes]\nselekt = ["DUR1"]\n')
    shown = len(client.messages)
    assert await open_document(client, folder / "bad.py", BAD) == []
    (message,) = client.messages[shown:]
    assert message.type == types.MessageType.Error
    assert "selekt" in message.message and str(folder) in message.message
    # Shown once, not again on every keystroke or for the next file.
    assert await replace_text(client, folder / "bad.py", 2, BAD + "\n") == []
    assert await open_document(client, folder / "other.py", BAD) == []
    assert len(client.messages) == shown + 1


async def test_closing_clears_the_diagnostics(client: LanguageClient, project: Path):
    path = project / "closed.py"
    assert await open_document(client, path, BAD)
    close_document(client, path)
    assert await published(client, path.as_uri()) == []


async def test_columns_are_utf16_for_a_client_that_offers_nothing_else(
        client: LanguageClient, project: Path):
    diagnostics = await open_document(client, project / "wide.py", WIDE)
    start = columns(WIDE, 9, "os.replace", "utf-16-le", 2)
    assert start == len('    label = "é😀"; ') + 1  # the emoji is two UTF-16 units
    assert spans(diagnostics) == [("DUR102", 9, start, 9, start + len("os.replace(tmp, path)"))]


async def test_edits_are_made_only_for_the_action_picked(client: LanguageClient, project: Path):
    """VS Code resolves actions, so asking (on every cursor move) runs no fixer."""
    path = project / "lazy.py"
    await open_document(client, path, BAD)
    actions = await code_actions(client, path, _everywhere(BAD), resolve=False)
    assert [a.kind for a in actions] == ["quickfix", "quickfix", "source.fixAll.durable-writes"]
    assert all(action.edit is None for action in actions)
    # An action asked for before an edit is not resolved against the new text.
    await replace_text(client, path, 2, BAD + "\n")
    stale = await client.code_action_resolve_async(actions[0])
    assert stale.edit is None


async def test_a_buffer_with_a_coding_cookie_is_checked_as_the_saved_file_would_be(
        client: LanguageClient, project: Path):
    path = project / "latin.py"
    text = "# -*- coding: latin-1 -*-\n" + WIDE.replace('"é😀"', '"éé"')
    (diagnostic,) = await open_document(client, path, text)
    start = columns(text, 10, "os.replace", "utf-16-le", 2)
    assert start == len('    label = "éé"; ')
    assert spans([diagnostic]) == [("DUR102", 10, start, 10, start + len("os.replace(tmp, path)"))]
    (quick,) = await code_actions(client, path, diagnostic.range, only=["quickfix"])
    fixed = apply_workspace_edit(text, path.as_uri(), quick.edit)
    assert fixed.encode("latin-1") == fix_source(text.encode("latin-1"), str(path))
