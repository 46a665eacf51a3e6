"""Synthetic patients for a guideline: plausible, seeded, the same for the same seed everywhere.

Nothing here knows a particular guideline: the values come from the inputs' types, ranges and
the numbers the guideline's own conditions compare with, so that every rule gets patients.

- numbers: most near the thresholds the conditions name (a region around them, within the
  input's range), the rest anywhere in the range; decimals to one decimal place;
- yes/no, enumerations and set members: each with its own frequency, drawn once from the seed;
- a set that `includes` another holds that one's members and some more (exposed ⊇ refractory);
- optional inputs are left out for one patient in five (their default then applies); an input
  declared `or unknown` is never left out but unknown (None, null) for one patient in five;
- nine patients in ten are inside the guideline's scope: the values the scope asks for are
  common (a member it requires is in nine sets in ten), and a patient drawn outside it is
  drawn again, up to a limit, for nine patients in ten.

Patients are built column by column (a list per input), never as a list of dicts.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, parts
from mmdsl.semantics import clock

IN_SCOPE_SHARE = 0.9
OPTIONAL_LEFT_OUT = 0.2
UNKNOWN_SHARE = 0.2  # patients for whom an input declared `or unknown` is unknown
DATE_WINDOW = date(2024, 1, 1)  # end dates fall in the year from it
MOMENT_BASE = datetime(2024, 7, 1, 12)  # dates and times fall around it
MAX_TRIES = 20

Columns = dict[str, list[Any]]


def named_values(guideline: ir.IRGuideline) -> dict[str, list[ir.Scalar]]:
    """The constants each input is compared with, anywhere in the guideline."""
    found: dict[str, list[ir.Scalar]] = {}
    for condition in conditions(guideline):
        for part in parts(condition):
            if isinstance(part, ir.Compare):
                found.setdefault(part.ref, []).append(part.value)
            elif isinstance(part, ir.OneOf):
                found.setdefault(part.ref, []).extend(part.values)
            elif isinstance(part, ir.Elapsed):  # the start date: the length tested, in days
                found.setdefault(part.start, []).append(
                    part.amount * (31 if part.unit == "months" else 1))
            elif isinstance(part, ir.OnDay):  # a fixed day, written year-month-day
                found.setdefault(part.ref, []).append(part.day)
            elif isinstance(part, ir.AtTime):  # a fixed date and time, `2024-03-01T08:00`
                found.setdefault(part.ref, []).append(part.moment)
            elif isinstance(part, ir.AtClock):  # a fixed time of day, `17:00`
                found.setdefault(part.ref, []).append(part.clock)
    return found


@dataclass
class InputModel:
    """How one input's values are drawn; its frequencies fixed by the seed."""

    item: ir.IRInput
    named: list[ir.Scalar]
    rng: random.Random
    share: float = 0.0  # yes/no: how often yes
    weights: list[float] = field(default_factory=list)  # members

    favoured: frozenset[ir.Scalar] = frozenset()  # values the scope asks for

    def __post_init__(self) -> None:
        kind = self.item.type.kind
        members = self.item.type.members
        if kind == "bool":
            self.share = 0.9 if True in self.favoured else self.rng.uniform(0.15, 0.5)
        elif kind == "enum":
            self.weights = [1 / (rank + 1) for rank in range(len(members))]
            self.rng.shuffle(self.weights)
            self.weights = [w * (10 if m in self.favoured else 1)
                            for m, w in zip(members, self.weights, strict=True)]
        elif kind == "set":
            self.weights = [0.9 if m in self.favoured else self.rng.uniform(0.05, 0.45)
                            for m in members]

    def draw(self, rng: random.Random, inside: frozenset[str] = frozenset()) -> Any:
        kind = self.item.type.kind
        if kind == "date":
            return self._date(rng)
        if kind == "datetime":
            return self._moment(rng)
        if kind == "time":
            return self._clock(rng)
        if kind == "bool":
            return rng.random() < self.share
        if kind in ("integer", "decimal"):
            return self._number(rng)
        if kind == "enum":
            return rng.choices(self.item.type.members, self.weights)[0]
        if kind == "text":
            texts = [v for v in self.named if isinstance(v, str)]
            return rng.choice(texts) if texts and rng.random() < 0.8 else "other"
        members = self.item.type.members
        return [m for m, w in zip(members, self.weights, strict=True)
                if m in inside or rng.random() < w]

    def _date(self, rng: random.Random) -> str:
        """An end date within a year; a start date before it by up to a little more than the
        longest duration tested from it (`named` holds those lengths in days), so that every
        threshold is crossed both ways. A date tested against fixed days (`named` holds them,
        written year-month-day) falls near one of them half of the time."""
        days = [date.fromisoformat(v) for v in self.named if isinstance(v, str)]
        lengths = [v for v in self.named if isinstance(v, int | float)]
        if days and (not lengths or rng.random() < 0.5):
            return (rng.choice(days) + timedelta(days=rng.randrange(-45, 46))).isoformat()
        if not lengths:
            return (DATE_WINDOW + timedelta(days=rng.randrange(366))).isoformat()
        longest = max(int(v) for v in lengths)
        back = rng.randrange(-30, int(longest * 1.3) + 60)
        return (DATE_WINDOW + timedelta(days=183 - back)).isoformat()

    def _clock(self, rng: random.Random) -> str:
        """A time of day as the facts write it: at a fixed time tested, a second or a minute
        either side of one, or anywhere in the day (`named` holds the times tested)."""
        fixed = [clock.seconds_of_day(clock.time_of_day(v)) for v in self.named
                 if isinstance(v, str)]
        choice = rng.random()
        if fixed and choice < 0.6:
            seconds = rng.choice(fixed) + rng.choice((-60, -1, 0, 0, 1, 60))
        else:
            seconds = rng.randrange(86_400)
        seconds = min(max(seconds, 0), 86_399)
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours:02}:{minutes:02}" + (f":{secs:02}" if secs else "")

    def _moment(self, rng: random.Random) -> str:
        """A date and time as the facts write it, without an offset (so that the two ends of
        every duration agree): an end within half a day of MOMENT_BASE; a start before it by up
        to a little more than the longest duration tested from it (`named` holds those lengths
        in seconds), so that every threshold is crossed both ways; near a fixed date and time
        tested (`named` holds them too) half of the time."""
        fixed = [datetime.fromisoformat(v) for v in self.named if isinstance(v, str)]
        lengths = [int(v) for v in self.named if isinstance(v, int | float)]
        if fixed and (not lengths or rng.random() < 0.5):
            value = rng.choice(fixed) + timedelta(minutes=rng.randrange(-1440, 1441))
        elif not lengths:
            value = MOMENT_BASE + timedelta(minutes=rng.randrange(-720, 721))
        else:
            back = rng.randrange(-30, max(lengths) * 13 // 600 + 60)  # minutes
            value = MOMENT_BASE - timedelta(minutes=back)
        return value.isoformat(timespec="minutes")

    def _number(self, rng: random.Random) -> int | float:
        low, high = self._region(rng.random() < 0.8)
        if self.item.type.kind == "integer":
            return rng.randint(math.ceil(low), math.floor(high))
        return round(rng.uniform(low, high), 1)

    def _region(self, near: bool) -> tuple[float, float]:
        """Near the named thresholds, or anywhere in the range (a bounded default otherwise)."""
        kind = self.item.type
        numbers = [float(v) for v in self.named if isinstance(v, int | float)
                   and not isinstance(v, bool)]
        low = kind.low if kind.low is not None else min(numbers, default=0.0) - 100
        high = kind.high if kind.high is not None else max(numbers, default=0.0) + 100
        if near and numbers:
            width = max(2.0, max(numbers) - min(numbers), 0.25 * max(abs(n) for n in numbers))
            low, high = max(low, min(numbers) - width), min(high, max(numbers) + width)
        return (float(low), float(high)) if low <= high else (float(high), float(low))


def generate(guideline: ir.IRGuideline, count: int, seed: int = 0,
             in_scope: Callable[[dict[str, Any]], bool] | None = None,
             possible: Callable[[dict[str, Any]], bool] | None = None) -> Columns:
    """`count` patients as columns (one list per input, None where an input is left out, or
    unknown for an input declared `or unknown`).

    `in_scope`, given the facts of a patient, says whether the patient is inside the scope
    (the cohort command passes the compiled evaluator's test); without it scope is ignored.
    `possible` says whether the facts are outside every combination the guideline declares
    impossible: a patient who is not is drawn again (a plausible patient is a possible one).
    """
    rng = random.Random(seed)
    named = named_values(guideline)
    favoured = scope_values(guideline.scope.condition) if guideline.scope else {}
    models = _included_first([
        InputModel(item, named.get(item.name, []), rng,
                   favoured=frozenset(favoured.get(item.name, ()))) for item in guideline.inputs])
    columns: Columns = {item.name: [] for item in guideline.inputs}
    for _ in range(count):
        facts = _patient(models, rng)
        want_inside = in_scope is not None and rng.random() < IN_SCOPE_SHARE
        tries = 1
        while tries < MAX_TRIES and ((possible is not None and not possible(facts)) or (
                want_inside and in_scope is not None and not in_scope(facts))):
            facts = _patient(models, rng)
            tries += 1
        for name, column in columns.items():
            column.append(facts.get(name))
    return columns


def _patient(models: list[InputModel], rng: random.Random) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    drawn: dict[str, Any] = {}
    for model in models:
        item = model.item
        inside = frozenset(drawn.get(item.includes, ()) if item.includes else ())
        value = model.draw(rng, inside)
        drawn[item.name] = value
        if item.unknown:  # None here is null, the unknown value (a NULL cell reads as it)
            facts[item.name] = None if rng.random() < UNKNOWN_SHARE else value
        elif item.required or rng.random() >= OPTIONAL_LEFT_OUT:
            facts[item.name] = value
    return facts


def scope_values(condition: ir.Cond, negated: bool = False) -> dict[str, set[ir.Scalar]]:
    """The values a scope asks for, by input: members it requires, yes/no facts it wants yes."""
    found: dict[str, set[ir.Scalar]] = {}
    match condition:
        case ir.SetTest(ref=ref, quantifier="any" | "all", members=members) if not negated:
            found[ref] = set(members if condition.quantifier == "all" else members[:1])
        case ir.OneOf(ref=ref, values=values) if not negated:
            found[ref] = set(values)
        case ir.Not(item=item):
            found = scope_values(item, not negated)
        case ir.AllOf(items=items) | ir.AnyOf(items=items):
            for item in items:
                for ref, wanted in scope_values(item, negated).items():
                    found.setdefault(ref, set()).update(wanted)
    return found


def _included_first(models: list[InputModel]) -> list[InputModel]:
    """Each set after the set it includes (otherwise in declared order)."""
    by_name = {m.item.name: m for m in models}
    ordered: list[InputModel] = []

    def visit(model: InputModel, seen: frozenset[str]) -> None:
        source = by_name.get(model.item.includes or "")
        if source is not None and source.item.name not in seen:
            visit(source, seen | {model.item.name})
        if model not in ordered:
            ordered.append(model)

    for model in models:
        visit(model, frozenset())
    return ordered
