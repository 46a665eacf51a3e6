"""Whether a value or a test fits a type: shared by the checks of cells, conditions, defaults,
outputs and worked examples (not a check itself).

Each function returns `Problem`s, not diagnostics: the same wrong value is a different mistake
(and code) in a table cell, a default or an example, so the caller picks the code by `kind`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from mmdsl.check.context import CheckContext, quoted, suggest
from mmdsl.diagnostics.names import CodeName
from mmdsl.runtime.prelude import parse_date_time, parse_time_of_day
from mmdsl.semantics.types import (
    DAY_UNITS,
    DURATION_UNITS,
    MONTH_UNITS,
    TIME_UNITS,
    BoolT,
    ClockT,
    DateT,
    DurationT,
    EnumInfo,
    EnumT,
    NumberT,
    SetT,
    TextT,
    ValueType,
)
from mmdsl.source import Span
from mmdsl.syntax import ast

ProblemKind = Literal["type", "member", "range", "integer", "empty-range", "unit", "time-unit",
                      "date", "invalid-date", "invalid-date-time", "unit-mismatch",
                      "invalid-time-of-day"]

# The code of each kind of problem in a table cell or a condition.
CELL_CODES: dict[ProblemKind, CodeName] = {
    "type": "type-mismatch", "member": "unknown-member", "range": "out-of-range",
    "integer": "bad-integer", "empty-range": "empty-range",
}
# ... and of the problems only a test written with a unit, or a date, can have.
TIME_CODES: dict[ProblemKind, CodeName] = {
    "unit": "unit-after-number", "time-unit": "unknown-duration-unit",
    "date": "date-tested-directly", "invalid-date": "invalid-date",
    "invalid-date-time": "invalid-date-time", "unit-mismatch": "duration-unit-mismatch",
    "invalid-time-of-day": "invalid-time-of-day",
}
TEST_CODES: dict[ProblemKind, CodeName] = {**CELL_CODES, **TIME_CODES}


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    span: Span
    message: str
    help: str | None = None
    fix: dict[str, object] | None = None  # a replacement of the file's text that removes it


# ---- describing types and values in a clinician's words --------------------------------------


def type_phrase(value_type: ValueType) -> str:
    match value_type:
        case EnumT():
            return f"one of {enum_phrase(value_type.enum)}"
        case SetT():
            return f"a set of {enum_phrase(value_type.enum)}"
        case NumberT():
            return value_type.describe()
        case DurationT():
            return "a duration"
        case DateT():
            return "a date and time" if value_type.time else "a date"
        case ClockT():
            return "a time of day"
    return value_type.describe()


def enum_phrase(enum: EnumInfo) -> str:
    """A declared enumeration by its name; members written in place by the members."""
    if isinstance(enum.decl, ast.EnumDecl):
        return enum.name
    return ", ".join(enum.members[:5]) + (", …" if len(enum.members) > 5 else "")


def value_phrase(value: ast.Value) -> str:
    match value:
        case ast.BoolValue():
            return "yes/no"
        case ast.NumberValue():
            return "a number"
        case ast.TextValue():
            return "text"
        case ast.DateValue():
            return "a date"
        case ast.DateTimeValue():
            return "a date and time"
        case ast.TimeOfDayValue():
            return "a time of day"
    return "a name"


def type_help(value_type: ValueType) -> str:
    """How to write a value of a type."""
    match value_type:
        case BoolT():
            return "write `yes` or `no`"
        case NumberT():
            return "write a number" if value_type.kind == "decimal" else "write a whole number"
        case TextT():
            return 'write the text in quotes, like "…"'
        case EnumT() | SetT():
            return f"write a member of {enum_phrase(value_type.enum)}, such as `{value_type.enum.members[0]}`"
        case DateT() if value_type.time:
            return "write a date and time as year-month-dayThour:minute, such as `2024-03-01T14:30`"
        case DateT():
            return "write a date as year-month-day, such as `2024-03-01`"
        case ClockT():
            return "write a time of day as hour:minute, such as `14:30`"
        case DurationT():
            return "write an amount of time with its unit, such as `6 weeks` or `< 60 days`"
    return "write a value of the right type"


# ---- single values ----------------------------------------------------------------------------


def value_problems(context: CheckContext, value: ast.Value, value_type: ValueType, subject: str,
                   *, classes: bool) -> Iterator[Problem]:
    """A written value against a type; `classes` allows a class to stand for its members."""
    if isinstance(value, ast.NameValue) and isinstance(value_type, EnumT | SetT):
        yield from _member(context, value.name, value_type.enum, classes)
    elif isinstance(value, ast.NumberValue) and isinstance(value_type, NumberT):
        yield from number_problems(context, value, value_type, subject)
    elif isinstance(value, ast.DateValue) and isinstance(value_type, DateT) and not value_type.time:
        yield from date_problems(value)
    elif isinstance(value, ast.DateTimeValue) and isinstance(value_type, DateT) and value_type.time:
        yield from date_time_problems(value, offset=True)
    elif isinstance(value, ast.TimeOfDayValue) and isinstance(value_type, ClockT):
        yield from time_of_day_problems(value)
    elif not _same_kind(value, value_type):
        yield _mismatch(context, value.span, value_phrase(value), value_type, subject)


def _same_kind(value: ast.Value, value_type: ValueType) -> bool:
    return (isinstance(value, ast.BoolValue) and isinstance(value_type, BoolT)) or (
        isinstance(value, ast.TextValue) and isinstance(value_type, TextT))


YES_NO_SPELLINGS = {"yes": "yes", "no": "no", "true": "yes", "false": "no", "y": "yes", "n": "no"}
"""Other ways of writing yes and no (the exact `yes` and `no` never reach here: they are values)."""


def _mismatch(context: CheckContext, span: Span, what: str, value_type: ValueType,
              subject: str, shown: str | None = None) -> Problem:
    written = shown or context.written(span)
    meant = YES_NO_SPELLINGS.get(written.lower()) if isinstance(value_type, BoolT) else None
    if meant is not None:
        return Problem("type", span, f"`{written}` is written `{meant}`: {subject} is yes/no, "
                       "and yes/no values are written in lower case", f"write `{meant}`")
    return Problem("type", span, f"`{written}` is {what}, but {subject} is {type_phrase(value_type)}",
                   type_help(value_type))


def number_problems(context: CheckContext, value: ast.NumberValue, number: NumberT,
                    subject: str) -> Iterator[Problem]:
    """A number must be whole for an integer, and inside the declared bounds."""
    written = context.written(value.span)
    if number.kind == "integer" and isinstance(value.value, Decimal):
        yield Problem("integer", value.span, f"`{written}` is not a whole number, but {subject} "
                      "is an integer", "write a whole number")
    elif not _within(value.value, number):
        yield Problem("range", value.span, f"`{written}` is outside the range of {subject} "
                      f"({number.low}..{number.high})",
                      f"use a number from {number.low} to {number.high}")


def date_problems(value: ast.DateValue) -> Iterator[Problem]:
    """A date written YYYY-MM-DD must exist (2024-02-30 does not)."""
    if parse_date(value.text) is None:
        yield Problem("invalid-date", value.span, f"`{value.text}` is not a date that exists",
                      "write an existing date as year-month-day, such as `2024-02-29`")


def date_time_problems(value: ast.DateTimeValue, *, offset: bool) -> Iterator[Problem]:
    """A date and time must exist (2024-02-30T10:00 and 25:00 do not); in a table or a condition
    (`offset` false) it is compared with the clock time as written, so it has no offset."""
    if parse_date_time(value.text) is None:
        yield Problem("invalid-date-time", value.span,
                      f"`{value.text}` is not a date and time that exists",
                      "write an existing date and time as year-month-dayThour:minute, such as "
                      "`2024-03-01T08:00`")
    elif not offset and _has_offset(value.text):
        clock = value.text[:-1] if value.text.endswith("Z") else value.text[:-6]
        yield Problem("invalid-date-time", value.span,
                      f"`{value.text}` has an offset, but a date and time in a table is "
                      "compared with the clock time as written on the value",
                      f"write it without the offset: `{clock}`")


def time_of_day_problems(value: ast.TimeOfDayValue) -> Iterator[Problem]:
    """A time of day must exist (25:00 and 10:61 do not) and has no offset: a clock reading."""
    if parse_time_of_day(value.text) is not None:
        return
    clock = value.text[:-1] if value.text.endswith("Z") else value.text[:-6]
    if value.text != clock and parse_time_of_day(clock) is not None:
        yield Problem("invalid-time-of-day", value.span,
                      f"`{value.text}` has an offset, but a time of day is a clock reading, "
                      "which has none", f"write it as read on the clock: `{clock}`")
        return
    yield Problem("invalid-time-of-day", value.span,
                  f"`{value.text}` is not a time of day that exists (00:00 to 23:59:59)",
                  "write an existing time of day as hour:minute, such as `08:00` or `17:30`")


def parse_clock(text: str) -> int | None:
    """A fixed time of day as its seconds since midnight, or None."""
    value = parse_time_of_day(text)
    return None if value is None else value.hour * 3600 + value.minute * 60 + value.second


def _has_offset(text: str) -> bool:
    return text.endswith("Z") or (len(text) > 16 and text[-6] in "+-")


def parse_moment(text: str) -> int | None:
    """A fixed date and time as its moment number (seconds of the clock time), or None."""
    value = parse_date_time(text)
    if value is None:
        return None
    return value.toordinal() * 86_400 + value.hour * 3600 + value.minute * 60 + value.second


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _within(value: int | Decimal, number: NumberT) -> bool:
    above_low = number.low is None or value >= number.low
    return above_low and (number.high is None or value <= number.high)


def _member(context: CheckContext, name: ast.Name, enum: EnumInfo,
            classes: bool) -> Iterator[Problem]:
    """A name must be a member of the enumeration (or, where allowed, one of its classes)."""
    if name.text in enum.members or context.unknown_because_unparsed(name.text):
        return
    info = context.symbols.classes.get(name.text)
    if info is not None and classes and info.decl.enum.text == enum.name:
        return
    if info is not None:
        yield _class_misuse(name, enum, classes)
        return
    candidates = list(enum.members) + (list(_classes_of(context, enum)) if classes else [])
    yield Problem("member", name.span, f"`{name.text}` is not a member of {enum_phrase(enum)}",
                  suggest(name.text, candidates) or f"the members are {quoted(enum.members)}")


def _class_misuse(name: ast.Name, enum: EnumInfo, classes: bool) -> Problem:
    if classes:  # a class of another enumeration
        return Problem("member", name.span,
                       f"`{name.text}` is a class of another enumeration, not of {enum_phrase(enum)}",
                       f"the members are {quoted(enum.members)}")
    return Problem("member", name.span, f"`{name.text}` is a class; here each value is one member",
                   f"write the members one by one, such as `{enum.members[0]}`")


def _classes_of(context: CheckContext, enum: EnumInfo) -> Iterator[str]:
    return (n for n, c in context.symbols.classes.items() if c.decl.enum.text == enum.name)


# ---- tests in cells and conditions ------------------------------------------------------------


def test_problems(context: CheckContext, test: ast.Test, value_type: ValueType,
                  subject: str) -> Iterator[Problem]:
    """Every problem of a test (and the tests inside it) against the type of its subject."""
    if isinstance(test, ast.UnknownTest):  # any type may be unknown (check/unknown.py: MD320)
        return
    if isinstance(value_type, ClockT):
        yield from _clock_problems(context, test, subject)
        return
    if _has_clock(test):  # `>= 08:00` on a date, a number, a duration
        yield _mismatch(context, test.span, "a test on times of day", value_type, subject,
                        context.written(test.span) if isinstance(test, ast.CompareTest) else None)
        return
    if isinstance(value_type, DateT):
        yield from (_moment_problems if value_type.time else _day_problems)(context, test, subject)
        return
    if _has_day(test):
        yield _mismatch(context, test.span, "a test on calendar days", value_type, subject,
                        context.written(test.span) if isinstance(test, ast.CompareTest) else None)
        return
    match test:
        case ast.NotTest() | ast.OneOfTest():
            for inner in test.tests:
                yield from test_problems(context, inner, value_type, subject)
        case ast.CompareTest() | ast.RangeTest() if _about_time(test, value_type):
            yield from duration_problems(context, test, value_type, subject)
        case ast.CompareTest():
            assert isinstance(test.value, ast.NumberValue)
            yield from _numbers(context, test, (test.value,), value_type, subject)
        case ast.RangeTest():
            yield from _range(context, test, value_type, subject)
        case ast.ValueTest():
            yield from value_problems(context, test.value, value_type, subject, classes=True)
        case ast.HasTest():
            yield from _has(context, test, value_type, subject)
        case ast.QuantifiedTest():
            yield from _quantified(context, test, value_type, subject)


def _numbers(context: CheckContext, test: ast.Test, values: tuple[ast.NumberValue, ...],
             value_type: ValueType, subject: str) -> Iterator[Problem]:
    if not isinstance(value_type, NumberT):
        # `t11_14 >= 3` in a condition: the test's span holds only the number, so show the operator
        shown = f"{test.op} {context.written(test.value.span)}" \
            if isinstance(test, ast.CompareTest) else None
        yield _mismatch(context, test.span, "a test on numbers", value_type, subject, shown)
        return
    for value in values:
        yield from number_problems(context, value, value_type, subject)


def _range(context: CheckContext, test: ast.RangeTest, value_type: ValueType,
           subject: str) -> Iterator[Problem]:
    assert isinstance(test.low, ast.NumberValue) and isinstance(test.high, ast.NumberValue)
    if range_is_empty(test.low.value, test.high.value, test.low_closed, test.high_closed):
        yield Problem("empty-range", test.span, f"the range `{context.written(test.span)}` "
                      "contains no value", "write the low end first, and include at least one value")
    yield from _numbers(context, test, (test.low, test.high), value_type, subject)


def range_is_empty(low: int | Decimal, high: int | Decimal, low_closed: bool,
                   high_closed: bool) -> bool:
    return low > high or (low == high and not (low_closed and high_closed))


def _has(context: CheckContext, test: ast.HasTest, value_type: ValueType,
         subject: str) -> Iterator[Problem]:
    """`has m` asks whether a set contains m; on a single value, the test is the member alone."""
    if not isinstance(value_type, SetT):
        problem = _mismatch(context, test.span, "a test on a set", value_type, subject)
        help_text = f"write `{test.member.text}` alone" if isinstance(value_type, EnumT) else None
        yield Problem("type", test.span, problem.message, help_text or problem.help)
        return
    yield from _member(context, test.member, value_type.enum, classes=True)


def _quantified(context: CheckContext, test: ast.QuantifiedTest, value_type: ValueType,
                subject: str) -> Iterator[Problem]:
    """`any of` / `none of` fit a set or a single member; `all of` only a set."""
    if not isinstance(value_type, SetT | EnumT):
        yield _mismatch(context, test.span, "a test on members", value_type, subject)
        return
    if test.quantifier == "all" and isinstance(value_type, EnumT):
        yield Problem("type", test.span, f"{subject} holds one value, so it cannot be all of "
                      "several members", "write `any of` for one of the members")
    for name in test.members:
        yield from _member(context, name, value_type.enum, classes=True)


# ---- number types ------------------------------------------------------------------------------


def bounds_problems(context: CheckContext, type_expr: ast.TypeExpr) -> Iterator[Problem]:
    """The bounds of `integer low..high`: whole numbers, low end first."""
    if not isinstance(type_expr, ast.NumberType) or type_expr.low is None or type_expr.high is None:
        return
    low, high = type_expr.low, type_expr.high
    for bound in (low, high):
        if type_expr.kind == "integer" and isinstance(bound.value, Decimal):
            yield Problem("integer", bound.span, f"`{context.written(bound.span)}` is not a whole "
                          "number, but the type is an integer", "write a whole number")
    if low.value > high.value:
        yield Problem("empty-range", low.span.to(high.span), f"the bounds `{low.value}..{high.value}` "
                      "contain no value", f"write the low end first: `{high.value}..{low.value}`")


# ---- dates and durations ------------------------------------------------------------------------


def _about_time(test: ast.CompareTest | ast.RangeTest, value_type: ValueType) -> bool:
    """A test on a duration, or a test written with a unit after its number."""
    values = (test.value,) if isinstance(test, ast.CompareTest) else (test.low, test.high)
    return isinstance(value_type, DurationT) or any(isinstance(v, ast.DurationValue) for v in values)


def _date_tested(test: ast.Test, subject: str) -> Problem:
    name = subject.strip("`")
    return Problem("date", test.span, f"{subject} is a date, tested here with something other "
                   "than a calendar day",
                   f"test it against a day written year-month-day (`>= 2019-09-01`), or declare "
                   f"the time since it as a fact, `fact since_{name} = time from {name} to "
                   "evaluation_date`, and test that: `< 60 days`, `>= 18 years`")


def _has_day(test: ast.Test) -> bool:
    """A comparison or a range with a calendar day (`>= 2019-09-01`)."""
    days = ast.DateValue | ast.DateTimeValue
    if isinstance(test, ast.CompareTest):
        return isinstance(test.value, days)
    return isinstance(test, ast.RangeTest) and (
        isinstance(test.low, days) or isinstance(test.high, days))


def _day_problems(context: CheckContext, test: ast.Test, subject: str) -> Iterator[Problem]:
    """A date against fixed calendar days: `>= 2019-09-01`, `2019-01-01..2019-12-31`,
    `2020-07-01`, `not < 2019-01-01`; each day must exist, a range must hold a day."""
    match test:
        case ast.AnyTest() | ast.UnknownTest():  # `unknown`, `not unknown`: MD320's to check
            return
        case ast.NotTest() | ast.OneOfTest():
            for inner in test.tests:
                yield from _day_problems(context, inner, subject)
            return
        case ast.CompareTest() if isinstance(test.value, ast.DateValue):
            yield from date_problems(test.value)
            return
        case ast.ValueTest() if isinstance(test.value, ast.DateValue):
            yield from date_problems(test.value)
            return
        case ast.RangeTest() if isinstance(test.low, ast.DateValue) and isinstance(
                test.high, ast.DateValue):
            problems = [*date_problems(test.low), *date_problems(test.high)]
            yield from problems
            low, high = parse_date(test.low.text), parse_date(test.high.text)
            if not problems and low is not None and high is not None and range_is_empty(
                    low.toordinal(), high.toordinal(), test.low_closed, test.high_closed):
                yield Problem("empty-range", test.span, f"the range `{context.written(test.span)}` "
                              "contains no day", "write the earlier day first, and include at "
                              "least one day")
            return
    if _has_day(test) or (isinstance(test, ast.ValueTest) and isinstance(
            test.value, ast.DateTimeValue)):  # a date and time where a day is meant
        yield Problem("type", test.span, f"{subject} is a date, tested here with a date and time",
                      "write the day alone, year-month-day (`>= 2024-03-01`), or declare the "
                      "input `date and time`")
        return
    yield _date_tested(test, subject)


def _has_clock(test: ast.Test) -> bool:
    """A comparison or a range with a time of day (`>= 08:00`)."""
    if isinstance(test, ast.CompareTest):
        return isinstance(test.value, ast.TimeOfDayValue)
    return isinstance(test, ast.RangeTest) and (
        isinstance(test.low, ast.TimeOfDayValue) or isinstance(test.high, ast.TimeOfDayValue))


def _clock_problems(context: CheckContext, test: ast.Test, subject: str) -> Iterator[Problem]:
    """A time of day against fixed times of day: `>= 08:00`, ranges, lists, `not`; each must
    exist, and a range must hold a time (no wrap-around past midnight: `not [08:00..18:00[`)."""
    match test:
        case ast.AnyTest() | ast.UnknownTest():
            return
        case ast.NotTest() | ast.OneOfTest():
            for inner in test.tests:
                yield from _clock_problems(context, inner, subject)
            return
        case ast.CompareTest() | ast.ValueTest() if isinstance(test.value, ast.TimeOfDayValue):
            yield from time_of_day_problems(test.value)
            return
        case ast.RangeTest() if isinstance(test.low, ast.TimeOfDayValue) and isinstance(
                test.high, ast.TimeOfDayValue):
            problems = [*time_of_day_problems(test.low), *time_of_day_problems(test.high)]
            yield from problems
            low, high = parse_clock(test.low.text), parse_clock(test.high.text)
            if not problems and low is not None and high is not None and range_is_empty(
                    low, high, test.low_closed, test.high_closed):
                yield Problem("empty-range", test.span, f"the range `{context.written(test.span)}` "
                              "contains no time of day", "write the earlier time first: times of "
                              "day do not wrap around midnight, so a time outside office hours "
                              "is `not [08:00..18:00[`")
            return
    yield Problem("type", test.span, f"{subject} is a time of day, tested here with something "
                  "other than a time of day", "test it against a time of day written hour:minute, "
                  "such as `>= 08:00` or `[08:00..17:00[`")


def _moment_tested(test: ast.Test, subject: str) -> Problem:
    name = subject.strip("`")
    return Problem("date", test.span, f"{subject} is a date and time, tested here with something "
                   "other than a fixed date and time",
                   f"test it against a date and time written without quotes (`>= 2024-03-01T08:00`),"
                   f" or declare the time since it as a fact, `fact since_{name} = time from "
                   f"{name} to now` (`now` an `evaluation date and time`), and test that: "
                   "`< 4 hours`")


def _moment_problems(context: CheckContext, test: ast.Test, subject: str) -> Iterator[Problem]:
    """A date and time against fixed dates and times: `>= 2024-03-01T08:00`, ranges, lists,
    `not`; each must exist and have no offset, and a range must hold a moment."""
    match test:
        case ast.AnyTest() | ast.UnknownTest():
            return
        case ast.NotTest() | ast.OneOfTest():
            for inner in test.tests:
                yield from _moment_problems(context, inner, subject)
            return
        case ast.CompareTest() | ast.ValueTest() if isinstance(test.value, ast.DateTimeValue):
            yield from date_time_problems(test.value, offset=False)
            return
        case ast.RangeTest() if isinstance(test.low, ast.DateTimeValue) and isinstance(
                test.high, ast.DateTimeValue):
            problems = [*date_time_problems(test.low, offset=False),
                        *date_time_problems(test.high, offset=False)]
            yield from problems
            low, high = parse_moment(test.low.text), parse_moment(test.high.text)
            if not problems and low is not None and high is not None and range_is_empty(
                    low, high, test.low_closed, test.high_closed):
                yield Problem("empty-range", test.span, f"the range `{context.written(test.span)}` "
                              "contains no moment", "write the earlier date and time first")
            return
    if _has_day(test) or (isinstance(test, ast.ValueTest) and isinstance(test.value,
                                                                         ast.DateValue)):
        yield Problem("type", test.span, f"{subject} is a date and time, tested here with a day "
                      "without a clock time", "write the clock time after the day: "
                      "`>= 2024-03-01T00:00` is on or after the start of 1 March 2024")
        return
    yield _moment_tested(test, subject)


def duration_problems(context: CheckContext, test: ast.CompareTest | ast.RangeTest,
                      value_type: ValueType, subject: str) -> Iterator[Problem]:
    values = (test.value,) if isinstance(test, ast.CompareTest) else (test.low, test.high)
    if not isinstance(value_type, DurationT):
        yield from (_unit_after_number(context, v, value_type, subject) for v in values
                    if isinstance(v, ast.DurationValue))
        return
    problems = [p for v in values for p in _duration_value(context, v, subject, value_type.time)]
    yield from problems
    if not problems and isinstance(test, ast.RangeTest) and _empty_durations(
            test, value_type.time):
        yield Problem("empty-range", test.span, f"the range `{context.written(test.span)}` "
                      "contains no duration", "write the shorter duration first")


def _unit_after_number(context: CheckContext, value: ast.DurationValue, value_type: ValueType,
                       subject: str) -> Problem:
    """`>= 60 kg` on a number: the unit belongs to the input's declaration (MD117)."""
    word, amount = value.unit.text, value.amount
    if not isinstance(value_type, NumberT):
        return _mismatch(context, value.span, "a duration", value_type, subject)
    if word in DURATION_UNITS:
        help_text = (f"write {amount} alone; to count time, declare a date input and a fact "
                     "`time from … to evaluation_date`, and test that in days, weeks, months or years")
    else:
        help_text = f'write {amount} alone; a unit is declared once, with its input: unit "{word}"'
    number_end = value.span.start + len(str(amount))
    return Problem("unit", value.unit.span,
                   f"`{word}` after the number {amount}: a number is written without its unit",
                   help_text, {"start": number_end, "end": value.unit.span.end, "text": ""})


