"""Findings of the analyses as diagnostics: the rows concerned, witnesses, and the way to a fix."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from dataclasses import replace

from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import lookup
from mmdsl.diagnostics.names import CodeName
from mmdsl.ir import model as ir
from mmdsl.semantics.symbols import Symbols, TableInfo
from mmdsl.source import Span
from mmdsl.syntax import ast
from mmdsl.verify.analyses import Finding, TableAnalysis, advice_applies, subsumption_applies
from mmdsl.verify.bdd import MAX_STEPS, TooComplex
from mmdsl.verify.conditions import ConstantCondition, constant_conditions
from mmdsl.verify.encode import MAX_VARIABLES, Encoder, Unverifiable, rank
from mmdsl.verify.result import ANALYSES, AnalysisResult, TableVerification, Verification
from mmdsl.verify.values import UnreadValues, unread_values

MAX_OVERLAP_GROUPS = 10


def verify(path: str, symbols: Symbols, guideline: ir.IRGuideline) -> list[Diagnostic]:
    """Every finding of every table of a guideline that passed the checks, as diagnostics."""
    return diagnostics_of(path, symbols, guideline, verify_guideline(guideline))


def verify_guideline(guideline: ir.IRGuideline) -> Verification:
    """What the analyses prove, find and leave unchecked, table by table.

    The analysis is bounded: a table that would need more operations, nodes or variables than
    allowed (bdd.MAX_STEPS, bdd.MAX_NODES, encode.MAX_VARIABLES) is not verified, and its result
    says so (MD606) instead of making the compiler hang or run out of memory.
    """
    values = tuple(unread_values(guideline))
    acknowledged = {target: note.text for note in guideline.notes for target in note.targets}
    with recursion_for_variables():
        try:
            encoder = Encoder(guideline)
        except TooComplex as too_complex:
            return Verification(tuple(_unchecked(t, _needs(str(too_complex)), acknowledged)
                                      for t in guideline.tables), values)
        except Unverifiable as unverifiable:  # the scope reads it: every table depends on it
            reason = f"the scope reads `{unverifiable.ref}`, {unverifiable.why}"
            return Verification(tuple(replace(_unchecked(t, reason, acknowledged),
                                              column=unverifiable.ref)
                                      for t in guideline.tables), values)
        return Verification(tuple(_verify_table(encoder, table, acknowledged)
                                  for table in guideline.tables), values, _constants(encoder))


def _constants(encoder: Encoder) -> tuple[ConstantCondition, ...]:
    """The facts and scope that are always true or false; none claimed when past the budget
    (nothing reads their absence as a proof)."""
    encoder.bdd.allow(MAX_STEPS)
    try:
        return tuple(constant_conditions(encoder))
    except TooComplex:
        return ()


def _needs(reason: str) -> str:
    return f"the analysis would need {reason}"


def _applies(table: ir.IRTable, name: str) -> bool:
    """Whether an analysis has a meaning for the table's hit policy."""
    if name == "unreachable_rules":
        return table.hit in ("first", "priority")
    if name == "overlaps":
        return table.hit in ("unique", "any")
    if name == "redundant_rules":
        return table.result_kind == "list"
    if name == "hit_policy_advice":
        return advice_applies(table)
    if name == "subsumed_rules":
        return subsumption_applies(table)
    return True


def _unchecked(table: ir.IRTable, reason: str, acknowledged: dict[str, str],
               done: tuple[AnalysisResult, ...] = ()) -> TableVerification:
    rest = tuple(AnalysisResult(name, "not_checked", reason=reason) if _applies(table, name)
                 else AnalysisResult(name, "not_applicable") for name, _ in ANALYSES[len(done):])
    return TableVerification(table.name, done + rest, reason, acknowledged.get(table.name, ""))


