"""IR conditions as FEEL: unary tests for table cells, boolean expressions for derived facts.

The forms are those `mmdsl.frontends.dmn.feel` reads, and they keep mmdsl's meaning in a DMN engine:

- a set column holds a list of strings; `has a` is `list contains(?, "a")`, `any of (a, b)` is
  `some item in ["a", "b"] satisfies list contains(?, item)`, `all of` the same with `every`;
- on a column that may be missing (a single-hit table's output), mmdsl matches a missing value
  only with `-`, while FEEL's `not("a")` and `!= 4` match null. Negations are therefore written
  `not(null, "a")`, and `!= 4` as `< 4, > 4`, which match null in neither language.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from mmdsl.ir import model as ir


class ExportProblem(Exception):
    """A condition that has no FEEL form here: a cell that tests a duration in days and in months
    in one alternative (`< 4 weeks, > 6 months`, backends/dmn/durations.py); nothing else the language
    writes today."""


Compared = ir.Compare | ir.OnDay | ir.AtTime | ir.AtClock | ir.Elapsed  # an Elapsed here is between dates and
# times, its ref already the DMN decision `NAME_time` (backends/dmn/durations.py)

# ---- values ------------------------------------------------------------------------------------------


def literal(value: ir.Scalar | None) -> str:
    """A FEEL literal: `null`, `true`, `12.5`, `"text"` (with FEEL string escapes)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    return string(value)


def number(value: int | float) -> str:
    """Digits only: FEEL numbers have no exponent, so 1e-05 is written 0.00001."""
    text = format(Decimal(value) if isinstance(value, int) else Decimal(repr(value)), "f")
    return "0" if text in ("-0", "-0.0") else text


def string(value: str) -> str:
    escaped = []
    for char in value:
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("\\n")
        elif not char.isprintable():
            escaped.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):06x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def string_list(members: tuple[str, ...]) -> str:
    return "[" + ", ".join(string(m) for m in members) + "]"


# ---- cells ---------------------------------------------------------------------------------------------


def unary_tests(condition: ir.Cond, nullable: bool) -> str:
    """A table cell: `-`, a list of tests, or `not(...)`."""
    condition = _unguarded(condition)
    if isinstance(condition, ir.Always):
        return "-"
    if isinstance(condition, ir.IsSet):  # `not unknown`
        return "not(null)"
    if isinstance(condition, ir.Not) and not isinstance(condition.item, ir.IsSet):
        tests = _positive_tests(_unguarded(condition.item), "?", nullable=False)
        return f"not({', '.join((['null'] if nullable else []) + tests)})"
    if isinstance(condition, ir.SetTest) and condition.quantifier == "none":
        return f"not({_membership('?', 'any', condition.members)})"
    return ", ".join(_positive_tests(condition, "?", nullable))


def _unguarded(condition: ir.Cond) -> ir.Cond:
    """The test without lowering's `IsSet` guard: FEEL's tests are already false on null."""
    if isinstance(condition, ir.AllOf) and len(condition.items) == 2 \
            and isinstance(condition.items[0], ir.IsSet):
        return condition.items[1]
    return condition


def _positive_tests(condition: ir.Cond, subject: str, nullable: bool) -> list[str]:
    if isinstance(condition, ir.Not) and isinstance(condition.item, ir.IsSet):  # `unknown`
        return ["null"]
    if isinstance(condition, ir.AllOf) and condition.items \
            and isinstance(condition.items[0], ir.IsSet):  # `unknown, > 5`: the guarded test
        condition = _unguarded(condition)
    if isinstance(condition, ir.AnyOf):
        return [t for item in condition.items for t in _positive_tests(item, subject, nullable)]
    if isinstance(condition, ir.OneOf):
        return [literal(v) for v in condition.values]
    if isinstance(condition, Compared):
        return _comparison(condition, nullable)
    if isinstance(condition, ir.AllOf) and (interval := _interval(condition)):
        return [interval]
    if isinstance(condition, ir.SetTest) and condition.quantifier != "none":
        return [_membership(subject, condition.quantifier, condition.members)]
    raise ExportProblem(f"no FEEL unary test for {condition!r}")


