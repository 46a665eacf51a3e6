"""Durations made finite, exactly: the verifier's view of date inputs.

A duration fact (`fact since_dose = time from last_dose to evaluation_date`) is tested by cells
such as `< 60 days`, `>= 6 weeks` or `12 months..5 years`. Days are a number, but completed
calendar months are not a fixed number of days (28 to 31 a month), so a table's thresholds in
days and in months fall in a different order depending on the end date. semantics/calendar.py
shows why this stays finite: for a fixed end date every test is a threshold on the number of
days, and the calendar repeats every 400 years.

So the verifier replaces the dates of a group of durations by one enumeration whose members are
the combinations of test results that some pair of dates gives ("atoms"), each with dates that
give it. Every test of a duration becomes "the atom is one of those where it holds". Nothing is
approximated: every patient falls in exactly one atom, and every atom is the atom of the dates
it carries, found by trying each end date of one 400-year cycle.

A date declared `or unknown` (null) makes each duration from or to it unknown: the enumeration
then has members where those durations are unknown (no test of them holds), one per combination
of the dates that are null and of the test results of the durations still known, each with dates
(null for the unknown ones) that give it; `IsSet` of the duration, or of the date, is "the atom is
one of those where it is known". A date that may be unknown and is a start in two groups is left
as it is (two enumerations could not say that it is null in both at once).

Groups handled: durations that share their end date (the evaluation date) and start at
different dates, which is how guidelines count time ("since the last dose", "age"). Other
shapes (one duration's end is another's start) are left as they are: the encoder refuses them
(`Unverifiable`), and the tables that read them are reported as not checked, never as proved.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import product

from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, with_choices
from mmdsl.semantics import calendar
from mmdsl.verify.days import DayAbstraction, abstract_days
from mmdsl.verify.moments import MomentAbstraction, abstract_moments

CYCLE_START = date(2000, 1, 1)  # the end dates tried are of 2000 to 2399: witnesses read as dates
MAX_DAYS = 200 * 366
"""Thresholds longer than this (200 years) are not needed by any guideline; beyond it the start
dates that realise them could fall before year 1 (the end dates tried start in 2000)."""

Predicate = tuple[str, str, int]  # (unit, op, amount) of an Elapsed test


@dataclass
class TimeAbstraction:
    """What the verifier put in place of the dates: per synthetic input, its members' dates."""

    dates: dict[str, dict[str, dict[str, str | None]]] = field(default_factory=dict)
    # synthetic input -> member -> {date input: "YYYY-MM-DD", or None: null}
    date_inputs: set[str] = field(default_factory=set)
    replacements: dict[str, dict[Predicate, tuple[str, ...]]] = field(default_factory=dict)
    synthetic_of: dict[str, str] = field(default_factory=dict)  # duration -> synthetic input
    known: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # a duration or a date that may be unknown -> (synthetic input, the members where it is known)
    types: dict[str, ir.IRType] = field(default_factory=dict)
    days: DayAbstraction = field(default_factory=DayAbstraction)  # dates tested against days
    moments: MomentAbstraction = field(default_factory=MomentAbstraction)  # dates and times

    def condition(self, cond: ir.Cond) -> ir.Cond:
        cond = self.moments.condition(self.days.condition(cond))
        if self.known:
            cond = _swap_known(cond, self.known)
        return _swap(cond, self.replacements, self.synthetic_of) if self.replacements else cond

    def table(self, table: ir.IRTable) -> ir.IRTable:
        """A table as the verifier reads it (any table: the analyses also build variants)."""
        table = self.moments.table(self.days.table(table))
        if not self.replacements:
            return table
        return replace(table, columns=tuple(_column(c, self.synthetic_of, self.types)
                                            for c in table.columns),
                       rules=tuple(replace(r, tests=tuple(self.condition(c) for c in r.tests))
                                   for r in table.rules))

    def concrete(self, facts: dict[str, ir.JsonValue]) -> dict[str, ir.JsonValue]:
        """Facts in which each synthetic input is replaced by the dates of its member."""
        result: dict[str, ir.JsonValue] = {}
        for name, value in facts.items():
            if name in self.dates:
                result.update(self.dates[name][str(value)])
            else:
                result[name] = value
        return self.moments.concrete(self.days.concrete(result))


@dataclass(frozen=True)
class _Group:
    end: str
    intervals: tuple[ir.IRInterval, ...]

    @property
    def synthetic(self) -> str:
        return ", ".join(i.name for i in self.intervals)


