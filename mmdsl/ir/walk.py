"""Walking a guideline's conditions: what the verifier, the back ends, DMN export and the cohort
generator each need to find the constants, members and refs the tables use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeAlias

from mmdsl.ir import model as ir


def conditions(guideline: ir.IRGuideline) -> Iterator[ir.Cond]:
    """The whole conditions of a guideline: each derived fact's, the scope's, each impossible
    combination's, each cell's test."""
    yield from (fact.condition for fact in guideline.facts)
    yield from (fact.false_when for fact in guideline.facts if fact.false_when is not None)
    yield from (c for computed in guideline.computed for c in choices(computed.expr))
    if guideline.scope is not None:
        yield guideline.scope.condition
    yield from (impossible.condition for impossible in guideline.impossible)
    yield from (test for table in guideline.tables for rule in table.rules for test in rule.tests)


def choices(expr: ir.NumExpr) -> Iterator[ir.Cond]:
    """The conditions of the `if`s in a numeric fact's arithmetic."""
    match expr:
        case ir.Pick():
            yield expr.condition
            yield from choices(expr.then)
            yield from choices(expr.otherwise)
        case ir.Calc():
            yield from choices(expr.left)
            yield from choices(expr.right)
        case ir.Neg():
            yield from choices(expr.item)


def with_choices(expr: ir.NumExpr, change: Callable[[ir.Cond], ir.Cond]) -> ir.NumExpr:
    """The arithmetic with each `if`'s condition changed (the verifier's time abstraction)."""
    match expr:
        case ir.Pick():
            return ir.Pick(change(expr.condition), with_choices(expr.then, change),
                           with_choices(expr.otherwise, change))
        case ir.Calc():
            return ir.Calc(expr.op, with_choices(expr.left, change), with_choices(expr.right, change))
        case ir.Neg():
            return ir.Neg(with_choices(expr.item, change))
    return expr


def numbers_read(expr: ir.NumExpr) -> Iterator[str]:
    """The refs a numeric fact's arithmetic reads as numbers (not those of its conditions)."""
    match expr:
        case ir.Read():
            yield expr.ref
        case ir.Pick():
            yield from numbers_read(expr.then)
            yield from numbers_read(expr.otherwise)
        case ir.Calc():
            yield from numbers_read(expr.left)
            yield from numbers_read(expr.right)
        case ir.Neg():
            yield from numbers_read(expr.item)


def unknown_durations(guideline: ir.IRGuideline) -> frozenset[str]:
    """The duration facts that may be unknown: from or to a date input declared `or unknown`
    (unknown when that date is, as DMN's date arithmetic with null)."""
    unknown = {item.name for item in guideline.inputs if item.unknown}
    return frozenset(i.name for i in guideline.intervals if {i.start, i.end} & unknown)


Derived: TypeAlias = ir.IRFact | ir.IRComputed | ir.IRLabel


def evaluation_order(guideline: ir.IRGuideline) -> tuple[tuple[str, Derived], ...]:
    """Every derived fact, yes/no, numeric and text, each after those it reads."""
    by_name: dict[str, Derived] = {f.name: f for f in guideline.facts}
    by_name.update({c.name: c for c in guideline.computed})
    by_name.update({t.name: t for t in guideline.labels})
    order = guideline.derived_order or tuple(f.name for f in guideline.facts)
    return tuple((name, by_name[name]) for name in order)


def text_parts(expr: ir.TextExpr) -> Iterator[ir.TextExpr]:
    """A text fact's expression and every one inside it, depth first."""
    yield expr
    if isinstance(expr, ir.Join):
        for part in expr.parts:
            yield from text_parts(part)
    elif isinstance(expr, ir.PickText):
        yield from text_parts(expr.then)
        yield from text_parts(expr.otherwise)


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
        case ir.IsSet(ref=ref) | ir.Compare(ref=ref) | ir.OneOf(ref=ref) | ir.SetTest(ref=ref) \
                | ir.OnDay(ref=ref) | ir.AtTime(ref=ref) | ir.AtClock(ref=ref):
            yield ref
        case ir.Elapsed(start=start, end=end):  # a duration reads its two dates
            yield start
            yield end
        case ir.Not(item=item):
            yield from refs_read(item)
        case ir.AllOf(items=items) | ir.AnyOf(items=items):
            for item in items:
                yield from refs_read(item)
