"""The comments of a table file, found by a scan of its text that skips quoted text.

The parser folds comments into its line-break tokens and keeps nothing of them; tools that must
keep them (the formatter) find them here, with the parser's own scan of quoted text
(`scan_text` in `mmdsl.syntax.parser`): a `#` inside quotes is text, a `"` inside a comment is
comment, and a quote left open stops at the next line that starts a statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mmdsl.syntax.parser import scan_text


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
    return [_comment_at(text, start) for start in scan_text(text).comment_starts]


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


def characters_in_text_or_comment(text: str) -> Iterator[tuple[int, str, bool]]:
    """Each character of the file with its offset and whether it lies inside quoted text or a
    comment, as the lexer sees them (escapes inside quotes; a comment ends at its line break).
    The checks for hidden and control characters read the file through it."""
    in_text = in_comment = escaped = False
    for offset, char in enumerate(text):
        yield offset, char, in_text or in_comment
        if in_text:
            in_text, escaped = escaped or char != '"', not escaped and char == "\\"
        elif char == "\n":
            in_comment = False
        elif not in_comment:
            in_text, in_comment = char == '"', char == "#"