def _duration_value(context: CheckContext,
                    value: ast.NumberValue | ast.DurationValue | ast.DateValue | ast.DateTimeValue
                    | ast.TimeOfDayValue, subject: str, timed: bool) -> Iterator[Problem]:
    if isinstance(value, ast.TimeOfDayValue):
        yield Problem("type", value.span, f"`{value.text}` is a time of day, but {subject} is a "
                      "duration", "write an amount of time, such as `4 hours`")
        return
    if isinstance(value, ast.DateValue | ast.DateTimeValue):
        yield Problem("type", value.span, f"`{value.text}` is a day, but {subject} is a duration",
                      "test the date itself against the day, or write an amount of time, such "
                      "as `6 weeks`")
        return
    if isinstance(value, ast.NumberValue):
        written = context.written(value.span)
        units = ("minutes", "hours", "days", "weeks") if timed else \
            ("days", "weeks", "months", "years")
        yield Problem("type", value.span, f"`{written}` is a number, but {subject} is a duration",
                      "write the unit after the number: "
                      + ", ".join(f"`{written} {u}`" for u in units[:-1])
                      + f" or `{written} {units[-1]}`")
        return
    yield from _unit_fits(value, subject, timed)
    if value.amount < 0:
        yield Problem("range", value.span, f"`{context.written(value.span)}` is a negative "
                      "duration", "write a duration of 0 or more")


