"""The comments of a table file, found by a scan of its text that skips quoted text.

The parser folds comments into its line-break tokens and keeps nothing of them; tools that must
keep them (the formatter) find them here, with the parser's own scan of quoted text
(`scan_text` in `mmdsl.syntax.parser`): a `#` inside quotes is text, a `"` inside a comment is
comment, and a quote left open stops at the next line that starts a statement.
"""

from __future__ import annotations

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
