"""Lines of code as the formatter prints them, each tied to the line of the file it comes from.

The layout keeps every line break where the author put it: a statement starts at the margin, its
own lines (clauses, rows, the lines of an example) are indented by two spaces, and a line that
continues the one above (after `=`, `,`, inside quoted text, around `and` / `or`) by four.
Tying each printed line to its line in the file is what lets comments go back where they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mmdsl.format.tokens import Atom, spaced

SUB_INDENT = 2
CONTINUATION = 4


@dataclass(frozen=True, slots=True)
class CodeLine:
    """One printed line (or, for a row holding multi-line text, lines kept as written)."""

    line: int  # the file's line it starts on
    end_line: int  # the file's line it ends on
    indent: int
    text: str  # without indentation, trailing blanks or comment
    added: bool = False  # a line the formatter adds (a divider): it comes after `line`


class LineWriter:
    """Builds the printed lines of a run of atoms, one atom at a time."""

    def __init__(self, line: int, indent: int) -> None:
        self.lines: list[CodeLine] = []
        self._line, self._indent, self._parts = line, indent, [""]

    def new_line(self, line: int, indent: int) -> None:
        self._flush()
        self._line, self._indent, self._parts = line, indent, [""]

    def write(self, text: str) -> None:
        self._parts.append(text)

    def finish(self) -> list[CodeLine]:
        self._flush()
        return self.lines

    def _flush(self) -> None:
        text = "".join(self._parts)
        self.lines.append(CodeLine(self._line, self._line, self._indent, text))


def atom_lines(atoms: Sequence[Atom], indent: int = 0) -> list[CodeLine]:
    """The printed lines of atoms: one space between words, the author's line breaks kept."""
    writer = LineWriter(atoms[0].line, indent)
    previous: Atom | None = None
    for atom in atoms:
        if previous is not None and atom.line > previous.end_line:
            writer.new_line(atom.line, SUB_INDENT if atom.opens_line else CONTINUATION)
        elif previous is not None and spaced(previous, atom):
            writer.write(" ")
        write_atom(writer, atom)
        previous = atom
    return writer.finish()


def write_atom(writer: LineWriter, atom: Atom) -> None:
    """An atom; quoted text over several lines keeps its line breaks, each line re-indented."""
    pieces = atom.text.split("\n")
    if len(pieces) == 1:
        writer.write(atom.text)
        return
    writer.write(trim_end(pieces[0]))
    for offset, piece in enumerate(pieces[1:], start=1):
        writer.new_line(atom.line + offset, CONTINUATION)
        is_last = offset == len(pieces) - 1
        writer.write(piece.lstrip() if is_last else trim_end(piece.lstrip()))


def trim_end(piece: str) -> str:
    """A line of quoted text without its trailing blanks, which the reader folds away anyway.

    One blank stays after a backslash, so that the backslash never escapes the line break.
    """
    trimmed = piece.rstrip()
    return trimmed + " " if trimmed.endswith("\\") and trimmed != piece else trimmed
