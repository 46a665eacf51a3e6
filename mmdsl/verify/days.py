"""Fixed calendar days made numbers, exactly: the verifier's view of a date tested against days.

A cell such as `>= 2019-09-01` or `2019-01-01..2019-12-31` compares a date input with fixed
days. Days are whole numbers in calendar order (mmdsl/ir/days.py), so the verifier reads such a
date input as an integer from the first to the last day a date can be, and each test as a
threshold on it: nothing is approximated, and a witness's number is the day it stands for.

A time of day (`time of day`) is read the same way, as its seconds since midnight, a whole
number from 0 to 86,399 in clock order (mmdsl/semantics/clock.py): `>= 17:00` is `>= 61200`, and a
witness's number is written back as the time it stands for (`17:00`).

A date input that is also an end of a duration (`time from`) is left as it is: the durations are
made finite another way (verify/time.py), which does not reason about fixed days; the encoder
refuses such a test (`Unverifiable`), and the tables that read it are reported as not checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from mmdsl.ir import model as ir
from mmdsl.ir.days import FIRST_DAY, LAST_DAY, day_number, day_of
from mmdsl.ir.walk import conditions, parts, with_choices
from mmdsl.semantics.clock import SECONDS_A_DAY, seconds_of_day, time_of_day

DAY_TYPE = ir.IRType("integer", low=FIRST_DAY, high=LAST_DAY, unit="\u0000day")
"""A date read as its day number (the unit, which no declaration can write, tells it apart)."""


CLOCK_TYPE = ir.IRType("integer", low=0, high=SECONDS_A_DAY - 1, unit="\u0000clock")
"""A time of day read as its seconds since midnight (the unit tells it apart, as DAY_TYPE's)."""


def is_day(value_type: ir.IRType) -> bool:
    return value_type == DAY_TYPE


def is_clock(value_type: ir.IRType) -> bool:
    return value_type == CLOCK_TYPE


def clock_of(seconds: int) -> str:
    """Seconds since midnight as a time of day, as a table writes it: `17:00`, `17:00:30`."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02}:{minutes:02}" + (f":{secs:02}" if secs else "")


def clock_cell(low: int | None, high: int | None) -> str:
    """Times of day from `low` to `high` seconds (None: no end) as a cell: `08:00..17:59:59`."""
    if low is not None and high is not None:
        return clock_of(low) if low == high else f"{clock_of(low)}..{clock_of(high)}"
    if low is not None:
        return f">= {clock_of(low)}"
    return f"<= {clock_of(high)}" if high is not None else "-"


def day_cell(low: int | None, high: int | None) -> str:
    """Days from `low` to `high` (None: no end) as a cell: `2019-09-01..2019-12-31`."""
    if low is not None and high is not None:
        return day_of(low) if low == high else f"{day_of(low)}..{day_of(high)}"
    if low is not None:
        return f">= {day_of(low)}"
    return f"<= {day_of(high)}" if high is not None else "-"


@dataclass
class DayAbstraction:
    """The date inputs the verifier reads as day numbers."""

    inputs: frozenset[str] = field(default_factory=frozenset)
    clocks: frozenset[str] = field(default_factory=frozenset)  # times of day, in seconds

    def condition(self, cond: ir.Cond) -> ir.Cond:
        return _swap(cond, self.inputs | self.clocks) if self.inputs or self.clocks else cond

    def table(self, table: ir.IRTable) -> ir.IRTable:
        if not self.inputs and not self.clocks:
            return table
        return replace(table, columns=tuple(replace(c, type=DAY_TYPE) if c.ref in self.inputs
                                            else replace(c, type=CLOCK_TYPE)
                                            if c.ref in self.clocks else c
                                            for c in table.columns),
                       rules=tuple(replace(r, tests=tuple(self.condition(c) for c in r.tests))
                                   for r in table.rules))

    def concrete(self, facts: dict[str, ir.JsonValue]) -> dict[str, ir.JsonValue]:
        """Facts with each day number written as its day, each time of day as its time."""
        return {name: day_of(value) if name in self.inputs and isinstance(value, int)
                else clock_of(value) if name in self.clocks and isinstance(value, int) else value
                for name, value in facts.items()}


def abstract_days(guideline: ir.IRGuideline) -> tuple[ir.IRGuideline, DayAbstraction]:
    """The guideline with each date input tested against fixed days, and counted in no
    duration, read as a day number."""
    tested = {part.ref for cond in conditions(guideline) for part in parts(cond)
              if isinstance(part, ir.OnDay)}
    in_durations = {end for i in guideline.intervals for end in (i.start, i.end)}
    inputs = frozenset(tested - in_durations)
    clocks = frozenset(i.name for i in guideline.inputs if i.type.kind == "time")
    abstraction = DayAbstraction(inputs, clocks)
    if not inputs and not clocks:
        return guideline, abstraction
    swap = abstraction.condition
    return replace(
        guideline,
        inputs=tuple(replace(i, type=DAY_TYPE) if i.name in inputs
                     else replace(i, type=CLOCK_TYPE) if i.name in clocks else i
                     for i in guideline.inputs),
        facts=tuple(replace(f, condition=swap(f.condition), false_when=None
                            if f.false_when is None else swap(f.false_when))
                    for f in guideline.facts),
        scope=replace(guideline.scope, condition=swap(guideline.scope.condition))
        if guideline.scope else None,
        impossible=tuple(replace(i, condition=swap(i.condition)) for i in guideline.impossible),
        computed=tuple(replace(c, expr=with_choices(c.expr, swap)) for c in guideline.computed),
        tables=tuple(abstraction.table(t) for t in guideline.tables),
    ), abstraction


def _swap(cond: ir.Cond, inputs: frozenset[str]) -> ir.Cond:
    match cond:
        case ir.OnDay(ref=ref, op=op, day=day) if ref in inputs:
            return ir.Compare(ref, op, day_number(day))
        case ir.AtClock(ref=ref, op=op, clock=written) if ref in inputs:
            return ir.Compare(ref, op, seconds_of_day(time_of_day(written)))
        case ir.Not():
            return ir.Not(_swap(cond.item, inputs))
        case ir.AllOf():
            return ir.AllOf(tuple(_swap(c, inputs) for c in cond.items))
        case ir.AnyOf():
            return ir.AnyOf(tuple(_swap(c, inputs) for c in cond.items))
    return cond
