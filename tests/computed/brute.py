"""Brute force for the verifier's exactness tests: what every patient of a small domain gets.

`cells_truth` takes the values a computed number takes (one per patient) and the cells of a
one-column table over it; `table_truth` runs the reference interpreter's arithmetic and
conditions on each patient of a list, for any table. Both answer what the verifier must find:
whether some patient matches no rule, which rules match nobody, which pairs of rules some
patient matches both.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from mmdsl import interpreter
from mmdsl.ir import model as ir
from mmdsl.ir.walk import evaluation_order
from mmdsl.pipeline import compile_source
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.numbers import Exact
from mmdsl.runtime.prelude import validate_facts
from mmdsl.source import Source
from mmdsl.verify.report import verify_guideline
from mmdsl.verify.witness import matching_rules

OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge, "<=": operator.le, "<": operator.lt, ">": operator.gt,
    "=": operator.eq, "!=": operator.ne,
}


@dataclass
class Truth:
    gap: bool = False  # some patient in scope matches no rule
    dead: set[int] = field(default_factory=set)  # rules no patient matches
    overlaps: set[tuple[int, int]] = field(default_factory=set)  # pairs some patient matches

    @property
    def groups(self) -> set[frozenset[int]]:
        """The overlapping pairs as connected groups of rules (as the verifier reports them)."""
        groups: list[set[int]] = []
        for pair in sorted(self.overlaps):
            joined = [g for g in groups if g & set(pair)]
            merged = set(pair).union(*joined)
            groups = [g for g in groups if g not in joined] + [merged]
        return {frozenset(g) for g in groups}


def truth_of(matches: Iterable[list[bool]], rules: int) -> Truth:
    """What the verifier must find, from the rules each patient matches."""
    found = Truth(dead=set(range(rules)))
    for hits in matches:
        found.gap |= not any(hits)
        found.dead -= {i for i, hit in enumerate(hits) if hit}
        matched = [i for i, hit in enumerate(hits) if hit]
        found.overlaps |= set(itertools.combinations(matched, 2))
    return found


def cells_truth(cells: list[tuple[str, str]], values: Iterable[Fraction | int]) -> Truth:
    """A table of one column of cells `op value` over a number, given its value for each patient."""
    return truth_of(([OPS[op](value, Fraction(text)) for op, text in cells] for value in values),
                    len(cells))


def table_truth(guideline: ir.IRGuideline, table: str, patients: Iterable[dict[str, Any]]) -> Truth:
    """A table of a guideline over every patient given (patients outside the scope are left out),
    by the reference interpreter's arithmetic and conditions."""
    [chosen] = [t for t in guideline.tables if t.name == table]
    fields = input_fields(guideline.inputs)

    def matches() -> Iterable[list[bool]]:
        for facts in patients:
            values = validate_facts(facts, fields)
            for name, fact in evaluation_order(guideline):
                if isinstance(fact, ir.IRComputed):
                    values[name] = Exact(interpreter.compute(fact.expr, values))
                else:
                    values[name] = interpreter.holds(fact.condition, values)
            if guideline.scope is None or interpreter.holds(guideline.scope.condition, values):
                yield [all(interpreter.holds(t, values) for t in rule.tests) for rule in chosen.rules]
    return truth_of(matches(), len(chosen.rules))


def derived_truth(guideline: ir.IRGuideline, patients: Iterable[dict[str, Any]]) -> Truth:
    """The guideline's one table over every patient given, its facts derived as the interpreter
    derives them (Kleene's logic: a fact over an unknown value may itself be unknown)."""
    [table] = guideline.tables
    fields = input_fields(guideline.inputs)

    def matches() -> Iterable[list[bool]]:
        for facts in patients:
            values = validate_facts(facts, fields)
            interpreter.derive(guideline, values)
            yield [all(interpreter.holds(t, values) for t in rule.tests) for rule in table.rules]
    return truth_of(matches(), len(table.rules))


def verified(text: str) -> tuple[ir.IRGuideline, Any]:
    """The guideline of `text` and the verifier's report on its first table."""
    compilation = compile_source(Source("t.mmdsl", text), verify=False)
    assert compilation.guideline is not None, (text, compilation.diagnostics)
    return compilation.guideline, verify_guideline(compilation.guideline).tables[0]


def grid(low: str, high: str, step: str) -> list[float]:
    """Every decimal from low to high in steps (as JSON gives them: floats)."""
    first, last, size = Fraction(low), Fraction(high), Fraction(step)
    return [float(first + i * size) for i in range(int((last - first) / size) + 1)]


def assert_findings_are_the_truth(guideline: ir.IRGuideline, report: Any, truth: Truth,
                                  text: str) -> None:
    """The verifier's findings on the guideline's one table (`report`) are brute force's: the
    gap, the dead rules, the groups of overlapping rules; and every gap or overlap witness is a
    real patient (null where unknown) that matches no rule, or two or more."""
    findings = report.findings
    assert bool([f for f in findings if f.kind == "gap"]) == truth.gap, text
    assert {f.rules[0] for f in findings if f.kind == "dead"} == truth.dead, text
    assert {frozenset(f.rules) for f in findings if f.kind == "overlap"} == truth.groups, text
    [rules] = guideline.tables
    for finding in findings:
        if finding.witness is None or finding.kind not in ("gap", "overlap"):
            continue
        matched = matching_rules(guideline, rules, finding.witness)
        assert matched is not None, text
        if finding.kind == "gap":
            assert not any(matched), (text, finding.witness)
        else:
            assert sum(matched) >= 2, (text, finding.witness)
