"""Checking facts: every kind of invalid fact, reported at once, in a fixed order, both ways."""

from __future__ import annotations

import math
import pickle
from functools import cache
from typing import Any

import pytest

from mmdsl.ir.model import IRGuideline
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.prelude import InputError, validate_facts
from tests.backend.support import Evaluate, compile_text

SOURCE = """\
guideline checked "Checked"
enum drug "drugs" = daratumumab, bortezomib, carfilzomib
enum colour "colours" = red, green
input lines: integer 0..30 "prior lines"
input dose: decimal 0.5..10.0 "a dose"
input fit: yes/no "fit"
input note: text "a note"
input colour: one of colour "a colour"
input refractory: set of drug "refractory to"
input exposed: set of drug includes refractory "exposed to"
input frail: yes/no default no "frail"
input extra: set of drug default bortezomib "extra drugs"
"""

VALID: dict[str, Any] = {"lines": 3, "dose": 2.5, "fit": True, "note": "x", "colour": "red",
                         "refractory": ["daratumumab"], "exposed": []}


@cache
def guideline() -> IRGuideline:
    return compile_text(SOURCE)


def problems(evaluate: Evaluate, facts: object) -> list[dict[str, str]]:
    # a generated module raises its own InputError (the prelude's class, embedded in it)
    with pytest.raises(ValueError) as caught:
        evaluate(guideline(), facts)
    assert type(caught.value).__name__ == "InputError"
    errors: list[dict[str, str]] = caught.value.errors  # type: ignore[attr-defined]
    return errors


def problem_with(evaluate: Evaluate, **changes: Any) -> str:
    """The one message for facts that are valid but for `changes`."""
    errors = problems(evaluate, VALID | changes)
    assert len(errors) == 1, errors
    return f"{errors[0]['field']}: {errors[0]['message']}"


def test_valid_facts_evaluate(evaluate: Evaluate) -> None:
    assert evaluate(guideline(), VALID)["status"] == "ok"


def test_facts_must_be_an_object(evaluate: Evaluate) -> None:
    assert problems(evaluate, [VALID]) == [
        {"field": "$", "message": "expected an object of facts, got a list"}]


def test_every_problem_at_once_in_a_fixed_order(evaluate: Evaluate) -> None:
    facts = {"qqq": 1, "colur": "red", 7: "x", "fit": 1, "lines": "3", "refractory": ["dara"],
             "dose": 2.5, "note": "n", "exposed": []}
    assert problems(evaluate, facts) == [
        {"field": "$", "message": "every key must be text, got 7"},
        {"field": "lines", "message": 'expected a whole number from 0 to 30, got "3"'},
        {"field": "fit", "message": "expected true or false, got 1"},
        {"field": "colour", "message": "required field is missing"},
        {"field": "refractory[0]", "message":
         'expected one of daratumumab, bortezomib, carfilzomib, got "dara"'},
        {"field": "colur", "message": "unknown field; did you mean `colour`?"},
        {"field": "qqq", "message": "unknown field"},
    ]


@pytest.mark.parametrize(("changes", "message"), [
    ({"lines": True}, "lines: expected a whole number from 0 to 30, got true"),
    ({"lines": 3.0}, "lines: expected a whole number from 0 to 30, got 3.0"),
    ({"lines": 31}, "lines: expected a whole number from 0 to 30, got 31"),
    ({"lines": -1}, "lines: expected a whole number from 0 to 30, got -1"),
    ({"lines": None}, "lines: expected a whole number from 0 to 30, got null"),
    ({"dose": True}, "dose: expected a number from 0.5 to 10, got true"),  # True == 1 fits
    ({"dose": "2.5"}, 'dose: expected a number from 0.5 to 10, got "2.5"'),
    ({"dose": 10.01}, "dose: expected a number from 0.5 to 10, got 10.01"),
    ({"dose": math.nan}, "dose: expected a number from 0.5 to 10, got NaN"),
    ({"dose": math.inf}, "dose: expected a number from 0.5 to 10, got Infinity"),
    ({"dose": 10 ** 400}, "dose: expected a number from 0.5 to 10, got a very large number"),
    ({"fit": 0}, "fit: expected true or false, got 0"),
    ({"fit": "yes"}, 'fit: expected true or false, got "yes"'),
    ({"note": 3}, "note: expected text, got 3"),
    ({"colour": "gren"}, 'colour: expected one of red, green, got "gren"; did you mean `green`?'),
    ({"colour": 1}, "colour: expected one of red, green, got 1"),
    ({"refractory": "daratumumab"}, 'refractory: expected a list, got "daratumumab"'),
    ({"refractory": ("daratumumab",)}, "refractory: expected a list, got a value of type tuple"),
    ({"refractory": ["bortezomib", "bortezomib"]},
     'refractory[1]: "bortezomib" is listed more than once'),
    ({"refractory": [["bortezomib"]]},
     "refractory[0]: expected one of daratumumab, bortezomib, carfilzomib, got a list"),
    ({"exposed": ["bortezomb"]}, "exposed[0]: expected one of daratumumab, bortezomib, "
                                 'carfilzomib, got "bortezomb"; did you mean `bortezomib`?'),
])
def test_each_kind_of_invalid_fact(evaluate: Evaluate, changes: dict[str, Any],
                                   message: str) -> None:
    assert problem_with(evaluate, **changes) == message


def test_a_required_input_must_be_given(evaluate: Evaluate) -> None:
    facts = {key: value for key, value in VALID.items() if key != "exposed"}
    assert problems(evaluate, facts) == [
        {"field": "exposed", "message": "required field is missing"}]


def test_a_decimal_accepts_whole_numbers_and_the_bounds(evaluate: Evaluate) -> None:
    for dose in (1, 0.5, 10, 10.0):
        assert evaluate(guideline(), VALID | {"dose": dose})["status"] == "ok"


def test_defaults_and_included_members_are_filled_in() -> None:
    values = validate_facts(VALID | {"exposed": ["bortezomib"]}, input_fields(guideline().inputs))
    assert values["frail"] is False
    assert values["extra"] == frozenset({"bortezomib"})
    assert values["refractory"] == frozenset({"daratumumab"})
    assert values["exposed"] == frozenset({"daratumumab", "bortezomib"})  # includes refractory
    assert values["dose"] == 2.5 and type(values["dose"]) is float


def test_a_whole_number_for_a_decimal_becomes_a_float() -> None:
    values = validate_facts(VALID | {"dose": 3}, input_fields(guideline().inputs))
    assert type(values["dose"]) is float


def test_input_error_prints_one_line_per_problem() -> None:
    error = InputError([{"field": "a\nb", "message": "bad\u2028value"},
                        {"field": "c", "message": "missing"}])
    assert str(error).splitlines() == ["a\\nb: bad\\u2028value", "c: missing"]
    assert isinstance(error, ValueError)


def test_input_error_survives_pickling() -> None:
    error = InputError([{"field": "a", "message": "bad"}])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.errors == error.errors and str(copy) == str(error)
