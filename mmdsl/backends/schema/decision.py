"""The JSON Schema (draft 2020-12) of a guideline's decisions, written by `mmdsl compile` beside
the module as `<name>.decision.schema.json`.

It states docs/decision.md ("The decision: the output") for one guideline: the provenance keys
with their values, the status, each table's result (a row or null, a list of rows, or a number),
why the other values were not given, every derived fact, the trace. A row has each output with
its type (null for `-`), the rule's name, evidence, references and caveats. Tables are required
unless the status is out_of_scope, whose decision has a reason instead (and no `why_not`). The
same IR gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from mmdsl.backends.schema.facts import DATE_TIME_PATTERN, DRAFT, provenance, type_schema
from mmdsl.ir import model as ir
from mmdsl.ir.walk import evaluation_order

Schema = dict[str, Any]


def render_decision_schema(guideline: ir.IRGuideline) -> str:
    return json.dumps(decision_schema(guideline), indent=2, ensure_ascii=False) + "\n"


def _derived_type(fact: ir.IRFact | ir.IRComputed | ir.IRLabel) -> str | list[str]:
    if isinstance(fact, ir.IRLabel):
        return "string" if fact.unknown_when is None else ["string", "null"]  # null: unknown
    if isinstance(fact, ir.IRComputed):
        kind = "integer" if fact.type.kind == "integer" else "number"
        return kind if fact.unknown_when is None else [kind, "null"]  # null: unknown
    return "boolean" if fact.false_when is None else ["boolean", "null"]  # null: unknown


def decision_schema(guideline: ir.IRGuideline) -> Schema:
    tables = {table.name: result_schema(table) for table in guideline.tables}
    facts = {name: {"type": _derived_type(fact), "description": fact.description or name}
             for name, fact in evaluation_order(guideline)}
    clinical = guideline.clinical_source
    provenance_keys: Schema = {"clinical_source_sha256": {"const": clinical.sha256}} if clinical else {}
    timed = any(i.name == guideline.evaluation_date and i.type.kind == "datetime"
                for i in guideline.inputs)
    if timed:  # the moment of the decision, to the second, with the offset the caller gave
        provenance_keys["evaluation_date_time"] = {"type": "string", "pattern": DATE_TIME_PATTERN}
    elif guideline.evaluation_date is not None:  # the day of the decision, as the caller gave it
        provenance_keys["evaluation_date"] = {"type": "string", "format": "date"}
    explained = [t for t in guideline.tables if t.result_kind != "number"]
    why_not: Schema = {"type": "object", "properties": {t.name: why_not_schema(t) for t in explained},
                       "required": [t.name for t in explained], "additionalProperties": False}
    in_scope = [*tables, "why_not"]
    return {
        "$schema": DRAFT,
        "title": f"Decision: {guideline.title or guideline.name}",
        "description": (f"A decision of guideline {guideline.name} (version {guideline.version}) "
                        f"for one patient, as docs/decision.md describes it."),
        "$comment": provenance(guideline),
        "type": "object",
        "properties": {
            "guideline": {"const": guideline.name},
            "version": {"const": guideline.version},
            "source_sha256": {"const": guideline.source_sha256},
            **provenance_keys,
            "status": {"enum": ["ok", "out_of_scope", "error"]},
            "reason": {"type": "string"},
            "errors": {"type": "array", "items": CONFLICT},
            **tables,
            "derived": {"type": "object", "properties": facts, "required": list(facts),
                        "additionalProperties": False},
            "why_not": why_not,
            "trace": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["guideline", "version", "source_sha256", *provenance_keys, "status", "derived",
                     "trace"],
        "additionalProperties": False,
        "allOf": [
            {"if": {"properties": {"status": {"const": "out_of_scope"}}},
             "then": {"required": ["reason"], "not": {"anyOf": [{"required": [k]} for k in in_scope]}},
             "else": {"required": in_scope, "not": {"required": ["reason"]}}},
            {"if": {"properties": {"status": {"const": "error"}}},
             "then": {"required": ["errors"]}, "else": {"not": {"required": ["errors"]}}},
        ],
    }


CONFLICT: Schema = {
    "type": "object",
    "properties": {"table": {"type": "string"}, "kind": {"enum": ["conflict", "no_rule"]},
                   "rules": {"type": "array", "items": {"type": "string"}},
                   "message": {"type": "string"}},
    "required": ["table", "kind", "rules", "message"],
    "additionalProperties": False,
}


def why_not_schema(table: ir.IRTable) -> Schema:
    """The values of the table's first output that no row gave: each with a rule and why."""
    first: Schema = {table.outputs[0].name: type_schema(table.outputs[0].type)} if table.outputs else {}
    return {"type": "array", "items": {
        "type": "object",
        "properties": {**first, "rule": {"type": "string"}, "because": {"type": "string"}},
        "required": [*first, "rule", "because"],
        "additionalProperties": False,
    }}


def result_schema(table: ir.IRTable) -> Schema:
    described = {"description": table.title or table.name}
    if table.result_kind == "number":
        kind = "integer" if table.aggregate == "count" or _integer_output(table) else "number"
        types = [kind] if table.aggregate == "count" else [kind, "null"]
        return {**described, "type": types}
    if table.result_kind == "list":
        return {**described, "type": "array", "items": row_schema(table)}
    return {**described, "anyOf": [row_schema(table), {"type": "null"}]}


def _integer_output(table: ir.IRTable) -> bool:
    return bool(table.outputs) and table.outputs[0].type.kind == "integer"


def row_schema(table: ir.IRTable) -> Schema:
    outputs = {output.name: nullable(type_schema(output.type)) for output in table.outputs}
    strings = {"type": "array", "items": {"type": "string"}}
    return {
        "type": "object",
        "properties": {**outputs, "rule": {"type": "string"}, "evidence": strings,
                       "refs": {"type": "array", "items": {"type": "integer"}}, "caveats": strings},
        "required": [*outputs, "rule", "evidence", "refs", "caveats"],
        "additionalProperties": False,
    }


def nullable(schema: Schema) -> Schema:
    """An output's schema that also allows null (the rule's `-`)."""
    if "enum" in schema:
        return {**schema, "type": [schema["type"], "null"], "enum": [*schema["enum"], None]}
    return {**schema, "type": [schema["type"], "null"]}
