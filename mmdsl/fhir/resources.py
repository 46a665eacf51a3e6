"""A guideline as FHIR R4 resources (Structured Data Capture and Clinical Reasoning).

- a **Questionnaire**, one item per input: its type (boolean, integer, decimal, string, choice),
  the answer options of an enumeration (with their labels), whether it is required, its range
  (the `minValue` / `maxValue` extensions) and unit (`questionnaire-unit`), its description as
  the item's text. A set is a choice that repeats; left empty it means "none" (so it is never
  `required`: "refractory to no drug" is an answer). An optional input carries its default as
  the item's `initial` value.
- a **PlanDefinition** (an ECA rule, triggered by `patient-view`): one action per table, whose
  condition is the scope, holding one action per rule with the rule's condition in words
  (mmdsl/backends/verbalize.py) and as written (`text/x-mmdsl`), its evidence as citations and
  its caveats as documentation. Unlike a PlanDefinition whose logic is a placeholder, these
  conditions are the rules themselves: the Library holds the source they are written in.
- a **Library** (logic library) carrying the table file itself, base64, and the guideline's
  inputs and tables as parameters.

Everything is plain JSON with no date or random id: the same source gives the same bytes.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from mmdsl.backends.review.build import caveat_words, refs_words, rule_sentence
from mmdsl.fhir.names import MMDSL_MEDIA_TYPE, canonical, computable_name, resource_id
from mmdsl.ir.model import AllOf, Always, IRGuideline, IRInput, IRRule, IRTable, IRType
from mmdsl.ir.verbalize import Vocabulary, describe, vocabulary_of

Json = dict[str, Any]

ITEM_TYPES = {"bool": "boolean", "integer": "integer", "decimal": "decimal", "text": "string",
              "enum": "choice", "set": "choice", "date": "date", "datetime": "dateTime",
              "time": "time"}
VALUE_KEYS = {"bool": "valueBoolean", "integer": "valueInteger", "decimal": "valueDecimal",
              "text": "valueString"}
EXTENSION = "http://hl7.org/fhir/StructureDefinition/"
PLAN_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
LIBRARY_TYPE = "http://terminology.hl7.org/CodeSystem/library-type"
HOOK = "patient-view"
SELECTION = {"unique": "at-most-one", "any": "at-most-one", "first": "at-most-one",
             "priority": "at-most-one", "collect": "any", "rule order": "any", "output order": "any"}
PARAMETER_TYPES = {"bool": "boolean", "integer": "integer", "decimal": "decimal", "text": "string",
                   "enum": "code", "set": "code", "date": "date", "datetime": "dateTime",
                   "time": "time"}


def fhir_files(guideline: IRGuideline, source_text: str, base: str) -> dict[str, str]:
    """The three resources as files: `<name>.Questionnaire.json` and so on, each its JSON text."""
    return {f"{guideline.name}.{resource['resourceType']}.json": resource_text(resource)
            for resource in fhir_resources(guideline, source_text, base)}


def fhir_bundle_text(guideline: IRGuideline, source_text: str, base: str) -> str:
    """The three resources in one collection Bundle, for standard output."""
    resources = fhir_resources(guideline, source_text, base)
    return resource_text({
        "resourceType": "Bundle",
        "id": resource_id(guideline.name),
        "type": "collection",
        "entry": [{"fullUrl": r["url"], "resource": r} for r in resources],
    })


def resource_text(resource: Json) -> str:
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


def fhir_resources(guideline: IRGuideline, source_text: str, base: str) -> list[Json]:
    return [questionnaire(guideline, base), plan_definition(guideline, base),
            library(guideline, source_text, base)]


def _header(guideline: IRGuideline, kind: str, base: str, title: str) -> Json:
    return {
        "resourceType": kind,
        "id": resource_id(guideline.name),
        "url": canonical(base, kind, guideline.name),
        "version": guideline.version or "0",
        "name": computable_name(guideline.name),
        "title": title,
        "status": "draft",  # signing the guideline off is a clinical act outside this file
    }


# ---- Questionnaire --------------------------------------------------------------------------------


def questionnaire(guideline: IRGuideline, base: str) -> Json:
    words = vocabulary_of(guideline)
    title = f"Patient facts: {guideline.title or guideline.name}"
    resource = _header(guideline, "Questionnaire", base, title)
    resource["subjectType"] = ["Patient"]
    resource["description"] = (f"What guideline {guideline.name} reads about one patient; a "
                               f"QuestionnaireResponse to it is the facts for `mmdsl eval` and "
                               f"for the guideline's CDS Hooks service.")
    resource["item"] = [question(guideline, item, base, words) for item in guideline.inputs]
    return resource


def question(guideline: IRGuideline, item: IRInput, base: str, words: Vocabulary) -> Json:
    kind = item.type.kind
    entry: Json = {"linkId": item.name, "text": item.description or item.name, "type": ITEM_TYPES[kind]}
    if extensions := range_extensions(item.type):
        entry = {"extension": extensions, **entry}
    # an input that may be unknown: a question left unanswered is its unknown value
    entry["required"] = item.required and not item.unknown and kind != "set"
    if kind == "set":
        entry["repeats"] = True
    if kind in ("enum", "set"):
        entry["answerOption"] = [{"valueCoding": coding(guideline, item.type, member, base, words)}
                                 for member in item.type.members]
    if not item.required and item.default is not None:
        entry["initial"] = initial_values(guideline, item, base, words)
    if note := includes_note(item, words):
        entry["item"] = [{"linkId": f"{item.name}.note", "text": note, "type": "display"}]
    return entry


def range_extensions(value_type: IRType) -> list[Json]:
    key = "valueInteger" if value_type.kind == "integer" else "valueDecimal"
    extensions: list[Json] = []
    if value_type.kind in ("integer", "decimal"):
        if value_type.low is not None:
            extensions.append({"url": f"{EXTENSION}minValue", key: value_type.low})
        if value_type.high is not None:
            extensions.append({"url": f"{EXTENSION}maxValue", key: value_type.high})
    if value_type.unit:
        extensions.append({"url": f"{EXTENSION}questionnaire-unit",
                           "valueCoding": {"display": value_type.unit}})
    return extensions


def code_system(guideline: IRGuideline, value_type: IRType, base: str) -> str:
    """The code system of an enumeration's members: one per enumeration of the guideline."""
    enum = (value_type.enum_name or "values").replace(".", "-")
    return f"{canonical(base, 'CodeSystem', guideline.name)}-{resource_id(enum)}"


