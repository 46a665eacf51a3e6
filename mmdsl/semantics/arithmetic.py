"""Computed numbers: the type and the range of a numeric fact's arithmetic.

A numeric fact is an integer when every operand is an integer and it divides nothing; otherwise a
decimal. Its range comes from the declared ranges of what it reads, by interval arithmetic with
exact fractions, narrowed inside `if` by the condition that chose the branch (`if height_m > 0.0
then weight_kg / height_m else 0` divides only by heights above 0). The same walk finds what
cannot be computed: a name that holds no number, a divisor (or the base of a negative power) that
can be zero, an exponent that is not a whole number of a bounded range. Everything here is exact:
fractions, never floats.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from mmdsl.semantics.types import NumberT, ValueType
from mmdsl.syntax import ast

MAX_EXPONENT = 1000
"""The largest exponent, either way: `(1 + rate) ** -360` over thirty years of months."""
LARGEST = Fraction(10) ** 300
"""The largest power: a decision shows numbers as JSON numbers (floats, up to about 10^308)."""
BOUND_PLACES = 10
"""A range bound that is no terminating decimal (1/3) is widened outward to this many places."""

Lookup = Callable[[ast.Subject], ValueType | None]
Kind = Literal["integer", "decimal"]
ProblemKind = Literal["not-a-number", "division-by-zero", "bad-exponent"]


@dataclass(frozen=True, slots=True)
class Interval:
    """Every value a number can take: low..high (None: unbounded), and whether 0 is excluded
    even where the bounds touch it (`x > 0` on a range 0..10)."""

    low: Fraction | None
    high: Fraction | None
    nonzero: bool = False

    def excludes_zero(self) -> bool:
        return self.nonzero or (self.low is not None and self.low > 0) or (
            self.high is not None and self.high < 0)

    @staticmethod
    def point(value: Fraction) -> Interval:
        return Interval(value, value, value != 0)


UNBOUNDED = Interval(None, None)


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    span: object  # a Span (kept loose: the semantics layer does not build diagnostics)
    message: str
    help: str


@dataclass(frozen=True, slots=True)
class Typed:
    kind: Kind
    interval: Interval

    def number_type(self) -> NumberT:
        return NumberT(self.kind, _bound(self.interval.low, floor=True),
                       _bound(self.interval.high, floor=False))


def as_fraction(value: int | Decimal | float) -> Fraction:
    """A number exactly: a float (as JSON gives it) through its shortest decimal spelling."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def _bound(value: Fraction | None, *, floor: bool) -> int | Decimal | None:
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    scaled = value * 10 ** BOUND_PLACES
    whole = scaled.numerator // scaled.denominator
    if not floor and whole != scaled:
        whole += 1
    return Decimal(whole).scaleb(-BOUND_PLACES).normalize()


# ---- the walk -------------------------------------------------------------------------------


