"""`mmdsl fmt`: the canonical layout of a table file, with nothing but the layout changed.

The formatter reads each statement with the parser's own tokens, prints it with one printer per
kind of statement (tables line up their columns), puts the comments back where they were, and
then proves it changed nothing else: the file it writes must parse to the same syntax tree as the
file it read, spans aside. A file with syntax errors is not formatted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mmdsl.diagnostics import Diagnostic
from mmdsl.format.assemble import assemble
from mmdsl.format.declarations import condition_lines, declaration_lines
from mmdsl.format.equivalence import first_difference
from mmdsl.format.layout import CodeLine
from mmdsl.format.tables import table_lines
from mmdsl.format.tokens import Atom, statement_atoms
from mmdsl.source import Source
from mmdsl.syntax.comments import find_comments
from mmdsl.syntax.parser import parse_module, split_statements

Printer = Callable[[Sequence[Atom], str], list[CodeLine]]
PRINTERS: dict[str | None, Printer] = {
    "table": table_lines,
    "fact": condition_lines,
    "scope": condition_lines,
    "impossible": condition_lines,
}


class FormatterBug(Exception):
    """The formatted text would not mean what the original means; nothing may be written."""


@dataclass(frozen=True, slots=True)
class Formatted:
    source: Source
    text: str | None  # None when the file has syntax errors
    diagnostics: tuple[Diagnostic, ...]

    @property
    def changed(self) -> bool:
        return self.text is not None and self.text != self.source.text


def format_source(source: Source) -> Formatted:
    """The file in the canonical layout, or its syntax errors; raises FormatterBug if the layout
    would change what the file says."""
    module, diagnostics = parse_module(source)
    if diagnostics:
        return Formatted(source, None, tuple(diagnostics))
    try:
        text = format_text(source.text)
    except Exception as error:  # a printer that fails is a bug; the file must stay as it is
        raise FormatterBug(f"formatting {source.path} failed: {type(error).__name__}: {error}"
                           ) from error
    after, problems = parse_module(Source(source.path, text))
    difference = "the result does not parse" if problems else first_difference(module, after)
    if difference:
        raise FormatterBug(f"formatting {source.path} would change it: {difference}")
    return Formatted(source, text, ())


def format_text(text: str) -> str:
    """The canonical layout of a text that parses without syntax errors."""
    code: list[CodeLine] = []
    atoms: list[Atom] = []
    for chunk in split_statements(text):
        chunk_atoms = statement_atoms(chunk)
        if chunk_atoms:
            code += PRINTERS.get(chunk.keyword, declaration_lines)(chunk_atoms, text)
            atoms += chunk_atoms
    return assemble(code, find_comments(text), blank_lines(text, atoms))


def blank_lines(text: str, atoms: Sequence[Atom]) -> list[int]:
    """The lines holding only blanks, apart from those inside quoted text."""
    inside = {line for atom in atoms for line in range(atom.line + 1, atom.end_line)}
    return [number for number, line in enumerate(text.split("\n"), start=1)
            if not line.strip(" \t\f\r") and number not in inside]
