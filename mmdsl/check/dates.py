"""Dates and durations: each duration runs between two date inputs, one evaluation date at most,
and no date has a default.

A duration between something that is not a date would never have a value; two evaluation dates
would make the day of the decision ambiguous; a default date would invent a history, or a day of
decision other than the one the caller means (the evaluation date is never the wall clock).
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, suggest
from mmdsl.check.values import type_phrase
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.types import DateT
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("bad-interval", "several-evaluation-dates", "date-default")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for interval in context.statements(ast.IntervalDecl):
        for end in (interval.start, interval.end):
            yield from _date_end(context, end)
        if interval.start.text == interval.end.text:
            yield context.report("bad-interval", interval.end.span,
                                 f"the time from `{interval.start.text}` to itself is always 0",
                                 "count to another date, such as the evaluation date")
    yield from _evaluation_dates(context)
    for decl in context.statements(ast.InputDecl):
        if isinstance(decl.type, ast.DateType) and decl.default is not None:
            yield context.report("date-default", decl.default.span,
                                 f"`{decl.name.text}` is a date, which has no default",
                                 "remove the default: the caller gives every date, the "
                                 "evaluation date included")


def _date_end(context: CheckContext, name: ast.Name) -> Iterator[Diagnostic]:
    symbols = context.symbols
    info = symbols.inputs.get(name.text)
    if info is None and context.unknown_because_unparsed(name.text):
        return
    if info is None:
        dates = [n for n, i in symbols.inputs.items() if isinstance(i.type, DateT)]
        yield context.report("bad-interval", name.span, f"`{name.text}` is not an input",
                             suggest(name.text, dates) or "declare it: `input "
                             f"{name.text}: date`")
    elif info.type is not None and not isinstance(info.type, DateT):
        yield context.report("bad-interval", name.span,
                             f"`{name.text}` is {type_phrase(info.type)}, not a date",
                             "a duration runs between two inputs declared `date` or "
                             "`evaluation date`")


def _evaluation_dates(context: CheckContext) -> Iterator[Diagnostic]:
    declared = [d for d in context.statements(ast.InputDecl)
                if isinstance(d.type, ast.DateType) and d.type.evaluation]
    for extra in declared[1:]:
        yield context.report("several-evaluation-dates", extra.type.span,
                             f"`{extra.name.text}` is a second evaluation date, after "
                             f"`{declared[0].name.text}`",
                             "declare it `date`: a decision is made on one day")