def _verify_table(encoder: Encoder, table: ir.IRTable, acknowledged: dict[str, str]) -> TableVerification:
    """The result of each analysis of one table. Past the budget, the results of the analyses
    already done are kept and the others are not checked (the gap analysis, the costliest, comes
    last)."""
    encoder.bdd.allow(MAX_STEPS)
    done: list[AnalysisResult] = []
    try:
        analysis = TableAnalysis(encoder, table, encoder.in_scope)
        for name, _ in ANALYSES:
            if not _applies(table, name):
                done.append(AnalysisResult(name, "not_applicable"))
                continue
            findings = tuple(getattr(analysis, name)())
            done.append(AnalysisResult(name, "found" if findings else "proved", findings))
    except Unverifiable as unverifiable:
        reason = f"the column `{unverifiable.ref}` reads {unverifiable.why}"
        return replace(_unchecked(table, reason, acknowledged), column=unverifiable.ref)
    except TooComplex as too_complex:
        return _unchecked(table, _needs(str(too_complex)), acknowledged, tuple(done))
    return TableVerification(table.name, tuple(done))


def diagnostics_of(path: str, symbols: Symbols, guideline: ir.IRGuideline,
                   verification: Verification) -> list[Diagnostic]:
    """The verifier's result as diagnostics: one per finding, MD606 per table not fully verified
    (unless the authors acknowledged it with a note on the table), MD607 per unread value."""
    found = [_unread(path, symbols, values) for values in verification.unread_values]
    found += [_constant_condition(path, symbols, c) for c in verification.constant_conditions]
    for table, result in zip(guideline.tables, verification.tables, strict=True):
        info = symbols.tables[table.name]
        found += [_diagnostic(path, info, table, f) for f in _capped(list(result.findings))]
        if not result.fully_verified and not result.acknowledgement:
            found.append(_not_verified(path, info, table, result))
    return found


def _not_verified(path: str, info: TableInfo, table: ir.IRTable, result: TableVerification) -> Diagnostic:
    if result.column:
        return _unverified(path, info, result.column, result.reason)
    reason = result.reason.removeprefix("the analysis would need ")
    unchecked = [_STEP_WORDS[name] for name in result.unchecked]
    applicable = [name for name, _ in ANALYSES if _applies(table, name)]
    return _too_complex(path, info, reason, None if len(unchecked) == len(applicable) else unchecked)


_STEP_WORDS = {"dead_rules": "dead rules", "unreachable_rules": "unreachable rules",
               "overlaps": "overlaps", "redundant_rules": "redundant rules", "gaps": "gaps",
               "constant_cells": "constant cells", "undistinguished_columns": "columns",
               "hit_policy_advice": "hit policy", "subsumed_rules": "subsumed rules",
               "mergeable_rules": "mergeable rules"}


