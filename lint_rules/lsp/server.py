"""`durable-writes lsp`: the language server, over stdio.

Diagnostics are published on open, change and save, from the buffer's text (unsaved edits
included); quick fixes, fix-all and hovers answer from the same analysis of the document's
current version.  The configuration is read afresh for every analysis, so an edited
pyproject.toml takes effect on the next keystroke; a broken one is shown, not fatal.
"""
from __future__ import annotations

import argparse
import logging
from collections.abc import Generator
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

from lint_rules import __version__
from lint_rules import config as configuration
from lint_rules.config import Config, ConfigError
from lint_rules.engine import project
from lint_rules.lsp import analysis
from lint_rules.lsp.analysis import Analysis

# config_for turns what it reads into ConfigError; looking for a pyproject.toml in a
# directory that may not be searched can still fail as the OS says.
_CONFIG_ERRORS = (ConfigError, OSError)


class _Protocol(LanguageServerProtocol):
    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, Any]:
        # The engine counts columns in UTF-8 bytes: where the client can take those, no
        # conversion is needed at all.  pygls picks the client's first supported choice, so
        # put UTF-8 first when it is offered.
        general = params.capabilities.general
        offered = general.position_encodings if general else None
        if offered and types.PositionEncodingKind.Utf8 in offered:
            general.position_encodings = [types.PositionEncodingKind.Utf8]
        return (yield from super().lsp_initialize(params))


class DurableWritesServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("durable-writes", __version__, protocol_cls=_Protocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.analyses: dict[str, Analysis] = {}
        # The last configuration error shown per folder, so that one mistake is shown
        # once, not on every keystroke or for every file.
        self.shown_errors: dict[str, str] = {}

    def analysis_of(self, uri: str) -> Analysis | None:
        """The analysis of the document's current version (made now if it is stale)."""
        document = self.workspace.get_text_document(uri)
        known = self.analyses.get(uri)
        if known is not None and known.version == document.version:
            return known
        path = to_fs_path(uri)
        config = self.config_or_message(Path(path) if path else None)
        if config is None:
            self.analyses.pop(uri, None)
            return None
        made = analysis.analyse(uri, document.version, path or uri, document.source, config,
                                self.workspace.position_encoding or "utf-16")
        self.analyses[uri] = made
        return made

    def forget_summaries(self) -> None:
        """Drop every remembered summary of other modules, and the analyses made from them."""
        project.reset()
        self.analyses.clear()

    def config_or_message(self, path: Path | None) -> Config | None:
        """The document's configuration; on an error, tell the user (once) and check
        nothing, as the command refuses to run with a broken configuration."""
        key = str(path.parent if path else "")
        try:
            config = Config() if path is None else configuration.config_for(path)
        except _CONFIG_ERRORS as exc:
            if self.shown_errors.get(key) != str(exc):
                self.shown_errors[key] = str(exc)
                self.window_show_message(types.ShowMessageParams(
                    type=types.MessageType.Error,
                    message=f"durable-writes: cannot read the configuration for {path}: {exc}"))
            return None
        self.shown_errors.pop(key, None)
        return config

    def publish(self, uri: str) -> None:
        made = self.analysis_of(uri)
        document = self.workspace.get_text_document(uri)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri,
            version=document.version,
            diagnostics=analysis.diagnostics(made) if made else [],
        ))


server = DurableWritesServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: DurableWritesServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: DurableWritesServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: DurableWritesServer, params: types.DidSaveTextDocumentParams) -> None:
    # The buffer is what was saved; re-reading the configuration is what may have changed,
    # and so may the summaries of the saved module's functions, which other open documents
    # call: forget them (the disk cache is keyed by content, so it stays right).
    configuration.clear_cache()
    ls.forget_summaries()
    saved = params.text_document.uri
    ls.publish(saved)
    for uri in list(ls.workspace.text_documents):
        if uri != saved:
            ls.publish(uri)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: DurableWritesServer,
                             params: types.DidChangeWatchedFilesParams) -> None:
    # A module changed outside the editor (a checkout, a formatter): same as a save of it.
    ls.forget_summaries()
    for uri in list(ls.workspace.text_documents):
        ls.publish(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: DurableWritesServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.analyses.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix,
                                               analysis.FIX_ALL], resolve_provider=True),
)
def code_action(ls: DurableWritesServer,
                params: types.CodeActionParams) -> list[types.CodeAction] | None:
    made = ls.analysis_of(params.text_document.uri)
    if made is None:
        return None
    resolvable = get_capability(ls.client_capabilities,
                                "text_document.code_action.resolve_support.properties", [])
    return analysis.code_actions(made, params, lazy="edit" in resolvable)


@server.feature(types.CODE_ACTION_RESOLVE)
def resolve_code_action(ls: DurableWritesServer, action: types.CodeAction) -> types.CodeAction:
    uri = action.data.get("uri") if isinstance(action.data, dict) else None
    known = uri in ls.workspace.text_documents if isinstance(uri, str) else False
    return analysis.resolve(ls.analysis_of(uri) if known else None, action)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: DurableWritesServer, params: types.HoverParams) -> types.Hover | None:
    made = ls.analysis_of(params.text_document.uri)
    return analysis.hover(made, params.position) if made else None


class _OneLine(logging.Formatter):
    """A problem is one line in the log, as everywhere in the tool: no traceback."""

    def formatException(self, ei) -> str:
        return f"{ei[0].__name__}: {ei[1]}" if ei[0] else ""


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="durable-writes lsp",
        description="Run the language server on stdin and stdout (for editors).",
    )
    # Many clients pass --stdio by habit; it is the only transport, so accept it.
    parser.add_argument("--stdio", action="store_true", help=argparse.SUPPRESS)
    parser.parse_args(argv)
    # To stderr, which clients keep as the server's log.
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    server.start_io()
    return 0
