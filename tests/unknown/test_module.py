"""The generated module against the interpreter on random patients, nulls included."""

from __future__ import annotations

from pathlib import Path

from mmdsl.interpreter import evaluate
from tests.backend.support import compile_text, load_module, write_module
from tests.unknown.support import LDH, random_patients


def test_module_agrees_with_interpreter_on_nulls(tmp_path: Path) -> None:
    guideline = compile_text(LDH)
    module = load_module(write_module(guideline, tmp_path))
    nulls = 0
    for facts in random_patients(guideline, 3000, seed=18):
        nulls += any(value is None for value in facts.values())
        assert module.evaluate(facts) == evaluate(guideline, facts), facts
    assert nulls > 1000


def test_kleene_values() -> None:
    guideline = compile_text(LDH)
    base = {"ldh": None, "stage": "I", "bulky": False, "fit": True, "age": 50}
    decision = evaluate(guideline, base)
    assert decision["derived"]["high_ldh"] is None  # unknown > 250
    assert decision["derived"]["high_risk"] is None  # unknown or false
    assert decision["derived"]["low_risk"] is None  # not unknown and true and true
    assert decision["derived"]["no_ldh"] is True
    assert decision["plan"]["arm"] == "measure_ldh"
    third = evaluate(guideline, {**base, "stage": "III", "bulky": True})
    assert third["derived"]["high_risk"] is True  # unknown or true
    assert third["derived"]["low_risk"] is False  # ... and false
    assert third["plan"]["arm"] == "intensive"
    # `not yes` holds on a known no, never on an unknown value
    assert evaluate(guideline, {**base, "bulky": None})["plan"] is None
    assert evaluate(guideline, {**base, "bulky": False})["plan"]["arm"] == "measure_ldh"
    known = evaluate(guideline, {**base, "ldh": 100})
    assert known["derived"]["low_risk"] is True
    assert known["plan"]["arm"] == "standard"
