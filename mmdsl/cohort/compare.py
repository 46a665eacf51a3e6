"""A row of a cohort's decisions as the decision the Python evaluator gives (docs/cohort.md).

The cohort's rows hold, for each table, its result as JSON text (rows with their outputs and
rule names; a number as a number); what a rule cites (evidence, refs, caveats) is in the file's
metadata once (`mmdsl_rules`). Put back together, and without the trace, a row is the
evaluator's decision for that patient, key for key.
"""

from __future__ import annotations

import json
from typing import Any

from mmdsl.ir import model as ir

Rules = dict[str, dict[str, dict[str, list[Any]]]]
# Left out of a cohort row (docs/cohort.md): provenance (in the file's metadata), the trace and
# the why-not explanations (they explain a decision; they do not decide); the evaluation date is
# an input of the patient's row, in the input file.
PROVENANCE = ("guideline", "version", "source_sha256", "clinical_source_sha256", "evaluation_date",
              "why_not", "trace")


def read_rules(metadata: dict[bytes, bytes] | None) -> Rules:
    """The `mmdsl_rules` description from a decisions file's Parquet metadata."""
    text = (metadata or {}).get(b"mmdsl_rules", b"{}")
    rules: Rules = json.loads(text.decode("utf-8"))
    return rules


def as_decision(guideline: ir.IRGuideline, row: dict[str, Any], rules: Rules) -> dict[str, Any]:
    """The decision (without provenance and trace) that a cohort row stands for."""
    decision: dict[str, Any] = {"status": row["status"]}
    if row["reason"] is not None:
        decision["reason"] = row["reason"]
    if row["errors"] is not None:
        decision["errors"] = json.loads(row["errors"])
    if row["status"] != "out_of_scope":
        for table in guideline.tables:
            result = row[table.name]
            if table.result_kind != "number" and result is not None:
                result = json.loads(result)
            decision[table.name] = _result(result, rules.get(table.name, {}))
    decision["derived"] = row.get("derived") or {}
    return decision


def _result(result: Any, cited: dict[str, dict[str, list[Any]]]) -> Any:
    if isinstance(result, list):
        return [_row(item, cited) for item in result]
    if isinstance(result, dict):
        return _row(result, cited)
    return result


def _row(row: dict[str, Any], cited: dict[str, dict[str, list[Any]]]) -> dict[str, Any]:
    return {**row, **cited[row["rule"]]}


def expected(decision: dict[str, Any]) -> dict[str, Any]:
    """The evaluator's decision without what a cohort row does not carry."""
    return {key: value for key, value in decision.items() if key not in PROVENANCE}


def same(left: dict[str, Any], right: dict[str, Any]) -> bool:
    """Equal as JSON text, so that 1 and 1.0 or True and 1 are told apart."""
    return json.dumps(left, ensure_ascii=False) == json.dumps(right, ensure_ascii=False)
