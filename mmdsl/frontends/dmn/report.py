"""Diagnostics about a DMN file, placed at the line and column of the XML they concern."""

from __future__ import annotations

from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import lookup
from mmdsl.diagnostics.names import CodeName
from mmdsl.dmn import codes as _codes  # noqa: F401  (registers the MD7xx codes)
from mmdsl.dmn.model import Position, Text
from mmdsl.source import Span


class Reporter:
    """Collects the diagnostics of one DMN file; `text` is the file as shown in diagnostics."""

    def __init__(self, path: str, text: str, diagnostics: list[Diagnostic] | None = None) -> None:
        self.path = path
        self.text = text
        self.line_starts = _line_starts(text)
        self.diagnostics: list[Diagnostic] = list(diagnostics or [])

    def report(self, code: CodeName, where: Position | Text, message: str, *,
               help: str | None = None) -> Diagnostic:
        diagnostic = lookup(code).at(self.path, self.span(where), message, help=help)
        self.diagnostics.append(diagnostic)
        return diagnostic

    def span(self, where: Position | Text) -> Span:
        """The span of a text's first line, or of the one character at a position."""
        position = where.where if isinstance(where, Text) else where
        width = 1
        if isinstance(where, Text):
            width = max(1, len(where.value.strip().split("\n")[0]))
        start = self._offset(position)
        return Span(position.line, position.column, position.line, position.column + width,
                    start, start + width)

    def _offset(self, position: Position) -> int:
        if 0 < position.line <= len(self.line_starts):
            return self.line_starts[position.line - 1] + position.column - 1
        return 0

    @property
    def failed(self) -> bool:
        from mmdsl.diagnostics import has_errors

        return has_errors(self.diagnostics)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts
