"""FEEL arithmetic literal expressions to mmdsl computed facts (mmdsl/frontends/dmn/arithmetic.py)."""

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


def condition(text: str, offset: int) -> str:
    if text not in ("flag", "rate > 2"):
        raise ArithmeticProblem(f"`{text}` is not a condition", offset)
    return text


def written(text: str) -> str:
    return translate_arithmetic(text, feel.NameIndex(NUMBERS), resolve, 15, condition)


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
    ("(if flag then 1 else 0) + 2", "(if flag then 1 else 0) + 2"),
    ("if flag then 1 else 0 + 2", "if flag then 1 else (0 + 2)"),  # `else` takes all after it
    ("if rate > 2 then 2 else (if flag then 1 else 0)",
     "if rate > 2 then 2 else (if flag then 1 else 0)"),
    ("-rate", "(-rate)"),
    ("loan.rate / 12", "loan_rate / 12"),
    ("10**-5", "10 ** (-5)"),  # a negative whole exponent
    ("2 ** 11", "2 ** 11"),
    ("2 ** -rate", "2 ** (-rate)"),  # a name: the compiler checks it over its range (MD319)
    ("10 + null", "10 + unknown"),  # FEEL's null: mmdsl's unknown number
    ("null / rate", "unknown / rate"),
    ("-null", "(-unknown)"),
    ("(10+20)/0", "unknown"),  # a division by a constant zero is null in FEEL
    ("rate + 10 / (5 - 5)", "rate + unknown"),
])
def test_feel_arithmetic_is_written_with_every_operation_bracketed(feel_text: str,
                                                                    mmdsl: str) -> None:
    assert written(feel_text) == mmdsl


@pytest.mark.parametrize(("feel_text", "reason"), [
    ("max(rate, 2)", "the function `max(...)`"),
    ('"a" + rate', "a string"),
    ("-10 ** 2", "write the brackets"),
    ("2 ** 0.5", "the power `** 0.5`: mmdsl's exponent is a whole number from -1000 to 1000"),
    ("2 ** (1000 + 1)", "the power `** 1001`"),
    ("Yearly Salary * 2", "`Yearly` is not a number"),
    ("1 +", "expected a number, a name or `(`"),
    ("1234567890.1234567", "more than 15 digits"),
    ("if other then 1 else 0", "`other` is not a condition"),
    ("if flag then 1", "expected `else`"),
    ("if flag 1 else 2", "expected `then`"),
])
def test_what_has_no_mmdsl_equivalent_is_refused_with_the_reason(feel_text: str,
                                                                 reason: str) -> None:
    with pytest.raises(ArithmeticProblem, match=re.escape(reason)):
        written(feel_text)


def test_an_exponent_read_from_a_decimal_input_is_the_compilers_md319() -> None:
    from tests.dmn.support import imported, input_data, model

    body = input_data("n", "number") + (
        '<decision id="d_y" name="y"><variable name="y" typeRef="number"/>'
        "<literalExpression><text>2 ** -n</text></literalExpression></decision>")
    result = imported(model(body))
    assert not result.ok
    assert any(d.code == "MD319" and "the exponent `n` is a decimal" in d.message
               for d in result.all_diagnostics), result.all_diagnostics


def test_a_number_decision_is_imported_as_a_computed_fact() -> None:
    from tests.dmn.support import imported, input_data, model

    body = input_data("Monthly Salary", "number") + (
        '<decision id="d_y" name="Yearly Salary"><variable name="Yearly Salary" typeRef="number"/>'
        "<literalExpression><text>12 * Monthly Salary</text></literalExpression></decision>")
    result = imported(model(body))
    assert result.text is not None
    assert 'fact Yearly_Salary "Yearly Salary" = 12 * Monthly_Salary' in result.text
    assert result.translation.decisions["Yearly Salary"].result == "computed"
    assert result.ok
    from tests.dmn.support import decide

    assert decide(result, {"Monthly_Salary": 1000.5})["derived"]["Yearly_Salary"] == 12006


