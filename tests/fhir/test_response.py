"""Facts from a QuestionnaireResponse: `mmdsl eval --facts` reads one; one that does not answer
the Questionnaire gets every problem, each naming its item."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import mmdsl
from mmdsl.cli import main
from mmdsl.fhir.response import facts_from_response
from mmdsl.runtime.prelude import InputError
from tests.fhir.support import MYELOMA, export_fhir, response_to

PATIENT = {"prior_lines": 5, "exposed": ["lenalidomide", "bortezomib"],
           "refractory": ["daratumumab", "pomalidomide", "carfilzomib"], "t11_14": False,
           "car_t_access": True}


@pytest.fixture(scope="module")
def questionnaire(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return export_fhir(MYELOMA, tmp_path_factory.mktemp("fhir"))["Questionnaire"]


@pytest.fixture(scope="module")
def guideline() -> mmdsl.Guideline:
    return mmdsl.load(MYELOMA)


def problems(guideline: mmdsl.Guideline, response: dict[str, Any]) -> list[dict[str, str]]:
    with pytest.raises(InputError) as raised:
        facts_from_response(guideline.ir, response)
    return raised.value.errors


def test_mmdsl_eval_reads_a_response_as_it_reads_the_facts(tmp_path: Path,
                                                            questionnaire: dict[str, Any]) -> None:
    (tmp_path / "facts.json").write_text(json.dumps(PATIENT), "utf-8")
    (tmp_path / "response.json").write_text(json.dumps(response_to(questionnaire, PATIENT)), "utf-8")
    runs = [CliRunner().invoke(main, ["eval", str(MYELOMA), "--facts", str(tmp_path / name)])
            for name in ("facts.json", "response.json")]
    assert [r.exit_code for r in runs] == [0, 0]
    assert runs[0].stdout_bytes == runs[1].stdout_bytes


def test_every_item_that_is_wrong_is_named(guideline: mmdsl.Guideline,
                                           questionnaire: dict[str, Any]) -> None:
    response = response_to(questionnaire, PATIENT)
    response["item"] = [
        {"linkId": "prior_lines", "answer": [{"valueString": "five"}]},
        {"linkId": "refractory", "answer": [{"valueCoding": {"code": "daratumumab"}},
                                            {"valueCoding": {"code": "pomalidomid"}}]},
        {"linkId": "age", "answer": [{"valueInteger": 70}]},
        {"linkId": "car_t_access", "answer": [{"valueBoolean": True}, {"valueBoolean": False}]},
    ]
    found = problems(guideline, response)
    assert [p["field"] for p in found] == ["prior_lines", "age", "car_t_access", "refractory[1]", "t11_14"]
    messages = {p["field"]: p["message"] for p in found}
    assert messages["prior_lines"] == "expected an answer with valueInteger, got valueString"
    assert messages["age"] == "this item is not in the guideline's Questionnaire"
    assert messages["car_t_access"] == "expected one answer, got 2"
    assert "did you mean `pomalidomide`" in messages["refractory[1]"]
    assert messages["t11_14"] == "required item is not answered"


def test_a_response_to_another_questionnaire_or_version_is_refused(guideline: mmdsl.Guideline,
                                                                   questionnaire: dict[str, Any]) -> None:
    response = response_to(questionnaire, PATIENT)
    response["questionnaire"] = "https://example.org/Questionnaire/phq-9"
    assert [p["field"] for p in problems(guideline, response)] == ["questionnaire"]
    response["questionnaire"] = questionnaire["url"] + "|0.9.0"
    (problem,) = problems(guideline, response)
    assert "version 0.9.0" in problem["message"]


def test_an_unticked_checklist_means_none_and_groups_are_read(guideline: mmdsl.Guideline,
                                                              questionnaire: dict[str, Any]) -> None:
    response = response_to(questionnaire, {**PATIENT, "exposed": []})
    response["item"] = [{"linkId": "group", "item": response["item"]}]
    facts = facts_from_response(guideline.ir, response)
    assert facts["exposed"] == [] and facts["prior_lines"] == 5


@pytest.mark.parametrize("items", [
    "not a list", [5], [{"linkId": 3}], [{"linkId": "t11_14", "answer": "yes"}],
    [{"linkId": "t11_14", "answer": [{"valueBoolean": True, "valueString": "x"}]}],
    [{"linkId": "refractory", "answer": [{"valueCoding": "daratumumab"}]}]])
def test_malformed_items_are_problems_not_crashes(guideline: mmdsl.Guideline, items: object) -> None:
    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}
    assert problems(guideline, response)


UNKNOWN_ALLOWED = """guideline w "W"
input ldh: integer 0..5000 or unknown "LDH"
input bulky: yes/no or unknown "bulky disease"
input stage: integer 1..3 "stage"
fact high "high risk" = ldh > 250 or bulky
table T "T"
  hit first
  output o: text "o"
  | high || o |
  | yes || "high" |
  | no || "low" |
  | unknown || "unknown" |
"""


def test_a_question_that_may_be_unknown_is_optional_and_unanswered_means_unknown(
        tmp_path: Path) -> None:
    table = tmp_path / "w.mmdsl"
    table.write_text(UNKNOWN_ALLOWED, "utf-8")
    questionnaire = export_fhir(table, tmp_path / "fhir")["Questionnaire"]
    required = {q["linkId"]: q["required"] for q in questionnaire["item"]}
    assert required == {"ldh": False, "bulky": False, "stage": True}
    guideline = mmdsl.load(table)
    facts = facts_from_response(guideline.ir, response_to(questionnaire, {"stage": 2}))
    assert facts == {"stage": 2, "ldh": None, "bulky": None}
    assert guideline.evaluate(facts)["T"]["o"] == "unknown"
    facts = facts_from_response(guideline.ir, response_to(questionnaire, {"stage": 2,
                                                                          "bulky": True}))
    assert guideline.evaluate(facts)["T"]["o"] == "high"  # unknown or yes: yes
    assert [p["field"] for p in problems(guideline, response_to(questionnaire, {}))] == ["stage"]
