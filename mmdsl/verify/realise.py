"""Whether some valid patient gives a decimal computed number a value in a given interval, and who.

A piece of a numeric fact is arithmetic over decimal inputs (`weight_kg / (height_m * height_m)`),
each input within an interval of its values (its declared range cut by the thresholds the tables
use). A class is an interval of the fact's values (verify/classes.py). The question: is there a
point of the inputs' box, each coordinate a decimal a patient can be given, where the arithmetic
falls in the class? It is decided exactly, with fractions:

- no: the box is split in halves until, on every part, the range of the arithmetic computed by
  interval arithmetic (exact bounds, so never narrower than the true range) misses the class;
- yes: a point is found, the simplest decimals inside a part (`1.6`, not `1.600000001`), or, for
  a class of one value, a point solved for one input with the others fixed, whose arithmetic is
  evaluated exactly and falls in the class: that point is the witness.

Neither within the budget (a value reached only at an irrational point, `x * x = 2`): unknown,
and the tables that depend on it say so (MD606), never "covered".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

MAX_PARTS = 256
"""Parts of an inputs' box one question may split it into before its answer is unknown."""

MAX_DIGITS = 12  # decimal places tried for a witness value (a JSON float keeps 15 digits exact)

Expr = tuple[Any, ...]
"""Arithmetic over decimal inputs: ("num", value), ("var", name), ("neg", e), (op, left, right)
with op one of + - * / and ("**", base, ("num", whole exponent))."""


@dataclass(frozen=True)
class Interval:
    """An interval of rationals; None for an unbounded side."""

    low: Fraction | None
    high: Fraction | None
    low_open: bool = False
    high_open: bool = False

    def holds(self, value: Fraction) -> bool:
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return not (self.high is not None
                    and (value > self.high or (self.high_open and value == self.high)))

    def misses(self, low: Fraction, high: Fraction) -> bool:
        """Whether the closed interval [low, high] shares no value with this one."""
        if self.low is not None and (high < self.low or (self.low_open and high == self.low)):
            return True
        return self.high is not None and (low > self.high or (self.high_open and low == self.high))

    @property
    def point(self) -> Fraction | None:
        return self.low if self.low is not None and self.low == self.high else None


class Unknown(Exception):
    """Realisability could not be decided within the budget."""


def evaluate(expr: Expr, point: dict[str, Fraction]) -> Fraction:
    """The arithmetic at a point, exactly (ZeroDivisionError on a division by zero)."""
    kind = expr[0]
    if kind == "num":
        return Fraction(expr[1])
    if kind == "var":
        return point[expr[1]]
    if kind == "neg":
        return -evaluate(expr[1], point)
    left = evaluate(expr[1], point)
    right = evaluate(expr[2], point)
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    if kind == "**":
        return left ** int(right)
    return left / right


def variables(expr: Expr) -> set[str]:
    if expr[0] == "var":
        return {expr[1]}
    if expr[0] == "num":
        return set()
    return set().union(*(variables(e) for e in expr[1:]))


Bounds = tuple[Fraction, Fraction] | None  # a closed range, or None: unbounded (a division by 0)


def enclose(expr: Expr, box: dict[str, tuple[Fraction, Fraction]]) -> Bounds:
    """Bounds of the arithmetic over a closed box, by interval arithmetic (exact, never narrower
    than the values it takes)."""
    kind = expr[0]
    if kind == "num":
        return expr[1], expr[1]
    if kind == "var":
        return box[expr[1]]
    if kind == "neg":
        inner = enclose(expr[1], box)
        return None if inner is None else (-inner[1], -inner[0])
    left = enclose(expr[1], box)
    if kind == "**":
        exponent = int(expr[2][1])
        return None if left is None else _power(left, exponent)
    right = enclose(expr[2], box)
    if left is None or right is None:
        return None
    (a, b), (c, d) = left, right
    if kind == "+":
        return a + c, b + d
    if kind == "-":
        return a - d, b - c
    if kind == "*":
        products = (a * c, a * d, b * c, b * d)
        return min(products), max(products)
    if c <= 0 <= d:
        return None
    quotients = (a / c, a / d, b / c, b / d)
    return min(quotients), max(quotients)


def _power(base: tuple[Fraction, Fraction], exponent: int) -> Bounds:
    low, high = base
    if exponent < 0:
        if low <= 0 <= high:
            return None
        inner = _power(base, -exponent)
        assert inner is not None
        return 1 / inner[1], 1 / inner[0]
    if exponent == 0:
        return Fraction(1), Fraction(1)
    ends = (low ** exponent, high ** exponent)
    if exponent % 2 == 0 and low < 0 < high:
        return Fraction(0), max(ends)
    return min(ends), max(ends)


