"""The patients in scope that only a table's fallback rule answers, for the review document.

A **fallback rule** is a rule that the verifier proves matches every patient in scope (whatever its
cells say: all `-`, or tests that every patient in scope passes) and that decides only for
patients no other rule of its table matches:

- under collect, rule order and output order (without an aggregate) every rule that matches adds
  its row, so any rule that matches every patient in scope is a fallback;
- under a single-hit policy (first, priority, unique, any) it must also lose to every other rule
  that matches: the last rule of a first-hit table, the lowest-ranked rule of a priority table.

Such a rule makes its table complete, but for some patients it is the table's only answer: the
gaps the table would have without its fallback rules. They are found by the verifier's own gap
analysis, run on a copy of the table without those rules; the regions are in the table's column
words, each with a witness patient and the condition it stands for (an IR condition, which the
review document puts in clinical words): all of them, not the first few the verifier reports,
because the clinicians who sign the document must read every group.
Tables whose result is an aggregated number have no fallback in this sense.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mmdsl.ir.model import (
    AllOf,
    AtClock,
    Compare,
    Cond,
    IRGuideline,
    IRTable,
    IsSet,
    JsonValue,
    Not,
    OneOf,
)
from mmdsl.verify.days import clock_of, is_clock

if TYPE_CHECKING:  # the verifier loads only when the documents are made
    from mmdsl.verify.columns import ColumnView
    from mmdsl.verify.encode import Dimension, Encoder
    from mmdsl.verify.result import Verification


@dataclass(frozen=True, slots=True)
class FallbackCoverage:
    """One table's fallback rules and the patients in scope for whom they are the only answer."""

    table: str
    rules: tuple[str, ...]  # the fallback rules' names, in table order
    regions: tuple[str, ...]  # in the table's column words; the first few of `region_total`
    witnesses: tuple[dict[str, JsonValue], ...]  # one patient per region, as facts for `mmdsl eval`
    region_total: int  # 0: every patient in scope also matches another rule
    conditions: tuple[Cond, ...] = ()  # what each region asks, to be put in words


def fallback_coverage(guideline: IRGuideline) -> list[FallbackCoverage]:
    """Every table's fallback rules, in table order, with the regions only they cover.

    A table the verifier cannot analyse (too complex, or reading an aggregated number) is left
    out: `mmdsl check` reports it as not verified (MD606).
    """
    return list(coverage_of(guideline, None).fallbacks)


