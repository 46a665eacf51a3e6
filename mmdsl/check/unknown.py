"""Unknown values: `unknown` is tested only where a value may be unknown, and no text fact
reads one.

An input declared `or unknown` accepts null from the caller; a derived fact reading it follows
Kleene's three-valued logic and may itself be unknown, and a computed number reading it is unknown
when an operand is (DMN: null in arithmetic gives null). A test for `unknown` anywhere else would
never hold (MD320). A duration from or to a date that may be unknown is unknown when that date
is; a text fact built from (or choosing by) a value that may be unknown is not supported (MD321).
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.text import value_names
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
    """A computed number over values that may be unknown is itself unknown when one is (DMN's
    null in arithmetic), and so is a duration from or to a date that may be unknown; a text fact
    over one is not supported yet."""
    yield from _text(context)


def _text(context: CheckContext) -> Iterator[Diagnostic]:
    """A text fact has words for every patient: one that joins a value that may be unknown, or
    chooses its words by one, would have none to show (its evaluators do not carry unknown)."""
    symbols = context.symbols
    for fact in context.statements(ast.FactDecl):
        if not symbols.is_text_fact(fact.name.text):
            continue
        read = [*value_names(fact.expr), *(c.subject for c in conditions(fact.expr))]
        for subject in dict.fromkeys(read):
            if subject.member is None and symbols.may_be_unknown(subject.name.text):
                yield context.report(
                    "unknown-in-arithmetic", subject.span,
                    f"the text fact `{fact.name.text}` reads `{subject.name.text}`, which may be "
                    "unknown: text from an unknown value is not supported",
                    f"declare `{subject.name.text}` without `or unknown`, or leave it out of the "
                    "text")