def _unit_fits(value: ast.DurationValue, subject: str, timed: bool) -> Iterator[Problem]:
    """Between dates and times: minutes, hours, days, weeks; between dates: days, weeks, months,
    years. A unit of the other kind is MD325, a word that is no unit MD310."""
    unit = value.unit.text
    if timed and unit in MONTH_UNITS:
        yield Problem("unit-mismatch", value.unit.span,
                      f"`{value.amount} {unit}` counts calendar months, but {subject} runs "
                      "between two dates and times, counted in minutes, hours, days and weeks",
                      "write the time in days or weeks (`< 60 days`); for calendar months, "
                      "declare both ends as `date`")
    elif not timed and unit in TIME_UNITS and unit not in DAY_UNITS:
        yield Problem("unit-mismatch", value.unit.span,
                      f"`{value.amount} {unit}` needs clock times, but {subject} runs between "
                      "two dates, counted in days, weeks, months and years",
                      "write the time in days (`< 1 day`), or declare both ends as "
                      "`date and time` to count hours and minutes")
    elif unit not in (TIME_UNITS if timed else DURATION_UNITS):
        units = TIME_UNITS if timed else DURATION_UNITS
        yield Problem("time-unit", value.unit.span, f"`{unit}` is not a unit of time",
                      suggest(unit, units) or ("write minutes, hours, days or weeks" if timed
                                               else "write days, weeks, months or years"))


