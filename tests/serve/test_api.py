"""`mmdsl serve`, the JSON API and the pages over plain HTTP (a real server, one per module)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from types import ModuleType
from urllib.parse import urlencode

import jsonschema
import pytest

import mmdsl
from tests.serve.conftest import MYELOMA, NAME, ROOT, Server

GENERATED = ROOT / "generated" / f"{NAME}.py"
PATIENT = ROOT / "examples" / "patient.json"


@pytest.fixture(scope="module")
def module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("served_myeloma", GENERATED)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def test_health_and_the_list(server: Server) -> None:
    with server.client() as client:
        assert client.get("/health").json() == {"status": "ok", "guidelines": {NAME: "ok"}}
        (listed,) = client.get("/guidelines").json()["guidelines"]
        assert listed["name"] == NAME and listed["version"] == mmdsl.load(MYELOMA).ir.version


def test_the_decision_is_the_generated_module_s_byte_for_byte(server: Server, module: ModuleType) -> None:
    script = subprocess.run([sys.executable, str(GENERATED)], input=PATIENT.read_bytes(),
                            capture_output=True, check=True)
    with server.client() as client:
        answer = client.post(f"/guidelines/{NAME}/decisions", content=PATIENT.read_bytes())
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/json"
        assert answer.content == script.stdout
        for example in mmdsl.load(MYELOMA).ir.examples:
            body = json.dumps(example.facts).encode()
            expected = (module.decision_json(module.evaluate(example.facts)) + "\n").encode()
            assert client.post(f"/guidelines/{NAME}/decisions", content=body).content == expected


def test_invalid_facts_get_422_with_every_error(server: Server) -> None:
    facts = {"prior_lines": 31, "refractory": ["daratumumab", "aspirin"], "t11_14": "no",
             "car_t_access": True, "colour": "red"}
    with server.client() as client:
        answer = client.post(f"/guidelines/{NAME}/decisions", json=facts)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [
        "prior_lines", "refractory[1]", "exposed", "t11_14", "colour"]


@pytest.mark.parametrize("body", [b"", b"{", b"[1, 2]", b"\xff\xfe", b'{"a": 1, "a": 2}', b"NaN"])
def test_bodies_that_are_not_facts_get_422(server: Server, body: bytes) -> None:
    with server.client() as client:
        answer = client.post(f"/guidelines/{NAME}/decisions", content=body)
    assert answer.status_code == 422
    assert answer.json()["errors"]


def test_unknown_guideline_404_and_huge_body_413(server: Server) -> None:
    with server.client() as client:
        assert client.post("/guidelines/nothing/decisions", json={}).status_code == 404
        assert client.get("/guidelines/nothing").status_code == 404
        huge = b'{"prior_lines": ' + b" " * 1_000_001 + b"1}"
        assert client.post(f"/guidelines/{NAME}/decisions", content=huge).status_code == 413


def test_the_openapi_description_names_the_schemas(server: Server, module: ModuleType) -> None:
    with server.client() as client:
        document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    operation = document["paths"][f"/guidelines/{NAME}/decisions"]["post"]
    assert set(operation["responses"]) >= {"200", "422"}
    schemas = document["components"]["schemas"]
    facts = json.loads(PATIENT.read_text("utf-8"))
    jsonschema.validate(facts, schemas[f"{NAME}.facts"])
    jsonschema.validate(module.evaluate(facts), schemas[f"{NAME}.decision"])


def test_the_page_posts_without_javascript_and_has_no_external_asset(server: Server) -> None:
    facts = json.loads(PATIENT.read_text("utf-8"))
    form = [("prior_lines", str(facts["prior_lines"])), ("t11_14", "no"), ("car_t_access", "yes")]
    form += [("refractory", d) for d in facts["refractory"]] + [("exposed", d) for d in facts["exposed"]]
    with server.client() as client:
        page = client.get(f"/guidelines/{NAME}")
        answer = client.post(f"/guidelines/{NAME}", content=urlencode(form),
                             headers={"content-type": "application/x-www-form-urlencoded"})
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    for html in (page.text, answer.text):
        assert "<script" not in html
        links = re.findall(r'(?:href|src|action)="([^"]*)"', html)
        assert links and all(link.startswith(("/", "#")) for link in links), links
    assert answer.status_code == 200
    decision = mmdsl.load(MYELOMA).evaluate(facts)
    rules = re.findall(r'<li class="option" data-rule="([^"]+)"', answer.text)
    assert rules == [row["rule"] for row in decision["recommendations"]]
    not_given = re.findall(r'<li data-rule="([^"]+)"><strong>', answer.text)
    assert not_given == [entry["rule"] for entry in decision["why_not"]["recommendations"]]


def test_the_review_document_is_served_with_its_own_strict_policy(server: Server) -> None:
    with server.client() as client:
        review = client.get(f"/guidelines/{NAME}/review")
    assert review.status_code == 200
    assert review.text == (ROOT / "generated" / "docs" / f"{NAME}.html").read_text("utf-8")
    policy = review.headers["content-security-policy"]
    assert "'sha256-" in policy and "unsafe-inline" not in policy


def test_every_request_is_logged(server: Server) -> None:
    with server.client() as client:
        client.get("/health?probe=access-log")
    assert "GET /health?probe=access-log HTTP/1.1\" 200" in server.log.read_text("utf-8")


@pytest.mark.parametrize("form", [
    "prior_lines=1e999&t11_14=maybe&car_t_access=yes&refractory=zzz",
    "prior_lines=%D9%A3&t11_14=yes&t11_14=no&car_t_access=no&refractory=daratumumab",
    "prior_lines=" + "9" * 500, "%FF%FE=1&prior_lines=nan", "", "a" * 5000])
def test_a_junk_form_gets_its_errors_at_the_fields_never_a_500(server: Server, form: str) -> None:
    with server.client() as client:
        answer = client.post(f"/guidelines/{NAME}", content=form,
                             headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 422
    assert 'class="error"' in answer.text
