"""A row of a cohort's decisions as the decision the Python evaluator gives (docs/cohort.md).

A cohort row holds each table's result as rule positions (the chosen rule's position, or a bit
mask of the rules in a list) or a number; what those rules stand for (their outputs, names and
what they cite) is written once in the file's metadata (`mmdsl_tables`). Put back together, and
without the trace, a row is the evaluator's decision for that patient, key for key.
"""

from __future__ import annotations

import json
from typing import Any

from mmdsl.ir import model as ir

SCHEMA = "2"  # the decisions file's layout this module reads (mmdsl.backends.sql.COHORT_SCHEMA)
Tables = dict[str, dict[str, Any]]
Rules = Tables  # the name callers used for what read_rules returns
# Left out of a cohort row (docs/cohort.md): provenance (in the file's metadata), the trace and
# the why-not explanations (they explain a decision; they do not decide); the evaluation date is
# an input of the patient's row, in the input file.
PROVENANCE = ("guideline", "version", "source_sha256", "clinical_source_sha256", "evaluation_date",
              "evaluation_date_time", "why_not", "trace")


class OtherLayout(ValueError):
    """A decisions file of another layout (an older mmdsl): decide the cohort again."""


def read_rules(metadata: dict[bytes, bytes] | None) -> Tables:
    """The `mmdsl_tables` description from a decisions file's Parquet metadata."""
    metadata = metadata or {}
    schema = metadata.get(b"mmdsl_cohort_schema", b"1").decode("utf-8")
    if schema != SCHEMA:
        raise OtherLayout(f"the decisions file has layout {schema}; this mmdsl reads layout "
                          f"{SCHEMA}: decide the cohort again with this version")
    tables: Tables = json.loads(metadata[b"mmdsl_tables"].decode("utf-8"))
    return tables


def as_decision(guideline: ir.IRGuideline, row: dict[str, Any], tables: Tables) -> dict[str, Any]:
    """The decision (without provenance and trace) that a cohort row stands for."""
    decision: dict[str, Any] = {"status": row["status"]}
    if row["reason"] is not None:
        decision["reason"] = row["reason"]
    if row["errors"] is not None:
        decision["errors"] = json.loads(row["errors"])
    if row["status"] != "out_of_scope":
        for table in guideline.tables:
            decision[table.name] = result(tables[table.name], row[table.name])
    decision["derived"] = row.get("derived") or {}
    return decision


def result(table: dict[str, Any], value: Any) -> Any:
    """A table's result from its column: a number, a rule's row, or a list of rows."""
    encoding = table["result"]
    if encoding == "number" or value is None:
        return value
    if encoding == "rule":
        return _row(table["rules"][value])
    positions = [p for p in table["order"] if value >> p & 1] if encoding == "mask" else value
    return [_row(table["rules"][p]) for p in positions]


def _row(rule: dict[str, Any]) -> dict[str, Any]:
    """A result row as the decision JSON writes it: outputs, the rule's name, what it cites."""
    return {**rule["outputs"], "rule": rule["rule"], "evidence": rule["evidence"],
            "refs": rule["refs"], "caveats": rule["caveats"]}


def expected(decision: dict[str, Any]) -> dict[str, Any]:
    """The evaluator's decision without what a cohort row does not carry."""
    return {key: value for key, value in decision.items() if key not in PROVENANCE}


def same(left: dict[str, Any], right: dict[str, Any]) -> bool:
    """Equal as JSON text, so that 1 and 1.0 or True and 1 are told apart."""
    return json.dumps(left, ensure_ascii=False) == json.dumps(right, ensure_ascii=False)