def _table_coverage(encoder: Encoder, table: IRTable) -> FallbackCoverage | None:
    from mmdsl.verify.analyses import TableAnalysis
    from mmdsl.verify.bdd import MAX_STEPS, TooComplex
    from mmdsl.verify.encode import Unverifiable

    if table.result_kind == "number":
        return None
    encoder.bdd.allow(MAX_STEPS)
    try:
        fallbacks = fallback_rules(encoder, table)
        if not fallbacks:
            return None
        # a distinct name: the encoder keeps each table's matches under its name
        rest = dataclasses.replace(
            table, name=f"{table.name} without its fallback rules",
            rules=tuple(rule for index, rule in enumerate(table.rules) if index not in fallbacks))
        gap = next(iter(TableAnalysis(encoder, rest, encoder.in_scope).gaps()), None)
    except (TooComplex, Unverifiable):
        return None
    names = tuple(table.rules[index].name for index in fallbacks)
    if gap is None:
        return FallbackCoverage(table.name, names, (), (), 0)
    regions, witnesses, conditions = every_region(encoder, rest)
    return FallbackCoverage(table.name, names, regions, witnesses, len(regions), conditions)


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the review document shows of coverage, all of it worked out here with one encoder, so
    that the document only reads it: the fallback rules, and for each table the verifier found
    gaps in, every region of them (the verifier reports the first few)."""

    fallbacks: tuple[FallbackCoverage, ...]
    gaps: dict[str, FallbackCoverage]  # a table missing here: its regions could not be enumerated


def coverage_of(guideline: IRGuideline, verification: Verification | None) -> Coverage:
    """The fallback rules of every table and, for the tables `verification` found gaps in, every
    region of patients in scope that no rule answers. Nothing for a guideline the verifier
    cannot encode (too complex), nor for a table it cannot analyse: `mmdsl check` reports those
    as not verified (MD606)."""
    from mmdsl.verify.bdd import TooComplex
    from mmdsl.verify.encode import Encoder, Unverifiable
    from mmdsl.verify.report import recursion_for_variables

    gap_tables = [] if verification is None else [t.table for t in verification.tables if t.gaps]
    with recursion_for_variables():
        try:
            encoder = Encoder(guideline)
        except (TooComplex, Unverifiable):  # the scope reads what the analysis cannot reason about
            return Coverage((), {})
        fallbacks = tuple(found for table in guideline.tables
                          if (found := _table_coverage(encoder, table)) is not None)
        gaps = {name: found for name in gap_tables
                if (found := _every_gap(encoder, guideline, name)) is not None}
    return Coverage(fallbacks, gaps)


def _every_gap(encoder: Encoder, guideline: IRGuideline, table_name: str) -> FallbackCoverage | None:
    """Every region of patients in scope that no rule of the table answers (no fallback removed);
    None when the table cannot be analysed."""
    from mmdsl.verify.bdd import MAX_STEPS, TooComplex
    from mmdsl.verify.encode import Unverifiable

    table = next((t for t in guideline.tables if t.name == table_name), None)
    if table is None or table.result_kind == "number":
        return None
    encoder.bdd.allow(MAX_STEPS)
    try:
        regions, witnesses, conditions = every_region(encoder, table)
    except (TooComplex, Unverifiable):
        return None
    return FallbackCoverage(table.name, (), regions, witnesses, len(regions), conditions)


def every_region(encoder: Encoder, table: IRTable) -> tuple[tuple[str, ...], tuple[dict[str, JsonValue], ...],
                                                             tuple[Cond, ...]]:
    """All regions of the patients in scope that no rule of `table` matches, largest first."""
    from mmdsl.verify.analyses import MAX_COUNTED_REGIONS
    from mmdsl.verify.bdd import FALSE
    from mmdsl.verify.columns import ColumnView

    bdd = encoder.bdd
    uncovered = bdd.conjoin(encoder.in_scope, bdd.negate(bdd.any_of(encoder.matches(table))))
    view = ColumnView(encoder, table)
    cubes = view.regions(uncovered, MAX_COUNTED_REGIONS) if uncovered != FALSE else []
    return (tuple(view.describe(cube, uncovered) for cube in cubes),
            tuple(view.witness(cube, uncovered) for cube in cubes),
            tuple(region_condition(view, cube) for cube in cubes))


def region_condition(view: ColumnView, cube: dict[int, bool]) -> Cond:
    """What a region asks, as a condition on the facts the table's columns read."""
    parts: list[Cond] = []
    fixed = view.encoder.fixed_by_scope
    kleene: dict[str, dict[str, bool]] = {}  # a fact that may be unknown: its yes and no atoms
    for atom in view.atoms:
        if atom.var not in cube:
            continue
        column = view.table.columns[atom.column]
        if atom.kleene:
            kleene.setdefault(column.ref, {})[atom.kleene] = cube[atom.var]
            continue
        test: Cond = atom.test if atom.test is not None else OneOf(column.ref, (True,))
        parts.append(test if cube[atom.var] else Not(test))
    parts += [_kleene_condition(ref, held) for ref, held in kleene.items()]
    from mmdsl.verify.witness import may_be_null

    for dimension in view.visible.values():
        name = dimension.input.name
        held = {v: b for v, b in cube.items() if fixed.get(v) is not b}
        if view.unknown_duration(name, dimension, cube):  # a duration from a date that is null
            parts.append(Not(IsSet(name)))
            continue
        if dimension.known is not None and dimension.known in held:
            parts.append(IsSet(name) if held[dimension.known] else Not(IsSet(name)))
            if not held[dimension.known]:
                continue  # null: its value variables say nothing more
        if may_be_null(dimension, held):  # unknown, or its value is not ...: negated tests
            parts += _not_above(dimension, held)
            continue
        parts += region_condition_of(dimension, held).items
    return AllOf(tuple(parts))


def _kleene_condition(ref: str, held: dict[str, bool]) -> Cond:
    """A fact that may be unknown in a region: yes, no, unknown, or not yes (no or unknown: a
    test on an unknown value does not hold, so its negation does), or not no."""
    if held.get("yes") or held.get("no"):
        return OneOf(ref, (bool(held.get("yes")),))
    if len(held) == 2:  # neither yes nor no
        return Not(IsSet(ref))
    return Not(OneOf(ref, ("yes" in held,)))


