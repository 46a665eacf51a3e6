"""Random valid patients for a guideline, weighted towards the numbers its conditions name.

Uniform values would almost never hit `lines = 4` or a decimal just above `> 7.5`; here half of
the numbers come from each compared value, one step either side, and the input's bounds.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, parts
from mmdsl.semantics import calendar


def named_values(guideline: ir.IRGuideline) -> dict[str, list[Any]]:
    """For each ref, the numbers it is compared with and the texts it is tested against."""
    found: dict[str, list[Any]] = defaultdict(list)
    for condition in conditions(guideline):
        for part in parts(condition):
            if isinstance(part, ir.Compare):
                found[part.ref].append(part.value)
            elif isinstance(part, ir.OneOf):
                found[part.ref] += [v for v in part.values if isinstance(v, str)]
            elif isinstance(part, ir.Elapsed):  # a duration: the lengths its cells name
                found[part.ref].append((part.unit, part.amount))
            elif isinstance(part, ir.AtClock):  # a time of day: the times its cells name
                found[part.ref].append(part.clock)
    return found


def random_facts(guideline: ir.IRGuideline, rng: random.Random,
                 named: dict[str, list[Any]]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for item in guideline.inputs:
        if not item.required and rng.random() < 0.3:
            continue  # left out: the default applies
        if item.unknown and rng.random() < 0.3:
            facts[item.name] = None  # declared `or unknown`: not known
            continue
        facts[item.name] = random_value(item.type, named.get(item.name, []), rng)
    for interval in guideline.intervals:  # most starts a named length before the end, give or take
        if interval.start == interval.end or rng.random() >= 0.8 \
                or None in (facts.get(interval.start), facts.get(interval.end)):  # null stays
            continue
        if interval.time:  # between dates and times
            if isinstance(facts.get(interval.end), str):
                facts[interval.start] = _moment_before(facts[interval.end],
                                                       named.get(interval.name, []), rng)
        else:
            end = date.fromisoformat(facts[interval.end])
            facts[interval.start] = _start_before(end, named.get(interval.name, []), rng)
    return facts


def _start_before(end: date, lengths: list[tuple[str, int]], rng: random.Random) -> str:
    unit, amount = rng.choice(lengths) if lengths else ("days", rng.randint(0, 400))
    start = end - timedelta(days=amount) if unit == "days" else calendar.add_months(end, -amount)
    return (start + timedelta(days=rng.choice([-2, -1, 0, 0, 1, 2]))).isoformat()


def _random_moment(rng: random.Random) -> str:
    """A date and time around 1 March 2024, 08:00 (to the minute, at times the second), without
    an offset or, now and then, with one."""
    value = datetime(2024, 3, 1, 8) + timedelta(minutes=rng.randint(-3000, 3000),
                                                seconds=rng.choice([0, 0, 0, 1, 59]))
    text = value.isoformat(timespec="seconds" if value.second else "minutes")
    return text + rng.choice(["", "", "", "Z", "+01:00", "-05:00"])


def _moment_before(end: str, lengths: list[tuple[str, int]], rng: random.Random) -> str:
    """A date and time a named length before `end`, give or take a second or a minute, written
    with the offset of `end` (so that both or neither carry one)."""
    offset = "Z" if end.endswith("Z") else end[-6:] if end[-6] in "+-" else ""
    clock = datetime.fromisoformat(end[:len(end) - len(offset)])
    _, seconds = rng.choice(lengths) if lengths else ("seconds", rng.randint(0, 86_400))
    start = clock - timedelta(seconds=seconds + rng.choice([-60, -1, 0, 0, 1, 60]))
    return start.isoformat(timespec="seconds" if start.second else "minutes") + offset


def _random_clock(named: list[Any], rng: random.Random) -> str:
    """A time of day as the facts write it: a second either side of a named one, or any."""
    clocks = [time.fromisoformat(c) for c in named if isinstance(c, str)]
    if clocks and rng.random() < 0.7:
        base = rng.choice(clocks)
        seconds = base.hour * 3600 + base.minute * 60 + base.second + rng.choice([-1, 0, 0, 1])
    else:
        seconds = rng.randrange(86_400)
    seconds = min(max(seconds, 0), 86_399)
    return f"{seconds // 3600:02}:{seconds // 60 % 60:02}:{seconds % 60:02}"


def _random_date(rng: random.Random) -> str:
    """A date of 2023-2025; often the last day of a month, where months are counted apart."""
    day = date(2023, 1, 1) + timedelta(days=rng.randrange(3 * 365))
    if rng.random() < 0.4:
        day = day.replace(day=calendar.month_length(day.year, day.month))
    return day.isoformat()


def random_value(value_type: ir.IRType, named: list[Any], rng: random.Random) -> Any:
    match value_type.kind:
        case "bool":
            return rng.random() < 0.5
        case "integer":
            return _integer(value_type, named, rng)
        case "decimal":
            return _decimal(value_type, named, rng)
        case "enum":
            return rng.choice(value_type.members)
        case "set":
            return rng.sample(value_type.members, rng.randint(0, len(value_type.members)))
        case "date":
            return _random_date(rng)
        case "datetime":
            return _random_moment(rng)
        case "time":
            return _random_clock(named, rng)
        case _:
            return rng.choice([*named, "", "something else"])


def _integer(value_type: ir.IRType, named: list[Any], rng: random.Random) -> int:
    low = int(value_type.low) if value_type.low is not None else -1000
    high = int(value_type.high) if value_type.high is not None else 1000
    near = [low, high] + [int(n) + step for n in named for step in (-1, 0, 1)]
    candidates = [n for n in near if low <= n <= high]
    return rng.choice(candidates) if rng.random() < 0.6 else rng.randint(low, high)


def _decimal(value_type: ir.IRType, named: list[Any], rng: random.Random) -> int | float:
    low = float(value_type.low) if value_type.low is not None else -1000.0
    high = float(value_type.high) if value_type.high is not None else 1000.0
    near = [low, high] + [step(float(n)) for n in named
                          for step in (_below, float, _above, math.floor, math.ceil)]
    candidates = [n for n in near if low <= n <= high]
    return rng.choice(candidates) if rng.random() < 0.6 else rng.uniform(low, high)


def _below(number: float) -> float:
    return math.nextafter(number, -math.inf)


def _above(number: float) -> float:
    return math.nextafter(number, math.inf)


def corrupted(facts: dict[str, Any], guideline: ir.IRGuideline, rng: random.Random
              ) -> dict[str, Any]:
    """The same facts with one to three mistakes: wrong types, unknown keys, missing inputs."""
    broken = dict(facts)
    for _ in range(rng.randint(1, 3)):
        name = rng.choice([item.name for item in guideline.inputs])
        choice = rng.random()
        if choice < 0.2:
            broken.pop(name, None)
        elif choice < 0.3:
            broken[name + "x"] = 1
        else:
            broken[name] = rng.choice([True, 1, 2.5, "x", None, [], {}, ["x"], math.nan, 10**30,
                                       "2024-02-30", "2024-1-1"])
    return broken