def _comparison(condition: Compared, nullable: bool) -> list[str]:
    value = _bound(condition)
    if condition.op == "==":
        return [value]
    if condition.op == "!=" and nullable:
        return [f"< {value}", f"> {value}"]
    return [f"{condition.op} {value}"]


def _interval(condition: ir.AllOf) -> str | None:
    """`[1..5)` from lowering's pair of comparisons for a range."""
    if len(condition.items) != 2:
        return None
    low, high = condition.items
    same_kind = type(low) is type(high)
    if not (same_kind and isinstance(low, Compared) and isinstance(high, Compared)
            and low.op in (">", ">=") and high.op in ("<", "<=")):
        return None
    opening = "[" if low.op == ">=" else "("
    closing = "]" if high.op == "<=" else ")"
    return f"{opening}{_bound(low)}..{_bound(high)}{closing}"


def _bound(condition: Compared) -> str:
    """The value a comparison compares with: a number, a calendar day `date("2019-09-01")`, a
    date and time `date and time("2024-03-01T08:00:00")`, a duration `duration("PT4H30M")`."""
    if isinstance(condition, ir.OnDay):
        return day(condition.day)
    if isinstance(condition, ir.AtTime):
        return moment(condition.moment)
    if isinstance(condition, ir.AtClock):
        return clock(condition.clock)
    if isinstance(condition, ir.Elapsed):
        return duration(condition.written)
    return number(condition.value)


def day(text: str) -> str:
    """A calendar day in FEEL: `date("2019-09-01")` (the day is checked to exist, YYYY-MM-DD)."""
    return f'date("{text}")'


def moment(text: str) -> str:
    """A fixed date and time in FEEL, to the second and without an offset (mmdsl's are written
    so): `date and time("2024-03-01T08:00:00")`."""
    return f'date and time("{text if len(text) > 16 else text + ":00"}")'


def clock(text: str) -> str:
    """A fixed time of day in FEEL, to the second and without an offset (a clock reading has
    none): `time("17:00:00")`."""
    return f'time("{text if len(text) > 5 else text + ":00"}")'


def duration(written: str) -> str:
    """A duration between dates and times as the author wrote it (`270 minutes`, `24 hours`,
    `1 day`, `2 weeks`) as a FEEL days-and-time duration in the same unit, so that the import
    writes it back so: `duration("PT270M")`, `duration("PT24H")`, `duration("P1D")`; weeks,
    which FEEL's days-and-time durations do not have, in days (`duration("P14D")`)."""
    amount, unit = written.split()
    number = int(amount)
    sign, size = ("-" if number < 0 else ""), abs(number)
    if unit.startswith("week"):
        return f'duration("{sign}P{size * 7}D")'
    if unit.startswith("day"):
        return f'duration("{sign}P{size}D")'
    return f'duration("{sign}PT{size}{"H" if unit.startswith("hour") else "M"}")'


def _membership(subject: str, quantifier: str, members: tuple[str, ...]) -> str:
    if quantifier == "any" and len(members) == 1:
        return f"list contains({subject}, {string(members[0])})"
    word = "some" if quantifier == "any" else "every"
    return f"{word} item in {string_list(members)} satisfies list contains({subject}, item)"


# ---- derived facts ---------------------------------------------------------------------------------------