@contextlib.contextmanager
def recursion_for_variables() -> Iterator[None]:
    """Room for the BDD operations, which recurse once or twice per variable (Python 3.11 and later
    run Python-to-Python calls without the C stack, so only the interpreter's limit binds)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + 3 * MAX_VARIABLES)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def _capped(findings: list[Finding]) -> list[Finding]:
    """At most MAX_OVERLAP_GROUPS overlap groups per table; the last one says how many there are."""
    overlaps = [f for f in findings if f.kind == "overlap"]
    if len(overlaps) <= MAX_OVERLAP_GROUPS:
        return findings
    kept = overlaps[:MAX_OVERLAP_GROUPS]
    last = kept[-1]
    kept[-1] = Finding(**{**last.__dict__, "extra": {**last.extra, "total_groups": len(overlaps)}})
    return [f for f in findings if f.kind != "overlap"] + kept


# ---- one diagnostic per finding ----------------------------------------------------------------


def _diagnostic(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    build = {"dead": _dead, "unreachable": _unreachable, "overlap": _overlap, "gap": _gap,
             "redundant": _redundant, "constant": _constant, "undistinguished": _undistinguished,
             "advice": _advice, "subsumed": _subsumed, "mergeable": _mergeable}[finding.kind]
    return build(path, info, table, finding)


MAX_NAMED_RULES = 10


def _names(table: ir.IRTable, indexes: tuple[int, ...]) -> str:
    names = [f"`{table.rules[i].name}`" for i in indexes]
    if len(names) > MAX_NAMED_RULES:  # the data of the diagnostic lists them all
        return ", ".join(names[:MAX_NAMED_RULES]) + f" and {len(names) - MAX_NAMED_RULES} more rules"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _row_span(info: TableInfo, index: int) -> Span:
    return info.decl.rows[index].span


def _cells_span(info: TableInfo, index: int, columns: tuple[int, ...]) -> Span:
    offset = 1 if info.layout.has_rule_column else 0
    cells = info.decl.rows[index].cells
    if not columns:
        return _row_span(info, index)
    return cells[columns[0] + offset].span.to(cells[columns[-1] + offset].span)


def _facts(witness: dict[str, ir.JsonValue] | None) -> str:
    return json.dumps(witness, ensure_ascii=False)


def _dead(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    index = finding.rules[0]
    cells = [f"{table.columns[c].label}: {table.rules[index].cells[c]}" for c in finding.cells]
    reason = (f"{'; '.join(cells)} cannot all hold" if cells
              else "no patient is in scope at all (the scope's conditions cannot hold together)")
    return lookup("dead-rule").at(
        path, _cells_span(info, index, finding.cells),
        f"rule {_names(table, finding.rules)} can never apply to a patient in scope: {reason}",
        help="correct the cells that contradict each other, or remove the rule",
        rule=table.rules[index].name, cells=cells)


def _unreachable(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    index = finding.rules[0]
    order = "come first" if table.hit == "first" else _outrank(table, index, finding.others)
    return lookup("unreachable-rule").at(
        path, _row_span(info, index),
        f"rule {_names(table, finding.rules)} never decides: {_names(table, finding.others)} "
        f"{order} and take every patient it matches (hit policy {table.hit})",
        help=("move the rule above the rules that take its patients, narrow them, or remove it"
              if table.hit == "first" else "narrow the rules that take its patients, or remove it "
              "(under priority the order of the output's values decides; between equal values, "
              "the earlier rule)"),
        rule=table.rules[index].name, covered_by=[table.rules[i].name for i in finding.others])


def _outrank(table: ir.IRTable, index: int, winners: tuple[int, ...]) -> str:
    """How the winners beat a masked rule under priority: by the order of their outputs' values,
    or (for equal values) by coming first."""
    mine = rank(table, table.rules[index])
    if all(rank(table, table.rules[w]) < mine for w in winners):
        return "rank higher"
    if all(rank(table, table.rules[w]) == mine for w in winners):
        return "rank as high but come first"
    return "rank higher (or as high and come first)"


def _overlap(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    pair = finding.extra["pair"]
    assert isinstance(pair, tuple)
    first, second = pair
    total = finding.extra.get("total_groups")
    more = f" (showing {MAX_OVERLAP_GROUPS} of {total} groups of overlapping rules)" if total else ""
    what = "can match" if table.hit == "unique" else "can match with different outputs"
    return lookup("overlap").at(
        path, _row_span(info, second),
        f"rules {_names(table, finding.rules)} overlap: one patient {what} both "
        f"`{table.rules[first].name}` and `{table.rules[second].name}` (hit policy {table.hit}){more}",
        help=f"for example the patient {_facts(finding.witness)}; make the rules exclusive, "
             "or choose the hit policy first or priority if an order is meant",
        rules=[table.rules[i].name for i in finding.rules], witness=finding.witness)


def _gap(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    code: CodeName = "incomplete-table" if table.complete else "gap"
    count = finding.region_total
    shown = "\n".join(f"not covered: {region}; a row like `{row}` would close it"
                      for region, row in zip(finding.regions, finding.suggestions, strict=True))
    at_least = "at least " if finding.extra.get("capped") else ""
    more = (f"\n… and {at_least}{count - len(finding.regions)} more regions"
            if count > len(finding.regions) else "")
    claim = " although it is declared complete" if table.complete else ""
    return lookup(code).at(
        path, info.decl.name.span,
        f"table `{table.name}` gives no result for some patients in scope{claim} "
        f"({at_least}{count} region{'s' if count != 1 else ''})",
        help=f"{shown}{more}\nfor example the patient {_facts(finding.witness)}",
        table=table.name, regions=list(finding.regions), region_total=count, witness=finding.witness,
        witnesses=finding.extra.get("witnesses", []), suggestions=list(finding.suggestions))


def _redundant(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    index = finding.rules[0]
    return lookup("redundant-rule").at(
        path, _row_span(info, index),
        f"rule {_names(table, finding.rules)} adds nothing: {_names(table, finding.others)} "
        "already give the same outputs to every patient it matches",
        help="remove the rule, or change what distinguishes it",
        rule=table.rules[index].name, covered_by=[table.rules[i].name for i in finding.others])


def _constant(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    index, column = finding.rules[0], finding.cells[0]
    cell = table.rules[index].cells[column]
    return lookup("constant-cell").at(
        path, _cells_span(info, index, (column,)),
        f"the cell `{cell}` of rule {_names(table, finding.rules)} holds for every patient in scope "
        f"(column {table.columns[column].label}): it says nothing",
        help="write `-` if any patient is meant, or correct the value the cell should test",
        rule=table.rules[index].name, column=table.columns[column].label, cell=cell)


def _undistinguished(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    column = finding.cells[0]
    header = info.layout.inputs[column] if column < len(info.layout.inputs) else None
    span = header.span if header is not None else info.decl.name.span
    return lookup("undistinguished-column").at(
        path, span,
        f"the column {table.columns[column].label} of table `{table.name}` tells no rule from "
        "another: its cells hold for the same patients in every rule",
        help="remove the column, or write the cells that were meant to tell the rules apart",
        table=table.name, column=table.columns[column].label)


def _advice(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    advice = finding.extra["advice"]
    if table.hit in ("first", "priority"):
        what = (f"no two rules of table `{table.name}` overlap" if advice == "unique"
                else f"the rules of table `{table.name}` that overlap always give the same outputs")
        message = f"{what}: its order (hit policy {table.hit}) decides nothing"
    elif table.hit == "any":
        message = f"no two rules of table `{table.name}` overlap (hit policy any)"
    else:
        message = (f"no two rules of table `{table.name}` overlap: it never gives more than one result "
                   f"(hit policy {table.hit})")
    fixes = {"unique": "write `hit unique`: it says that each patient matches one rule, and mmdsl checks it",
             "any": "write `hit any`: it says that rules that overlap agree, and mmdsl checks it"}
    if table.result_kind == "list":
        fixes["unique"] += " (what reads the table then reads one value, not a list)"
    return lookup("hit-policy-advice").at(
        path, info.decl.name.span, message, help=fixes[str(advice)],
        table=table.name, hit=table.hit, advice=advice)


def _subsumed(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    index, broader = finding.rules[0], finding.others[0]
    return lookup("subsumed-rule").at(
        path, _row_span(info, index),
        f"rule {_names(table, finding.rules)} adds nothing: rule `{table.rules[broader].name}` gives "
        f"the same outputs to every patient it matches (hit policy {table.hit}{_aggregate(table)})",
        help=f"remove the rule, or change what distinguishes it from `{table.rules[broader].name}`",
        rule=table.rules[index].name, subsumed_by=table.rules[broader].name)


def _aggregate(table: ir.IRTable) -> str:
    return f" {table.aggregate}" if table.aggregate else ""


def _mergeable(path: str, info: TableInfo, table: ir.IRTable, finding: Finding) -> Diagnostic:
    first, second = finding.rules
    column = finding.cells[0]
    label = table.columns[column].label
    cells = [table.rules[i].cells[column] for i in (first, second)]
    merged = finding.extra["cell"]
    return lookup("mergeable-rules").at(
        path, _row_span(info, second),
        f"rules {_names(table, finding.rules)} could be one rule: they say the same (outputs, "
        f"evidence, caveats) and differ only in the column {label} (`{cells[0]}` and `{cells[1]}`)",
        help=f"write one rule with `{merged}` in the column {label} in place of both",
        rules=[table.rules[i].name for i in finding.rules], column=label, cell=merged)


def _constant_condition(path: str, symbols: Symbols, found: ConstantCondition) -> Diagnostic:
    decl = symbols.facts[found.owner] if found.owner else symbols.scope
    assert decl is not None
    expr = decl.expr
    for index in found.path:  # an operand of `and`, `or`, `not`, as written
        match expr:
            case ast.And() | ast.Or():
                expr = expr.items[index]
            case ast.Not():
                expr = expr.item
    whose = f"the fact `{found.owner}`" if found.owner else "the scope"
    what = "part of " + whose + " (marked)" if found.path else whose
    if found.value:
        says = ("holds for every valid patient: it excludes nobody" if not found.owner and not found.path
                else "holds for every valid patient: it says nothing")
    else:
        says = "holds for no valid patient"
    return lookup("constant-condition").at(
        path, expr.span, f"{what} {says}",
        help="correct the condition (was `and` meant for `or`, or a threshold on the wrong side?), "
             "or remove what says nothing",
        fact=found.owner or None, always=found.value)


def _unread(path: str, symbols: Symbols, found: UnreadValues) -> Diagnostic:
    listed = _listed(found.members)
    if found.kind == "set":
        message = (f"no rule, fact or scope reads whether `{found.input}` holds {listed}: "
                   f"{'it never changes' if len(found.members) == 1 else 'they never change'} a decision")
    else:
        message = f"no rule, fact or scope tells the values {listed} of `{found.input}` apart"
    example = f"{found.input}.{found.members[0]}"
    return lookup("unread-value").at(
        path, symbols.inputs[found.input].decl.name.span, message,
        help=f"add the rules that need {'it' if len(found.members) == 1 else 'them'}, or say in a note "
             f"on each value why none does: `note why on {example}: \"...\"`",
        input=found.input, values=list(found.members))


def _listed(names: tuple[str, ...]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _unverified(path: str, info: TableInfo, ref: str, reason: str) -> Diagnostic:
    header = next((h for h in info.layout.inputs if ref in (h.subject.text, h.subject.name.text)),
                  None)
    span = header.span if header else info.decl.name.span
    return lookup("unverified").at(
        path, span,
        f"the rules of table `{info.name}` are not verified: {reason}",
        help="test the table with worked examples; gaps and overlaps are not checked for it "
             f"(a note on the table, `note why on {info.name}: \"...\"`, records that this is known)")


def _too_complex(path: str, info: TableInfo, reason: str, unchecked: list[str] | None = None) -> Diagnostic:
    every = unchecked is None
    if every:
        message = f"the rules of table `{info.name}` are not verified: the analysis would need {reason}"
        help_text = ("split the table, or use fewer distinct thresholds; cover it with worked examples, "
                     "since its gaps and overlaps are not checked")
    else:
        assert unchecked is not None
        listed = unchecked[0] if len(unchecked) == 1 else ", ".join(unchecked[:-1]) + " and " + unchecked[-1]
        message = (f"the rules of table `{info.name}` are not fully verified: checking its {listed} "
                   f"would need {reason}")
        help_text = (f"the other findings of the table are reported; its {listed} are not checked: "
                     "split the table, or use fewer distinct thresholds, and cover it with worked examples")
    return lookup("unverified").at(path, info.decl.name.span, message, help=help_text)
