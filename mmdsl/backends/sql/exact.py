"""Decimal numeric facts in SQL, exactly as the Python module computes them (runtime/numbers.py).

A value is carried as an exact rational `num / den * 10**shift`: `num` and `den` are SQL
expressions of type DECIMAL(38, 0) (HUGEINT in DuckDB), `den` positive (None stands for 1), and
`shift` a whole number known when the query is written. No step divides: a division swaps
numerator and denominator, a sum cross-multiplies, and a comparison with a threshold `T / 10**k`
(the threshold as written, as the module compares it) multiplies both sides by the positive
denominator. Every step's integers have bounds computed here from the declared ranges of the
inputs; a step that could leave DECIMAL(38, 0) is refused when the query is written (`Overflow`),
so that the engines' own overflow behaviour (DuckDB raises, Spark raises in ANSI mode and gives
NULL without it) is never met.

A decimal input arrives as a DOUBLE whose value, for the module, is its shortest decimal
spelling (`exact`: Fraction(repr(x))). The query reads it as the whole number `round(x * 10**s)`
of `s` decimal places and keeps that reading only when it gives the very same DOUBLE back
(`CAST(N AS DOUBLE) / 10**s = x`, one correctly rounded division of exact operands): with
`s` chosen so that 20 units in the last place of the largest declared value are below 10**-s,
at most one number of s + 1 decimals reads as x, so N / 10**s is then x's shortest spelling.
A patient whose value has more decimals is refused with the reason (`Guard`), never rounded.

A fact's value in the decision's `derived` is the module's: the exact value rounded to the
nearest double, which one IEEE division gives when numerator and denominator are exact doubles
(below 2**53); the scales are chosen so that they are, else the fact is refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from mmdsl.ir import model as ir

LIMIT = 10 ** 38 - 1  # the largest integer of DECIMAL(38, 0), in DuckDB and Spark
EXACT_DOUBLE = 2 ** 53  # integers below this are exact doubles
MAX_SCALE = 15  # decimal places of an input, at most (10**15 is an exact double)


class Overflow(Exception):
    """A fact whose exact value could leave DECIMAL(38, 0) or an exact double; says which."""


@dataclass(frozen=True, slots=True)
class Ratio:
    """`num / den * 10**shift`, num within low..high, den within 1..den_high."""

    num: str
    den: str | None  # None: 1
    shift: int
    low: int
    high: int
    den_high: int = 1


@dataclass(frozen=True, slots=True)
class Guard:
    """A decimal input read with `scale` decimal places: its whole-number column and the flag of
    a patient whose value has more."""

    name: str  # the input
    column: str  # the input's SQL column (a DOUBLE)
    scale: int
    number: str  # the whole-number column (`_x0`)
    flag: str  # TRUE when the value has more than `scale` decimals (`_xg0`)
    unknown: bool = False  # declared `or unknown`: NULL (unknown) has no decimals to refuse

    def columns(self) -> tuple[str, str]:
        whole = f"CAST(round({self.column} * {_power_double(self.scale)}) AS DECIMAL(38, 0))"
        back = f"CAST({whole} AS DOUBLE) / {_power_double(self.scale)}"
        flag = f"({back} <> {self.column})"
        if self.unknown:  # never NULL: `NOT (flag)` keeps the row
            flag = f"COALESCE({flag}, FALSE)"
        return f"{whole} AS {self.number}", f"{flag} AS {self.flag}"


def _power_double(scale: int) -> str:
    return f"{float(10 ** scale)!r}E0"


def decimal_null() -> str:
    return "CAST(NULL AS DECIMAL(38, 0))"


def decimal(value: int) -> str:
    return f"CAST({value} AS DECIMAL(38, 0))"


def _bounded(ratio: Ratio, what: str) -> Ratio:
    if max(abs(ratio.low), abs(ratio.high), ratio.den_high) > LIMIT:
        raise Overflow(f"{what} could exceed 38 digits for the declared ranges of its inputs")
    return ratio


def _times_int(ratio_num: str, factor: int) -> str:
    return ratio_num if factor == 1 else f"({ratio_num} * {decimal(factor)})"


def _product(left: str | None, right: str | None) -> str | None:
    if left is None or right is None:
        return right if left is None else left
    return f"({left} * {right})"


def _interval_product(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    corners = [x * y for x in a for y in b]
    return min(corners), max(corners)


def rescaled(ratio: Ratio, shift: int) -> Ratio:
    """The same value with a lower `shift` (the numerator multiplied by 10**difference)."""
    factor = 10 ** (ratio.shift - shift)
    return Ratio(_times_int(ratio.num, factor), ratio.den, shift, ratio.low * factor,
                 ratio.high * factor, ratio.den_high)


def times(a: Ratio, b: Ratio) -> Ratio:
    low, high = _interval_product((a.low, a.high), (b.low, b.high))
    return Ratio(f"({a.num} * {b.num})", _product(a.den, b.den), a.shift + b.shift, low, high,
                 a.den_high * b.den_high)


def divided(a: Ratio, b: Ratio) -> Ratio:
    """a / b: b's numerator becomes the denominator, its sign moved to the numerator (a divisor
    that is 0 for some patient was refused by the checks, MD318, or is guarded by an `if`, whose
    other branch SQL's CASE computes instead)."""
    num = a.num if b.den is None else f"({a.num} * {b.den})"
    low, high = _interval_product((a.low, a.high), (1, b.den_high))
    divisor_high = max(abs(b.low), abs(b.high))
    if b.low > 0:
        den, sign = b.num, num
    elif b.high < 0:
        den, sign = f"(-{b.num})", f"(-{num})"
        low, high = -high, -low
    else:
        den, sign = f"abs({b.num})", f"CASE WHEN {b.num} < 0 THEN -{num} ELSE {num} END"
    if b.low <= 0:
        low, high = -max(abs(low), abs(high)), max(abs(low), abs(high))
    return Ratio(sign, _product(den, a.den), a.shift - b.shift, low, high,
                 divisor_high * a.den_high)


