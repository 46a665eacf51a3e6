"""The guideline as a whole: it is named first, and its once-only statements appear once.

The guideline's name is the provenance of every decision, so a file without it cannot be
compiled; a second `version` or `scope` would leave the reader guessing which one holds.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.source import Span
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("missing-guideline", "misplaced-statement")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    yield from missing_guideline(context)
    yield from guideline_not_first(context)
    yield from repeated_statements(context)


def missing_guideline(context: CheckContext) -> Iterator[Diagnostic]:
    if context.symbols.guideline is None and "guideline" not in context.unparsed.keywords:
        yield context.report("missing-guideline", _first_word(context),
                             "this file does not declare its guideline",
                             'start the file with `guideline NAME "Title"`')


def _first_word(context: CheckContext) -> Span:
    """The first word of the first statement: where the guideline declaration belongs."""
    statements = context.module.statements
    start = statements[0].span.start if statements else 0
    text = context.source.text
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return context.span_of(start, min(max(end, start + 1), len(text)))  # an empty file: no word


def guideline_not_first(context: CheckContext) -> Iterator[Diagnostic]:
    guideline = context.symbols.guideline
    first = context.module.statements[0] if context.module.statements else None
    if guideline is not None and first is not guideline:
        yield context.report("misplaced-statement", guideline.span,
                             "the guideline declaration must come first",
                             "move it above every other statement")


def repeated_statements(context: CheckContext) -> Iterator[Diagnostic]:
    for statement in context.symbols.repeated:
        yield context.report("misplaced-statement", _keyword_span(statement),
                             f"{_what(statement)} is declared more than once",
                             "keep one of them")


_ONCE_ONLY = {ast.GuidelineDecl: "guideline", ast.VersionDecl: "version", ast.ScopeDecl: "scope",
              ast.SourceDecl: "clinical source"}


def _what(statement: ast.Statement) -> str:
    if isinstance(statement, ast.ReferenceDecl):
        return f"reference {statement.number.value}"
    return f"the {_ONCE_ONLY.get(type(statement), 'statement')}"


def _keyword_span(statement: ast.Statement) -> Span:
    """The keyword (and a reference's number): enough to find the statement, no more."""
    span = statement.span
    if isinstance(statement, ast.ReferenceDecl):
        return span.to(statement.number.span)
    width = len(_ONCE_ONLY.get(type(statement), "x"))
    return Span(span.line, span.column, span.line, span.column + width, span.start,
                span.start + width)
