"""A decision as a clinician reads it: the view model behind `mmdsl eval --format text`, the
decision page of `mmdsl serve` and its CDS Hooks cards.

It reads the decision JSON (docs/decision.md) with the guideline's IR beside it, so that every
value is shown by its label and every piece of evidence with its references. The options of a
table come in the decision's own order (the order the table's `order by` gave them), never
re-sorted here. What is shown is plain text; each consumer escapes it for its medium.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mmdsl.backends.review.build import caveat_words, evidence_words, rule_anchor
from mmdsl.ir.model import IRGuideline, IRRule, IRTable
from mmdsl.ir.verbalize import Vocabulary, value_words, vocabulary_of

STATUS_WORDS = {
    "ok": "decided",
    "out_of_scope": "outside the scope of this guideline",
    "error": "the tables contradict each other for this patient: no safe decision",
}


@dataclass(frozen=True, slots=True)
class OptionView:
    """One row of a table's answer: its headline (the first output), the other outputs, why."""

    number: int
    headline: str
    details: tuple[tuple[str, str], ...]  # (output name, value in words)
    rule: str
    evidence: str  # `KarMMa (ref 1)`, or ""
    caveats: tuple[str, ...]
    anchor: str  # of the rule in the review document


@dataclass(frozen=True, slots=True)
class TableReading:
    name: str
    title: str
    options: tuple[OptionView, ...]
    value: str  # for a number result, or "" ; "no recommendation" when nothing answered
    empty: bool


@dataclass(frozen=True, slots=True)
class WhyNotView:
    """An option the patient did not get and why, from the decision's `why_not` part."""

    option: str  # the value in words
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class DecisionReading:
    title: str
    version: str
    status: str
    status_words: str
    reason: str
    conflicts: tuple[str, ...]
    tables: tuple[TableReading, ...]
    why_not: tuple[WhyNotView, ...]
    derived: tuple[tuple[str, str], ...]  # (fact description, yes/no)
    trace: tuple[str, ...]

    @property
    def options(self) -> tuple[OptionView, ...]:
        return tuple(option for table in self.tables for option in table.options)


def read_decision(guideline: IRGuideline, decision: Mapping[str, Any],
                  words: Vocabulary | None = None) -> DecisionReading:
    """The decision in words; `words` (the guideline's vocabulary) when the caller keeps it."""
    words = words or vocabulary_of(guideline)
    status = str(decision.get("status", ""))
    conflicts = tuple(f"{e.get('table', '')}: {e.get('message', '')}"
                      for e in decision.get("errors", []) if isinstance(e, dict))
    tables = tuple(table_reading(guideline, table, decision[table.name], words)
                   for table in guideline.tables if table.name in decision)
    descriptions: dict[str, str] = {fact.name: fact.description or fact.name for fact in guideline.facts}
    descriptions |= {fact.name: fact.description or fact.name for fact in guideline.computed}
    descriptions |= {fact.name: fact.description or fact.name for fact in guideline.labels}
    derived = tuple((descriptions.get(str(name), str(name)), _derived_words(value))
                    for name, value in dict(decision.get("derived", {})).items())
    return DecisionReading(
        title=guideline.title or guideline.name, version=guideline.version, status=status,
        status_words=STATUS_WORDS.get(status, status), reason=str(decision.get("reason", "")),
        conflicts=conflicts, tables=tables, why_not=why_not_views(guideline, decision.get("why_not"), words),
        derived=derived, trace=tuple(str(line) for line in decision.get("trace", [])))


def _derived_words(value: Any) -> str:
    """yes/no for a yes/no fact; a numeric fact's number as the decision gives it; a text
    fact's words in quotes; `unknown` for a fact over an unknown value (null)."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return f"“{value}”"
    return str(value) if isinstance(value, int | float) else ("yes" if value else "no")


def table_reading(guideline: IRGuideline, table: IRTable, result: Any, words: Vocabulary) -> TableReading:
    title = table.title or table.name
    if table.result_kind == "number":
        return TableReading(table.name, title, (), number_words_of(table, result, words), result is None)
    rows = result if isinstance(result, list) else [] if result is None else [result]
    options = tuple(option_view(guideline, table, row, number, words)
                    for number, row in enumerate(rows, start=1) if isinstance(row, dict))
    return TableReading(table.name, title, options, "" if options else "no recommendation",
                        not options)


def number_words_of(table: IRTable, result: Any, words: Vocabulary) -> str:
    """An aggregated table's number, with the unit of the output it adds up."""
    if result is None:
        return "no value"
    return value_words(result, table.outputs[0].type, words) if table.outputs else str(result)


def option_view(guideline: IRGuideline, table: IRTable, row: Mapping[str, Any], number: int,
                words: Vocabulary) -> OptionView:
    shown = [(output.name, value_words(row.get(output.name), output.type, words))
             for output in table.outputs]
    rule = _rule_named(table, str(row.get("rule", "")))
    evidence = evidence_words(guideline, rule) if rule else ", ".join(map(str, row.get("evidence", [])))
    caveats = tuple(caveat_words(guideline, str(text)) for text in row.get("caveats", []))
    headline = shown[0][1] if shown else str(row.get("rule", ""))
    name = str(row.get("rule", ""))
    details = tuple(shown_output for shown_output, output in zip(shown[1:], table.outputs[1:], strict=True)
                    if row.get(output.name) is not None)  # an output left `-` says nothing here
    return OptionView(number, headline, details, name, evidence, caveats,
                      rule_anchor(table.name, name))


def _rule_named(table: IRTable, name: str) -> IRRule | None:
    return next((rule for rule in table.rules if rule.name == name), None)


def why_not_views(guideline: IRGuideline, part: object, words: Vocabulary) -> tuple[WhyNotView, ...]:
    """The decision's `why_not` (docs/decision.md, "Why not"): per table, each value of its first
    output that no row gave, the rule that would have given it, and the first reason it did not."""
    if not isinstance(part, dict):
        return ()
    views = []
    for table in guideline.tables:
        entries = part.get(table.name)
        if not isinstance(entries, list) or not table.outputs:
            continue
        first = table.outputs[0]
        views += [WhyNotView(value_words(entry.get(first.name), first.type, words),
                             str(entry.get("rule", "")), str(entry.get("because", "")))
                  for entry in entries if isinstance(entry, dict)]
    return tuple(views)


def render_text(reading: DecisionReading) -> str:
    """The decision for a terminal: status, each table's options in order, why not, conflicts."""
    lines = [f"{reading.title}" + (f" (version {reading.version})" if reading.version else ""),
             f"status: {reading.status} ({reading.status_words})"]
    if reading.reason:
        lines.append(reading.reason)
    lines += [f"conflict: {c}" for c in reading.conflicts]
    for table in reading.tables:
        lines += ["", f"{table.title}:"]
        if not table.options:
            lines.append(f"  {table.value}")
        for option in table.options:
            lines += option_lines(option)
    if reading.why_not:
        lines += ["", "Not given, and why:"]
        lines += [f"  - {w.option} (rule {w.rule}): {w.reason}" for w in reading.why_not]
    return "\n".join(lines) + "\n"


def option_lines(option: OptionView) -> list[str]:
    details = "; ".join(f"{name}: {value}" for name, value in option.details)
    lines = [f"  {option.number}. {option.headline}" + (f" ({details})" if details else "")]
    if option.evidence:
        lines.append(f"     evidence: {option.evidence}")
    lines += [f"     caveat: {caveat}" for caveat in option.caveats]
    return lines