def added(a: Ratio, b: Ratio, op: str = "+") -> Ratio:
    """a + b or a - b over the common denominator, at the lower of the two shifts."""
    shift = min(a.shift, b.shift)
    a, b = rescaled(a, shift), rescaled(b, shift)
    left, (left_low, left_high) = _over(a, b)
    right, (right_low, right_high) = _over(b, a)
    low, high = ((left_low + right_low, left_high + right_high) if op == "+"
                 else (left_low - right_high, left_high - right_low))
    return Ratio(f"({left} {op} {right})", _product(a.den, b.den), shift, low, high,
                 a.den_high * b.den_high)


def _over(a: Ratio, b: Ratio) -> tuple[str, tuple[int, int]]:
    """a's numerator over the common denominator (times b's denominator)."""
    if b.den is None:
        return a.num, (a.low, a.high)
    return f"({a.num} * {b.den})", _interval_product((a.low, a.high), (1, b.den_high))


def negated(a: Ratio) -> Ratio:
    return Ratio(f"(-{a.num})", a.den, a.shift, -a.high, -a.low, a.den_high)


def picked(condition: str, then: Ratio, otherwise: Ratio) -> Ratio:
    shift = min(then.shift, otherwise.shift)
    then, otherwise = rescaled(then, shift), rescaled(otherwise, shift)
    den = None if then.den is None and otherwise.den is None else (
        f"CASE WHEN {condition} THEN {then.den or decimal(1)} ELSE {otherwise.den or decimal(1)} END")
    return Ratio(f"CASE WHEN {condition} THEN {then.num} ELSE {otherwise.num} END", den, shift,
                 min(then.low, otherwise.low), max(then.high, otherwise.high),
                 max(then.den_high, otherwise.den_high))


def number(text: str) -> Ratio:
    """A number as written (`0.5`, `-12`), in lowest terms of a power of ten."""
    value = Fraction(text)
    return constant(value)


def constant(value: Fraction) -> Ratio:
    shift = 0
    while value.denominator != 1:
        value, shift = value * 10, shift - 1
    whole = int(value)
    while whole and whole % 10 == 0:
        whole, shift = whole // 10, shift + 1
    return Ratio(decimal(whole), None, shift, whole, whole)


