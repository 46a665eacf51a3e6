"""The shape of a table: a header of input, output and annotation sections divided by `||`,
and rows with one non-empty cell under each heading, divided where the header is divided.

Each cell belongs to the column above it: a missing cell or a misplaced `||` would shift every
test after it into the wrong column, and an empty cell may be a forgotten value or mean "any".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mmdsl.check.context import CheckContext, quoted, suggest
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import lookup
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.symbols import ANNOTATION_COLUMNS, RULE_COLUMN
from mmdsl.source import Span
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("row-cell-count", "empty-cell", "table-layout", "duplicate-name")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for table in context.statements(ast.TableDecl):
        yield from header_sections(context, table)
        yield from misplaced_rule_column(context, table)
        yield from annotation_columns(context, table)
        yield from repeated_columns(context, table)
        for row in table.rows:
            yield from row_cell_count(context, table, row)
            yield from empty_cells(context, row.cells[:len(table.header)])
            yield from row_separators(context, table, row)


def sections(table: ast.TableDecl) -> list[list[ast.HeaderCell]]:
    """The header's cells between `||` bars (an empty last section when it ends with `||`)."""
    result: list[list[ast.HeaderCell]] = [[]]
    for cell, separator in zip(table.header, table.header_separators, strict=False):
        result[-1].append(cell)
        if separator == "||":
            result.append([])
    return result


def header_sections(context: CheckContext, table: ast.TableDecl) -> Iterator[Diagnostic]:
    parts = sections(table)
    if len(parts) == 1:
        yield context.report("table-layout", _header_span(table),
                             "this header has no `||` between the inputs and the outputs",
                             "write `||` before the first output column, as in "
                             "`| prior_lines || regimen |`")
    elif not parts[-1]:
        yield context.report("table-layout", bar_after(context, table.header[-1].span),
                             "the header ends with `||`", "end it with `|`")
    if len(parts) > 3 and parts[3]:
        yield context.report("table-layout", parts[3][0].span,
                             "a table has at most three sections: inputs || outputs || evidence",
                             "remove the extra `||`")


def misplaced_rule_column(context: CheckContext, table: ast.TableDecl) -> Iterator[Diagnostic]:
    for cell in table.header[1:]:
        if cell.subject.text == RULE_COLUMN:
            yield context.report("table-layout", cell.span, "the `rule` column must come first",
                                 "move it to the left of the inputs")


def annotation_columns(context: CheckContext, table: ast.TableDecl) -> Iterator[Diagnostic]:
    """After a second `||` come only the columns `evidence` and `caveats`."""
    parts = sections(table)
    for cell in parts[2] if len(parts) > 2 else []:
        if cell.subject.text not in ANNOTATION_COLUMNS:
            yield context.report("table-layout", cell.span,
                                 f"`{cell.subject.text}` cannot be an annotation column",
                                 suggest(cell.subject.text, ANNOTATION_COLUMNS)
                                 or f"the columns after the second `||` are {quoted(ANNOTATION_COLUMNS)}")


def repeated_columns(context: CheckContext, table: ast.TableDecl) -> Iterator[Diagnostic]:
    """An output or annotation given two columns (an input may be tested by several)."""
    parts = sections(table)
    seen: set[str] = set()
    for cell in [c for part in parts[1:] for c in part]:
        if cell.subject.text in seen:
            yield context.report("duplicate-name", cell.span,
                                 f"`{cell.subject.text}` has two columns", "remove one of them")
        seen.add(cell.subject.text)


def row_cell_count(context: CheckContext, table: ast.TableDecl,
                   row: ast.Row) -> Iterator[Diagnostic]:
    have, want = len(row.cells), len(table.header)
    if have > want and all(cell.test is None for cell in row.cells[want:]):
        yield _extra_bars(context, row, want)
    elif have > want:
        span = row.cells[want].span.to(row.cells[-1].span)
        yield context.report("row-cell-count", span, _cells_message(have, want),
                             "remove the extra cells, or add their columns to the header")
    elif have < want:
        yield _short_part(context, table, row) or context.report(
            "row-cell-count", row.span, _cells_message(have, want),
            "give the row one cell per column; write `-` for any value")