class Typer:
    """Types one expression; `problems` collects what cannot be computed, with its place."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self.problems: list[Problem] = []

    def type_of(self, expr: ast.NumExpr, env: dict[str, Interval] | None = None) -> Typed:
        env = env or {}
        match expr:
            case ast.NumberValue():
                kind: Kind = "integer" if isinstance(expr.value, int) else "decimal"
                return Typed(kind, Interval.point(as_fraction(expr.value)))
            case ast.UnknownNumber():  # never a value: any nonzero point types it soundly
                return Typed("integer", Interval.point(Fraction(1)))
            case ast.Quantity():
                return self._quantity(expr, env)
            case ast.Negate():
                inner = self.type_of(expr.item, env)
                return Typed(inner.kind, _negate(inner.interval))
            case ast.Choice():
                return self._choice(expr, env)
            case ast.Arithmetic():
                return self._arithmetic(expr, env)
        raise AssertionError(expr)

    def _quantity(self, expr: ast.Quantity, env: dict[str, Interval]) -> Typed:
        value_type = self.lookup(expr.subject)
        if not isinstance(value_type, NumberT):
            if value_type is not None:
                self.problems.append(Problem(
                    "not-a-number", expr.span,
                    f"`{expr.subject.text}` is {value_type.describe()}, not a number",
                    _operand_help(expr.subject.text, value_type)))
            return Typed("decimal", UNBOUNDED)
        declared = Interval(
            None if value_type.low is None else as_fraction(value_type.low),
            None if value_type.high is None else as_fraction(value_type.high))
        declared = replace(declared, nonzero=declared.excludes_zero())
        narrowed = env.get(expr.subject.text)
        kind: Kind = "integer" if value_type.kind == "integer" else "decimal"
        return Typed(kind, _intersect(declared, narrowed) if narrowed else declared)

    def _choice(self, expr: ast.Choice, env: dict[str, Interval]) -> Typed:
        then = self.type_of(expr.then, narrow(env, expr.condition, True))
        otherwise = self.type_of(expr.otherwise, narrow(env, expr.condition, False))
        kind: Kind = "integer" if then.kind == otherwise.kind == "integer" else "decimal"
        return Typed(kind, _hull(then.interval, otherwise.interval))

    def _arithmetic(self, expr: ast.Arithmetic, env: dict[str, Interval]) -> Typed:
        left = self.type_of(expr.left, env)
        if expr.op == "**":
            return self._power(expr, left, env)
        right = self.type_of(expr.right, env)
        both_integer = left.kind == right.kind == "integer"
        if expr.op == "/":
            if not right.interval.excludes_zero():
                self.problems.append(Problem(
                    "division-by-zero", expr.right.span,
                    f"the divisor can be zero: its range is {_describe(right.interval)}",
                    "declare ranges that keep it away from 0, or guard the division: "
                    "`if DIVISOR > 0 then … / DIVISOR else 0`"))
                return Typed("decimal", UNBOUNDED)
            return Typed("decimal", _divide(left.interval, right.interval))
        interval = {"+": _add, "-": _subtract, "*": _multiply}[expr.op](left.interval, right.interval)
        return Typed("integer" if both_integer else "decimal", interval)

    def _power(self, expr: ast.Arithmetic, base: Typed, env: dict[str, Interval]) -> Typed:
        """`base ** k` for a whole k of a bounded range (a literal, or a whole-number input or
        fact): exact for every k, a negative one dividing by the base."""
        known = len(self.problems)
        exponent = self.type_of(expr.right, env)
        reason = _exponent_problem(exponent, _read_name(expr.right))
        if len(self.problems) > known:  # the exponent's own problem is reported already
            return Typed("decimal", UNBOUNDED)
        if reason is not None:
            self.problems.append(Problem("bad-exponent", expr.right.span, *reason))
            return Typed("decimal", UNBOUNDED)
        low, high = exponent.interval.low, exponent.interval.high
        assert low is not None and high is not None
        if low < 0 and not base.interval.excludes_zero():
            self.problems.append(Problem(
                "division-by-zero", expr.left.span,
                f"a negative power divides by its base, and the base can be zero: its range is "
                f"{_describe(base.interval)}",
                "declare ranges that keep the base away from 0, or guard the power: "
                "`if BASE > 0 then BASE ** … else 0`"))
            return Typed("decimal", UNBOUNDED)
        powers = [_raise(base.interval, k) for k in range(math.floor(low), math.ceil(high) + 1)]
        interval = powers[0]
        for power in powers[1:]:
            interval = _hull(interval, power)
        if any(bound is not None and abs(bound) > LARGEST for bound in (interval.low, interval.high)):
            self.problems.append(Problem(
                "bad-exponent", expr.span,
                f"the power can be as large as about 10^{_magnitude(interval)}, beyond the largest "
                "number a decision can hold (about 10^308)",
                "declare narrower ranges for the base or the exponent"))
            return Typed("decimal", UNBOUNDED)
        kind: Kind = "integer" if base.kind == "integer" and low >= 0 else "decimal"
        return Typed(kind, interval)


def _magnitude(interval: Interval) -> int:
    largest = max(abs(b) for b in (interval.low, interval.high) if b is not None)
    return len(str(math.floor(largest))) - 1


def _read_name(expr: ast.NumExpr) -> str:
    """`the exponent `months`` when the exponent is a name (or its opposite), to say which."""
    if isinstance(expr, ast.Negate):
        return _read_name(expr.item)
    return f" `{expr.subject.text}`" if isinstance(expr, ast.Quantity) else ""


def _exponent_problem(exponent: Typed, name: str) -> tuple[str, str] | None:
    """Why an exponent cannot be computed exactly, with the fix; None when it can."""
    low, high = exponent.interval.low, exponent.interval.high
    if exponent.kind != "integer":
        return (f"the exponent{name} is a decimal: a fractional power (a root) has no exact value, and "
                "mmdsl computes numbers exactly",
                "raise to a whole number (`height_m ** 2`, `rate ** -n` for an integer `n`), or "
                "compute the root outside and give it as an input")
    if low is None or high is None:
        return (f"the exponent{name} has no bounded range, so the power can be any size",
                f"declare the range of the whole numbers it reads, within -{MAX_EXPONENT}.."
                f"{MAX_EXPONENT}: `input months: integer 1..360`")
    if max(-low, high) > MAX_EXPONENT:
        return (f"the exponent{name} can be {_describe(exponent.interval)}: mmdsl's exponent is a whole "
                f"number from -{MAX_EXPONENT} to {MAX_EXPONENT}",
                "declare narrower ranges for the whole numbers it reads")
    return None


def _operand_help(name: str, value_type: ValueType) -> str:
    if value_type.describe() == "yes/no":
        return f"give points by the condition: `(if {name} then 1 else 0)`"
    if value_type.describe() == "duration":
        return f"compare it in a condition: `(if {name} >= 75 years then 2 else 0)`"
    return f"choose a number by a condition on it: `(if {name} is … then 1 else 0)`"


def _describe(interval: Interval) -> str:
    def show(value: Fraction | None, infinite: str) -> str:
        if value is None:
            return infinite
        bound = _bound(value, floor=True)
        return str(bound)
    if interval.low is None and interval.high is None:
        return "not bounded"
    return f"{show(interval.low, '-∞')}..{show(interval.high, '∞')}"


# ---- interval arithmetic (None is infinite) -------------------------------------------------


def _negate(a: Interval) -> Interval:
    return Interval(None if a.high is None else -a.high, None if a.low is None else -a.low,
                    a.nonzero)


def _add(a: Interval, b: Interval) -> Interval:
    low = None if a.low is None or b.low is None else a.low + b.low
    high = None if a.high is None or b.high is None else a.high + b.high
    same_sign_positive = (a.low is not None and b.low is not None and a.low >= 0 and b.low >= 0
                          and (a.nonzero or b.nonzero))
    same_sign_negative = (a.high is not None and b.high is not None and a.high <= 0
                          and b.high <= 0 and (a.nonzero or b.nonzero))
    return _with_zero(Interval(low, high), same_sign_positive or same_sign_negative)


def _subtract(a: Interval, b: Interval) -> Interval:
    return _add(a, _negate(b))


def _multiply(a: Interval, b: Interval) -> Interval:
    products = [_times(x, y) for x in (a.low, a.high) for y in (b.low, b.high)]
    low, high = _extremes(products, a, b)
    return _with_zero(Interval(low, high), a.excludes_zero() and b.excludes_zero())


def _times(x: Fraction | None, y: Fraction | None) -> Fraction | None:
    if x is None or y is None:
        return None if not (x == 0 or y == 0) else Fraction(0)
    return x * y


def _extremes(products: list[Fraction | None], a: Interval,
              b: Interval) -> tuple[Fraction | None, Fraction | None]:
    """The smallest and largest product; an infinite factor gives an infinite end unless the
    other factor's sign rules it out."""
    if all(p is not None for p in products):
        known = [p for p in products if p is not None]
        return min(known), max(known)
    can_negative = (_can_be(a, "negative") and _can_be(b, "positive")) or (
        _can_be(a, "positive") and _can_be(b, "negative"))
    can_positive = (_can_be(a, "positive") and _can_be(b, "positive")) or (
        _can_be(a, "negative") and _can_be(b, "negative"))
    known = [p for p in products if p is not None]
    low = None if can_negative else (min(known) if known else Fraction(0))
    high = None if can_positive else (max(known) if known else Fraction(0))
    return low, high


