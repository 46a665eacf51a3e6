"""The formatted file: printed code, comments where they were, one blank line where there were some.

A comment at the end of a line stays at the end of that line; comments at the ends of consecutive
lines are lined up. A comment on a line of its own stays before the line it preceded, indented
like it. Runs of blank lines become one, and the file starts with code or a comment and ends with
one line break.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mmdsl.format.layout import CodeLine
from mmdsl.format.width import display_width
from mmdsl.syntax.comments import Comment

COMMENT_GAP = 2


@dataclass(frozen=True, slots=True)
class Printed:
    """A line of the result: code with its trailing comment, a comment alone, or a blank line."""

    code: str
    comment: str = ""


def assemble(code: Sequence[CodeLine], comments: Sequence[Comment], blank_lines: Iterable[int]
             ) -> str:
    entries = _in_file_order(code, comments, blank_lines)
    printed = _printed_lines(entries, {c.line: c.text for c in comments if not c.own_line})
    lines = [_render(p, width) for p, width in zip(printed, _comment_columns(printed), strict=True)]
    return "".join(line + "\n" for line in lines)


Entry = CodeLine | Comment | int  # an int is a blank line


def _in_file_order(code: Sequence[CodeLine], comments: Sequence[Comment],
                   blank_lines: Iterable[int]) -> list[Entry]:
    def position(entry: Entry) -> tuple[int, int]:
        if isinstance(entry, CodeLine):
            return (entry.line, 1 if entry.added else 0)
        return (entry.line if isinstance(entry, Comment) else entry, 0)

    own_line: list[Entry] = [c for c in comments if c.own_line]
    return sorted([*code, *own_line, *blank_lines], key=position)


def _printed_lines(entries: Sequence[Entry], trailing: dict[int, str]) -> list[Printed]:
    printed: list[Printed] = []
    blank_pending = False
    for index, entry in enumerate(entries):
        if isinstance(entry, int):
            blank_pending = bool(printed)
            continue
        if blank_pending:
            printed.append(Printed(""))
            blank_pending = False
        if isinstance(entry, Comment):
            printed.append(Printed(" " * _next_indent(entries, index) + entry.text))
        else:
            comment = "" if entry.added else trailing.get(entry.end_line, "")
            printed.append(Printed(_code_text(entry), comment))
    return printed


def _code_text(line: CodeLine) -> str:
    return " " * line.indent + line.text if line.text else ""


def _next_indent(entries: Sequence[Entry], index: int) -> int:
    """The indentation of the first line of code after entry `index` (0 at the end of the file)."""
    following = (e for e in entries[index + 1:] if isinstance(e, CodeLine))
    return next((line.indent for line in following), 0)


def _comment_columns(printed: Sequence[Printed]) -> list[int]:
    """Where each line's trailing comment starts: two blanks after the code, or a common column
    for consecutive lines indented alike that all have one."""
    columns = [0] * len(printed)
    start = 0
    while start < len(printed):
        end = start + 1
        while end < len(printed) and _aligned_with(printed[start], printed[end]):
            end += 1
        width = max(display_width(_last_line(p.code)) for p in printed[start:end])
        columns[start:end] = [width + COMMENT_GAP] * (end - start)
        start = end
    return columns


def _aligned_with(first: Printed, other: Printed) -> bool:
    return bool(first.comment and other.comment) and _indent(first.code) == _indent(other.code)


def _indent(code: str) -> int:
    return len(code) - len(code.lstrip(" "))


def _last_line(code: str) -> str:
    return code.rsplit("\n", 1)[-1]


def _render(line: Printed, column: int) -> str:
    if not line.comment:
        return line.code
    gap = column - display_width(_last_line(line.code))
    return line.code + " " * gap + line.comment