def _extra_bars(context: CheckContext, row: ast.Row, want: int) -> Diagnostic:
    """A row that ends with `| |` or `||`: extra bars with nothing between them."""
    start = bar_after(context, row.cells[want - 1].span).end
    end = bar_after(context, row.cells[-1].span).end
    return lookup("row-cell-count").at(
        context.path, context.span_of(start, end),
        f"this row ends with an extra `{context.source.text[start:end].strip()}`",
        help="remove it: a row ends with one `|` after its last cell",
        fix={"start": start, "end": end, "text": ""})


PART_NAMES = ("inputs", "outputs", "evidence and caveats")


def _short_part(context: CheckContext, table: ast.TableDecl, row: ast.Row) -> Diagnostic | None:
    """MD103 at the part of the row (inputs, outputs, evidence) that has fewer cells than the
    header's part above it; None when the row's `||` do not match the header's."""
    header_parts = [part for part in sections(table) if part]
    row_parts = _row_parts(row)
    if len(row_parts) != len(header_parts):
        return None
    for index, (cells, headings) in enumerate(zip(row_parts, header_parts, strict=True)):
        if len(cells) < len(headings):
            span = cells[0].span.to(cells[-1].span) if cells else row.span
            names = ", ".join(h.subject.text for h in headings)
            part = PART_NAMES[min(index, 2)]
            return context.report(
                "row-cell-count", span,
                f"{_cells_message(len(row.cells), len(table.header))}: its {part} have "
                f"{len(cells)} cell{'s' * (len(cells) != 1)} under {len(headings)} columns ({names})",
                f"add the missing cell among the {part}; write `-` for "
                f"{'any value' if index == 0 else 'none'}")
    return None


def _row_parts(row: ast.Row) -> list[list[ast.Cell]]:
    parts: list[list[ast.Cell]] = [[]]
    for cell, separator in zip(row.cells, row.separators, strict=False):
        parts[-1].append(cell)
        if separator == "||":
            parts.append([])
    return [part for part in parts if part]


def _cells_message(have: int, want: int) -> str:
    return (f"this row has {have} cell{'s' * (have != 1)} but the table has {want} "
            f"column{'s' * (want != 1)}")


def empty_cells(context: CheckContext, cells: Iterable[ast.Cell]) -> Iterator[Diagnostic]:
    """Empty cells under the header's columns (cells beyond them are MD103's)."""
    for cell in cells:
        if cell.test is None:
            yield context.report("empty-cell", cell.span, "this cell is empty",
                                 "write `-` for any value (for none under outputs, evidence and caveats), "
                                 "or the test you meant")


def row_separators(context: CheckContext, table: ast.TableDecl,
                   row: ast.Row) -> Iterator[Diagnostic]:
    """With the right number of cells, each `||` of a row must sit where the header has one (the
    closing bar aside: it divides nothing)."""
    if len(row.cells) != len(table.header):
        return
    pairs: Iterable[tuple[ast.Cell, str, str]] = zip(
        row.cells[:-1], row.separators, table.header_separators, strict=False)
    for cell, written, expected in pairs:
        if written != expected:
            yield context.report("table-layout", bar_after(context, cell.span),
                                 f"`{written}` here does not match the header's `{expected}`",
                                 f"write `{expected}`, as in the header")


def bar_after(context: CheckContext, span: Span) -> Span:
    """The `|` or `||` that follows a cell."""
    text = context.source.text
    start = text.find("|", span.end)
    if start < 0:
        return span
    end = start + (2 if text.startswith("||", start) else 1)
    return context.span_of(start, end)


def _header_span(table: ast.TableDecl) -> Span:
    return table.header[0].span.to(table.header[-1].span)
