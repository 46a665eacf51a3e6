"""Comparing an example's expectation with a decision (mmdsl/examples.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mmdsl.examples import run_file_examples, same_value, shown_value
from mmdsl.ir.model import JsonValue
from mmdsl.pipeline import compile_path

from .conftest import FIXTURES


@pytest.mark.parametrize(("expected", "actual"), [
    ("IsaPd", "IsaPd"), (3, 3.0), (True, True), (["a", "b"], ["a", "b"]),
    ([], None), (None, None), (["a"], "a"), ([], []),
])
def test_values_that_match(expected: JsonValue, actual: JsonValue) -> None:
    assert same_value(expected, actual)


@pytest.mark.parametrize(("expected", "actual"), [
    (True, 1), (1, True), (False, 0), ("3", 3), (["a", "b"], ["b", "a"]), (["a"], ["a", "a"]),
    (None, "a"), ([], "a"), (["a"], None), ([True], [1]),
])
def test_values_that_differ(expected: JsonValue, actual: JsonValue) -> None:
    assert not same_value(expected, actual)


@pytest.mark.parametrize(("value", "shown"), [
    (None, "none"), ([], "none"), (True, "yes"), (False, "no"), (["IsaPd", "cilta-cel"],
    "IsaPd, cilta-cel"), (2.5, "2.5"), ("two words", '"two words"'), ({"a": 1}, '{"a": 1}'),
])
def test_values_are_shown_as_authors_write_them(value: JsonValue, shown: str) -> None:
    assert shown_value(value) == shown


def test_an_example_with_invalid_facts_fails_and_names_the_fields() -> None:
    compilation = compile_path(FIXTURES / "triage.mmdsl", "triage.mmdsl")
    assert compilation.guideline is not None
    example = replace(compilation.guideline.examples[0], facts={"age": 300, "colour": "red"})
    report = run_file_examples(replace(compilation.guideline, examples=(example,)))
    assert len(report.failed) == 1
    assert [f.message for f in report.failures] == [
        "triage.mmdsl:42: example meningitis: invalid facts: temperature: required field is missing",
        "triage.mmdsl:42: example meningitis: invalid facts: age: expected a whole number from 0 "
        "to 120, got 300",
        "triage.mmdsl:42: example meningitis: invalid facts: symptoms: required field is missing",
        "triage.mmdsl:42: example meningitis: invalid facts: colour: unknown field",
    ]