def abstract_time(guideline: ir.IRGuideline) -> tuple[ir.IRGuideline, TimeAbstraction]:
    """The guideline with the dates of each supported group replaced by one enumeration (and
    each date tested against fixed days only, by its day number: verify/days.py)."""
    guideline, days = abstract_days(guideline)
    guideline, moments = abstract_moments(guideline)  # dates and times (verify/moments.py)
    abstraction = TimeAbstraction(days=days, moments=moments)
    if not guideline.intervals:
        return guideline, abstraction
    predicates = _predicates(guideline)
    replacements = abstraction.replacements  # interval -> test -> members
    inputs = list(guideline.inputs)
    synthetic_of = abstraction.synthetic_of
    unknown = {i.name for i in guideline.inputs if i.unknown}
    for group in _groups(guideline):
        atoms = _atoms(group, predicates)
        if atoms is None or _shared_unknown(group, guideline, unknown):
            continue
        members = _name_members(group, _with_unknown(group, atoms, unknown))
        abstraction.dates[group.synthetic] = {m: dates for m, (_, dates) in members.items()}
        abstraction.date_inputs |= {group.end} | {i.start for i in group.intervals}
        inputs.append(ir.IRInput(group.synthetic, ir.IRType("enum", tuple(members)), True, None,
                                 None, "the durations between the dates"))
        for position, interval in enumerate(group.intervals):
            synthetic_of[interval.name] = group.synthetic
            replacements[interval.name] = {
                p: tuple(m for m, (vectors, _) in members.items()
                         if (vector := vectors[position]) is not None and vector[index])
                for index, p in enumerate(predicates.get(interval.name, ()))}
            if {interval.start, interval.end} & unknown:
                abstraction.known[interval.name] = (group.synthetic, tuple(
                    m for m, (vectors, _) in members.items() if vectors[position] is not None))
        for name in sorted(({group.end} | {i.start for i in group.intervals}) & unknown):
            abstraction.known[name] = (group.synthetic, tuple(
                m for m, (_, dates) in members.items() if dates[name] is not None))
    if not replacements:
        return guideline, abstraction
    inputs = [i for i in inputs if i.name not in abstraction.date_inputs]
    abstraction.types = {i.name: i.type for i in inputs}
    return _rewritten(guideline, tuple(inputs), abstraction), abstraction


def _predicates(guideline: ir.IRGuideline) -> dict[str, tuple[Predicate, ...]]:
    """Every distinct test of each duration, in a fixed order."""
    found: dict[str, dict[Predicate, None]] = {}
    for cond in _all_conditions(guideline):
        for part in _elapsed_parts(cond):
            found.setdefault(part.ref, {})[(part.unit, part.op, part.amount)] = None
    return {ref: tuple(sorted(tests)) for ref, tests in found.items()}


def _all_conditions(guideline: ir.IRGuideline) -> list[ir.Cond]:
    return list(conditions(guideline))


def _elapsed_parts(cond: ir.Cond) -> list[ir.Elapsed]:
    match cond:
        case ir.Elapsed():
            return [cond]
        case ir.Not():
            return _elapsed_parts(cond.item)
        case ir.AllOf() | ir.AnyOf():
            return [p for item in cond.items for p in _elapsed_parts(item)]
    return []


def _groups(guideline: ir.IRGuideline) -> list[_Group]:
    """Durations by end date, when that end is no duration's start and the starts differ."""
    starts = {i.start for i in guideline.intervals}
    by_end: dict[str, list[ir.IRInterval]] = {}
    for interval in guideline.intervals:
        if interval.time:  # between dates and times: counted in seconds, not by this calendar
            continue
        by_end.setdefault(interval.end, []).append(interval)
    groups = []
    for end, intervals in by_end.items():
        own_starts = [i.start for i in intervals]
        if end in starts or len(set(own_starts)) != len(own_starts):
            continue
        groups.append(_Group(end, tuple(intervals)))
    return groups


Vectors = tuple[tuple[bool, ...] | None, ...]
"""Per interval of a group, the truth of each of its tests (None: the duration is unknown)."""


def _atoms(group: _Group, predicates: dict[str, tuple[Predicate, ...]]
           ) -> dict[Vectors, dict[str, str]] | None:
    """Every combination of test results some dates give, with such dates; None if too long."""
    tests = tuple(predicates.get(i.name, ()) for i in group.intervals)
    if any(_too_long(p) for ps in tests for p in ps):
        return None
    return _atoms_for(tuple(i.start for i in group.intervals), group.end, tests)


def _too_long(predicate: Predicate) -> bool:
    unit, _, amount = predicate
    return amount * (31 if unit == "months" else 1) > MAX_DAYS