def in_seconds(value: ast.DurationValue) -> int:
    """A duration between dates and times in seconds: a day is 24 hours, a week 7 days."""
    return value.amount * TIME_UNITS[value.unit.text]


def in_days_or_months(value: ast.DurationValue) -> tuple[str, int]:
    """A duration as ("days", n) or ("months", n): weeks are 7 days, years 12 months."""
    unit = value.unit.text
    if unit in DAY_UNITS:
        return "days", value.amount * DAY_UNITS[unit]
    return "months", value.amount * MONTH_UNITS[unit]


def _empty_durations(test: ast.RangeTest, timed: bool) -> bool:
    """`3 months..6 weeks`: empty for every pair of dates (a month is 28 to 31 days)."""
    assert isinstance(test.low, ast.DurationValue) and isinstance(test.high, ast.DurationValue)
    if timed:
        return range_is_empty(in_seconds(test.low), in_seconds(test.high), test.low_closed,
                              test.high_closed)
    low, high = in_days_or_months(test.low), in_days_or_months(test.high)
    if low[0] == high[0]:
        return range_is_empty(low[1], high[1], test.low_closed, test.high_closed)
    shortest_low = low[1] * 28 if low[0] == "months" else low[1]
    longest_high = high[1] * 31 if high[0] == "months" else high[1]
    return shortest_low > longest_high
