"""The JSON Schema of a guideline's facts: valid draft 2020-12, every input described, committed
for the shipped guideline and fresh, the same bytes every time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mmdsl.backends.schema.facts import render_schema
from mmdsl.pipeline import compile_path
from tests.schema.support import (
    ALL_TYPES,
    ROOT,
    Guideline,
    guideline,
    other_guidelines,
    shipped_guidelines,
)

GUIDELINES = shipped_guidelines() + other_guidelines()
MYELOMA = Path("tables/myeloma_post_daratumumab.mmdsl")


@pytest.mark.parametrize("subject", GUIDELINES, ids=lambda g: g.name)
def test_the_schema_is_valid_json_schema_2020_12(subject: Guideline) -> None:
    assert subject.schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(subject.schema)


def test_the_committed_schema_of_the_shipped_guideline_is_fresh() -> None:
    compilation = compile_path(ROOT / MYELOMA, MYELOMA.name)  # generated files name the file alone
    assert compilation.guideline is not None
    committed = ROOT / "generated" / "myeloma_post_daratumumab.schema.json"
    assert committed.read_text("utf-8") == render_schema(compilation.guideline), (
        "run `mmdsl compile tables/ -o generated/`")


def test_every_input_is_a_property_in_declared_order() -> None:
    subject = guideline("all_types.mmdsl", ALL_TYPES)
    assert list(subject.schema["properties"]) == [i.name for i in subject.ir.inputs]
    assert subject.schema["required"] == ["flag", "count", "lines", "level", "ratio", "stage",
                                          "refractory", "exposed"]
    assert subject.schema["additionalProperties"] is False
    assert subject.schema["type"] == "object"


def test_each_type_maps_to_its_json_schema() -> None:
    properties = guideline("all_types.mmdsl", ALL_TYPES).schema["properties"]
    assert properties["flag"] == {"description": "a flag", "type": "boolean"}
    assert properties["count"] == {"description": "a count with no bounds", "type": "integer"}
    assert properties["lines"] == {"description": "prior lines; unit: lines", "type": "integer",
                                   "minimum": 0, "maximum": 30}
    assert properties["level"] == {"description": "a level; unit: mg/dL", "type": "number",
                                   "minimum": 0.5, "maximum": 2.5}
    assert properties["note"] == {"description": "a note", "type": "string", "default": ""}
    assert properties["stage"] == {"description": "a stage written in place", "type": "string",
                                   "enum": ["I", "II", "III"]}
    assert properties["drug"] == {"type": "string", "enum": ["a", "b", "c"], "default": "a"}
    assert properties["taken"] == {
        "description": "drugs taken", "type": "array",
        "items": {"type": "string", "enum": ["a", "b", "c"]}, "uniqueItems": True, "default": []}
    assert properties["exposed"]["description"] == (
        "drugs received; every member of refractory is added to it before the rules are read")
    assert properties["bold"] == {"type": "boolean", "default": True}


def test_the_shipped_schema_says_what_the_guideline_reads() -> None:
    schema = shipped_guidelines()[0].schema
    assert schema["title"] == ("Patient facts: Treatment of refractory multiple myeloma "
                               "post-daratumumab")
    assert "out_of_scope" in schema["description"]
    assert "tables/myeloma_post_daratumumab.mmdsl" in schema["$comment"]
    assert schema["properties"]["prior_lines"] == {
        "description": "prior lines of therapy; unit: lines", "type": "integer",
        "minimum": 0, "maximum": 30}
    assert schema["properties"]["bcl2_high"]["default"] is False
    assert schema["required"] == ["prior_lines", "refractory", "exposed", "t11_14",
                                  "car_t_access"]


@pytest.mark.parametrize("subject", GUIDELINES, ids=lambda g: g.name)
def test_the_text_is_deterministic_json_with_two_space_indentation(subject: Guideline) -> None:
    text = render_schema(subject.ir)
    assert text == render_schema(subject.ir)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