def _can_be(a: Interval, sign: str) -> bool:
    if sign == "positive":
        return a.high is None or a.high > 0
    return a.low is None or a.low < 0


def _raise(a: Interval, k: int) -> Interval:
    """a ** k: monotone for an odd k; for an even k, never negative; a negative k is the
    reciprocal of a ** -k (a base that excludes 0)."""
    if k < 0:
        return _divide(Interval.point(Fraction(1)), _raise(a, -k))

    def power(x: Fraction | None) -> Fraction | None:
        return None if x is None else x ** k
    if k == 0:
        return Interval.point(Fraction(1))
    if k % 2 == 1 or (a.low is not None and a.low >= 0):
        return Interval(power(a.low), power(a.high), a.excludes_zero())
    if a.high is not None and a.high <= 0:
        return Interval(power(a.high), power(a.low), a.excludes_zero())
    high = None if a.low is None or a.high is None else max(-a.low, a.high) ** k
    return Interval(Fraction(0), high, a.excludes_zero())


def _divide(a: Interval, b: Interval) -> Interval:
    """a / b for a divisor that excludes 0: b lies wholly on one side of 0."""
    if b.low is not None and b.high is not None and (b.low > 0 or b.high < 0):
        return _with_zero(_multiply(a, Interval(1 / b.high, 1 / b.low)), a.excludes_zero())
    # a divisor that only excludes 0 by a guard (or is unbounded on one side): 1/b is unbounded
    # towards the side of 0 it approaches
    positive = b.low is not None and b.low >= 0
    reciprocal = Interval(Fraction(0), None) if positive else Interval(None, Fraction(0))
    return _with_zero(_multiply(a, reciprocal), a.excludes_zero())


