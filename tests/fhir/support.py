"""Exporting a guideline's FHIR resources, and answering its Questionnaire as a form would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from mmdsl.cli import main

ROOT = Path(__file__).resolve().parents[2]
MYELOMA = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
VALUE_KEYS = {"boolean": "valueBoolean", "integer": "valueInteger", "decimal": "valueDecimal",
              "string": "valueString", "date": "valueDate"}


def export_fhir(table: Path, folder: Path, *extra: str) -> dict[str, dict[str, Any]]:
    """`mmdsl export --to fhir TABLE -o FOLDER`; the resources by type."""
    result = CliRunner().invoke(main, ["export", "--to", "fhir", str(table), "-o", str(folder), *extra])
    assert result.exit_code == 0, result.output
    return {path.name.split(".")[-2]: json.loads(path.read_text("utf-8"))
            for path in sorted(folder.glob("*.json"))}


def response_to(questionnaire: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    """A QuestionnaireResponse giving `facts`, answered through the Questionnaire's own items and
    answer options (a fact that has no item, or a code that is no option, fails here)."""
    items = []
    questions = {q["linkId"]: q for q in questionnaire["item"]}
    for name, value in facts.items():
        question = questions[name]
        values = value if isinstance(value, list) else [value]
        if values:
            items.append({"linkId": name, "answer": [answer(question, v) for v in values]})
    return {"resourceType": "QuestionnaireResponse",
            "questionnaire": f"{questionnaire['url']}|{questionnaire['version']}",
            "status": "completed", "item": items}


def answer(question: dict[str, Any], value: Any) -> dict[str, Any]:
    if question["type"] == "choice":
        options = [o["valueCoding"] for o in question["answerOption"]]
        return {"valueCoding": next(c for c in options if c["code"] == value)}
    return {VALUE_KEYS[question["type"]]: value}
