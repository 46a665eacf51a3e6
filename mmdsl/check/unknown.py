"""Unknown values: `unknown` is tested only where a value may be unknown, and no text fact
reads one.

An input declared `or unknown` accepts null from the caller; a derived fact reading it follows
Kleene's three-valued logic and may itself be unknown, and a computed number reading it is unknown
when an operand is (DMN: null in arithmetic gives null). A test for `unknown` anywhere else would
never hold (MD320). A text fact built from (or choosing by) a value that may be unknown is
unknown when it is, as a number is, and so is a duration from or to a date that may be unknown;
a duration between dates and times from or to one that may be unknown is not supported (MD321).
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.source import Span
from mmdsl.syntax import ast
from mmdsl.syntax.walk import conditions, inner_tests

EMITS: tuple[CodeName, ...] = ("never-unknown", "unknown-in-arithmetic")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    symbols = context.symbols
    tests = [t for s in context.module.statements for t in _tests(s)] + list(_cells(context))
    for subject, test in tests:
        if not _known_subject(context, subject):
            continue
        for inner in inner_tests(test):
            if isinstance(inner, ast.UnknownTest):
                yield _never(context, subject.text, inner.span)
    for statement in context.module.statements:
        if isinstance(statement, ast.InputDecl) and statement.unknown is not None \
                and isinstance(statement.type, ast.DateType) and statement.type.evaluation:
            yield context.report(
                "never-unknown", statement.unknown,
                f"`{statement.name.text}` is the day the decision is made, which is always known",
                "remove `or unknown`")
        if isinstance(statement, ast.ExampleDecl):
            for given in statement.givens:
                if given.unknown and given.name.text in symbols.inputs \
                        and not symbols.may_be_unknown(given.name.text):
                    yield _never(context, given.name.text, given.span)
            for expect in statement.expects:
                name = expect.subject.text
                if expect.unknown and name in symbols.facts and not symbols.may_be_unknown(name):
                    yield _never(context, name, expect.span)
    yield from _arithmetic(context)


def _known_subject(context: CheckContext, subject: ast.Subject) -> bool:
    """A value that is never unknown: every input, fact, duration or table result but the inputs
    declared `or unknown` and the facts that read them (a table that gives nothing is `-`'s
    business, not `unknown`'s). A subject that names nothing is reported elsewhere."""
    symbols = context.symbols
    if symbols.resolve(subject) is None:
        return False
    return subject.member is not None or not symbols.may_be_unknown(subject.name.text)


def _tests(statement: ast.Statement) -> Iterator[tuple[ast.Subject, ast.Test]]:
    """Each subject with the test written on it: conditions, then the cells of a table."""
    expr: ast.Expr | ast.NumExpr | None = None
    if isinstance(statement, ast.FactDecl | ast.ScopeDecl | ast.ImpossibleDecl):
        expr = statement.expr
    if expr is not None:
        for condition in conditions(expr):
            if condition.test is not None:
                yield condition.subject, condition.test



def _cells(context: CheckContext) -> Iterator[tuple[ast.Subject, ast.Test]]:
    """Each input column's heading with the test of each of its cells."""
    for table in context.tables():
        layout = table.layout
        for row in table.decl.rows:
            cells = row.cells[int(layout.has_rule_column):]
            for header, cell in zip(layout.inputs, cells, strict=False):
                if cell.test is not None:
                    yield header.subject, cell.test


def _never(context: CheckContext, name: str, span: Span) -> Diagnostic:
    return context.report(
        "never-unknown", span,
        f"`{name}` is never unknown: only an input declared `or unknown` (or a fact or a duration "
        "reading one) can be unknown",
        f"declare `input {name}: … or unknown` if the caller may not know it, or remove the test")


def _arithmetic(context: CheckContext) -> Iterator[Diagnostic]:
    """A computed number, a text fact or a duration between dates over values that may be
    unknown is itself unknown when one is (DMN's null in arithmetic); a duration between dates
    and times from or to one that may be unknown is not supported yet."""
    symbols = context.symbols
    for interval in context.statements(ast.IntervalDecl):
        if not symbols.duration_type(interval).time:
            continue
        for end in (interval.start, interval.end):
            if symbols.may_be_unknown(end.text):
                yield context.report(
                    "unknown-in-arithmetic", end.span,
                    f"the duration `{interval.name.text}` is counted from `{end.text}`, which "
                    "may be unknown: a duration between dates and times from an unknown one is "
                    "not supported",
                    f"declare `{end.text}` without `or unknown`")
