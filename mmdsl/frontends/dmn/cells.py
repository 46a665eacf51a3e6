"""FEEL unary tests to mmdsl cells and conditions, and output entries to output cells.

Each function either writes mmdsl text with exactly the meaning the DMN text has, or raises
CellProblem saying why it cannot. The translation is by the column's type:

| DMN test        | number column  | text column   | one-of column | yes/no column | set column             |
|-----------------|----------------|---------------|---------------|---------------|------------------------|
| `5`, `"a"`      | `5`            | `"a"`         | `a`           | `yes`         | -                      |
| `!= 5`          | `!= 5`         | `not "a"`     | `not a`       | `not yes`     | -                      |
| `< 5`           | `< 5`          | -             | -             | -             | -                      |
| `[1..5)`        | `[1..5[`       | -             | -             | -             | -                      |
| list contains   | -              | -             | -             | -             | `has a`, `any of (…)`  |
| `not(t1, t2)`   | `not (t1, t2)` | likewise      | likewise      | likewise      | likewise               |

A date column is tested like a number column, with calendar days: `< date("2019-09-01")` is
`< 2019-09-01`, `[date("2019-01-01")..date("2019-12-31")]` is `2019-01-01..2019-12-31`; a
date-and-time column likewise with fixed dates and times (`>= date and time("2024-03-01T08:00:00")`
is `>= 2024-03-01T08:00`), and the time between two dates and times (`end - start`) with
durations of whole minutes (`< duration("PT4H30M")` is `< 270 minutes`).

Missing values. A column that reads another decision's single result may have no value (the
decision gave null). mmdsl matches a missing value only with `-`. DMN (FEEL's three-valued logic)
matches it with some cells: `!= "a"` (null != "a" is true) and `not("a")` (null = "a" is false,
negated true). Such cells are refused on such columns; `not(null, "a")`, which mmdsl's export
writes, means exactly mmdsl's `not a`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from mmdsl.diagnostics.names import CodeName
from mmdsl.frontends.dmn import feel
from mmdsl.frontends.dmn.mmdsltext import number_text, quote_exact
from mmdsl.frontends.dmn.types import ValueType
from mmdsl.syntax.parser import MAX_DIGITS, digit_count


class CellProblem(Exception):
    """A test or value that mmdsl cannot write with the same meaning; `code` names the MD7xx."""

    def __init__(self, message: str, code: CodeName = "dmn-unsupported-feel") -> None:
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True, slots=True)
class Column:
    """What a column (or a condition's subject) reads, for writing its tests."""

    type: ValueType
    nullable: bool = False  # a single-hit decision's result: may be missing
    listed: bool = False  # a collecting decision's result: a list, read as a set
    duration: bool = False  # the days between two dates (`end - start`): tested with durations
    unknown: bool = False  # an input that may be null (`or unknown`), or a fact that reads one
    months: bool = False  # the completed months between two dates (FEEL's `years and months
    # duration(start, end)`): tested with years-and-months durations
    clock: bool = False  # the time between two dates and times (`end - start`): tested with
    # days-and-time durations of whole minutes, written in minutes


NUMBERS = ("decimal", "integer")
# mmdsl numbers have at most MAX_DIGITS digits, so that each is exact as a binary float (the
# parser's MD308); a longer DMN number is refused at its place in the DMN file rather than there.


# ---- cells ----------------------------------------------------------------------------------------


def cell_text(tests: feel.UnaryTests, column: Column) -> str:
    """The mmdsl cell for a DMN input entry."""
    if column.unknown:
        return _unknown_cell(tests, column)
    tests = _without_null(tests, column)
    if tests.is_any:
        return "-"
    _same_units(tests, column.duration, column.months, column.clock)
    if tests.negated and all(isinstance(t, feel.Membership) and t.quantifier == "any"
                             for t in tests.tests):
        return _none_of(tests, column.type)
    parts = [_cell_test(test, column) for test in tests.tests]
    named = column.type.class_of(parts) if column.type.kind == "enum" and len(parts) > 1 else None
    if named and all(isinstance(t, feel.Comparison) and t.op == "=" for t in tests.tests):
        parts = [named]  # `bortezomib, carfilzomib, ixazomib` is the class PI
    if not tests.negated:
        return ", ".join(parts)
    return f"not {parts[0]}" if len(parts) == 1 else f"not ({', '.join(parts)})"


def _unknown_cell(tests: feel.UnaryTests, column: Column) -> str:
    """A cell on a value that may be null, with DMN's meaning on null exactly: `null` is
    `unknown`, `not(null)` is `not unknown`, and a cell that DMN matches on null (`!= 5`,
    `not("a")`) is `unknown, …` (mmdsl's tests never match an unknown value)."""
    if tests.is_any:
        return "-"
    on_null = on_null_outcome(tests)
    kept = feel.UnaryTests(tuple(t for t in tests.tests if not isinstance(t, feel.IsNull)),
                           tests.negated)
    if not kept.tests:
        return "not unknown" if tests.negated else "unknown"
    rest = cell_text(kept, Column(column.type, False, column.listed, column.duration,
                                  months=column.months, clock=column.clock))
    return f"unknown, {rest}" if on_null is True else rest


def on_null_outcome(tests: feel.UnaryTests) -> bool | None:
    """What DMN's three-valued logic gives for these (non `-`) tests on null: true, false or
    null (no match)."""
    outcomes = [_on_null(test) for test in tests.tests]
    result = True if True in outcomes else None if None in outcomes else False
    return result if result is None or not tests.negated else not result


def _without_null(tests: feel.UnaryTests, column: Column) -> feel.UnaryTests:
    """The tests with `null` removed, when that leaves their meaning as mmdsl reads it."""
    if column.nullable and _dmn_matches_missing(tests):
        raise CellProblem("on a missing value (the decision it reads gave null) this cell "
                          "matches in DMN but would not in mmdsl, where only `-` matches a "
                          "missing value")
    kept = tuple(t for t in tests.tests if not isinstance(t, feel.IsNull))
    if len(kept) == len(tests.tests):
        return tests
    if not kept:
        if tests.negated:
            return feel.ANY_VALUE  # not(null): every value that is there
        raise CellProblem("`null` alone tests for a missing value, which mmdsl cannot write")
    return feel.UnaryTests(kept, tests.negated)


def _none_of(tests: feel.UnaryTests, value_type: ValueType) -> str:
    """`not(list contains(?, "a"), ...)`: the set holds none of them."""
    members = [_member(v, value_type) for t in tests.tests if isinstance(t, feel.Membership)
               for v in t.members]
    named = value_type.class_of(members)
    return f"none of {named or '(' + ', '.join(dict.fromkeys(members)) + ')'}"


def _dmn_matches_missing(tests: feel.UnaryTests) -> bool:
    """Whether DMN's three-valued logic matches a null value with these (non `-`) tests."""
    if tests.is_any:
        return False
    outcomes = [_on_null(test) for test in tests.tests]
    result = True if True in outcomes else None if None in outcomes else False
    return result is (not tests.negated)


def _on_null(test: feel.Test) -> bool | None:
    """A test applied to null: equality is false, inequality true, ordering null."""
    if isinstance(test, feel.IsNull):
        return True
    if isinstance(test, feel.Comparison) and test.op in ("=", "!="):
        return test.op == "!="
    return None


def _cell_test(test: feel.Test, column: Column) -> str:
    kind = column.type.kind
    if column.listed or kind == "set":
        return _set_cell(test, column.type)
    if isinstance(test, feel.Membership):
        raise CellProblem("a list test (`list contains`) on a column that holds one value")
    if isinstance(test, feel.IsNull):
        raise CellProblem("`null` in a list of tests")  # removed before; never reached
    if column.clock:
        return _number_cell(test, _minutes)
    if kind in NUMBERS:
        return _number_cell(test)
    if kind == "date":
        return _number_cell(test, _day)
    if kind == "datetime":
        return _number_cell(test, _moment)
    if kind == "time":
        return _number_cell(test, _clock)
    if isinstance(test, feel.Interval) or test.op not in ("=", "!="):
        raise CellProblem(f"mmdsl compares {_kind_words(column.type)} for equality only, not "
                          "by order")
    value = value_text(test.value, column.type)
    return value if test.op == "=" else f"not {value}"


def _kind_words(value_type: ValueType) -> str:
    return {"text": "text", "enum": "listed values", "bool": "yes/no values"}.get(
        value_type.kind, "values")


def _number_cell(test: feel.Test, value: Callable[[feel.Literal], str] | None = None) -> str:
    """A test of a number column; or, with `value` reading the literals, of a date column."""
    value = value or _number
    if isinstance(test, feel.Interval):
        low, high = value(test.low), value(test.high)
        if test.low_closed and test.high_closed:
            return f"{low}..{high}"
        return f"{'[' if test.low_closed else ']'}{low}..{high}{']' if test.high_closed else '['}"
    assert isinstance(test, feel.Comparison)
    number = value(test.value)
    return number if test.op == "=" else f"{test.op} {number}"


def _day(literal: feel.Literal) -> str:
    """A calendar day, as mmdsl writes it: `2019-09-01`."""
    if not literal.day:
        raise CellProblem(f"compares a date with {_literal_words(literal)}")
    assert isinstance(literal.value, str)
    return literal.value


def _clock(literal: feel.Literal) -> str:
    """A fixed time of day, as mmdsl writes it: `10:30`, `10:30:05`."""
    if not literal.clock_time:
        raise CellProblem(f"compares a time of day with {_literal_words(literal)}")
    assert isinstance(literal.value, str)
    return literal.value


def _moment(literal: feel.Literal) -> str:
    """A fixed date and time, as mmdsl writes it: `2024-03-01T08:00`."""
    if not literal.moment:
        raise CellProblem(f"compares a date and time with {_literal_words(literal)}")
    assert isinstance(literal.value, str)
    return literal.value


def _minutes(literal: feel.Literal) -> str:
    """A days-and-time duration as mmdsl writes it, in the unit FEEL's literal is written in
    (`PT270M` is `270 minutes`, `PT24H` `24 hours`, `P1D` `1 day`; a mix, `PT4H30M`, in
    minutes): mmdsl tests the time between dates and times in minutes, hours, days and weeks,
    never seconds."""
    if literal.seconds is None:
        raise CellProblem(f"compares the time between two dates and times with "
                          f"{_literal_words(literal)}")
    if literal.seconds % 60:
        raise CellProblem(f"the duration of {literal.seconds} seconds is not a whole number of "
                          "minutes: mmdsl tests the time between dates and times in minutes, "
                          "hours, days and weeks")
    size = {"days": 86_400, "hours": 3600}.get(literal.unit, 60)
    unit = literal.unit if literal.unit in ("days", "hours") else "minutes"
    amount = number_text(literal.seconds / size)
    return f"{amount} {unit[:-1] if amount in ('1', '-1') else unit}"


def _number(literal: feel.Literal) -> str:
    if not isinstance(literal.value, Decimal):
        raise CellProblem(f"compares a number with {_literal_words(literal)}")
    text = number_text(literal.value)
    if digit_count(text) > MAX_DIGITS:
        raise CellProblem(f"`{text}` has more than {MAX_DIGITS} digits, which mmdsl numbers cannot "
                          "hold exactly")
    return text


def _literal_words(literal: feel.Literal) -> str:
    if literal.duration or literal.seconds is not None:
        return "a duration"
    if literal.months:
        return "a years and months duration"
    return {"string": "text", "boolean": "true or false", "number": "a number",
            "date": "a calendar day", "date and time": "a date and time",
            "time": "a time of day"}[literal.kind]


def _set_cell(test: feel.Test, value_type: ValueType) -> str:
    if not isinstance(test, feel.Membership):
        raise CellProblem("on a list value DMN compares the whole list with this test (it never "
                          "tests membership); write `list contains(?, \"value\")` for membership")
    members = [_member(value, value_type) for value in test.members]
    if test.quantifier == "any" and len(members) == 1:
        return f"has {members[0]}"
    named = value_type.class_of(members)
    return f"{test.quantifier} of {named or '(' + ', '.join(members) + ')'}"


# ---- values -------------------------------------------------------------------------------------


def value_text(literal: feel.Literal, value_type: ValueType) -> str:
    """A literal as an mmdsl value of `value_type`: `5`, `yes`, `"text"`, a member's name."""
    kind = value_type.kind
    if kind in NUMBERS:
        return _number(literal)
    if kind == "bool":
        if not isinstance(literal.value, bool):
            raise CellProblem(f"compares yes/no with {_literal_words(literal)}")
        return "yes" if literal.value else "no"
    if not isinstance(literal.value, str):
        raise CellProblem(f"compares text with {_literal_words(literal)}")
    if kind in ("enum", "set"):
        return _member(literal.value, value_type)
    quoted = quote_exact(literal.value)
    if quoted is None:
        raise CellProblem(f"the text {literal.value!r} holds a line break or an invisible "
                          "character, which mmdsl's quoted text cannot hold",
                          "dmn-unrepresentable-text")
    return quoted


def _member(value: str, value_type: ValueType) -> str:
    member = value_type.members.get(value)
    if member is None:
        listed = ", ".join(f'"{v}"' for v in value_type.values)
        raise CellProblem(f'"{value}" is not one of the listed values ({listed})')
    return member


def output_text(literal: feel.Literal | None, value_type: ValueType) -> str:
    """An output entry: a value, or `-` for null."""
    return "-" if literal is None else value_text(literal, value_type)


def _same_units(tests: feel.UnaryTests, duration: bool, months: bool = False,
                clock: bool = False) -> None:
    """A duration (the days between two dates) is tested with durations, the months between
    two dates with years-and-months durations, anything else with values that are not: FEEL
    compares a duration with a number, or one kind of duration with the other, as null, which
    never matches."""
    for test in tests.tests:
        literals = [test.value] if isinstance(test, feel.Comparison) else \
            [test.low, test.high] if isinstance(test, feel.Interval) else []
        if clock:
            if not all(literal.seconds is not None for literal in literals):
                raise CellProblem("the value is a duration (the time between two dates and "
                                  "times) and the test is not: FEEL never matches them; write a "
                                  'duration such as `duration("PT4H30M")`')
            continue
        if duration and not months and any(literal.seconds is not None and not literal.duration
                                           for literal in literals):
            raise CellProblem("the duration is not a whole number of days; mmdsl counts time "
                              "between dates in whole days")
        if months and not all(literal.months for literal in literals):
            raise CellProblem("the value is a years and months duration (the months between "
                              "two dates) and the test is not: FEEL never matches them; write "
                              'a years and months duration such as `duration("P1Y2M")`')
        if duration and not months and not all(literal.duration for literal in literals):
            raise CellProblem("the value is a duration (the days between two dates) and the "
                              "test is not: FEEL never matches them; write a duration such as "
                              '`duration("P28D")`' + (" (a years and months duration is compared "
                              "with `years and months duration(start, end)`)"
                              if any(literal.months for literal in literals) else ""))
        if not duration and any(literal.duration or literal.months or literal.seconds is not None
                                for literal in literals):
            raise CellProblem("the test is a duration and the value is not (the time between "
                              "two dates): FEEL never matches them")


# ---- conditions (derived facts) --------------------------------------------------------------------


def condition_text(subject: str, tests: feel.UnaryTests, value_type: ValueType,
                   duration: bool = False, months: bool = False,
                   clock: bool = False) -> str | None:
    """An mmdsl condition that `subject` passes the tests; None for `-` (always true)."""
    kept = tuple(t for t in tests.tests if not isinstance(t, feel.IsNull))
    if tests.is_any or (not kept and tests.negated):
        return None
    _same_units(tests, duration, months, clock)
    if not kept:
        raise CellProblem("`null` alone tests for a missing value, which mmdsl cannot write")
    parts = [_condition(subject, test, value_type, clock) for test in kept]
    joined = parts[0] if len(parts) == 1 else f"({' or '.join(parts)})"
    if not tests.negated:
        return joined
    return f"not {joined}" if len(parts) > 1 else f"not ({joined})"


def _condition(subject: str, test: feel.Test, value_type: ValueType, clock: bool = False) -> str:
    kind = value_type.kind
    if kind == "set":
        test_text = _set_cell(test, value_type)
        return f"{subject} {test_text if test_text.startswith('has ') else 'has ' + test_text}"
    if isinstance(test, (feel.Membership, feel.IsNull)):
        raise CellProblem("a list test (`list contains`) on a value that is not a list")
    if clock:
        return _number_condition(subject, test, _minutes)
    if kind in NUMBERS:
        return _number_condition(subject, test)
    if kind == "date":
        return _number_condition(subject, test, _day)
    if kind == "datetime":
        return _number_condition(subject, test, _moment)
    if kind == "time":
        return _number_condition(subject, test, _clock)
    if isinstance(test, feel.Interval) or test.op not in ("=", "!="):
        raise CellProblem(f"mmdsl compares {_kind_words(value_type)} for equality only, not "
                          "by order")
    if kind == "bool":
        wanted = value_text(test.value, value_type) == "yes"
        return subject if wanted == (test.op == "=") else f"not {subject}"
    value = value_text(test.value, value_type)
    return f"{subject} is {value}" if test.op == "=" else f"{subject} is not {value}"


def _number_condition(subject: str, test: feel.Test,
                      value: Callable[[feel.Literal], str] | None = None) -> str:
    if isinstance(test, feel.Interval):
        return f"{subject} in {_number_cell(test, value)}"
    assert isinstance(test, feel.Comparison)
    return f"{subject} {test.op} {(value or _number)(test.value)}"
