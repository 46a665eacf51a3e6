"""Offsets of the text (Python characters, as the compiler counts them) and positions of the
Language Server Protocol (lines and UTF-16 code units, as editors count them).

Outside the Basic Multilingual Plane a character is two UTF-16 units (an emoji, a rare CJK
ideograph); `≥`, `µ` and accented letters are one, but their UTF-8 bytes are two or three, so
neither bytes nor characters are the columns an editor expects.
"""

from __future__ import annotations

import bisect

from lsprotocol import types


class LineIndex:
    """Converts between offsets of `text` and LSP positions (lines split at "\\n" only, the
    `\\r` of a Windows line ending being the last character of its line)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        before = self.text[self.starts[line]:offset]
        return types.Position(line=line, character=utf16_length(before))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: types.Position) -> int:
        """The offset at `position`; a column past the end of its line is the end of the line,
        a column inside a surrogate pair is the character it belongs to."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self.starts[position.line + 1] - 1 if position.line + 1 < len(self.starts) else len(self.text)
        units = 0
        for offset in range(start, end):
            if units >= position.character:
                return offset
            units += utf16_length(self.text[offset])
        return end


def utf16_length(text: str) -> int:
    return len(text) + sum(ord(char) > 0xFFFF for char in text)
