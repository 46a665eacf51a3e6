"""Text facts: joined from text only, and never tested.

A text fact (`fact greeting = "Hello " + full_name`, semantics/text.py) joins quoted text, text
inputs, the member of an enumeration input and other text facts; a number or a yes/no in it has
no words to join (MD322). It is shown with the decision and tested by nothing: no column of a
table, no condition of a fact, of the scope or of an impossible combination (MD323), so that no
decision depends on how a name is spelt.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, conditions
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.source import Span
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("text-mixed", "text-fact-tested")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    symbols = context.symbols
    for name in symbols.facts:
        text = symbols.text_fact(name)
        if text is None:
            continue
        for problem in text.problems:
            span = problem.span if isinstance(problem.span, Span) else text.decl.expr.span
            yield context.report("text-mixed", span, problem.message, problem.help)
    for table in context.tables():
        for header in table.layout.inputs:
            yield from _tested(context, header.subject, f"table `{table.name}` tests it in a column")
    values = {id(decl.expr) for decl in symbols.facts.values()}  # `fact copy = greeting`
    for expr in context.expressions():
        for condition in conditions(expr):
            if condition.test is not None or id(condition) not in values:
                yield from _tested(context, condition.subject, "a condition tests it")


def _tested(context: CheckContext, subject: ast.Subject, where: str) -> Iterator[Diagnostic]:
    name = subject.name.text
    if subject.member is None and name in context.symbols.facts \
            and context.symbols.is_text_fact(name):
        yield context.report(
            "text-fact-tested", subject.span,
            f"`{name}` is a text fact, shown with the decision and never tested; {where}",
            "test what the text is built from (the inputs and facts it joins), not the text")
