"""The comments of a table file, found by a scan of its text that skips quoted text.

The parser folds comments into its line-break tokens and keeps nothing of them; tools that must
keep them (the formatter) find them here. The scan reads quoted text exactly as the parser's
statement splitter does (`_line_starts_outside_text` in `mmdsl.syntax.parser`): a `#` inside
quotes is text, a `"` inside a comment is comment, and a quote left open stops at the next line
that starts a statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mmdsl.syntax.parser import STATEMENT_KEYWORDS

_STATEMENT_START = re.compile(r"(?:" + "|".join(STATEMENT_KEYWORDS) + r")(?![\w-])")


@dataclass(frozen=True, slots=True)
class Comment:
    """`# …` up to the end of its line (trailing blanks removed)."""

    text: str
    line: int  # 1-based
    column: int  # 1-based, of the `#`
    start: int  # offset of the `#` in the file
    own_line: bool  # nothing but blanks before it on its line


def find_comments(text: str) -> list[Comment]:
    """Every comment of `text`, in the order written."""
    return [_comment_at(text, start) for start in _comment_starts(text)]


def _comment_starts(text: str) -> list[int]:
    """Offsets of the `#` that start comments: outside quoted text and outside other comments."""
    starts: list[int] = []
    in_text = escaped = in_comment = False
    for offset, char in enumerate(text):
        if in_text:
            in_text, escaped = _inside_text(char, escaped)
        elif char == '"' and not in_comment:
            in_text = True
        elif char == "#" and not in_comment:
            in_comment = True
            starts.append(offset)
        if char == "\n":
            in_comment = False
            if in_text and _STATEMENT_START.match(text, offset + 1):
                in_text = escaped = False
    return starts


def _inside_text(char: str, escaped: bool) -> tuple[bool, bool]:
    """Inside quoted text: (still inside?, is the next character escaped?)."""
    if escaped:
        return True, False
    if char == "\\":
        return True, True
    return char != '"', False


def _comment_at(text: str, start: int) -> Comment:
    line_start = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return Comment(
        text=text[start:end].rstrip(),
        line=text.count("\n", 0, start) + 1,
        column=start - line_start + 1,
        start=start,
        own_line=not text[line_start:start].strip(" \t\f"),
    )
