"""What changed in the text of a guideline, statement by statement (by name, not by line)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from mmdsl.ir import model as ir

Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class StatementChange:
    kind: str  # added, removed, changed, reordered
    what: str  # "rule recommendations.ide_cel", "input prior_lines", "version"
    detail: str  # before -> after, in the words of the source


def statement_changes(old: ir.IRGuideline, new: ir.IRGuideline) -> list[StatementChange]:
    """Every statement added, removed or changed, in the order of the file's sections."""
    found: list[StatementChange] = []
    if old.version != new.version:
        found.append(StatementChange("changed", "version", f"{old.version} -> {new.version}"))
    if old.title != new.title:
        found.append(StatementChange("changed", "title", f"{old.title} -> {new.title}"))
    found += _clinical_source(old.clinical_source, new.clinical_source)
    found += _named("enumeration", old.enums, new.enums, _enum_text)
    found += _named("class", old.classes, new.classes, lambda c: f"{c.enum}: {', '.join(c.members)}")
    found += _named("input", old.inputs, new.inputs, _input_text)
    found += _named("fact", old.facts, new.facts, lambda f: f.text)
    found += _named("fact", old.computed, new.computed, lambda f: f.text)  # numeric facts
    found += _scope(old.scope, new.scope)
    found += _named("impossible combination", old.impossible, new.impossible, lambda i: i.text)
    found += _named("table", old.tables, new.tables, _table_text)
    for table in new.tables:
        before = next((t for t in old.tables if t.name == table.name), None)
        if before is not None:
            found += _rules(before, table)
    found += _references(old.references, new.references)
    found += _named("evidence", old.evidence, new.evidence, _evidence_text)
    found += _named("caveat", old.caveats, new.caveats, lambda c: c.text)
    found += _named("note", old.notes, new.notes, lambda n: f"on {', '.join(n.targets)}: {n.text}")
    found += _named("quote", old.quotes, new.quotes, lambda q: f"on {', '.join(q.targets)}: {q.text}")
    found += _named("example", old.examples, new.examples, _example_text)
    return found


def _named(kind: str, old: Iterable[Item], new: Iterable[Item], text: Callable[[Item], str],
           prefix: str = "") -> Iterator[StatementChange]:
    before = {_name(item): item for item in old}
    after = {_name(item): item for item in new}
    for name, item in after.items():
        if name not in before:
            yield StatementChange("added", f"{kind} {prefix}{name}", text(item))
        elif (was := text(before[name])) != (now := text(item)):
            yield StatementChange("changed", f"{kind} {prefix}{name}", f"{was} -> {now}")
    for name, item in before.items():
        if name not in after:
            yield StatementChange("removed", f"{kind} {prefix}{name}", text(item))


def _name(item: object) -> str:
    return str(getattr(item, "name"))  # noqa: B009 (every statement kind compared has a name)


def _scope(old: ir.IRScope | None, new: ir.IRScope | None) -> list[StatementChange]:
    before, after = (old.text if old else "(none)"), (new.text if new else "(none)")
    return [] if before == after else [StatementChange("changed", "scope", f"{before} -> {after}")]


def _clinical_source(old: ir.IRClinicalSource | None,
                     new: ir.IRClinicalSource | None) -> list[StatementChange]:
    before, after = _source_text(old), _source_text(new)
    return [] if before == after else [StatementChange("changed", "clinical source", f"{before} -> {after}")]


def _source_text(source: ir.IRClinicalSource | None) -> str:
    if source is None:
        return "(none)"
    return f"{source.path} ({source.title}, {source.date}; sha256 {source.sha256[:12]})"


def _references(old: tuple[ir.IRReference, ...], new: tuple[ir.IRReference, ...]) -> list[StatementChange]:
    before = {r.number: r.citation for r in old}
    after = {r.number: r.citation for r in new}
    found = [StatementChange("added", f"reference {n}", text) for n, text in after.items() if n not in before]
    found += [StatementChange("changed", f"reference {n}", f"{before[n]} -> {text}")
              for n, text in after.items() if n in before and before[n] != text]
    found += [StatementChange("removed", f"reference {n}", text)
              for n, text in before.items() if n not in after]
    return found


def _enum_text(item: ir.IREnum) -> str:
    labels = dict(item.labels)
    return ", ".join(f"{m} {labels[m]!r}" if m in labels else m for m in item.members)


def _input_text(item: ir.IRInput) -> str:
    t = item.type
    kind = {"bool": "yes/no", "enum": f"one of {', '.join(t.members)}",
            "set": f"set of {', '.join(t.members)}"}.get(t.kind, t.kind)
    bounds = f" {t.low}..{t.high}" if t.kind in ("integer", "decimal") else ""
    default = "" if item.required else f", default {item.default}"
    return f"{kind}{bounds}{default}"


def _table_text(table: ir.IRTable) -> str:
    complete = ", complete" if table.complete else ""
    return f"“{table.title}”, hit {table.hit}{complete}; outputs {', '.join(o.name for o in table.outputs)}"


def _rules(old: ir.IRTable, new: ir.IRTable) -> list[StatementChange]:
    found = list(_named("rule", old.rules, new.rules, _rule_text, prefix=f"{new.name}."))
    kept_old = [r.name for r in old.rules if r.name in {n.name for n in new.rules}]
    kept_new = [r.name for r in new.rules if r.name in {o.name for o in old.rules}]
    if kept_old != kept_new:
        found.append(StatementChange("reordered", f"rules of {new.name}",
                                     f"{', '.join(kept_old)} -> {', '.join(kept_new)}"))
    return found


def _rule_text(rule: ir.IRRule) -> str:
    outputs = " | ".join("-" if v is None else str(v) for v in rule.outputs)
    notes = "; ".join(filter(None, [", ".join(rule.evidence), "; ".join(rule.caveat_names)]))
    return f"| {' | '.join(rule.cells)} || {outputs} |" + (f" ({notes})" if notes else "")


def _evidence_text(item: ir.IREvidence) -> str:
    return "; ".join([item.title, *item.design, *item.population, *item.findings])


def _example_text(item: ir.IRExample) -> str:
    facts = ", ".join(f"{k}: {v}" for k, v in item.facts.items())
    expected = ", ".join(f"{e.subject}: {e.expected}" for e in item.expectations)
    return f"{facts}; expect {expected}"
