"""FEEL arithmetic literal expressions to mmdsl computed facts (mmdsl/dmn/arithmetic.py)."""

from __future__ import annotations

import re

import pytest

from mmdsl.frontends.dmn import feel
from mmdsl.frontends.dmn.arithmetic import ArithmeticProblem, translate_arithmetic

NUMBERS = {"Monthly Salary": "Monthly_Salary", "rate": "rate", "loan.rate": "loan_rate"}


def resolve(name: str, offset: int) -> str:
    if name not in NUMBERS:
        raise ArithmeticProblem(f"`{name}` is not a number", offset)
    return NUMBERS[name]


def written(text: str) -> str:
    return translate_arithmetic(text, feel.NameIndex(NUMBERS), resolve, 15)


@pytest.mark.parametrize(("feel_text", "mmdsl"), [
    ("12 * Monthly Salary", "12 * Monthly_Salary"),
    (".872", "0.872"),
    ("-.872", "(-0.872)"),
    ("10+5", "10 + 5"),
    ("-10--5", "(-10) - (-5)"),
    ("(10+20)-(-5+3)", "(10 + 20) - ((-5) + 3)"),
    ("5+2**5+3", "(5 + (2 ** 5)) + 3"),  # ** first, then left to right
    ("10 + 20 / (-5 - 3)", "10 + (20 / ((-5) - 3))"),
    ("1.2*10**3", "1.2 * (10 ** 3)"),
    ("(5+2)**5", "(5 + 2) ** 5"),
    ("5+2**(5+3)", "5 + (2 ** 8)"),  # a constant exponent as its value
    ("-rate", "(-rate)"),
    ("loan.rate / 12", "loan_rate / 12"),
])
def test_feel_arithmetic_is_written_with_every_operation_bracketed(feel_text: str,
                                                                    mmdsl: str) -> None:
    assert written(feel_text) == mmdsl


@pytest.mark.parametrize(("feel_text", "reason"), [
    ("10 + null", "`null` in arithmetic"),
    ("(10+20)/0", "a division by zero"),
    ("10 / (5 - 5)", "a division by zero"),
    ("max(rate, 2)", "the function `max(...)`"),
    ('"a" + rate', "a string"),
    ("-10 ** 2", "write the brackets"),
    ("10**-5", "the power `** (-5)`"),
    ("2 ** rate", "exponent is a whole number"),
    ("2 ** 11", "exponent is a whole number"),
    ("Yearly Salary * 2", "`Yearly` is not a number"),
    ("1 +", "expected a number, a name or `(`"),
    ("1234567890.1234567", "more than 15 digits"),
])
def test_what_has_no_mmdsl_equivalent_is_refused_with_the_reason(feel_text: str,
                                                                 reason: str) -> None:
    with pytest.raises(ArithmeticProblem, match=re.escape(reason)):
        written(feel_text)


def test_a_number_decision_is_imported_as_a_computed_fact() -> None:
    from tests.dmn.support import imported, input_data, model

    body = input_data("Monthly Salary", "number") + (
        '<decision id="d_y" name="Yearly Salary"><variable name="Yearly Salary" typeRef="number"/>'
        "<literalExpression><text>12 * Monthly Salary</text></literalExpression></decision>")
    result = imported(model(body))
    from mmdsl.frontends.dmn.arithmetic import computed_facts_parse

    if not computed_facts_parse():  # until the language has computed facts (issue 18 item 2)
        assert [d.code for d in result.all_diagnostics] == ["MD702"]
        assert "has no computed facts" in result.all_diagnostics[0].message
        return
    assert result.text is not None
    assert 'fact Yearly_Salary "Yearly Salary" = 12 * Monthly_Salary' in result.text
    assert result.translation.decisions["Yearly Salary"].result == "computed"
