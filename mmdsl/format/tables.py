"""The printer for tables: clauses like any declaration, then the grid with its columns lined up.

Every cell of a column is padded to the width of the widest one (as the screen shows it, see
`width`), with one space inside each bar; the divider under the header is drawn again to fit, and
added when the table has none. A cell's text is kept exactly as written: it is what decisions
quote in their trace. A row holding quoted text over several lines is kept as written.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from mmdsl.format.layout import SUB_INDENT, CodeLine, atom_lines
from mmdsl.format.tokens import Atom
from mmdsl.format.width import display_width, pad

BLANKS = " \t\f"


@dataclass(frozen=True, slots=True)
class GridRow:
    line: int
    end_line: int
    cells: tuple[str, ...]
    separators: tuple[str, ...]
    as_written: str | None  # a row with multi-line text: kept as it is


def table_lines(atoms: Sequence[Atom], text: str) -> list[CodeLine]:
    lines = logical_lines(atoms)
    clauses = [atom for line in lines if not is_grid(line) for atom in line]
    header, *rows = [grid_row(line, text, heading=(i == 0))
                     for i, line in enumerate(line for line in lines if line[0].kind == "PIPE")]
    divider = next((line[0] for line in lines if line[0].kind == "DIVIDER"), None)
    widths = column_widths([header, *rows])
    return [*atom_lines(clauses), row_line(header, widths),
            divider_line(header, widths, divider), *(row_line(row, widths) for row in rows)]


def logical_lines(atoms: Sequence[Atom]) -> list[list[Atom]]:
    """The atoms cut where the statement's lines end (before clauses and rows)."""
    lines: list[list[Atom]] = []
    for atom in atoms:
        if atom.opens_line or not lines:
            lines.append([])
        lines[-1].append(atom)
    return lines


def is_grid(line: Sequence[Atom]) -> bool:
    return line[0].kind in ("PIPE", "DIVIDER")


def grid_row(line: Sequence[Atom], text: str, *, heading: bool) -> GridRow:
    """The header (its cells as words: `table.output`) or a row (its cells as written)."""
    first, last = line[0], line[-1]
    if first.line != last.end_line:
        return GridRow(first.line, last.end_line, (), (), text[first.start:last.end])
    bars = [atom for atom in line if atom.kind in ("PIPE", "SEP")]
    if heading:
        cells = tuple("".join(a.text for a in line if before.end <= a.start < after.start)
                      for before, after in itertools.pairwise(bars))
    else:
        cells = tuple(text[before.end:after.start].strip(BLANKS)
                      for before, after in itertools.pairwise(bars))
    return GridRow(first.line, first.line, cells, tuple(b.text for b in bars[1:]), None)


def column_widths(rows: Sequence[GridRow]) -> list[int]:
    widths: list[int] = []
    for row in rows:
        for index, cell in enumerate(row.cells):
            if index == len(widths):
                widths.append(0)
            widths[index] = max(widths[index], display_width(cell))
    return widths


def row_line(row: GridRow, widths: Sequence[int]) -> CodeLine:
    if row.as_written is not None:
        return CodeLine(row.line, row.end_line, SUB_INDENT, row.as_written)
    cells = "".join(f" {pad(cell, width)} {bar}"
                    for cell, width, bar in zip(row.cells, widths, row.separators, strict=False))
    return CodeLine(row.line, row.line, SUB_INDENT, "|" + cells)


def divider_line(header: GridRow, widths: Sequence[int], divider: Atom | None) -> CodeLine:
    """`|------|------||------|` under the header: at the old divider's line, or added after."""
    text = "|" + "".join("-" * (width + 2) + bar
                         for width, bar in zip(widths, header.separators, strict=False))
    if divider is None:
        return CodeLine(header.line, header.line, SUB_INDENT, text, added=True)
    return CodeLine(divider.line, divider.line, SUB_INDENT, text)
