"""Cells of the input columns and the rule column: each test fits the type of its column.

A yes/no column tested with a number, a misspelt drug, or a range outside the declared bounds
would never match a patient: the rule would silently be dead.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext
from mmdsl.check.values import TEST_CODES, test_problems
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = (
    "type-mismatch", "unknown-member", "out-of-range", "empty-range", "bad-integer",
    "unit-after-number", "unknown-duration-unit", "date-tested-directly", "invalid-date",
    "invalid-date-time", "duration-unit-mismatch", "invalid-time-of-day",
)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for table in context.tables():
        fine: set[tuple[str, str]] = set()  # (column, cell text) found without a problem
        for row in context.rows(table):
            yield from rule_name(context, row.rule)
            for header, cell in row.inputs:
                if (header.subject.text, cell.text) in fine:
                    continue  # the same text in the same column: the same test, the same verdict
                problems = list(cell_problems(context, header.subject, cell))
                if not problems:
                    fine.add((header.subject.text, cell.text))
                yield from problems


def cell_problems(context: CheckContext, subject: ast.Subject,
                  cell: ast.Cell) -> Iterator[Diagnostic]:
    resolved = context.symbols.resolve(subject)
    if resolved is None or cell.test is None:
        return  # an unknown column or an empty cell: reported by names and layout
    for problem in test_problems(context, cell.test, resolved.type, f"`{subject.text}`"):
        yield context.report(TEST_CODES[problem.kind], problem.span, problem.message, problem.help,
                             **({"fix": problem.fix} if problem.fix else {}))


def rule_name(context: CheckContext, cell: ast.Cell | None) -> Iterator[Diagnostic]:
    """The rule column names each rule with a plain name, never a test."""
    test = cell.test if cell is not None else None
    if cell is None or test is None:
        return
    if not (isinstance(test, ast.ValueTest) and isinstance(test.value, ast.NameValue)):
        yield context.report("type-mismatch", cell.span,
                             f"`{context.written(cell.span)}` is not a rule name",
                             "name the rule with a word, such as `car_t_first`")
