"""Cells whose range ends are other inputs (`[numB..numC]` on numA: 0017-tableTests case 002),
imported as tests of the differences `numA - numB`, `numA - numC` against 0 (frontends/dmn/ends.py),
checked against a direct reading of FEEL for every value of a small grid."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest

from tests.dmn.support import decide, imported, input_data, model, problems, table

NUMBERS = input_data("numA", "number") + input_data("numB", "number") + input_data("numC", "number")
VALUES = [Decimal(v) for v in ("-2", "-1", "-0.5", "0", "1", "2")]


def feel_matches(cell: str, values: dict[str, Decimal]) -> bool:
    """FEEL's `numA in CELL`, read directly: one comparison or one range."""
    def value(end: str) -> Decimal:
        return values[end] if end in values else Decimal(end)

    a = values["numA"]
    found = re.fullmatch(r"([\[(\]])\s*(\S+?)\s*\.\.\s*(\S+?)\s*([\])\[])", cell)
    if found:
        opening, low, high, closing = found.groups()
        above = a >= value(low) if opening == "[" else a > value(low)
        below = a <= value(high) if closing == "]" else a < value(high)
        return above and below
    found = re.fullmatch(r"(<=|>=|!=|<|>|=)?\s*(\S+)", cell)
    assert found is not None, cell
    op, end = found.group(1) or "=", value(found.group(2))
    return {"<": a < end, "<=": a <= end, ">": a > end, ">=": a >= end, "=": a == end,
            "!=": a != end}[op]


CELLS = ["[numB..numC]", "(numB..numC]", "[numB..numC)", "]numB..numC[", "(numB..numC)",
         "< numB", "<= numB", "> numB", ">= numB", "= numB", "!= numB", "numB", "[numB..1]",
         "(-1..numC]", "[numB..numB]"]


@pytest.mark.parametrize("cell", CELLS)
def test_a_cell_naming_other_inputs_decides_as_feel_for_every_value(cell: str) -> None:
    """A UNIQUE table whose other answer is the default output: the cell is read in the rule
    and, negated, in the fact that gives the default."""
    default = ('<output name="inside" typeRef="string"><defaultOutputEntry><text>"out"</text>'
               "</defaultOutputEntry></output>")
    result = imported(model(NUMBERS + table("inside", 'hitPolicy="UNIQUE"', ["numA"], [default],
                                            [[cell, '"in"']])))
    assert result.ok, problems(result)
    for a, b, c in itertools.product(VALUES, repeat=3):
        values = {"numA": a, "numB": b, "numC": c}
        decision = decide(result, {name: float(v) for name, v in values.items()})
        expected = "in" if feel_matches(cell, values) else "out"
        assert decision["inside"]["inside"] == expected, (cell, values)


def test_the_differences_are_declared_once_and_tested_against_zero() -> None:
    result = imported(model(NUMBERS + table(
        "band", 'hitPolicy="FIRST"', ["numA"], ['<output name="band" typeRef="string"/>'],
        [["[numB..numC]", '"between"'], ["< numB", '"below"'], ["-", '"above"']])))
    assert result.ok, problems(result)
    assert result.text is not None
    assert result.text.count("fact numA_minus_numB \"numA - numB\" = numA - numB") == 1
    assert "| numA | numA_minus_numB | numA_minus_numC ||" in result.text
    assert '| -    | >= 0            | <= 0            || "between"' in result.text
    assert '| -    | < 0             | -               || "below"' in result.text


@pytest.mark.parametrize("cell, why", [
    ("< numB, > numC", "is not a simple unary test"),  # an `or` across two columns
    ("not([numB..numC])", "is not a simple unary test"),
    ("[numB..name]", "is not a simple unary test"),  # a text input is no range end
])
def test_what_is_not_one_comparison_or_range_of_numbers_is_still_refused(cell: str, why: str) -> None:
    body = NUMBERS + input_data("name", "string") + table(
        "in", 'hitPolicy="FIRST"', ["numA"], ['<output name="in" typeRef="boolean"/>'],
        [[cell, "true"], ["-", "false"]], type_ref="boolean")
    result = imported(model(body))
    assert result.compilation is None or result.compilation.guideline is None
    assert why in problems(result)