@functools.lru_cache(maxsize=64)
def _atoms_for(starts: tuple[str, ...], end: str, tests: tuple[tuple[Predicate, ...], ...]
               ) -> dict[Vectors, dict[str, str]]:
    found: dict[Vectors, dict[str, str]] = {}
    for end_day in _end_dates(tests):
        per_interval = [_interval_atoms(end_day, own) for own in tests]
        for combination in product(*(list(atoms.items()) for atoms in per_interval)):
            vectors = tuple(vector for vector, _ in combination)
            if vectors not in found:
                dates = {end: end_day.isoformat()}
                dates.update({start: (end_day - timedelta(days=d)).isoformat()
                              for start, (_, d) in zip(starts, combination, strict=True)})
                found[vectors] = dates
    return found


def _end_dates(tests: tuple[tuple[Predicate, ...], ...]) -> list[date]:
    """End dates whose atoms together are those of every end date: one per distinct placing of
    the month thresholds in days (one 400-year cycle holds every placing)."""
    months = sorted({amount + extra for own in tests for unit, _, amount in own if unit == "months"
                     for extra in (0, 1)})
    if not months:
        return [CYCLE_START]
    return list(_representative_ends(tuple(months)))


@functools.lru_cache(maxsize=64)
def _representative_ends(months: tuple[int, ...]) -> tuple[date, ...]:
    """One end date per distinct placing of the month thresholds in days.

    How many days `m` months back from an end date spans depends only on the end's month and
    day and on which Februaries in between have 29 days: the leap years among the end's year and
    the `m // 12 + 1` years before it. So every day of one year per distinct pattern of leap
    years over that window (a handful in a 400-year cycle, the calendar's period) gives every
    placing that any end date gives, in a few thousand tries instead of 146,097.
    """
    back = max(months) // 12 + 2
    first = CYCLE_START.year  # witnesses dated from 2000 on: starts stay after 1800 (MAX_DAYS)
    years: dict[tuple[bool, ...], int] = {}
    for year in range(first, first + 400):
        years.setdefault(tuple(calendar.month_length(y, 2) == 29
                               for y in range(year - back, year + 1)), year)
    seen: dict[tuple[int, ...], date] = {}
    for year in years.values():
        start = date(year, 1, 1)
        for offset in range((date(year + 1, 1, 1) - start).days):
            end = start + timedelta(days=offset)
            seen.setdefault(tuple(calendar.month_threshold_in_days(end, m) for m in months), end)
    return tuple(seen.values())


def representative_ends_over_a_cycle(months: tuple[int, ...]) -> set[tuple[int, ...]]:
    """The placings of every end date of a whole 400-year cycle (for the tests: the same set)."""
    first = CYCLE_START + timedelta(days=MAX_DAYS)
    return {tuple(calendar.month_threshold_in_days(first + timedelta(days=o), m) for m in months)
            for o in range(calendar.CYCLE_DAYS)}


def _interval_atoms(end: date, tests: tuple[Predicate, ...]) -> dict[tuple[bool, ...], int]:
    """For one end date: each vector of test results some start date gives, with its days."""
    candidates = {-1, 0}
    for unit, _, amount in tests:
        for wanted in (amount, amount + 1):
            days = wanted if unit == "days" else calendar.month_threshold_in_days(end, wanted)
            candidates |= {days - 1, days, days + 1}
    atoms: dict[tuple[bool, ...], int] = {}
    for days in sorted(candidates):
        start = end - timedelta(days=days)
        atoms.setdefault(tuple(_holds(p, start, end) for p in tests), days)
    return atoms


COMPARE = {"<": int.__lt__, "<=": int.__le__, ">": int.__gt__, ">=": int.__ge__,
           "==": int.__eq__, "!=": int.__ne__}


def _holds(predicate: Predicate, start: date, end: date) -> bool:
    unit, op, amount = predicate
    count = calendar.days(start, end) if unit == "days" else calendar.months(start, end)
    return COMPARE[op](count, amount)


def _shared_unknown(group: _Group, guideline: ir.IRGuideline, unknown: set[str]) -> bool:
    """Whether a start of the group that may be unknown is also a date of another group."""
    others = {end for i in guideline.intervals if i not in group.intervals
              for end in (i.start, i.end)}
    return bool({i.start for i in group.intervals} & unknown & others)


