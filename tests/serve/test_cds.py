"""CDS Hooks 2.0 from `mmdsl serve`: discovery, cards from a prefetched QuestionnaireResponse
built from the exported Questionnaire, clear cards for bad facts, feedback appended."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import httpx
import pytest

import mmdsl
from tests.fhir.support import export_fhir, response_to
from tests.serve.conftest import MYELOMA, NAME, Server

SERVICE = f"/cds-services/{NAME}"
PATIENT = {"prior_lines": 5, "exposed": ["lenalidomide", "bortezomib"],
           "refractory": ["daratumumab", "pomalidomide", "carfilzomib"], "t11_14": False,
           "car_t_access": True}


@pytest.fixture(scope="module")
def questionnaire(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return export_fhir(MYELOMA, tmp_path_factory.mktemp("fhir"))["Questionnaire"]


def call(server: Server, prefetched: object, instance: str = "d1e2f3") -> httpx.Response:
    body = {"hook": "patient-view", "hookInstance": instance,
            "context": {"userId": "Practitioner/1", "patientId": "1288992"},
            "prefetch": {"questionnaireResponse": prefetched}}
    with server.client() as client:
        return client.post(SERVICE, json=body)


def test_discovery_lists_one_service_with_its_prefetch(server: Server, questionnaire: dict[str, Any]) -> None:
    with server.client() as client:
        (service,) = client.get("/cds-services").json()["services"]
    assert (service["id"], service["hook"]) == (NAME, "patient-view")
    assert service["title"] == mmdsl.load(MYELOMA).ir.title
    template = service["prefetch"]["questionnaireResponse"]
    assert template.startswith(f"QuestionnaireResponse?questionnaire={questionnaire['url']}&")
    assert "{{context.patientId}}" in template


def test_a_card_for_a_response_to_the_exported_questionnaire(server: Server,
                                                             questionnaire: dict[str, Any]) -> None:
    answer = call(server, response_to(questionnaire, PATIENT))
    assert answer.status_code == 200
    (card,) = answer.json()["cards"]
    regimens = [r["regimen"] for r in mmdsl.load(MYELOMA).evaluate(PATIENT)["recommendations"]]
    assert len(card["summary"]) < 140 and card["indicator"] == "info"
    ir = mmdsl.load(MYELOMA).ir
    assert card["source"]["label"] == f"{ir.title}, version {ir.version}"
    detail = card["detail"]
    positions = [detail.index(f"**{regimen}**") for regimen in regimens]
    assert positions == sorted(positions)  # the options in the decision's order
    assert "Evidence: KarMMa" in detail and "Caveat: The prognosis" in detail
    not_given = detail.split("**Not given, and why**", 1)[1]
    why_not = mmdsl.load(MYELOMA).evaluate(PATIENT)["why_not"]["recommendations"]
    assert [line.split(":")[0] for line in not_given.splitlines() if line.startswith("- ")] == \
        [f"- {entry['regimen']}" for entry in why_not]
    review = card["source"]["url"]
    assert review in detail and review.endswith(f"/guidelines/{NAME}/review")
    with server.client() as client:
        assert client.get(review).status_code == 200  # made on first request: allow for a busy machine


def test_a_searchset_bundle_is_read_like_the_response(server: Server, questionnaire: dict[str, Any]) -> None:
    response = response_to(questionnaire, PATIENT)
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": response}]}
    (from_bundle,) = call(server, bundle).json()["cards"]
    assert from_bundle["detail"] == call(server, response).json()["cards"][0]["detail"]


def test_out_of_scope_gives_an_information_card(server: Server, questionnaire: dict[str, Any]) -> None:
    outside = response_to(questionnaire, {**PATIENT, "refractory": ["lenalidomide"]})
    (card,) = call(server, outside).json()["cards"]
    assert card["indicator"] == "info" and card["summary"].startswith("Outside the scope")


def test_invalid_facts_give_a_clear_card_naming_the_items(server: Server,
                                                          questionnaire: dict[str, Any]) -> None:
    response = response_to(questionnaire, {**PATIENT, "prior_lines": 45})
    response["item"] = [i for i in response["item"] if i["linkId"] != "car_t_access"]
    (card,) = call(server, response).json()["cards"]
    assert card["indicator"] == "warning"
    assert card["summary"] == "Cannot decide: 2 answers of the questionnaire missing or invalid"
    assert "`prior_lines`: expected a whole number from 0 to 30, got 45" in card["detail"]
    assert "`car_t_access`: required item is not answered" in card["detail"]


def test_no_response_prefetched_gives_an_information_card(server: Server) -> None:
    for prefetched in (None, {"resourceType": "OperationOutcome"}, {"resourceType": "Bundle", "entry": []}):
        (card,) = call(server, prefetched).json()["cards"]
        assert card["indicator"] == "info" and card["summary"].startswith("No answered questionnaire")


@pytest.mark.parametrize("body", [b"{", b"", b"[]", b'"text"', b'{"hook": 5, "hookInstance": "x"}',
                                  b'{"hook": "patient-view", "hookInstance": "x", "prefetch": "no"}',
                                  b'{"hook": "patient-view", "hookInstance": "x", "context": []}'])
def test_malformed_requests_get_400_never_500(server: Server, body: bytes) -> None:
    with server.client() as client:
        answer = client.post(SERVICE, content=body)
    assert answer.status_code == 400 and answer.json()["error"]


@pytest.mark.parametrize("prefetched", [5, "text", [1], {"resourceType": "QuestionnaireResponse", "item": 7},
                                        {"resourceType": "QuestionnaireResponse", "item": [{"answer": []}]},
                                        {"resourceType": "QuestionnaireResponse", "questionnaire": 3},
                                        {"resourceType": "Bundle", "entry": "x"}])
def test_wrong_types_in_the_prefetch_give_cards_never_500(server: Server, prefetched: object) -> None:
    answer = call(server, prefetched)
    assert answer.status_code == 200
    assert answer.json()["cards"][0]["indicator"] in ("info", "warning")


def test_feedback_is_appended(server: Server, questionnaire: dict[str, Any]) -> None:
    (card,) = call(server, response_to(questionnaire, PATIENT), instance="feedback-1").json()["cards"]
    before = lines(server.feedback)
    outcomes = [{"card": card["uuid"], "outcome": "accepted", "outcomeTimestamp": "2026-12-04T10:00:00Z"},
                {"card": card["uuid"], "outcome": "overridden", "outcomeTimestamp": "2026-12-04T10:05:00Z",
                 "overrideReason": {"userComment": "patient declined CAR-T"}}]
    with server.client() as client:
        for outcome in outcomes:
            assert client.post(f"{SERVICE}/feedback", json={"feedback": [outcome]}).status_code == 200
        assert client.post(f"{SERVICE}/feedback", json={"feedback": [{"card": 1}]}).status_code == 400
        assert client.post(f"{SERVICE}/feedback", content=b"{",
                           headers={"content-type": "application/json"}).status_code == 400
        as_form = client.post(f"{SERVICE}/feedback", data={"feedback": "x"})  # what any page can send
        assert as_form.status_code == 415
    added = lines(server.feedback)[len(before):]
    assert [(r["service"], r["card"], r["outcome"]) for r in added] == [
        (NAME, card["uuid"], "accepted"), (NAME, card["uuid"], "overridden")]
    assert added[1]["overrideReason"]["userComment"] == "patient declined CAR-T"


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()] if path.exists() else []


def mutated(value: Any, chance: random.Random) -> Any:
    """`value` with some of its parts replaced by values of another type."""
    odd = [None, 0, -1, 2.5, True, "", "x", [], {}, [None], {"code": 1}, "daratumumab", 10**30]
    if chance.random() < 0.15:
        return chance.choice(odd)
    if isinstance(value, dict):
        return {k: mutated(v, chance) for k, v in value.items() if chance.random() > 0.05}
    if isinstance(value, list):
        return [mutated(v, chance) for v in value]
    return value


def test_random_damage_to_a_response_never_gives_a_500(server: Server, questionnaire: dict[str, Any]) -> None:
    chance = random.Random(17)
    valid = response_to(questionnaire, PATIENT)
    with server.client() as client:
        for number in range(150):
            damaged = mutated(valid, chance)
            body = {"hook": "patient-view", "hookInstance": f"r{number}", "prefetch":
                    {"questionnaireResponse": damaged}}
            hook = client.post(SERVICE, json=body)
            assert hook.status_code == 200, (damaged, hook.text)
            assert hook.json()["cards"][0]["indicator"] in ("info", "warning")
            api = client.post(f"/guidelines/{NAME}/decisions", json=damaged)
            assert api.status_code in (200, 422), (damaged, api.text)
