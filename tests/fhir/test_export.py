"""`mmdsl export --to fhir`: Questionnaire, PlanDefinition and Library, valid FHIR R4 (checked
with fhir.resources' R4B models: the package's default models are FHIR R5)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.library import Library
from fhir.resources.R4B.plandefinition import PlanDefinition
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

import mmdsl
from mmdsl.cli import main
from tests.fhir.support import MYELOMA, export_fhir, response_to

MODELS = {"Questionnaire": Questionnaire, "PlanDefinition": PlanDefinition, "Library": Library}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    return export_fhir(MYELOMA, tmp_path_factory.mktemp("fhir"))


@pytest.fixture(scope="module")
def guideline() -> mmdsl.Guideline:
    return mmdsl.load(MYELOMA)


def test_the_three_resources_are_valid_fhir_r4(exported: dict[str, dict[str, Any]]) -> None:
    assert sorted(exported) == sorted(MODELS)
    for kind, model in MODELS.items():
        model.model_validate(exported[kind])  # raises on any invalid element


def test_the_validation_would_catch_a_wrong_resource(exported: dict[str, dict[str, Any]]) -> None:
    broken = json.loads(json.dumps(exported["Questionnaire"]))
    broken["item"][0]["required"] = "sometimes"
    with pytest.raises(ValueError):
        Questionnaire.model_validate(broken)


def test_one_item_per_input_with_type_options_range_unit(exported: dict[str, dict[str, Any]],
                                                          guideline: mmdsl.Guideline) -> None:
    items = {item["linkId"]: item for item in exported["Questionnaire"]["item"]}
    assert list(items) == [i.name for i in guideline.ir.inputs]
    prior = items["prior_lines"]
    assert (prior["type"], prior["required"], prior["text"]) == ("integer", True, "prior lines of therapy")
    extensions = {e["url"].rsplit("/", 1)[-1]: e for e in prior["extension"]}
    assert extensions["minValue"]["valueInteger"] == 0 and extensions["maxValue"]["valueInteger"] == 30
    assert extensions["questionnaire-unit"]["valueCoding"]["display"] == "lines"
    refractory = items["refractory"]
    assert (refractory["type"], refractory["repeats"]) == ("choice", True)
    drug = next(i for i in guideline.ir.inputs if i.name == "refractory").type
    assert [o["valueCoding"]["code"] for o in refractory["answerOption"]] == list(drug.members)
    assert items["car_t_access"]["type"] == "boolean"
    optional = items["bcl2_high"]
    assert optional["required"] is False and optional["initial"] == [{"valueBoolean": False}]


def test_one_action_per_rule_with_words_evidence_and_caveats(exported: dict[str, dict[str, Any]],
                                                             guideline: mmdsl.Guideline) -> None:
    plan = exported["PlanDefinition"]
    (table,) = guideline.ir.tables
    (group,) = plan["action"]
    assert [a["id"] for a in group["action"]] == [f"{table.name}.{r.name}" for r in table.rules]
    assert "daratumumab" in group["condition"][0]["expression"]["description"]  # the scope
    for action, rule in zip(group["action"], table.rules, strict=True):
        condition = action["condition"][0]["expression"]
        assert condition["expression"] == rule.why
        assert condition["description"]  # in words
        cited = [d["display"] for d in action.get("documentation", []) if d["type"] == "citation"]
        assert cited == list(rule.evidence)
        caveats = [d["display"] for d in action.get("documentation", []) if d["type"] == "documentation"]
        assert [c.split(" (ref")[0] for c in caveats] == list(rule.caveats)
    first = group["action"][0]
    assert first["title"] == "ide-cel (tier preferred)"
    assert "“refractory to a PI, an IMiD and an anti-CD38 antibody”" in first["textEquivalent"]


def test_the_library_carries_the_source(exported: dict[str, dict[str, Any]]) -> None:
    (content,) = exported["Library"]["content"]
    assert content["contentType"] == "text/x-mmdsl"
    assert base64.b64decode(content["data"]) == MYELOMA.read_bytes()
    assert exported["PlanDefinition"]["library"] == [exported["Library"]["url"]]


def test_the_output_is_deterministic(tmp_path: Path) -> None:
    first = export_fhir(MYELOMA, tmp_path / "a")
    assert first == export_fhir(MYELOMA, tmp_path / "b")
    texts = [p.read_bytes() for p in sorted((tmp_path / "a").iterdir())]
    assert texts == [p.read_bytes() for p in sorted((tmp_path / "b").iterdir())]


def test_standard_output_is_one_bundle() -> None:
    result = CliRunner().invoke(main, ["export", "--to", "fhir", str(MYELOMA)])
    assert result.exit_code == 0, result.output
    bundle = Bundle.model_validate_json(result.stdout)
    assert [e.resource.get_resource_type() for e in bundle.entry] == list(MODELS)


def test_base_url_names_the_resources(tmp_path: Path) -> None:
    exported = export_fhir(MYELOMA, tmp_path, "--base-url", "https://fhir.hospital.test/r4")
    assert exported["Questionnaire"]["url"] == \
        "https://fhir.hospital.test/r4/Questionnaire/myeloma-post-daratumumab"


def test_a_response_round_trip_gives_the_same_decision(exported: dict[str, dict[str, Any]],
                                                       guideline: mmdsl.Guideline) -> None:
    from mmdsl.fhir.response import facts_from_response

    for example in guideline.ir.examples:
        response = response_to(exported["Questionnaire"], example.facts)
        QuestionnaireResponse.model_validate(response)
        facts = facts_from_response(guideline.ir, response)
        assert guideline.evaluate(facts) == guideline.evaluate(example.facts), example.name
