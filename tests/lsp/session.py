"""Driving the real server, `durable-writes lsp`, from a real LSP client over stdio."""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "lint_rules.cli", "lsp"])

# Only a safety net against a hung server: every wait ends on the server's message.
_TIMEOUT = 60


def initialize(root: Path, client_spec: str) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities(client_spec),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="project")],
    )


async def published(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """The next diagnostics the server publishes for `uri`."""
    async def wait() -> list[types.Diagnostic]:
        while True:
            params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            if params.uri == uri:
                return list(params.diagnostics)
    return await asyncio.wait_for(wait(), _TIMEOUT)


async def open_document(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    """Open `path` with `text` as its unsaved buffer; what the server publishes for it."""
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1,
                                             text=text)))
    return await published(client, uri)


async def replace_text(client: LanguageClient, path: Path, version: int,
                       text: str) -> list[types.Diagnostic]:
    """Send the whole new text as one change (what most clients do for a fix's edit)."""
    uri = path.as_uri()
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    return await published(client, uri)


def close_document(client: LanguageClient, path: Path) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri())))


async def code_actions(client: LanguageClient, path: Path, where: types.Range,
                       only: list[str] | None = None,
                       resolve: bool = True) -> list[types.CodeAction]:
    """The code actions for `where`, with their edits resolved as a client does when the
    user picks one (unless `resolve` is false)."""
    result = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
        range=where,
        context=types.CodeActionContext(diagnostics=[], only=only),
    ))
    actions = [action for action in result or [] if isinstance(action, types.CodeAction)]
    if resolve:
        actions = [await client.code_action_resolve_async(action) if action.edit is None
                   else action for action in actions]
    return actions


def spans(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int, int, int, int]]:
    """(code, start line, start column, end line, end column) of each diagnostic."""
    return sorted((str(d.code), d.range.start.line, d.range.start.character,
                   d.range.end.line, d.range.end.character) for d in diagnostics)


def fixture(client_spec: str):
    """A module's server: one process for all its tests, rooted at a scratch project."""
    @pytest_lsp.fixture(config=SERVER, scope="module")
    async def client(lsp_client: LanguageClient, project: Path):
        await lsp_client.initialize_session(initialize(project, client_spec))
        yield
        await lsp_client.shutdown_session()
    return client