def _with_unknown(group: _Group, atoms: dict[Vectors, dict[str, str]], unknown: set[str]
                  ) -> dict[tuple[Vectors, tuple[str, ...]], dict[str, str | None]]:
    """The atoms, and for each set of the group's dates that may be null, each atom with those
    dates null and the durations from or to them unknown (keyed also by the null dates, which
    `IsSet` of a date tells apart)."""
    nullable = sorted(({group.end} | {i.start for i in group.intervals}) & unknown)
    found: dict[tuple[Vectors, tuple[str, ...]], dict[str, str | None]] = {}
    for nulls in product((False, True), repeat=len(nullable)):
        null = tuple(name for name, is_null in zip(nullable, nulls, strict=True) if is_null)
        for vectors, dates in atoms.items():
            projected = tuple(None if {i.start, i.end} & set(null) else vector
                              for i, vector in zip(group.intervals, vectors, strict=True))
            found.setdefault((projected, null),
                             {name: None if name in null else day for name, day in dates.items()})
    return found


def _name_members(group: _Group,
                  atoms: dict[tuple[Vectors, tuple[str, ...]], dict[str, str | None]]
                  ) -> dict[str, tuple[Vectors, dict[str, str | None]]]:
    """Members named by what their dates give: `since_dose 45 days (1 month)`, `since_dose
    unknown (last_dose unknown)`."""
    named: dict[str, tuple[Vectors, dict[str, str | None]]] = {}
    several = len({name for _, null in atoms for name in null}) > 1  # which date is null: say it
    for (vectors, null), dates in sorted(
            atoms.items(), key=lambda item: (item[0][1], sorted((k, v or "")
                                                                for k, v in item[1].items()))):
        words = []
        for interval in group.intervals:
            start_day, end_day = dates[interval.start], dates[interval.end]
            if start_day is None or end_day is None:
                words.append(f"{interval.name} unknown")
                continue
            start, end = date.fromisoformat(start_day), date.fromisoformat(end_day)
            words.append(f"{interval.name} {calendar.days(start, end)} days "
                         f"({calendar.months(start, end)} months)")
        name = ", ".join(words) + (f" ({', '.join(f'{n} unknown' for n in null)})"
                                   if null and several else "")
        while name in named:
            name += " "
        named[name] = (vectors, dates)
    return named


def _swap_known(cond: ir.Cond, known: dict[str, tuple[str, tuple[str, ...]]]) -> ir.Cond:
    """`IsSet` of a duration or a date that may be unknown: one of the members where it is known."""
    match cond:
        case ir.IsSet(ref=ref) if ref in known:
            return ir.OneOf(*known[ref])
        case ir.Not():
            return ir.Not(_swap_known(cond.item, known))
        case ir.AllOf():
            return ir.AllOf(tuple(_swap_known(c, known) for c in cond.items))
        case ir.AnyOf():
            return ir.AnyOf(tuple(_swap_known(c, known) for c in cond.items))
    return cond


def _swap(cond: ir.Cond, replacements: dict[str, dict[Predicate, tuple[str, ...]]],
          synthetic_of: dict[str, str]) -> ir.Cond:
    match cond:
        case ir.Elapsed() if cond.ref in replacements:
            members = replacements[cond.ref][(cond.unit, cond.op, cond.amount)]
            return ir.OneOf(synthetic_of[cond.ref], members)
        case ir.Not():
            return ir.Not(_swap(cond.item, replacements, synthetic_of))
        case ir.AllOf():
            return ir.AllOf(tuple(_swap(c, replacements, synthetic_of) for c in cond.items))
        case ir.AnyOf():
            return ir.AnyOf(tuple(_swap(c, replacements, synthetic_of) for c in cond.items))
    return cond


def _rewritten(guideline: ir.IRGuideline, inputs: tuple[ir.IRInput, ...],
               abstraction: TimeAbstraction) -> ir.IRGuideline:
    swap = abstraction.condition
    facts = tuple(replace(f, condition=swap(f.condition), false_when=None if f.false_when is None
                          else swap(f.false_when)) for f in guideline.facts)
    scope = replace(guideline.scope, condition=swap(guideline.scope.condition)) \
        if guideline.scope else None
    impossible = tuple(replace(i, condition=swap(i.condition)) for i in guideline.impossible)
    computed = tuple(replace(c, expr=with_choices(c.expr, swap)) for c in guideline.computed)
    return replace(guideline, inputs=inputs, facts=facts, scope=scope, impossible=impossible,
                   computed=computed,
                   tables=tuple(abstraction.table(t) for t in guideline.tables), intervals=(),
                   evaluation_date=None)


def _column(column: ir.IRColumn, synthetic_of: dict[str, str],
            types: dict[str, ir.IRType]) -> ir.IRColumn:
    """A column of a duration reads the group's enumeration (when the group is that duration
    alone, the column is then an ordinary enumeration column, an axis of verify/boxes.py)."""
    synthetic = synthetic_of.get(column.ref)
    if synthetic is None or synthetic != column.ref:
        return column
    return replace(column, type=types[synthetic])
