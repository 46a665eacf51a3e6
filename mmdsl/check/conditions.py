"""Conditions of derived facts and the scope: each test fits the type of what it tests.

The same mistakes as in a table cell (a number compared with a yes/no input, a misspelt member,
a bound outside the range) make a fact silently false for every patient.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, conditions
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
    for expr in context.expressions():
        for condition in conditions(expr):
            yield from condition_problems(context, condition)


def condition_problems(context: CheckContext, condition: ast.Condition) -> Iterator[Diagnostic]:
    resolved = context.symbols.resolve(condition.subject)
    if resolved is None or resolved.kind not in ("input", "fact", "interval") or condition.test is None:
        return  # names reports subjects that are unknown, tables, or not yes/no
    subject = f"`{condition.subject.text}`"
    for problem in test_problems(context, condition.test, resolved.type, subject):
        yield context.report(TEST_CODES[problem.kind], problem.span, problem.message, problem.help,
                             **({"fix": problem.fix} if problem.fix else {}))