def coding(guideline: IRGuideline, value_type: IRType, member: str, base: str, words: Vocabulary) -> Json:
    display = words.labels.get(value_type.enum_name or "", {}).get(member) or member
    return {"system": code_system(guideline, value_type, base), "code": member, "display": display}


def initial_values(guideline: IRGuideline, item: IRInput, base: str, words: Vocabulary) -> list[Json]:
    defaults = item.default if isinstance(item.default, list) else [item.default]
    if item.type.kind in ("enum", "set"):
        return [{"valueCoding": coding(guideline, item.type, str(m), base, words)} for m in defaults]
    return [{VALUE_KEYS[item.type.kind]: value} for value in defaults]


def includes_note(item: IRInput, words: Vocabulary) -> str:
    if item.includes is None:
        return ""
    other = words.meanings.get(item.includes, item.includes)
    return f"Every answer to “{other}” counts here too: it need not be ticked again."


# ---- PlanDefinition ------------------------------------------------------------------------------


def plan_definition(guideline: IRGuideline, base: str) -> Json:
    words = vocabulary_of(guideline)
    resource = _header(guideline, "PlanDefinition", base, guideline.title or guideline.name)
    resource["type"] = {"coding": [{"system": PLAN_TYPE, "code": "eca-rule", "display": "ECA Rule"}]}
    resource["description"] = (f"The rules of guideline {guideline.name}, each with its condition "
                               f"in words and as written in the source (the Library).")
    if guideline.references:
        resource["relatedArtifact"] = [{"type": "citation", "label": f"ref {r.number}",
                                        "citation": r.citation} for r in guideline.references]
    resource["library"] = [canonical(base, "Library", guideline.name)]
    resource["action"] = [table_action(guideline, table, words) for table in guideline.tables]
    return resource


