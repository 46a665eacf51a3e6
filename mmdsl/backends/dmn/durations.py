"""Durations in DMN: each duration fact becomes two decisions, its whole days and its completed
calendar months, written in plain FEEL so that any engine counts them as mmdsl does.

FEEL's own `years and months duration` is not used: engines count it as Java's `Period` does, in
which 31 January to 29 February is no month (mmdsl, like an age in months, counts one: the month
is completed on the last day of a shorter month, semantics/calendar.py). The months are spelt out
from the dates' year, month and day instead; weeks and years, when the guideline writes them,
are the days divided by 7 and the months by 12. A table column that reads a duration becomes one
DMN column per unit its cells use; a cell that tests both units at once (`4 weeks..6 months`) is
split between them when it is a conjunction, and refused when it is not (`< 4 weeks, > 6 months`
cannot be split into two columns).

A duration between two dates and times (issue 18) is one decision, `NAME_time`: FEEL's `end -
start`, a days-and-time duration, which a DMN engine counts as mmdsl does (between instants when
both ends carry an offset, between the clock times as written when neither does); its cells
compare it with days-and-time durations, `< duration("PT4H30M")`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from mmdsl.backends.dmn.feel_text import ExportProblem
from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, refs_read

UNITS = ("days", "weeks", "months", "years", "time")
BASE = {"days": "days", "weeks": "days", "months": "months", "years": "months", "time": "time"}
WRITTEN = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "month": "months",
           "months": "months", "year": "years", "years": "years"}


def days_feel(start: str, end: str) -> str:
    return f"({end} - {start}).days"


def months_feel(start: str, end: str) -> str:
    return (f"if {end} >= {start} then {_forward(start, end)} "
            f"else -({_forward(end, start)})")


def _forward(a: str, b: str) -> str:
    last_day = f"(date({b}.year, {b}.month, 1) + duration(\"P1M\") - duration(\"P1D\")).day"
    return (f"(({b}.year - {a}.year) * 12 + {b}.month - {a}.month - "
            f"(if {b}.day < {a}.day and {b}.day != {last_day} then 1 else 0))")


def feel(interval: ir.IRInterval, unit: str) -> str:
    """Days and months from the dates; weeks and years from those decisions, as fractions
    (`< 4` weeks is `< 28` days exactly: 29 / 7 is more than 4)."""
    if unit == "weeks":
        return f"{interval.name}_days / 7"
    if unit == "years":
        return f"{interval.name}_months / 12"
    if unit == "time":  # between dates and times: a days-and-time duration
        return f"{interval.end} - {interval.start}"
    return (days_feel if unit == "days" else months_feel)(interval.start, interval.end)


def written_unit(test: ir.Elapsed) -> str:
    """The unit as the author wrote it (`6 weeks`: weeks), in the plural; `time` for every test
    of a duration between dates and times (one column, compared with FEEL durations)."""
    if test.unit == "seconds":
        return "time"
    return WRITTEN[test.written.split()[1]]


def written_amount(test: ir.Elapsed) -> int:
    return int(test.written.split()[0])


def units_used(guideline: ir.IRGuideline, interval: str) -> list[str]:
    """The units a duration is written in anywhere, days and months always (weeks and years are
    computed from them); `time` alone for a duration between dates and times."""
    if any(i.name == interval and i.time for i in guideline.intervals):
        return ["time"]
    found = {written_unit(p) for c in conditions(guideline) for p in _elapsed(c) if p.ref == interval}
    return [unit for unit in UNITS if unit in found or unit in ("days", "months")]


def units_read(tests: list[ir.Cond]) -> list[str]:
    """The units a column's cells are written in, in the order days, weeks, months, years."""
    found = {written_unit(p) for test in tests for p in _elapsed(test)}
    return [unit for unit in UNITS if unit in found]


def split(test: ir.Cond, unit: str) -> ir.Cond:
    """The part of a cell that tests `unit` (Always when it tests only the other unit), as a
    comparison of the column's number; ExportProblem when the cell cannot be split."""
    units = {written_unit(p) for p in _elapsed(test)}
    if not units:
        return test
    if units == {unit}:
        return as_compare(test)
    if len(units) == 1:
        return ir.Always()
    if not isinstance(test, ir.AllOf) \
            or any(len({written_unit(q) for q in _elapsed(item)}) > 1 for item in test.items):
        raise ExportProblem("a cell that tests days and months in one alternative has no DMN "
                            "form of one column per unit")
    kept = [p for p in (split(item, unit) for item in test.items) if not isinstance(p, ir.Always)]
    return kept[0] if len(kept) == 1 else ir.AllOf(tuple(kept))


def as_compare(test: ir.Cond) -> ir.Cond:
    """Each duration test as a comparison of the number of its unit."""
    match test:
        case ir.Elapsed(ref=ref, unit="seconds"):  # compared with a FEEL duration (feel_text)
            return replace(test, ref=f"{ref}_time")
        case ir.Elapsed(ref=ref, op=op):
            return ir.Compare(f"{ref}_{written_unit(test)}", op, written_amount(test))
        case ir.Not(item=item):
            return ir.Not(as_compare(item))
        case ir.AllOf(items=items):
            return ir.AllOf(tuple(as_compare(i) for i in items))
        case ir.AnyOf(items=items):
            return ir.AnyOf(tuple(as_compare(i) for i in items))
    return test


def known_days(test: ir.Cond, unknown: frozenset[str]) -> ir.Cond:
    """`IsSet` of a duration that may be unknown as `IsSet` of its days' decision, which is null
    when a date is (FEEL: date arithmetic with null is null)."""
    match test:
        case ir.IsSet(ref=ref) if ref in unknown:
            return ir.IsSet(f"{ref}_days")
        case ir.Not(item=item):
            return ir.Not(known_days(item, unknown))
        case ir.AllOf(items=items):
            return ir.AllOf(tuple(known_days(i, unknown) for i in items))
        case ir.AnyOf(items=items):
            return ir.AnyOf(tuple(known_days(i, unknown) for i in items))
    return test


def _elapsed(test: ir.Cond) -> list[ir.Elapsed]:
    match test:
        case ir.Elapsed():
            return [test]
        case ir.Not(item=item):
            return _elapsed(item)
        case ir.AllOf(items=items) | ir.AnyOf(items=items):
            return [p for i in items for p in _elapsed(i)]
    return []


def refs(condition: ir.Cond) -> list[str]:
    """The names a condition reads in DMN: a duration's test reads its unit's decision."""
    return list(_dmn_refs(as_compare(condition)))


def _dmn_refs(condition: ir.Cond) -> Iterator[str]:
    match condition:
        case ir.Elapsed(ref=ref):  # `NAME_time`, the decision that is the duration
            yield ref
        case ir.Not(item=item):
            yield from _dmn_refs(item)
        case ir.AllOf(items=items) | ir.AnyOf(items=items):
            for item in items:
                yield from _dmn_refs(item)
        case _:
            yield from refs_read(condition)
