"""Walking a guideline's conditions: what the verifier, the back ends, DMN export and the cohort
generator each need to find the constants, members and refs the tables use."""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.ir import model as ir


def conditions(guideline: ir.IRGuideline) -> Iterator[ir.Cond]:
    """The whole conditions of a guideline: each derived fact's, the scope's, each impossible
    combination's, each cell's test."""
    yield from (fact.condition for fact in guideline.facts)
    if guideline.scope is not None:
        yield guideline.scope.condition
    yield from (impossible.condition for impossible in guideline.impossible)
    yield from (test for table in guideline.tables for rule in table.rules for test in rule.tests)


def parts(condition: ir.Cond) -> Iterator[ir.Cond]:
    """A condition and every condition inside it, depth first."""
    yield condition
    if isinstance(condition, ir.Not):
        yield from parts(condition.item)
    elif isinstance(condition, ir.AllOf | ir.AnyOf):
        for item in condition.items:
            yield from parts(item)


def refs_read(condition: ir.Cond) -> Iterator[str]:
    """The refs a condition reads, in the order they appear (with repeats)."""
    match condition:
        case ir.IsSet(ref=ref) | ir.Compare(ref=ref) | ir.OneOf(ref=ref) | ir.SetTest(ref=ref):
            yield ref
        case ir.Elapsed(start=start, end=end):  # a duration reads its two dates
            yield start
            yield end
        case ir.Not(item=item):
            yield from refs_read(item)
        case ir.AllOf(items=items) | ir.AnyOf(items=items):
            for item in items:
                yield from refs_read(item)