def table_action(guideline: IRGuideline, table: IRTable, words: Vocabulary) -> Json:
    action: Json = {"id": table.name, "title": table.title or table.name,
                    "description": f"hit policy {table.hit}"
                                   + (f" {table.aggregate}" if table.aggregate else ""),
                    "trigger": [{"type": "named-event", "name": HOOK}]}
    if guideline.scope is not None:
        scope = guideline.scope
        action["condition"] = [{"kind": "applicability", "expression": {
            "description": f"{scope.description}: {describe(scope.condition, words)}",
            "language": MMDSL_MEDIA_TYPE, "expression": scope.text}}]
    action["groupingBehavior"] = "logical-group"
    action["selectionBehavior"] = SELECTION[table.hit]
    action["action"] = [rule_action(guideline, table, rule, words) for rule in table.rules]
    return action


def rule_action(guideline: IRGuideline, table: IRTable, rule: IRRule, words: Vocabulary) -> Json:
    tests = tuple(t for t in rule.tests if not isinstance(t, Always))
    action: Json = {
        "id": f"{table.name}.{rule.name}",
        "title": outputs_title(table, rule),
        "textEquivalent": rule_sentence(guideline, table, rule, words),
        "condition": [{"kind": "applicability", "expression": {
            "description": describe(AllOf(tests), words) if tests else "always",
            "language": MMDSL_MEDIA_TYPE, "expression": rule.why}}],
    }
    documentation = evidence_artifacts(guideline, rule) + [
        {"type": "documentation", "label": "caveat", "display": caveat_words(guideline, text)}
        for text in rule.caveats]
    if documentation:
        action["documentation"] = documentation
    return action


def outputs_title(table: IRTable, rule: IRRule) -> str:
    """`ide-cel (tier preferred)`: the first output, then the others."""
    values = [(o.name, v) for o, v in zip(table.outputs, rule.outputs, strict=True) if v is not None]
    if not values:
        return rule.name
    head, *rest = values
    others = ", ".join(f"{name} {value}" for name, value in rest)
    return f"{head[1]} ({others})" if others else str(head[1])


def evidence_artifacts(guideline: IRGuideline, rule: IRRule) -> list[Json]:
    by_title = {e.title: e for e in guideline.evidence}
    artifacts = []
    for title in rule.evidence:
        entry = by_title.get(title)
        parts = [*entry.design, *entry.population, *entry.findings] if entry else []
        if entry and entry.refs:
            parts.append(refs_words(entry.refs))
        artifact: Json = {"type": "citation", "display": title}
        if parts:
            artifact["citation"] = "; ".join(parts)
        artifacts.append(artifact)
    return artifacts


# ---- Library ----------------------------------------------------------------------------------------


def library(guideline: IRGuideline, source_text: str, base: str) -> Json:
    resource = _header(guideline, "Library", base, f"Source of {guideline.title or guideline.name}")
    resource["type"] = {"coding": [{"system": LIBRARY_TYPE, "code": "logic-library"}]}
    resource["description"] = (f"The mmdsl table file of guideline {guideline.name} (sha256 "
                               f"{guideline.source_sha256}): `mmdsl compile` turns it into the "
                               f"evaluator that the PlanDefinition's conditions describe.")
    resource["parameter"] = [
        *({"name": item.name, "use": "in", "min": 1 if item.required and not item.unknown else 0,
           "max": "*" if item.type.kind == "set" else "1", "documentation": item.description or item.name,
           "type": PARAMETER_TYPES[item.type.kind]} for item in guideline.inputs),
        *({"name": table.name, "use": "out", "min": 0,
           "max": "*" if table.result_kind == "list" else "1",
           "documentation": table.title or table.name, "type": "string"} for table in guideline.tables),
    ]
    resource["content"] = [{
        "contentType": MMDSL_MEDIA_TYPE,
        "data": base64.b64encode(source_text.encode("utf-8")).decode("ascii"),
        "title": guideline.source_path,
    }]
    return resource