def expression(condition: ir.Cond) -> str:
    """A boolean FEEL expression; names are the mmdsl names, which are the DMN names."""
    match condition:
        case ir.AllOf() if _interval(condition) and _same_ref(condition):
            return f"{_ref(condition.items[0])} in {_interval(condition)}"
        case ir.AllOf(items=items):
            return " and ".join(_grouped(i) for i in items)
        case ir.AnyOf(items=items):
            return " or ".join(_grouped(i) for i in items)
        case ir.IsSet(ref=ref):
            return f"{ref} != null"
        case ir.Not(item=ir.IsSet(ref=ref)):
            return f"{ref} = null"
        case ir.Not(item=item):
            return f"not({expression(item)})"
        case ir.Compare(ref=ref, op=op, value=value):
            return f"{ref} {'=' if op == '==' else op} {number(value)}"
        case ir.OnDay(ref=ref, op=op) | ir.AtTime(ref=ref, op=op) | ir.AtClock(ref=ref, op=op) \
                | ir.Elapsed(ref=ref, op=op):
            return f"{ref} {'=' if op == '==' else op} {_bound(condition)}"
        case ir.OneOf(ref=ref, values=(True,)):
            return ref
        case ir.OneOf(ref=ref, values=(False,)):
            return f"not({ref})"
        case ir.OneOf(ref=ref, values=(value,)):
            return f"{ref} = {literal(value)}"
        case ir.OneOf(ref=ref, values=values):
            return f"{ref} in ({', '.join(literal(v) for v in values)})"
        case ir.SetTest(ref=ref, quantifier="none", members=members):
            return f"not({_membership(ref, 'any', members)})"
        case ir.SetTest(ref=ref, quantifier=quantifier, members=members):
            return _membership(ref, quantifier, members)
    raise ExportProblem(f"no FEEL expression for {condition!r}")


def arithmetic(expr: ir.NumExpr) -> str:
    """A numeric fact as a FEEL arithmetic expression (`+ - * / **`, `if … then … else …`); every
    operation in brackets, so that no engine's precedence matters. FEEL numbers are decimals of
    34 digits: a division that does not end (1/3) is rounded there, where mmdsl is exact."""
    match expr:
        case ir.Num(text=text):
            return text if not text.startswith("-") else f"({text})"
        case ir.NoNumber():  # FEEL's null: arithmetic over it is null
            return "null"
        case ir.Read(ref=ref):
            return ref
        case ir.Neg(item=item):
            return f"(-{arithmetic(item)})"
        case ir.Calc(op=op, left=left, right=right):
            return f"({arithmetic(left)} {op} {arithmetic(right)})"
        case ir.Pick(condition=condition, then=then, otherwise=otherwise):
            return (f"(if {expression(condition)} then {arithmetic(then)} "
                    f"else {arithmetic(otherwise)})")
    raise ExportProblem(f"no FEEL expression for {expr!r}")


def words(expr: ir.TextExpr, condition: Callable[[ir.Cond], str]) -> str:
    """A text fact as a FEEL string expression: string literals escaped (`string`), joined with
    `+`; `condition` writes the condition of an `if`."""
    match expr:
        case ir.Quoted(text=text):
            return string(text)
        case ir.Part(ref=ref):
            return ref
        case ir.Join(parts=parts):
            return "(" + " + ".join(words(part, condition) for part in parts) + ")"
        case ir.PickText(condition=test, then=then, otherwise=otherwise):
            return (f"(if {condition(test)} then {words(then, condition)} "
                    f"else {words(otherwise, condition)})")
    raise ExportProblem(f"no FEEL expression for {expr!r}")


def _same_ref(condition: ir.AllOf) -> bool:
    refs = {getattr(item, "ref", None) for item in condition.items}
    return len(refs) == 1


def _ref(condition: ir.Cond) -> str:
    assert isinstance(condition, Compared)
    return condition.ref


def _grouped(condition: ir.Cond) -> str:
    """An operand of `and` / `or`, in parentheses when it is itself a conjunction or disjunction
    or an `x in ...` test: engines differ on how far `x in [1..5] and flag` reaches (feelin reads
    it as `x in ([1..5] and flag)`), so nothing is left to their precedence rules."""
    text = expression(condition)
    return f"({text})" if isinstance(condition, (ir.AllOf, ir.AnyOf)) or " in " in text else text
