"""Dates and times made numbers, exactly: the verifier's view of `date and time` inputs.

Two shapes are read exactly, each as whole numbers on a line, as verify/days.py reads fixed days:

- A date-and-time input tested against fixed dates and times only (`>= 2024-03-01T08:00`) is
  compared by its clock time as written (semantics/clock.py), so it is read as its moment number,
  a whole number of seconds from the first to the last clock time Python knows: every number is
  the clock time of a value the facts may give.
- A duration between dates and times (`time from onset to now`) is a whole number of seconds,
  the same on every day (unlike calendar months). When the ends of the durations are used only
  through durations and the durations form no cycle (a forest: `since_onset` and `door` may
  share `now`, but `a to b`, `b to c` and `a to c` are tied), every combination of lengths is
  given by some facts: fix one end, and the others follow along the tree. So each duration is
  read as its own integer, bounded just beyond the longest amount it is tested with (every
  longer duration passes and fails the same tests), and a witness's lengths are turned back into
  dates and times along the tree, without offsets.

Anything else (a date and time tested against fixed ones and also an end of a duration, durations
in a cycle, one longer than the calendar can realise along its tree) is left as it is: the encoder
refuses it (`Unverifiable`), and the tables that read it are reported as not checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, parts, with_choices
from mmdsl.semantics.clock import amount_words, moment, moment_number, moment_of

FIRST_MOMENT = 1 * 86_400  # 0001-01-01T00:00, as moment_number counts (day 1 at midnight)
LAST_MOMENT = 3_652_059 * 86_400 + 86_399  # 9999-12-31T23:59:59
MOMENT_UNIT = "\u0000moment"  # a date and time read as its moment number
SECONDS_UNIT = "\u0000seconds"  # a duration between dates and times read as seconds
ROOT = "2024-01-01T00:00"  # where a witness's tree of durations starts
MOST_SECONDS = 1_900 * 365 * 86_400  # a tree's depth times its longest duration stays in 100..9999

MOMENT_TYPE = ir.IRType("integer", low=FIRST_MOMENT, high=LAST_MOMENT, unit=MOMENT_UNIT)


def is_moment(value_type: ir.IRType) -> bool:
    return value_type.unit == MOMENT_UNIT


def is_seconds(value_type: ir.IRType) -> bool:
    return value_type.unit == SECONDS_UNIT


def moment_cell(low: int | None, high: int | None) -> str:
    """Moments from `low` (included) to `high` (left out), None: no end, as a cell."""
    return _cell(low, high, moment_of)


def seconds_cell(low: int | None, high: int | None) -> str:
    """Durations from `low` seconds (included) to `high` (left out) as a cell: `[4 hours..1 day[`."""
    return _cell(low, high, amount_words)


def _cell(low: int | None, high: int | None, words: Callable[[int], str]) -> str:
    """A range of whole seconds as a cell, in whole minutes where it can: the verifier's bounds
    `>= 14401` and `< 14401` are `> 4 hours` and `<= 4 hours` (on whole seconds, the same)."""
    low_open = low is not None and low % 60 == 1  # `> x`, not `>= x + 1 second`
    high_closed = high is not None and high % 60 == 1  # `<= x`, not `< x + 1 second`
    first = None if low is None else words(low - 1 if low_open else low)
    last = None if high is None else words(high - 1 if high_closed else high)
    if low is not None and high is not None:
        if high == low + 1:
            return words(low)
        return f"{']' if low_open else '['}{first}..{last}{']' if high_closed else '['}"
    if low is not None:
        return f"{'>' if low_open else '>='} {first}"
    return f"{'<=' if high_closed else '<'} {last}" if high is not None else "-"


@dataclass
class MomentAbstraction:
    """The date-and-time inputs read as moment numbers, and the durations read as seconds."""

    moments: frozenset[str] = field(default_factory=frozenset)
    durations: dict[str, ir.IRInterval] = field(default_factory=dict)  # by name
    roots: tuple[str, ...] = ()  # the first end of each tree, in declared order
    types: dict[str, ir.IRType] = field(default_factory=dict)  # each duration's integer

    def condition(self, cond: ir.Cond) -> ir.Cond:
        return _swap(cond, self.moments, self.durations) if self.moments or self.durations \
            else cond

    def table(self, table: ir.IRTable) -> ir.IRTable:
        if not self.moments and not self.durations:
            return table
        return replace(table, columns=tuple(_column(c, self.moments, self.types)
                                            for c in table.columns),
                       rules=tuple(replace(r, tests=tuple(self.condition(c) for c in r.tests))
                                   for r in table.rules))

    def concrete(self, facts: dict[str, ir.JsonValue]) -> dict[str, ir.JsonValue]:
        """Facts with each moment number written as its date and time, and each duration's
        length turned into the dates and times of its ends."""
        result = {name: moment_of(value) if name in self.moments and isinstance(value, int)
                  else value for name, value in facts.items() if name not in self.durations}
        placed: dict[str, int] = {root: moment_number(moment(ROOT)) for root in self.roots}
        pending = list(self.durations.values())
        while pending:
            waiting = []
            for interval in pending:
                length = facts.get(interval.name)
                seconds = length if isinstance(length, int) else 0
                if interval.start in placed:
                    placed[interval.end] = placed[interval.start] + seconds
                elif interval.end in placed:
                    placed[interval.start] = placed[interval.end] - seconds
                else:
                    waiting.append(interval)
            if len(waiting) == len(pending):  # cannot happen in a forest rooted at `roots`
                raise ValueError(f"durations not joined to a root: {waiting}")
            pending = waiting
        result.update({name: moment_of(number) for name, number in placed.items()})
        return result


def abstract_moments(guideline: ir.IRGuideline) -> tuple[ir.IRGuideline, MomentAbstraction]:
    """The guideline with each date-and-time input tested against fixed dates and times only
    read as its moment number, and each forest of durations between dates and times whose ends
    nothing else reads read as one integer per duration."""
    timed = {i.name for i in guideline.inputs if i.type.kind == "datetime"}
    if not timed:
        return guideline, MomentAbstraction()
    tested = {part.ref for cond in conditions(guideline) for part in parts(cond)
              if isinstance(part, ir.AtTime)}
    intervals = [i for i in guideline.intervals if i.time]
    ends = {end for i in intervals for end in (i.start, i.end)}
    moments = frozenset(tested & timed - ends)
    durations, roots = _forest(guideline, intervals, tested)
    longest = _longest(guideline)
    abstraction = MomentAbstraction(moments, {i.name: i for i in durations}, roots,
                                    {i.name: _seconds_type(longest.get(i.name, 0))
                                     for i in durations})
    if not moments and not durations:
        return guideline, abstraction
    removed = {end for i in durations for end in (i.start, i.end)}
    inputs = [replace(i, type=MOMENT_TYPE) if i.name in moments else i
              for i in guideline.inputs if i.name not in removed]
    inputs += [ir.IRInput(i.name, abstraction.types[i.name], True, None, None, i.description)
               for i in durations]
    swap = abstraction.condition
    return replace(
        guideline,
        inputs=tuple(inputs),
        intervals=tuple(i for i in guideline.intervals if i.name not in abstraction.durations),
        evaluation_date=None if guideline.evaluation_date in removed else guideline.evaluation_date,
        facts=tuple(replace(f, condition=swap(f.condition)) for f in guideline.facts),
        scope=replace(guideline.scope, condition=swap(guideline.scope.condition))
        if guideline.scope else None,
        impossible=tuple(replace(i, condition=swap(i.condition)) for i in guideline.impossible),
        computed=tuple(replace(c, expr=with_choices(c.expr, swap)) for c in guideline.computed),
        tables=tuple(abstraction.table(t) for t in guideline.tables),
    ), abstraction


def _forest(guideline: ir.IRGuideline, intervals: list[ir.IRInterval], tested: set[str]
            ) -> tuple[list[ir.IRInterval], tuple[str, ...]]:
    """The durations read as integers: every tree of durations (ends joined by durations) none
    of whose ends is tested against fixed dates and times or may be unknown, with no cycle, and
    short enough to be realised along the tree. Others are left to the encoder to refuse."""
    order = [i.name for i in guideline.inputs]
    unknown = {i.name for i in guideline.inputs if i.unknown}
    parent = {name: name for name in order}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    joined = [i for i in intervals if i.start in parent and i.end in parent]
    for interval in joined:
        a, b = sorted((root(interval.start), root(interval.end)), key=order.index)
        parent[b] = a
    trees: dict[str, list[ir.IRInterval]] = {}
    for interval in joined:
        trees.setdefault(root(interval.start), []).append(interval)
    longest = _longest(guideline)
    chosen: list[ir.IRInterval] = []
    roots = []
    for top, members in trees.items():
        ends = {end for i in members for end in (i.start, i.end)}
        if len(members) != len(ends) - 1 or ends & (tested | unknown):
            continue  # a cycle (one length is the sum of others), or ends read another way
        if len(members) * (max(longest.get(i.name, 0) for i in members) + 1) > MOST_SECONDS:
            continue
        chosen.extend(members)
        roots.append(top)
    return chosen, tuple(sorted(roots, key=order.index))


def _longest(guideline: ir.IRGuideline) -> dict[str, int]:
    """The longest amount (in seconds) each duration between dates and times is tested with."""
    found: dict[str, int] = {}
    for cond in conditions(guideline):
        for part in parts(cond):
            if isinstance(part, ir.Elapsed) and part.unit == "seconds":
                found[part.ref] = max(found.get(part.ref, 0), abs(part.amount))
    return found


def _seconds_type(longest: int) -> ir.IRType:
    """Lengths from just below minus the longest amount to just above it: any longer duration
    passes and fails every test as the bound does."""
    return ir.IRType("integer", low=-longest - 1, high=longest + 1, unit=SECONDS_UNIT)


def _column(column: ir.IRColumn, moments: frozenset[str],
            types: dict[str, ir.IRType]) -> ir.IRColumn:
    if column.ref in moments:
        return replace(column, type=MOMENT_TYPE)
    if column.ref in types:
        return replace(column, type=types[column.ref])
    return column


def _swap(cond: ir.Cond, moments: frozenset[str], durations: dict[str, ir.IRInterval]) -> ir.Cond:
    match cond:
        case ir.AtTime(ref=ref, op=op, moment=fixed) if ref in moments:
            return ir.Compare(ref, op, moment_number(moment(fixed)))
        case ir.Elapsed(ref=ref, op=op, amount=amount) if ref in durations:
            return ir.Compare(ref, op, amount)
        case ir.Not():
            return ir.Not(_swap(cond.item, moments, durations))
        case ir.AllOf():
            return ir.AllOf(tuple(_swap(c, moments, durations) for c in cond.items))
        case ir.AnyOf():
            return ir.AnyOf(tuple(_swap(c, moments, durations) for c in cond.items))
    return cond
