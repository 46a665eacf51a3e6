"""The Python API: tables held in memory, the same decisions as `mmdsl eval`."""

from __future__ import annotations

from pathlib import Path

import pytest

import mmdsl
from mmdsl.runtime.prelude import InputError

from .conftest import FIXTURES

TRIAGE = FIXTURES / "triage.mmdsl"
PATIENT = {"temperature": 38.4, "age": 40, "symptoms": ["cough"]}


def test_load_a_file_and_evaluate() -> None:
    guideline = mmdsl.load(TRIAGE)
    decision = guideline.evaluate(PATIENT)
    assert guideline.name == "triage"
    assert decision["disposition"]["place"] == "clinic"
    assert [row["leaflet"] for row in decision["advice"]] == ["fluids", "return_if_worse"]


def test_load_text_and_compile_text_agree_with_the_file() -> None:
    text = TRIAGE.read_text(encoding="utf-8")
    from_file = mmdsl.load(TRIAGE).evaluate(PATIENT)
    assert mmdsl.load(text).evaluate(PATIENT) == from_file
    assert mmdsl.compile_text(text, "triage.mmdsl").evaluate(PATIENT) == from_file


def test_evaluate_json_reads_strictly() -> None:
    guideline = mmdsl.load(TRIAGE)
    assert guideline.evaluate_json(b'{"temperature": 38.4, "age": 40, "symptoms": ["cough"]}') \
        == guideline.evaluate(PATIENT)
    with pytest.raises(InputError) as raised:
        guideline.evaluate_json('{"temperature": 38.4, "temperature": 39, "age": 40}')
    assert [e["field"] for e in raised.value.errors] == ["temperature"]


def test_invalid_facts_name_every_field() -> None:
    with pytest.raises(InputError) as raised:
        mmdsl.load(TRIAGE).evaluate({"temperature": True, "symptoms": "cough"})
    assert [e["field"] for e in raised.value.errors] == ["temperature", "age", "symptoms"]


def test_tables_with_errors_raise_with_their_diagnostics() -> None:
    with pytest.raises(mmdsl.CompileError) as raised:
        mmdsl.compile_text('guideline g "G"\ninput age integer\n', "g.mmdsl")
    assert [d.code for d in raised.value.diagnostics] == ["MD100"]
    assert "g.mmdsl:2:" in str(raised.value)


def test_a_missing_file_is_a_compile_error(tmp_path: Path) -> None:
    with pytest.raises(mmdsl.CompileError) as raised:
        mmdsl.load(tmp_path / "nowhere.mmdsl")
    assert [d.code for d in raised.value.diagnostics] == ["MD106"]


def test_unknown_attributes_of_the_package_are_errors() -> None:
    with pytest.raises(AttributeError):
        mmdsl.nothing_here  # noqa: B018