def _with_zero(interval: Interval, nonzero: bool) -> Interval:
    return replace(interval, nonzero=nonzero or interval.excludes_zero())


def _hull(a: Interval, b: Interval) -> Interval:
    low = None if a.low is None or b.low is None else min(a.low, b.low)
    high = None if a.high is None or b.high is None else max(a.high, b.high)
    return Interval(low, high, a.excludes_zero() and b.excludes_zero())


def _intersect(a: Interval, b: Interval) -> Interval:
    low = b.low if a.low is None else a.low if b.low is None else max(a.low, b.low)
    high = b.high if a.high is None else a.high if b.high is None else min(a.high, b.high)
    return _with_zero(Interval(low, high), a.nonzero or b.nonzero)


# ---- narrowing by the condition of an `if` --------------------------------------------------


def narrow(env: dict[str, Interval], condition: ast.Expr, holds: bool) -> dict[str, Interval]:
    """What the branch taken tells about the names it compares with numbers: in `then`, the
    condition holds; in `else`, it does not. Only what is certain narrows (a conjunction that
    holds, a disjunction that does not, a comparison either way)."""
    match condition:
        case ast.Not():
            return narrow(env, condition.item, not holds)
        case ast.And() if holds:
            for item in condition.items:
                env = narrow(env, item, True)
            return env
        case ast.Or() if not holds:
            for item in condition.items:
                env = narrow(env, item, False)
            return env
        case ast.Condition(subject=subject, test=ast.CompareTest(op=op, value=ast.NumberValue() as number)) \
                if subject.member is None:
            known = _compared(op if holds else _NEGATED[op], as_fraction(number.value))
            if known is None:
                return env
            name = subject.name.text
            return {**env, name: _intersect(env[name], known) if name in env else known}
    return env


_NEGATED = {">=": "<", "<=": ">", ">": "<=", "<": ">=", "=": "!=", "!=": "="}


def _compared(op: str, value: Fraction) -> Interval | None:
    zero = Fraction(0)
    match op:
        case ">" | ">=":
            return Interval(value, None, value > zero or (op == ">" and value == zero))
        case "<" | "<=":
            return Interval(None, value, value < zero or (op == "<" and value == zero))
        case "=":
            return Interval.point(value)
        case "!=":
            return Interval(None, None, value == zero)
    return None
