"""Outputs: each is declared with a type a result can have, has one column, and every cell
under it holds one value of that type (or `-` for none).

Outputs are results, not tests: a comparison or a list in an output cell has no single value
to return, and a result of the wrong type would break every program reading the decision.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from mmdsl.check.context import CheckContext, suggest
from mmdsl.check.inputs import bad_bounds
from mmdsl.check.values import CELL_CODES, value_problems
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.symbols import TableInfo
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = (
    "bad-output", "bad-output-type", "table-layout", "unknown-name", "type-mismatch", "unknown-member",
    "out-of-range", "empty-range", "bad-integer",
)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for decl in context.statements(ast.TableDecl):
        for output in decl.outputs:
            yield from set_output(context, output)
            yield from bad_bounds(context, output.type)
    for table in context.tables():
        yield from undeclared_columns(context, table)
        yield from outputs_without_column(context, table)
        for row in context.rows(table):
            for header, cell in row.outputs:
                yield from output_cell(context, table, header, cell)


def set_output(context: CheckContext, output: ast.OutputDecl) -> Iterator[Diagnostic]:
    if isinstance(output.type, ast.SetType):
        yield context.report("bad-output-type", output.type.span,
                             "an output holds one value per rule, not a set",
                             "write `one of …`; a `collect` table gathers the values of "
                             "several rules")
    if isinstance(output.type, ast.DateType | ast.TimeOfDayType):
        kind = "a time of day" if isinstance(output.type, ast.TimeOfDayType) else "a date"
        yield context.report("bad-output-type", output.type.span,
                             f"a table's result is a decision, not {kind}",
                             "give the decision as `one of …` (`resume`, `wait`), and keep the "
                             "dates as inputs")


def undeclared_columns(context: CheckContext, table: TableInfo) -> Iterator[Diagnostic]:
    for header in table.layout.outputs:
        name = header.subject.text
        if name not in table.outputs:
            yield context.report("unknown-name", header.span,
                                 f"table `{table.name}` declares no output `{name}`",
                                 suggest(name, table.outputs)
                                 or f"declare it above the header: `output {name}: one of …`")


def outputs_without_column(context: CheckContext, table: TableInfo) -> Iterator[Diagnostic]:
    columns = {header.subject.text for header in table.layout.outputs}
    missing = [name for name in table.outputs if name not in columns]
    # A column that misspells a missing output is reported once, as undeclared, with the output
    # as its suggestion.
    misspelt = {match for column in columns - set(table.outputs)
                for match in difflib.get_close_matches(column, missing, n=1, cutoff=0.6)}
    for name, info in table.outputs.items():
        if name in missing and name not in misspelt:
            yield context.report("table-layout", info.decl.name.span,
                                 f"output `{name}` has no column in the table",
                                 f"add a `{name}` column after the `||`, or remove the output")


def output_cell(context: CheckContext, table: TableInfo, header: ast.HeaderCell,
                cell: ast.Cell) -> Iterator[Diagnostic]:
    info = table.outputs.get(header.subject.text)
    if info is None or info.type is None or cell.test is None or isinstance(cell.test, ast.AnyTest):
        return
    if not isinstance(cell.test, ast.ValueTest):
        yield context.report("bad-output", cell.span,
                             f"an output cell holds one value, not `{context.written(cell.span)}`",
                             "write one value, or `-` for none")
        return
    for problem in value_problems(context, cell.test.value, info.type, f"`{header.subject.text}`",
                                  classes=False):
        code = "bad-output" if problem.kind == "type" else CELL_CODES[problem.kind]
        yield context.report(code, problem.span, problem.message, problem.help)
