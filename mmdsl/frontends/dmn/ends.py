"""Cells whose range ends or comparison values are other inputs: `[numB..numC]`, `< numB`.

mmdsl's cells compare with constants. But `numA in [numB..numC]` is `numA >= numB and numA <=
numC`, that is `numA - numB >= 0 and numA - numC <= 0`: tests of computed numbers (the
differences, docs/language.md 8b) against the constant 0, which mmdsl computes exactly (FEEL's
numbers are exact decimals, and so is mmdsl's arithmetic). `split_ends` reads such a cell as the
test that stays on the column itself (the constant ends: `[numB..10]` keeps `<= 10`) and one
test against 0 per other value, each for the column `COLUMN - OTHER`; the table translator adds
those columns. Only a conjunction can be split so: one comparison or one range (a list of tests,
`< numB, > numC`, or `not(...)`, is an `or` across columns and is left to the ordinary reading,
which refuses it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mmdsl.frontends.dmn import feel

_FLIPPED_OPEN = {"[": True, "(": False, "]": False}
_LOWER = {True: ">=", False: ">"}
_UPPER = {True: "<=", False: "<"}


@dataclass(frozen=True, slots=True)
class SplitCell:
    """A cell split between its column (`own`, FEEL text, `-` for none) and the differences
    `COLUMN - OTHER` (`against`: OTHER's FEEL name -> a FEEL test of the difference against 0)."""

    own: str
    against: dict[str, str]


def split_ends(text: str, names: feel.NameIndex, is_value: Callable[[str], bool]) -> SplitCell | None:
    """The split of a cell that names another value (`is_value(name)`) as a comparison value or
    range end; None for any other cell (read as usual)."""
    try:
        tokens = [t for t in feel.tokenize(text, names) if t.kind != "end"]
    except feel.FeelError:
        return None
    bounds = _bounds(tokens)
    if bounds is None or not any(isinstance(end, str) and is_value(end) for _, end in bounds):
        return None
    own: list[tuple[str, str]] = []
    against: dict[str, list[tuple[str, str]]] = {}
    for op, end in bounds:
        if isinstance(end, str):
            if not is_value(end):
                return None
            against.setdefault(end, []).append((op, "0"))
        else:
            own.append((op, end[0]))
    return SplitCell(_tests(own), {name: _tests(tests) for name, tests in against.items()})


def _bounds(tokens: list[feel.Token]) -> list[tuple[str, str | tuple[str]]] | None:
    """`< X`, `X`, `[X..Y]` as (op, end) pairs; an end is a name, or a number as `(text,)`."""
    if tokens and tokens[0].kind == "op" and tokens[0].text in ("<", "<=", ">", ">=", "=", "!="):
        end = _end(tokens[1:])
        return None if end is None or end[1] != len(tokens) - 1 else [(tokens[0].text, end[0])]
    if tokens and tokens[0].text in _FLIPPED_OPEN and tokens[0].kind == "op":
        low = _end(tokens[1:])
        if low is None or low[1] + 1 >= len(tokens) or tokens[low[1] + 1].text != "..":
            return None
        high = _end(tokens[low[1] + 2:])
        closing = low[1] + 2 + high[1] if high is not None else len(tokens)
        if high is None or closing != len(tokens) - 1 or tokens[closing].text not in ("]", ")", "["):
            return None
        return [(_LOWER[_FLIPPED_OPEN[tokens[0].text]], low[0]),
                (_UPPER[tokens[closing].text == "]"], high[0])]
    end = _end(tokens)
    return None if end is None or end[1] != len(tokens) else [("=", end[0])]


def _end(tokens: list[feel.Token]) -> tuple[str | tuple[str], int] | None:
    """A name or a number at the start of `tokens`, and how many tokens it takes."""
    if len(tokens) >= 2 and tokens[0].text == "-" and tokens[1].kind == "number":
        return (f"-{tokens[1].text}",), 2
    if tokens and tokens[0].kind == "number":
        return (tokens[0].text,), 1
    if tokens and tokens[0].kind == "name" and tokens[0].text not in feel.RESERVED:
        return tokens[0].text, 1
    return None


def _tests(tests: list[tuple[str, str]]) -> str:
    """FEEL unary tests for a conjunction of at most a lower and an upper bound (or `=`)."""
    if not tests:
        return "-"
    if len(tests) == 1:
        op, value = tests[0]
        return value if op == "=" else f"{op} {value}"
    (low_op, low), (high_op, high) = tests
    return f"{'[' if low_op == '>=' else '('}{low}..{high}{']' if high_op == '<=' else ')'}"
