"""One version of an open document, compiled: what every request of the editor reads.

Two passes, as an editor needs them. The quick pass (parse, check, lower: milliseconds) runs on
every change, so that errors and names follow the typing. The full pass adds what `mmdsl check`
adds (the verifier's gaps, overlaps and dead rules, the worked examples): it runs after a pause
in the typing, away from the thread that answers the editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mmdsl.diagnostics import Diagnostic
from mmdsl.lsp.index import NameIndex, build_index
from mmdsl.lsp.positions import LineIndex
from mmdsl.pipeline import Compilation, compile_source
from mmdsl.source import BYTE_ORDER_MARK, Source


@dataclass
class Analysis:
    uri: str
    version: int | None
    text: str
    compilation: Compilation
    lines: LineIndex
    index: NameIndex
    shift: int = 0  # 1 when the editor's text starts with a byte-order mark the compiler skips
    full: bool = False  # whether the diagnostics include the verifier's and the examples'
    diagnostics: list[Diagnostic] = field(default_factory=list)


def analyse(uri: str, version: int | None, text: str, *, full: bool = False) -> Analysis:
    """Compile `text` as `mmdsl check` would (`full`) or without the verifier and examples."""
    shift = 1 if text.startswith(BYTE_ORDER_MARK) else 0
    source = Source(shown_name(uri), text[shift:])
    compilation = compile_source(source, verify=full, run_examples=full)
    index = build_index(compilation.symbols) if compilation.symbols is not None else NameIndex()
    return Analysis(uri, version, text, compilation, LineIndex(text), index, shift, full,
                    list(compilation.diagnostics))


def shown_name(uri: str) -> str:
    """The file's name as diagnostics show it (the last part of its URI)."""
    return uri.rstrip("/").rsplit("/", 1)[-1] or uri