def test_an_exported_score_with_if_imports_back() -> None:
    from tests.dmn.support import decide, imported, input_data, model

    body = input_data("Age", "number") + input_data("Smoker", "boolean") + (
        '<decision id="d_s" name="Score"><variable name="Score" typeRef="number"/>'
        "<literalExpression><text>(if Age &gt;= 65 then 2 else 0) + (if Smoker then 1 else 0)"
        "</text></literalExpression></decision>")
    result = imported(model(body))
    assert result.ok, result.all_diagnostics
    assert result.text is not None
    assert "fact Score = (if Age >= 65 then 2 else 0) + (if Smoker then 1 else 0)" \
        in result.text.replace(' "Score"', "")
    assert decide(result, {"Age": 70, "Smoker": True})["derived"]["Score"] == 3
    assert decide(result, {"Age": 40, "Smoker": False})["derived"]["Score"] == 0


# ---- knowledge models whose logic is a literal expression, called in FEEL -----------------------


def formula(name: str, parameters: list[str], body: str) -> str:
    declared = "".join(f'<formalParameter name="{p}" typeRef="number"/>' for p in parameters)
    return (f'<businessKnowledgeModel id="b_{name}" name="{name}"><variable name="{name}"/>'
            f"<encapsulatedLogic>{declared}<literalExpression><text>{body}</text>"
            "</literalExpression></encapsulatedLogic></businessKnowledgeModel>")


def calling(name: str, text: str, *called: str) -> str:
    required = "".join(f'<knowledgeRequirement><requiredKnowledge href="#b_{c}"/>'
                       "</knowledgeRequirement>" for c in called)
    return (f'<decision id="d_{name}" name="{name}"><variable name="{name}" typeRef="number"/>'
            f"{required}<literalExpression><text>{text}</text></literalExpression></decision>")


def test_a_knowledge_model_called_in_feel_is_inlined_with_its_arguments() -> None:
    from tests.dmn.support import decide, imported, input_data, model

    body = (input_data("Weight", "number") + input_data("Height", "number")
            + formula("Scaled", ["w", "h"], "w * (h + 1) / 2")
            + formula("Twice", ["x"], "Scaled(x, 0) + x")
            + calling("Score", "Twice(Weight - 1) + Scaled(Weight, Height * Height)",
                      "Twice", "Scaled"))
    result = imported(model(body))
    assert result.ok, result.all_diagnostics
    assert result.text is not None
    assert "= ((((Weight - 1) * (0 + 1)) / 2) + (Weight - 1)) + ((Weight * ((Height * Height) " \
        "+ 1)) / 2)" in result.text
    derived = decide(result, {"Weight": 5, "Height": 3})["derived"]["Score"]
    assert derived == (4 * 1 / 2 + 4) + (5 * 10 / 2)


@pytest.mark.parametrize(("formulas", "text", "reason"), [
    (formula("F", ["x"], "x * 2"), "F(Weight, Weight)", "`F` has 1 parameter; the call gives 2"),
    (formula("F", ["x"], "x * Weight"), "F(Weight)", "`Weight` is not one of its parameters"),
    (formula("F", ["x"], "F(x) + 1"), "F(Weight)", "`F` calls itself"),
    (formula("F", ["x"], "if x &gt; 1 then 1 else 0"), "F(Weight)", "`if` in a computed number"),
])
def test_a_knowledge_model_that_cannot_be_inlined_is_refused_with_the_reason(
        formulas: str, text: str, reason: str) -> None:
    from tests.dmn.support import imported, input_data, model

    result = imported(model(input_data("Weight", "number") + formulas
                            + calling("Score", text, "F")))
    assert not result.ok
    assert any(d.code == "MD703" and reason in d.message for d in result.all_diagnostics), \
        result.all_diagnostics
