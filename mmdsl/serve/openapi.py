"""The OpenAPI 3.1 description of the JSON API (`GET /openapi.json`): one path per guideline,
with the JSON Schema of its facts and of its decisions (the schemas `mmdsl compile` writes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mmdsl.backends.schema.decision import decision_schema
from mmdsl.backends.schema.facts import facts_schema
from mmdsl.ir.model import IRGuideline
from mmdsl.version import __version__

ERRORS = {
    "type": "object",
    "properties": {"errors": {"type": "array", "items": {
        "type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
        "required": ["field", "message"]}}},
    "required": ["errors"],
}


def openapi_document(guidelines: Sequence[tuple[str, IRGuideline]]) -> dict[str, Any]:
    """The description for the guidelines served, each by the name it is served under."""
    schemas: dict[str, Any] = {"Errors": ERRORS}
    paths: dict[str, Any] = {}
    for name, guideline in guidelines:
        schemas[f"{name}.facts"] = _without_dialect(facts_schema(guideline))
        schemas[f"{name}.decision"] = _without_dialect(decision_schema(guideline))
        paths[f"/guidelines/{name}/decisions"] = {"post": decision_operation(name, guideline)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "mmdsl decisions", "version": __version__,
                 "description": "Decisions from clinical decision tables compiled by mmdsl. Each "
                                "decision is byte for byte what the guideline's generated module "
                                "prints (docs/decision.md). The same server offers CDS Hooks 2.0 "
                                "at /cds-services and a page for clinicians per guideline."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def decision_operation(name: str, guideline: IRGuideline) -> dict[str, Any]:
    ref = f"#/components/schemas/{name}"
    return {
        "operationId": f"decide_{name}",
        "summary": f"Decide: {guideline.title or guideline.name} (version {guideline.version})",
        "description": "Facts as a JSON object, or a FHIR QuestionnaireResponse to the guideline's "
                       "Questionnaire. Invalid facts get 422 with every problem, each naming its "
                       "field (or questionnaire item).",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"anyOf": [{"$ref": f"{ref}.facts"},
                                 {"type": "object", "description": "a FHIR R4 QuestionnaireResponse",
                                  "properties": {"resourceType": {"const": "QuestionnaireResponse"}},
                                  "required": ["resourceType"]}]}}}},
        "responses": {
            "200": {"description": "the decision", "content": {"application/json": {
                "schema": {"$ref": f"{ref}.decision"}}}},
            "404": {"description": "no guideline of this name"},
            "413": {"description": "the body is too large"},
            "422": {"description": "invalid facts: every problem", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Errors"}}}},
            "503": {"description": "the guideline's table file has errors: no decision is given"},
        },
    }


def _without_dialect(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "$schema"}
