"""Durations in DMN: each duration fact becomes two decisions, its whole days and its completed
calendar months, written in plain FEEL so that any engine counts them as mmdsl does.

FEEL's own `years and months duration` is not used: engines count it as Java's `Period` does, in
which 31 January to 29 February is no month (mmdsl, like an age in months, counts one: the month
is completed on the last day of a shorter month, semantics/calendar.py). The months are spelt out
from the dates' year, month and day instead. A table column that reads a duration becomes one
DMN column per unit its cells use; a cell that tests both units at once (`4 weeks..6 months`) is
split between them when it is a conjunction, and refused when it is not (`< 4 weeks, > 6 months`
cannot be split into two columns).
"""

from __future__ import annotations

from mmdsl.dmn.feel_text import ExportProblem
from mmdsl.ir import model as ir
from mmdsl.ir.walk import refs_read

UNITS = ("days", "months")


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
    return (days_feel if unit == "days" else months_feel)(interval.start, interval.end)


def units_read(tests: list[ir.Cond]) -> list[str]:
    """The units a column's cells test, in the order days, months."""
    found = {p.unit for test in tests for p in _elapsed(test)}
    return [unit for unit in UNITS if unit in found]


def split(test: ir.Cond, unit: str) -> ir.Cond:
    """The part of a cell that tests `unit` (Always when it tests only the other unit), as a
    comparison of the column's number; ExportProblem when the cell cannot be split."""
    units = {p.unit for p in _elapsed(test)}
    if not units:
        return test
    if units == {unit}:
        return as_compare(test)
    if len(units) == 1:
        return ir.Always()
    if not isinstance(test, ir.AllOf) \
            or any(len({q.unit for q in _elapsed(item)}) > 1 for item in test.items):
        raise ExportProblem("a cell that tests days and months in one alternative has no DMN "
                            "form of one column per unit")
    kept = [p for p in (split(item, unit) for item in test.items) if not isinstance(p, ir.Always)]
    return kept[0] if len(kept) == 1 else ir.AllOf(tuple(kept))


def as_compare(test: ir.Cond) -> ir.Cond:
    """Each duration test as a comparison of the number of its unit."""
    match test:
        case ir.Elapsed(ref=ref, unit=unit, op=op, amount=amount):
            return ir.Compare(f"{ref}_{unit}", op, amount)
        case ir.Not(item=item):
            return ir.Not(as_compare(item))
        case ir.AllOf(items=items):
            return ir.AllOf(tuple(as_compare(i) for i in items))
        case ir.AnyOf(items=items):
            return ir.AnyOf(tuple(as_compare(i) for i in items))
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
    return list(refs_read(as_compare(condition)))
