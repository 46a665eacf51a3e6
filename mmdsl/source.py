"""Source files and positions inside them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file: 1-based lines and columns, 0-based offsets, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int

    def shifted(self, lines: int, offset: int) -> Span:
        """The same region in a file where this text starts `lines` lines and `offset` chars later."""
        return Span(
            self.line + lines, self.column, self.end_line + lines, self.end_column,
            self.start + offset, self.end + offset,
        )

    def to(self, other: Span) -> Span:
        """The smallest span covering this one and `other`."""
        return Span(self.line, self.column, other.end_line, other.end_column, self.start, other.end)


NO_SPAN = Span(1, 1, 1, 1, 0, 0)

BYTE_ORDER_MARK = "\ufeff"
"""U+FEFF, which Windows editors write at the start of a UTF-8 file: one there is not part of
the text (every position counts from the character after it); anywhere else it is MD202."""


def decode_text(raw: bytes) -> str:
    """A table file's bytes as text: UTF-8 without one leading byte-order mark. Raises
    UnicodeDecodeError, its offsets those of `raw`, for bytes that are not UTF-8."""
    return raw.decode("utf-8").removeprefix(BYTE_ORDER_MARK)


@dataclass(frozen=True, slots=True)
class Source:
    """The text of one table file and the name it is shown under."""

    path: str
    text: str

    @classmethod
    def read(cls, path: str | Path) -> Source:
        return cls(str(path), decode_text(Path(path).read_bytes()))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def line_text(self, line: int) -> str:
        """Line `line` (1-based), lines ended by "\\n" alone as the parser counts them."""
        lines = self.text.split("\n")
        return lines[line - 1].removesuffix("\r") if 0 < line <= len(lines) else ""
