"""The schema and the generated module judge facts alike: every worked example of the shipped
guidelines is valid, a corpus of broken facts is invalid, and random facts are judged the same,
except where JSON Schema cannot say what the module checks (docs/decision.md, "JSON Schema"):

- a whole number written with a fraction (`3.0`) for an integer input: JSON Schema counts it as
  an integer, the module wants a JSON whole number;
- what the module refuses while reading JSON text, before any schema sees the object: a repeated
  key, NaN and Infinity, a whole number of more than 100 digits.

Rules across inputs are not differences: `exposed includes refractory` adds members, it never
refuses facts, so neither side refuses `exposed` without the refractory drugs.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.schema.support import (
    ALL_TYPES,
    Guideline,
    Modules,
    facts_with_one_field_changed,
    guideline,
    integral_floats_for_integers,
    module_accepts,
    module_accepts_json,
    other_guidelines,
    shipped_guidelines,
    valid_facts,
)

SHIPPED = shipped_guidelines()
GUIDELINES = SHIPPED + other_guidelines()
SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def vignettes() -> list[Any]:
    return [pytest.param(g, example.facts, id=f"{g.name}:{example.name}")
            for g in SHIPPED for example in g.ir.examples]


@pytest.mark.parametrize(("subject", "facts"), vignettes())
def test_every_worked_example_is_valid_both_ways(subject: Guideline, facts: dict[str, Any],
                                                 modules: Modules) -> None:
    assert list(subject.validator.iter_errors(facts)) == []
    assert module_accepts(modules[subject], facts)


def test_the_shipped_guideline_has_its_worked_examples() -> None:
    assert len(vignettes()) >= 30


# ---- broken facts: each is a worked example with one thing wrong -----------------------------

Mutation = Callable[[dict[str, Any]], Any]


def setting(field: str, value: Any) -> Mutation:
    return lambda facts: {**facts, field: value}


def without(field: str) -> Mutation:
    return lambda facts: {k: v for k, v in facts.items() if k != field}


BROKEN: dict[str, Mutation] = {
    "a required input is missing": without("prior_lines"),
    "an unknown key": setting("prior_line", 3),
    "an unknown key that is empty": setting("", 3),
    "null for a required input": setting("t11_14", None),
    "null for an optional input": setting("bcl2_high", None),
    "a number for yes/no": setting("t11_14", 1),
    "text for yes/no": setting("car_t_access", "yes"),
    "yes/no for an integer": setting("prior_lines", True),
    "text for an integer": setting("prior_lines", "3"),
    "a fraction for an integer": setting("prior_lines", 2.5),
    "below the range": setting("prior_lines", -1),
    "above the range": setting("prior_lines", 31),
    "far above the range": setting("prior_lines", 10**120),
    "text for a set": setting("refractory", "daratumumab"),
    "an object for a set": setting("refractory", {"daratumumab": True}),
    "an unknown member": setting("refractory", ["daratumumab", "daratumumb"]),
    "a member twice": setting("exposed", ["lenalidomide", "lenalidomide"]),
    "a member in the wrong case": setting("refractory", ["Daratumumab"]),
    "a number in a set": setting("refractory", [1]),
    "a nested list in a set": setting("refractory", [["daratumumab"]]),
    "null in a set": setting("exposed", [None]),
    "a list, not an object": lambda facts: [facts],
    "text, not an object": lambda facts: "facts",
    "null, not an object": lambda facts: None,
}


@pytest.mark.parametrize("mutation", list(BROKEN.values()), ids=list(BROKEN))
def test_broken_facts_are_invalid_both_ways(mutation: Mutation, modules: Modules) -> None:
    subject = SHIPPED[0]
    facts = mutation(copy.deepcopy(subject.ir.examples[0].facts))
    assert not subject.validator.is_valid(facts)
    assert not module_accepts(modules[subject], facts)


# ---- random facts -------------------------------------------------------------------------------


@pytest.mark.parametrize("subject", GUIDELINES, ids=lambda g: g.name)
def test_random_valid_facts_are_valid_both_ways(subject: Guideline, modules: Modules) -> None:
    @SETTINGS
    @given(valid_facts(subject.ir))
    def check(facts: dict[str, Any]) -> None:
        assert list(subject.validator.iter_errors(facts)) == []
        assert module_accepts(modules[subject], facts)

    check()


@pytest.mark.parametrize("subject", GUIDELINES, ids=lambda g: g.name)
def test_random_valid_facts_with_one_thing_wrong_are_invalid_both_ways(
    subject: Guideline, modules: Modules,
) -> None:
    mutations = [m for name, m in BROKEN.items() if "not an object" in name] + [
        lambda facts: {**facts, "unknown": 1}]

    @SETTINGS
    @given(valid_facts(subject.ir), st.data())
    def check(facts: dict[str, Any], data: st.DataObject) -> None:
        broken = data.draw(st.sampled_from(mutations))(facts)
        assert not subject.validator.is_valid(broken)
        assert not module_accepts(modules[subject], broken)

    check()


@pytest.mark.parametrize("subject", GUIDELINES, ids=lambda g: g.name)
def test_random_facts_are_judged_alike(subject: Guideline, modules: Modules) -> None:
    @SETTINGS
    @given(facts_with_one_field_changed(subject.ir))
    def check(facts: dict[str, Any]) -> None:
        by_schema = subject.validator.is_valid(facts)
        by_module = module_accepts(modules[subject], facts)
        integral = integral_floats_for_integers(subject.ir, facts)
        if integral:  # the one difference on objects: `3.0` for an integer
            assert not by_module
            as_ints = {**facts, **{name: int(facts[name]) for name in integral}}
            assert by_schema == module_accepts(modules[subject], as_ints)
        else:
            assert by_schema == by_module, facts

    check()


# ---- the differences, one by one -------------------------------------------------------------------


def test_a_whole_number_written_as_a_decimal_passes_the_schema_only(modules: Modules) -> None:
    subject = SHIPPED[0]
    facts = {**subject.ir.examples[0].facts, "prior_lines": 3.0}
    assert subject.validator.is_valid(facts)
    assert not module_accepts(modules[subject], facts)


def test_a_repeated_key_passes_the_schema_only(modules: Modules) -> None:
    subject = SHIPPED[0]
    text = json.dumps(subject.ir.examples[0].facts)[:-1] + ', "t11_14": true}'
    assert subject.validator.is_valid(json.loads(text))  # the parser keeps the last value
    assert not module_accepts_json(modules[subject], text)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1" * 101])
def test_numbers_json_does_not_have_pass_the_schema_only(number: str, modules: Modules) -> None:
    """Python's json module reads NaN and Infinity; a schema with no bounds lets them through."""
    subject = guideline("all_types.mmdsl", ALL_TYPES)
    field = "count" if number.isdigit() else "ratio"
    facts = {"flag": True, "count": 1, "lines": 1, "level": 1.0, "ratio": 1.0, "stage": "I",
             "refractory": [], "exposed": []}
    text = json.dumps(facts).replace(f'"{field}": 1' + ("" if field == "count" else ".0"),
                                     f'"{field}": {number}')
    assert number in text
    assert subject.validator.is_valid(json.loads(text))
    assert not module_accepts_json(modules[subject], text)


def test_exposed_without_the_refractory_drugs_is_valid_both_ways(modules: Modules) -> None:
    subject = SHIPPED[0]
    facts = {**subject.ir.examples[0].facts, "refractory": ["daratumumab"], "exposed": []}
    assert subject.validator.is_valid(facts)
    assert module_accepts(modules[subject], facts)
    assert "daratumumab" in modules[subject].validate(facts)["exposed"]