def simplest_inside(inside: Interval) -> Fraction | None:
    """The decimal with the fewest places in a bounded interval, nearest its middle (a value a
    patient can be given: `1.6`); None when the interval holds none with at most MAX_DIGITS."""
    assert inside.low is not None and inside.high is not None
    middle = (inside.low + inside.high) / 2
    for places in range(MAX_DIGITS + 1):
        step = Fraction(1, 10 ** places)
        first = math.ceil(inside.low / step)
        last = math.floor(inside.high / step)
        if inside.low_open and first * step == inside.low:
            first += 1
        if inside.high_open and last * step == inside.high:
            last -= 1
        if first <= last:
            return min(max(round(middle / step), first), last) * step
    return None


def is_patient_value(value: Fraction) -> bool:
    """Whether a JSON number (a float) says exactly this value (the interpreter reads a float
    by its shortest spelling)."""
    return Fraction(repr(float(value))) == value


@dataclass
class Question:
    expr: Expr
    box: dict[str, Interval]  # each input's interval (bounded)
    wanted: Interval


@dataclass
class Budget:
    """Parts left for the questions of one fact (so that a fact of thousands of questions ends)."""

    parts: int


def realise(question: Question, budget: Budget | None = None) -> dict[str, Fraction] | None:
    """A point of the box whose arithmetic falls in the class, or None when there is none;
    raises Unknown when neither is found within MAX_PARTS parts (or the parts left in `budget`)."""
    names = sorted(question.box)
    parts: list[dict[str, tuple[Fraction, Fraction]]] = []
    parts.append({n: _closed(question.box[n]) for n in names})
    spent = 0
    while parts:
        part = parts.pop(0)  # the largest parts first: a witness is found where there is room
        spent += 1
        if budget is not None:
            budget.parts -= 1
        if spent > MAX_PARTS or (budget is not None and budget.parts < 0):
            raise Unknown
        bounds = enclose(question.expr, part)
        if bounds is not None and question.wanted.misses(*bounds):
            continue
        found = _try_points(question, part)
        if found is not None:
            return found
        wide = [n for n in names if part[n][0] != part[n][1]]
        if not wide:
            continue  # a single point that misses the class
        name = max(wide, key=lambda n: part[n][1] - part[n][0])
        low, high = part[name]
        middle = (low + high) / 2
        parts += [{**part, name: (middle, high)}, {**part, name: (low, middle)}]
    return None


def _closed(interval: Interval) -> tuple[Fraction, Fraction]:
    assert interval.low is not None and interval.high is not None  # an input's declared range
    return interval.low, interval.high


def _within(question: Question, part: dict[str, tuple[Fraction, Fraction]]) -> dict[str, Interval]:
    """The part as intervals, open where the input's own interval is open at the same end."""
    own = question.box
    return {n: Interval(low, high, own[n].low_open and low == own[n].low,
                        own[n].high_open and high == own[n].high) for n, (low, high) in part.items()}


def _try_points(question: Question, part: dict[str, tuple[Fraction, Fraction]]) -> dict[str, Fraction] | None:
    inside = _within(question, part)
    simplest = {name: simplest_inside(interval) for name, interval in inside.items()}
    middle = {name: (low + high) / 2 for name, (low, high) in part.items()}
    for candidate in (simplest, middle):
        if any(v is None or not inside[n].holds(v) or not is_patient_value(v)
               for n, v in candidate.items()):
            continue
        point: dict[str, Fraction] = candidate  # type: ignore[assignment]
        if _hits(question, point):
            return point
        target = question.wanted.point
        for name in sorted(point) if target is not None else ():
            # a class of one value: solve for one input, the others fixed
            solved = _solve_linear(question.expr, point, name, target)  # type: ignore[arg-type]
            if (solved is not None and inside[name].holds(solved) and is_patient_value(solved)
                    and _hits(question, {**point, name: solved})):
                return {**point, name: solved}
    return None


def _hits(question: Question, point: dict[str, Fraction]) -> bool:
    try:
        return question.wanted.holds(evaluate(question.expr, point))
    except ZeroDivisionError:
        return False


def _solve_linear(expr: Expr, point: dict[str, Fraction], name: str,
                  target: Fraction) -> Fraction | None:
    """Where the arithmetic would equal `target` if it were linear in `name` (the caller checks
    the answer exactly)."""
    try:
        at_zero = evaluate(expr, {**point, name: Fraction(0)})
        at_one = evaluate(expr, {**point, name: Fraction(1)})
    except ZeroDivisionError:
        return None
    slope = at_one - at_zero
    return None if slope == 0 else (target - at_zero) / slope
