"""The comparison with an earlier version as the review document shows it: decisions that change,
in the guideline's words, grouped where several options change for the same patients."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mmdsl.backends.review.changes import ChangesView, DecisionChangeView
from mmdsl.diff.behaviour import Change
from mmdsl.diff.combine import NEW, OLD
from mmdsl.diff.report import DiffReport
from mmdsl.ir import model as ir
from mmdsl.ir.verbalize import Vocabulary, describe, simplify, subject_words, value_words, vocabulary_of
from mmdsl.verify.bdd import TooComplex

NOT_SHOWN = ("evidence", "refs", "caveats", "rule")
NOW, BEFORE = " (as this version defines it)", " (as the earlier version defined it)"


def changes_view(report: DiffReport, compared_with: str) -> ChangesView:
    """The review document's account of what changed since the version in `compared_with`."""
    words = vocabulary_of(report.new)
    behaviour = report.behaviour
    both = _both_vocabularies(report.old, report.new, _redefined(report))
    decisions = () if behaviour.unchecked else tuple(
        _decision_view(group, report.new, words, _groups_in_words(group[0], both))
        for group in _grouped(behaviour.changes))
    statements = tuple(f"{s.kind} {s.what}: {s.detail}" for s in report.statements)
    since = f"version {report.old.version}" if report.old.version else compared_with
    return ChangesView(since, compared_with, _summary(report, since, len(decisions)),
                       behaviour.unchecked is None, behaviour.unchecked or "", decisions, statements)


def _summary(report: DiffReport, since: str, changes: int) -> str:
    behaviour = report.behaviour
    if behaviour.unchecked:
        return (f"Changes since {since}: not checked ({behaviour.unchecked}); nothing is said here "
                "about which patients' recommendations changed.")
    if not changes:
        return (f"Changes since {since}: no patient's recommendations change (every patient was "
                f"compared); {len(report.statements)} statements of the text changed.")
    return (f"Changes since {since}: {changes} change{'s' if changes != 1 else ''} of "
            "recommendations, each with the patients it concerns and an example.")


def _grouped(changes: tuple[Change, ...]) -> list[list[Change]]:
    """Changes that happen to exactly the same patients in the same table, one group each (two
    options added for the same patients read as one change)."""
    groups: dict[tuple[Any, ...], list[Change]] = {}
    for change in changes:
        key = (change.delta["change"], change.delta.get("table"), change.regions)
        groups.setdefault(key, []).append(change)
    return list(groups.values())


def _decision_view(group: list[Change], guideline: ir.IRGuideline, words: Vocabulary,
                   groups: tuple[str, ...] | None) -> DecisionChangeView:
    first = group[0]
    return DecisionChangeView(
        what=_what(group, guideline),
        groups=first.regions if groups is None else groups,
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
    shown = sorted(group, key=lambda change: _position(change, delta["table"]))
    rows = " and ".join(row_words(change.delta["row"]) for change in shown)
    verb = "offered" if kind == "added" else "no longer offered"
    return f"{title}: {rows} {'are' if len(group) > 1 else 'is'} now {verb}"


def _position(change: Change, table: str) -> int:
    """Where an option comes in the decision that has it (after for one added, before for one
    removed), so that options are named in the order the patient gets them."""
    decision = change.after if change.delta["change"] == "added" else change.before
    rows = decision.get(table)
    row = change.delta.get("row")
    return rows.index(row) if isinstance(rows, list) and row in rows else 0


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


# ---- the patients of a change in clinical words --------------------------------------------------


def _groups_in_words(change: Change, words: Vocabulary) -> tuple[str, ...] | None:
    """The regions of a change to a table's result in clinical words: the table's columns (a
    derived fact by its description, "as this version defines it" where its meaning changed);
    None where the comparison said them in the inputs' words (those are shown as they are)."""
    if not change.conditions:
        return None
    return tuple(describe(simplify(condition), words) for condition in change.conditions)


def _redefined(report: DiffReport) -> set[str]:
    """The derived facts of both versions that mean something else now (their own condition, or
    a fact they read, changed): one BDD each in the comparison, so equal nodes, equal meaning."""
    encoder = report.behaviour.encoder
    shared = {f.name for f in report.new.facts} & {f.name for f in report.old.facts}
    if encoder is None:
        return shared
    try:
        return {name for name in shared if encoder.fact(OLD + name) != encoder.fact(NEW + name)}
    except (TooComplex, RecursionError):
        return shared  # not known: each is said to be the earlier or the current definition


def _both_vocabularies(old: ir.IRGuideline, new: ir.IRGuideline, changed: set[str]) -> Vocabulary:
    """The words of both versions under the comparison's names: `new:fact` and `old:fact` by their
    descriptions (said to be the earlier or the current definition where they differ), inputs
    as the new version names them."""
    mine, theirs = vocabulary_of(new), vocabulary_of(old)
    subjects, meanings, types = dict(mine.subjects), dict(mine.meanings), dict(mine.types)
    for prefix, vocabulary in ((NEW, mine), (OLD, theirs)):
        for key, text in vocabulary.meanings.items():
            if key in vocabulary.types and key not in {i.name for i in new.inputs}:
                when = "" if key not in changed else NOW if prefix == NEW else BEFORE
                meanings[prefix + key] = text + when
                subjects[prefix + key] = f"“{text}”{when}"
                types[prefix + key] = vocabulary.types[key]
    return Vocabulary(subjects, meanings, types, {**theirs.labels, **mine.labels},
                      mine.classes + tuple(c for c in theirs.classes if c not in mine.classes))