def ratio_of(expr: ir.NumExpr, refs: Mapping[str, Ratio], condition: Callable[[ir.Cond], str],
             what: str) -> Ratio:
    """A numeric fact's arithmetic as a Ratio (raises Overflow)."""
    def walk(node: ir.NumExpr) -> Ratio:
        match node:
            case ir.Num(text=text):
                return number(text)
            case ir.NoNumber():  # `unknown`: never a value (the fact's `unknown_when` holds);
                return Ratio(decimal_null(), None, 0, 1, 1)  # bounds of 1 widen nothing
            case ir.Read(ref=ref):
                return refs[ref]
            case ir.Neg(item=item):
                return negated(walk(item))
            case ir.Calc(op="**", left=left, right=ir.Num(text=power)):
                if int(power) == 0:
                    return constant(Fraction(1))
                base = result = walk(left)
                for _ in range(int(power) - 1):
                    result = _bounded(times(result, base), what)
                return result
            case ir.Calc(op=op, left=left, right=right):
                a, b = walk(left), walk(right)
                combined = (times(a, b) if op == "*" else divided(a, b) if op == "/"
                            else added(a, b, op))
                return _bounded(combined, what)
            case ir.Pick(condition=test, then=then, otherwise=otherwise):
                return _bounded(picked(condition(test), walk(then), walk(otherwise)), what)
        raise TypeError(f"not arithmetic: {node!r}")

    return _bounded(walk(expr), what)


def compared(ratio: Ratio, op: str, value: int | float, what: str) -> str:
    """`value op threshold` exactly, the threshold as written (a float through its shortest
    spelling, as runtime/numbers.py compares it): num * 10**a op T * den * 10**b."""
    threshold = constant(Fraction(repr(value)) if isinstance(value, float) else Fraction(value))
    whole = threshold.low
    exponent = ratio.shift - threshold.shift  # value * 10**-t.shift vs whole
    left_factor, right_factor = (10 ** exponent, 1) if exponent >= 0 else (1, 10 ** -exponent)
    left_high = max(abs(ratio.low), abs(ratio.high)) * left_factor
    right_high = abs(whole) * right_factor * ratio.den_high
    if max(left_high, right_high) > LIMIT:
        raise Overflow(f"comparing {what} with {value!r} could exceed 38 digits")
    left = _times_int(ratio.num, left_factor)
    right = decimal(whole * right_factor)
    if ratio.den is not None:
        right = f"({right} * {ratio.den})"
    sql_op = "<>" if op == "!=" else "=" if op == "==" else op
    return f"({left} {sql_op} {right})"


def shown(ratio: Ratio, what: str) -> str:
    """The value as the module shows it: rounded once to the nearest double."""
    num_high = max(abs(ratio.low), abs(ratio.high)) * 10 ** max(ratio.shift, 0)
    den_high = ratio.den_high * 10 ** max(-ratio.shift, 0)
    if max(num_high, den_high) >= EXACT_DOUBLE:
        raise Overflow(f"{what}'s numerator or denominator could reach 2**53, where its value "
                       "would be rounded twice")
    num = _times_int(ratio.num, 10 ** max(ratio.shift, 0))
    den_factor = 10 ** max(-ratio.shift, 0)
    if ratio.den is None:
        den = f"{float(den_factor)!r}E0"
    else:
        den = f"CAST({_times_int(ratio.den, den_factor)} AS DOUBLE)"
    return f"(CAST({num} AS DOUBLE) / {den})"


def input_scale(item: ir.IRInput) -> int:
    """The most decimal places of a decimal input that identify its value (see the module's
    docstring): 20 units in the last place of its largest declared value below 10**-s, and
    the value times 10**s an exact double."""
    largest = max(abs(Fraction(repr(float(b)))) for b in (item.type.low, item.type.high)
                  if b is not None)
    ulp = Fraction(math.ulp(float(largest)))
    scale = MAX_SCALE
    while scale > 0 and (20 * ulp > Fraction(1, 10 ** scale)
                         or largest * 10 ** scale >= EXACT_DOUBLE):
        scale -= 1
    return scale


def decimals_written(item: ir.IRInput) -> int:
    """The decimal places of the input's declared bounds and default (at least these must be
    read: a default of more decimals would refuse every patient who leaves the input out)."""
    written = [item.type.low, item.type.high,
               item.default if isinstance(item.default, int | float) else None]
    places = [max(-constant(Fraction(repr(float(b)))).shift, 0) for b in written
              if b is not None and not isinstance(b, bool)]
    return max(places, default=0)
