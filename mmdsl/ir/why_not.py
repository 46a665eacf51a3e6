"""Why not: for each value a table could have given but did not, what stood in the way.

A decision's `why_not` (docs/decision.md) names, for every rule whose value of the table's first
output is missing from the result, the first of its cells that the patient fails, in words. When
that cell tests a derived fact, the words go on into the fact's definition: the first part of it
that made the fact come out the wrong way ("not “CAR-T label met”: “prior lines” is less than 4").

This module only plans: which condition to test at each step and what to say when it fails. The
interpreter tests the plan's conditions itself; the Python back end turns them into code. So the
words are the same in both by construction, and whether a condition holds is decided twice,
independently, which the differential tests compare.
"""

from __future__ import annotations

from dataclasses import dataclass

from mmdsl.ir import model as ir
from mmdsl.ir.verbalize import Vocabulary, describe, range_words, vocabulary_of

SEPARATOR = ": "  # between a failed condition and the part of it that failed first
# How many derived facts deep the words go: a chain of a thousand facts, each defined by the one
# before, is valid mmdsl, but neither the recursion that plans it nor a reader needs the whole
# chain; below this depth the fact's own words say what failed.
MAX_FACT_DEPTH = 16


@dataclass(frozen=True, slots=True)
class Check:
    """A condition that must hold; `failed`: what is true of the patient when it does not;
    `inner`: the finer checks that say which part of it failed (a derived fact's definition)."""

    condition: ir.Cond
    failed: str
    inner: tuple[Check, ...] = ()


@dataclass(frozen=True, slots=True)
class TablePlan:
    """A table's why-not plan: the output whose values are explained, and per rule its checks."""

    table: str
    output: str
    rules: tuple[tuple[Check, ...], ...]  # one per rule, in rule order: its cells that test


def plans_of(guideline: ir.IRGuideline) -> tuple[TablePlan, ...]:
    """A plan per table that gives rows (a number from `collect sum` etc. has no values to miss)."""
    planner = _Planner(vocabulary_of(guideline), {f.name: f.condition for f in guideline.facts})
    return tuple(TablePlan(table.name, table.outputs[0].name,
                           tuple(planner.rule(rule) for rule in table.rules))
                 for table in guideline.tables if table.result_kind != "number" and table.outputs)


class _Planner:
    """Builds checks once for each condition (tables repeat their cells from rule to rule)."""

    def __init__(self, words: Vocabulary, facts: dict[str, ir.Cond]) -> None:
        self.words = words
        self.facts = facts
        self.known: dict[tuple[ir.Cond, bool, int], Check] = {}

    def rule(self, rule: ir.IRRule) -> tuple[Check, ...]:
        return tuple(self.required(test, True) for test in rule.tests
                     if not isinstance(test, ir.Always))

    def required(self, condition: ir.Cond, must_hold: bool, depth: int = 0) -> Check:
        """The check that `condition` comes out as `must_hold`, `depth` facts down."""
        key = (condition, must_hold, depth)
        if key not in self.known:
            inner = self.inner(condition, must_hold, depth) if depth < MAX_FACT_DEPTH else ()
            self.known[key] = (Check(condition, describe(ir.Not(condition), self.words), inner)
                               if must_hold else
                               Check(ir.Not(condition), describe(condition, self.words), inner))
        return self.known[key]

    def inner(self, condition: ir.Cond, must_hold: bool, depth: int) -> tuple[Check, ...]:
        """The finer checks of a condition that did not come out as `must_hold`: for a test of
        a derived fact, its definition."""
        match condition:
            case ir.OneOf(ref=ref, values=(bool() as wanted,)) if ref in self.facts:
                return self.parts(self.facts[ref], must_hold == wanted, depth + 1)
            case ir.Not(item=item):
                return self.inner(item, not must_hold, depth)
        return ()

    def parts(self, condition: ir.Cond, must_hold: bool, depth: int) -> tuple[Check, ...]:
        """A definition, split where one part alone decides: `a and b` that must hold fails at
        its first part that fails; `a or b` that must not hold fails at its first part that
        holds; a definition that is another fact goes on into that fact. Anything else (a test
        of one value, an `or` all of whose parts failed…) the fact's own words have said."""
        match condition:
            case ir.Not(item=item):
                return self.parts(item, not must_hold, depth)
            case ir.AllOf(items=items) if must_hold and _separate(items):
                return tuple(self.required(item, True, depth) for item in items)
            case ir.AnyOf(items=items) if not must_hold and _separate(items):
                return tuple(self.required(item, False, depth) for item in items)
            case ir.OneOf(ref=ref, values=(bool(),)) if ref in self.facts:
                return (self.required(condition, must_hold, depth),)
        return ()


def _separate(items: tuple[ir.Cond, ...]) -> bool:
    """Parts worth naming one by one: not the two ends of one range (`from 1 to 3`)."""
    return len(items) > 1 and range_words(items) is None


# ---- the words when a rule matched but its value was still not given --------------------------
# The evaluators write these themselves (their texts are part of docs/decision.md).

CHOSEN = "it matched, but rule {rule} was chosen"
CONFLICT = "it matched, but rules {rules} conflict"
REPEATED = "it matched, but rule {rule} gave the same {outputs} first"
