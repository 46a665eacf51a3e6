"""The language server (pygls) over standard input and output: `mmdsl lsp`.

On each change the quick pass (parse and check) runs on a worker thread and its diagnostics are
published at once; the full pass (the verifier and the worked examples, as `mmdsl check` runs
them) waits for a pause in the typing (`pause` seconds without a change) and runs on another
thread, so a large file never holds up the answers to the editor. A result for a version of the
document that is no longer the current one is dropped.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from mmdsl.lsp import completion, features
from mmdsl.lsp.analysis import Analysis, analyse
from mmdsl.semantics.symbols import Symbols

T = TypeVar("T")
DEFAULT_PAUSE = 0.4
"""Seconds without typing before the verifier runs: long enough to skip the keystrokes of a word,
short enough to feel immediate once the author stops."""


class MmdslServer(LanguageServer):
    def __init__(self, pause: float = DEFAULT_PAUSE) -> None:
        super().__init__("mmdsl", "0.1.0", text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.pause = pause
        self.analyses: dict[str, Analysis] = {}
        self.last_parsed: dict[str, Symbols] = {}  # symbols of the last version without syntax errors
        self.waiting: dict[str, asyncio.Task[None]] = {}
        self.quick = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mmdsl-check")
        self.full = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mmdsl-verify")

    def document(self, uri: str) -> tuple[int | None, str]:
        document = self.workspace.get_text_document(uri)
        return document.version, document.source

    async def run(self, pool: ThreadPoolExecutor, work: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(pool, work, *args)

    async def current(self, uri: str) -> Analysis:
        """The quick analysis of the document as it is now."""
        version, text = self.document(uri)
        known = self.analyses.get(uri)
        if known is not None and known.version == version and known.text == text:
            return known
        analysis = await self.run(self.quick, analyse, uri, version, text)
        self.remember(analysis)
        return analysis

    def remember(self, analysis: Analysis) -> None:
        version, _ = self.document(analysis.uri)
        if analysis.version != version:
            return
        known = self.analyses.get(analysis.uri)
        if known is not None and known.version == version and known.full:
            return  # the full pass of this version already came back
        self.analyses[analysis.uri] = analysis
        syntax_ok = not any(d.code.startswith("MD1") for d in analysis.diagnostics)
        if syntax_ok and analysis.compilation.symbols is not None:
            self.last_parsed[analysis.uri] = analysis.compilation.symbols

    def publish(self, analysis: Analysis) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=analysis.uri, version=analysis.version,
            diagnostics=features.lsp_diagnostics(analysis)))

    async def changed(self, uri: str) -> None:
        analysis = await self.current(uri)
        if self.analyses.get(uri) is analysis:
            self.publish(analysis)
        pending = self.waiting.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.waiting[uri] = asyncio.ensure_future(self.verify_after_pause(uri, analysis.version))

    async def verify_after_pause(self, uri: str, version: int | None) -> None:
        await asyncio.sleep(self.pause)
        current_version, text = self.document(uri)
        if current_version != version:
            return
        analysis = await self.run(self.full, functools.partial(analyse, full=True), uri, version, text)
        if self.document(uri)[0] != version:
            return
        self.analyses[uri] = analysis
        self.publish(analysis)

    def closed(self, uri: str) -> None:
        pending = self.waiting.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.analyses.pop(uri, None)
        self.last_parsed.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def make_server(pause: float = DEFAULT_PAUSE) -> MmdslServer:
    server = MmdslServer(pause)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: MmdslServer, params: types.DidOpenTextDocumentParams) -> None:
        await ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: MmdslServer, params: types.DidChangeTextDocumentParams) -> None:
        await ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: MmdslServer, params: types.DidSaveTextDocumentParams) -> None:
        await ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MmdslServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: MmdslServer, params: types.HoverParams) -> types.Hover | None:
        return features.hover(await ls.current(params.text_document.uri), params.position)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=["|", " ", "(", ","]))
    async def complete(ls: MmdslServer, params: types.CompletionParams) -> types.CompletionList:
        uri = params.text_document.uri
        analysis = await ls.current(uri)
        items = completion.completions(analysis, params.position, ls.last_parsed.get(uri))
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: MmdslServer, params: types.DefinitionParams) -> types.Location | None:
        return features.definition(await ls.current(params.text_document.uri), params.position)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: MmdslServer, params: types.ReferenceParams) -> list[types.Location]:
        analysis = await ls.current(params.text_document.uri)
        return features.references(analysis, params.position, params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    async def highlight(ls: MmdslServer,
                        params: types.DocumentHighlightParams) -> list[types.DocumentHighlight]:
        return features.highlights(await ls.current(params.text_document.uri), params.position)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: MmdslServer, params: types.PrepareRenameParams) -> types.Range | None:
        return features.prepare_rename(await ls.current(params.text_document.uri), params.position)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    async def rename(ls: MmdslServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        analysis = await ls.current(params.text_document.uri)
        try:
            return features.rename(analysis, params.position, params.new_name)
        except features.RenameRefused as refused:
            raise JsonRpcInvalidParams(str(refused)) from refused

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def outline(ls: MmdslServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        return features.document_symbols(await ls.current(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    async def formatting(ls: MmdslServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
        return features.formatting(await ls.current(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    async def code_action(ls: MmdslServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        analysis = ls.analyses.get(uri)
        if analysis is None or analysis.version != ls.document(uri)[0]:
            analysis = await ls.current(uri)
        return features.code_actions(analysis, params.range)

    return server


def main(pause: float = DEFAULT_PAUSE) -> None:
    make_server(pause).start_io()
