"""Dates and durations: each duration runs between two date inputs (both dates, or both dates
and times), one evaluation date at most, and no date has a default.

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
from mmdsl.semantics.types import ClockT, DateT
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("bad-interval", "several-evaluation-dates", "date-default",
                               "mixed-interval-ends")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for interval in context.statements(ast.IntervalDecl):
        for end in (interval.start, interval.end):
            yield from _date_end(context, end)
        if interval.start.text == interval.end.text:
            yield context.report("bad-interval", interval.end.span,
                                 f"the time from `{interval.start.text}` to itself is always 0",
                                 "count to another date, such as the evaluation date")
        else:
            yield from _mixed_ends(context, interval)
    yield from _evaluation_dates(context)
    for decl in context.statements(ast.InputDecl):
        if isinstance(decl.type, ast.DateType | ast.TimeOfDayType) and decl.default is not None:
            kind = "a time of day" if isinstance(decl.type, ast.TimeOfDayType) \
                else "a date and time" if decl.type.time else "a date"
            yield context.report("date-default", decl.default.span,
                                 f"`{decl.name.text}` is {kind}, which has no default",
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
    elif isinstance(info.type, ClockT):  # a clock reading has no day: the time between two is not known
        yield context.report("bad-interval", name.span,
                             f"`{name.text}` is a time of day, which has no date: the time "
                             "between two times of day is not known (the next day, or the same?)",
                             f"declare dates and times: `input {name.text}: date and time`, and "
                             "count `time from` one to the other in minutes or hours")
    elif info.type is not None and not isinstance(info.type, DateT):
        yield context.report("bad-interval", name.span,
                             f"`{name.text}` is {type_phrase(info.type)}, not a date",
                             "a duration runs between two inputs declared `date` or "
                             "`evaluation date`")


def _mixed_ends(context: CheckContext, interval: ast.IntervalDecl) -> Iterator[Diagnostic]:
    """A duration from a date to a date and time (or back) has no count: MD324."""
    types = [context.symbols.inputs.get(n.text) for n in (interval.start, interval.end)]
    if not all(t is not None and isinstance(t.type, DateT) for t in types):
        return  # reported above
    start, end = (t.type for t in types if t is not None)
    assert isinstance(start, DateT) and isinstance(end, DateT)
    if start.time == end.time:
        return
    timed, dated = (interval.start, interval.end) if start.time else (interval.end, interval.start)
    yield context.report("mixed-interval-ends", interval.span,
                         f"`{timed.text}` is a date and time, but `{dated.text}` is a date: the "
                         f"time from one to the other has no count",
                         f"declare `{dated.text}` as `date and time` (or "
                         f"`evaluation date and time`) to count hours and minutes, or "
                         f"`{timed.text}` as `date` to count days, months and years")


def _evaluation_dates(context: CheckContext) -> Iterator[Diagnostic]:
    declared = [d for d in context.statements(ast.InputDecl)
                if isinstance(d.type, ast.DateType) and d.type.evaluation]
    for extra in declared[1:]:
        assert isinstance(extra.type, ast.DateType)
        plain = "date and time" if extra.type.time else "date"
        yield context.report("several-evaluation-dates", extra.type.span,
                             f"`{extra.name.text}` is a second evaluation date, after "
                             f"`{declared[0].name.text}`",
                             f"declare it `{plain}`: a decision is made "
                             f"{'at one moment' if extra.type.time else 'on one day'}")
