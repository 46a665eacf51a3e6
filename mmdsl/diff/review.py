"""The comparison with an earlier version as the review document shows it: decisions that change,
in the guideline's words, grouped where several options change for the same patients."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mmdsl.backends.review_changes import ChangesView, DecisionChangeView
from mmdsl.diff.behaviour import Change
from mmdsl.diff.report import DiffReport
from mmdsl.ir import model as ir
from mmdsl.ir.verbalize import Vocabulary, subject_words, value_words, vocabulary_of

NOT_SHOWN = ("evidence", "refs", "caveats", "rule")


def changes_view(report: DiffReport, since: str) -> ChangesView:
    words = vocabulary_of(report.new)
    behaviour = report.behaviour
    decisions = () if behaviour.unchecked else tuple(
        _decision_view(group, report.new, words) for group in _grouped(behaviour.changes))
    statements = tuple(f"{s.kind} {s.what}: {s.detail}" for s in report.statements)
    return ChangesView(since, behaviour.unchecked is None, behaviour.unchecked or "", decisions, statements)


def _grouped(changes: tuple[Change, ...]) -> list[list[Change]]:
    """Changes that happen to exactly the same patients in the same table, one group each (two
    options added for the same patients read as one change)."""
    groups: dict[tuple[Any, ...], list[Change]] = {}
    for change in changes:
        key = (change.delta["change"], change.delta.get("table"), change.regions)
        groups.setdefault(key, []).append(change)
    return list(groups.values())


def _decision_view(group: list[Change], guideline: ir.IRGuideline, words: Vocabulary) -> DecisionChangeView:
    first = group[0]
    return DecisionChangeView(
        what=_what(group, guideline),
        groups=first.regions,
        groups_not_listed=first.region_total - len(first.regions),
        example=patient_words(first.witness, guideline, words),
        before=decision_words(first.before, guideline),
        after=decision_words(first.after, guideline),
    )


def _what(group: list[Change], guideline: ir.IRGuideline) -> str:
    delta = group[0].delta
    kind = delta["change"]
    if kind == "status":
        return f"the decision's status changes from {delta['before']} to {delta['after']}"
    title = _table_title(delta["table"], guideline)
    if kind == "reordered":
        return f"{title}: the same options, in another order"
    if kind == "result":
        return f"{title}: {row_words(delta['before'])} becomes {row_words(delta['after'])}"
    rows = " and ".join(row_words(change.delta["row"]) for change in group)
    verb = "offered" if kind == "added" else "no longer offered"
    return f"{title}: {rows} {'are' if len(group) > 1 else 'is'} now {verb}"


def _table_title(name: str, guideline: ir.IRGuideline) -> str:
    return next((t.title for t in guideline.tables if t.name == name), name)


def row_words(row: Any) -> str:
    """A result row as the review shows an option: its first output, the others in brackets."""
    if row is None:
        return "no result"
    if not isinstance(row, Mapping):
        return str(row)
    values = [str(v) for k, v in row.items() if k not in NOT_SHOWN and v is not None]
    if not values:
        return "no result"
    return values[0] + (f" ({', '.join(values[1:])})" if values[1:] else "")


def decision_words(summary: Mapping[str, Any], guideline: ir.IRGuideline) -> str:
    """A decision in one line: each table's options in order, or what the status means."""
    status = summary.get("status")
    if status == "out_of_scope":
        return "outside the scope of the guideline"
    if status != "ok":
        return f"no decision ({status})"
    parts = []
    for name, result in summary.items():
        if name in ("status", "errors"):
            continue
        rows = result if isinstance(result, list) else [result]
        options = ", ".join(row_words(row) for row in rows) if rows else "none"
        parts.append(f"{_table_title(name, guideline)}: {options}")
    return "; ".join(parts)


def patient_words(facts: Mapping[str, ir.JsonValue], guideline: ir.IRGuideline, words: Vocabulary) -> str:
    """An example patient as the review writes one: each fact by its description and value."""
    parts = []
    for item in guideline.inputs:
        if item.name not in facts:
            continue
        parts.append(f"{subject_words(item.name, words)}: {_value(facts[item.name], item.type, words)}")
    return "; ".join(parts)


def _value(value: ir.JsonValue, value_type: ir.IRType, words: Vocabulary) -> str:
    if isinstance(value, list):
        members = [value_words(member, value_type, words) for member in value if isinstance(member, str)]
        return ", ".join(members) if members else "none"
    if isinstance(value, dict):
        return str(value)
    return value_words(value, value_type, words)