def _not_above(dimension: Dimension, held: dict[int, bool]) -> list[Cond]:
    """An input that may be unknown whose value variables a region only asks to be false: the
    negation of each test (which holds when the value is unknown, as no test on it does)."""
    name, kind = dimension.input.name, dimension.kind
    if kind == "bool":
        return [Not(OneOf(name, (True,)))] if dimension.flag in held else []
    if kind in ("enum", "text"):
        return [Not(OneOf(name, (m,))) for m, v in dimension.members.items() if v in held]
    if kind == "set":
        return []
    below = [key for key, v in dimension.thresholds if v in held]
    return [Not(_threshold(name, kind, min(below), True))] if below else []


def region_condition_of(dimension: Dimension, held: dict[int, bool]) -> AllOf:
    """What a region asks of one input's value."""
    name, kind = dimension.input.name, dimension.kind
    parts: list[Cond] = []
    if kind == "bool" and dimension.flag in held:
        parts.append(OneOf(name, (held[dimension.flag],)))
    elif kind in ("enum", "text"):
        parts += [OneOf(name, (m,)) if held[v] else Not(OneOf(name, (m,)))
                  for m, v in dimension.members.items() if v in held]
    elif kind in ("integer", "decimal"):
        parts += _bounds(name, [_threshold(name, kind, key, held[v])
                                for key, v in dimension.thresholds if v in held])
        if is_clock(dimension.input.type):  # seconds since midnight, as times of day again
            parts = [_as_clock(part) for part in parts]
    return AllOf(tuple(parts))


def _as_clock(part: Cond) -> Cond:
    """A bound on a time of day's seconds (verify/days.py) as the test of the time it stands
    for: `>= 28800` is `>= 08:00`."""
    if isinstance(part, Compare):
        return AtClock(part.ref, part.op, clock_of(int(part.value)))
    if isinstance(part, OneOf) and len(part.values) == 1 and isinstance(part.values[0], int):
        return AtClock(part.ref, "==", clock_of(part.values[0]))
    return part


def _bounds(name: str, tests: list[Compare]) -> list[Cond]:
    """The tightest bounds; `is 4` for a range of one whole number."""
    lows = [t for t in tests if t.op in (">", ">=")]
    highs = [t for t in tests if t.op in ("<", "<=")]
    low = max(lows, key=lambda t: (t.value, t.op == ">"), default=None)
    high = min(highs, key=lambda t: (t.value, t.op == "<="), default=None)
    if (low is not None and high is not None and low.op == ">=" and high.op == "<="
            and low.value == high.value):
        return [OneOf(name, (low.value,))]
    return [t for t in (low, high) if t is not None]


def _threshold(name: str, kind: str, key: tuple[float, bool], above: bool) -> Compare:
    """A threshold variable: the value is at least `key` (above it when strict), or not."""
    value: int | float = int(key[0]) if kind == "integer" and float(key[0]).is_integer() else key[0]
    strict = key[1]
    if kind == "integer" and isinstance(value, int):  # whole numbers: `< 5` reads better as `<= 4`
        return Compare(name, ">=", value + 1 if strict else value) if above else \
            Compare(name, "<=", value if strict else value - 1)
    if above:
        return Compare(name, ">" if strict else ">=", value)
    return Compare(name, "<=" if strict else "<", value)


def fallback_rules(encoder: Encoder, table: IRTable) -> list[int]:
    """The 0-based indexes of the table's fallback rules (see the module's docstring)."""
    from mmdsl.verify.bdd import FALSE

    bdd, in_scope = encoder.bdd, encoder.in_scope
    matches = encoder.matches(table)
    found = []
    for index, match in enumerate(matches):
        if bdd.conjoin(bdd.negate(match), in_scope) != FALSE:
            continue  # some patient in scope does not match it
        if table.result_kind == "single":
            others = bdd.any_of([m for i, m in enumerate(matches) if i != index])
            decided = bdd.conjoin(encoder.selections(table)[index], in_scope)
            if bdd.conjoin(decided, others) != FALSE:
                continue  # it decides for a patient another rule matches: not a fallback
        found.append(index)
    return found
