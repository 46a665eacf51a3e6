"""Decimal computed numbers as classes of values.

A decimal fact (`bmi = weight_kg / (height_m * height_m)`) takes too many values to list one by
one, but the tables and conditions only ask which side of their thresholds it lies on: the
thresholds of every test on the fact cut its values into intervals, its classes (`< 18.5`,
`18.5..25` ...). Each class gets variables of its own, ordered as an input's thresholds are
(verify/encode.py), and the domain says which classes each patient can be in: for each piece of
the fact's arithmetic (verify/computed.py: the patients of one branch of its `if`s and one value
of each whole-number input it reads) and each box of its decimal inputs (the intervals between
the thresholds the tables test them with), the classes some point of the box reaches
(verify/realise.py, exact, with a witness point).

So the domain is exact: a combination of classes and input intervals is in it when a valid
patient has it. Two facts that read the same decimal input would need their classes decided
together; they are not analysed (MD606). A class whose reach could not be decided within the
budget is kept in the domain (so no table is said to be covered that might not be) but left out
of `certain`: a finding's witness is taken from `certain` only, and when there is none the
table is reported not verified.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, numbers_read, parts
from mmdsl.verify.bdd import FALSE, TRUE
from mmdsl.verify.computed import NotEnumerable
from mmdsl.verify.realise import Budget, Expr, Interval, Question, Unknown, realise, variables

if TYPE_CHECKING:
    from mmdsl.verify.encode import Dimension, Encoder

MAX_BOXES = 4_096
"""Combinations of a piece's input intervals and the fact's classes one fact may need decided."""

MAX_PARTS_PER_FACT = 50_000
"""Parts of input boxes (verify/realise.py) all the questions of one fact may look at: past it,
the questions left are undecided (kept possible, never taken as impossible)."""


def decimal_facts(guideline: ir.IRGuideline) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The numeric facts that some condition tests and that read decimal inputs (directly or
    through other facts), with those inputs; and those that cannot be analysed by classes, with
    the reason in words."""
    computed = {c.name: c for c in guideline.computed}
    types = {i.name: i.type for i in guideline.inputs}
    tested = sorted({p.ref for c in conditions(guideline) for p in parts(c)  # type: ignore[union-attr]
                     if getattr(p, "ref", None) in computed
                     and computed[p.ref].unknown_when is None})  # type: ignore[union-attr]
    found: dict[str, tuple[str, ...]] = {}
    for name in tested:
        inputs = sorted(decimal_inputs(name, computed, types))
        if inputs:
            found[name] = tuple(inputs)
    refused: dict[str, str] = {}
    for first, second in itertools.combinations(found, 2):
        shared = sorted(set(found[first]) & set(found[second]))
        if shared:
            for name, other in ((first, second), (second, first)):
                refused.setdefault(name, f"the decimal input `{shared[0]}`, which the computed "
                                         f"number `{other}` reads too (two numbers over the same "
                                         "decimal input are not analysed together)")
    return {n: i for n, i in found.items() if n not in refused}, refused


def decimal_inputs(name: str, computed: dict[str, ir.IRComputed],
                    types: dict[str, ir.IRType]) -> set[str]:
    """The decimal inputs a computed number reads, directly or through other numbers."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for ref in numbers_read(computed[current].expr):
            if ref in computed:
                stack.append(ref)
            elif ref in types and types[ref].kind == "decimal":
                found.add(ref)
    return found


def class_intervals(dimension: Dimension) -> list[Interval]:
    """The classes of a fact: the values meeting the first i of its thresholds and no other."""
    keys = [key for key, _ in dimension.thresholds]
    found = []
    for i in range(len(keys) + 1):
        low = (_exact(keys[i - 1][0]), keys[i - 1][1]) if i else (None, False)
        high = (_exact(keys[i][0]), not keys[i][1]) if i < len(keys) else (None, False)
        found.append(Interval(low[0], high[0], low[1], high[1]))
    return found


def atom_intervals(dimension: Dimension) -> list[Interval]:
    """The intervals of an input's values between the thresholds, within its declared range."""
    value_type = dimension.input.type
    assert value_type.low is not None and value_type.high is not None
    floor, ceiling = _exact(value_type.low), _exact(value_type.high)
    found = []
    for interval in class_intervals(dimension):
        found.append(Interval(interval.low if interval.low is not None else floor,
                              interval.high if interval.high is not None else ceiling,
                              interval.low_open if interval.low is not None else False,
                              interval.high_open if interval.high is not None else False))
    return found


def position_cube(dimension: Dimension, position: int) -> dict[int, bool]:
    """The values meeting exactly the first `position` thresholds, as a cube."""
    return {var: index < position for index, (_, var) in enumerate(dimension.thresholds)}


def position_of(dimension: Dimension, assignment: dict[int, bool]) -> int:
    return sum(1 for _, var in dimension.thresholds if assignment.get(var, False))


def _exact(value: float | int) -> Fraction:
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


@dataclass
class FactClasses:
    """One decimal fact's classes, with the witness point of each combination that has one."""

    name: str
    dimension: Dimension
    inputs: tuple[str, ...]
    pieces: list[tuple[Expr, int]] = field(default_factory=list)
    witnesses: dict[tuple[int, tuple[int, ...], int], dict[str, Fraction]] = field(default_factory=dict)
    unknown: int = 0  # combinations whose reach was not decided within the budget


def relation(encoder: Encoder, fact: FactClasses) -> tuple[int, int]:
    """The domain's constraint on the fact's classes (every combination that may be reached,
    undecided ones included) and the certain one (only those reached by a witness)."""
    bdd = encoder.bdd
    fact.pieces = list(encoder.computed.pieces(fact.name).items())
    classes = class_intervals(fact.dimension)
    class_functions = [bdd.cube(position_cube(fact.dimension, i)) for i in range(len(classes))]
    orders = encoder.orders
    may, sure = [], []
    spent = 0
    budget = Budget(MAX_PARTS_PER_FACT)
    for index, (expr, guard) in enumerate(fact.pieces):
        names = sorted(variables(expr))
        dimensions = [encoder.dimensions[n] for n in names]
        atoms = [atom_intervals(d) for d in dimensions]
        for combination in itertools.product(*(range(len(a)) for a in atoms)):
            cube: dict[int, bool] = {}
            for dimension, position in zip(dimensions, combination, strict=True):
                cube.update(position_cube(dimension, position))
            region = bdd.all_of([guard, bdd.cube(cube), orders])
            if region == FALSE:
                continue
            box = {n: a[p] for n, a, p in zip(names, atoms, combination, strict=True)}
            reached, undecided = [], []
            for position, wanted in enumerate(classes):
                spent += 1
                if spent > MAX_BOXES:
                    raise NotEnumerable(f"more than {MAX_BOXES:,} combinations of its classes "
                                        "and its inputs' intervals")
                try:
                    point = realise(Question(expr, box, wanted), budget)
                except Unknown:
                    undecided.append(position)
                    continue
                if point is not None:
                    fact.witnesses[(index, combination, position)] = point
                    reached.append(position)
            fact.unknown += len(undecided)
            outside = bdd.negate(region)
            may.append(bdd.disjoin(outside, bdd.any_of([class_functions[p]
                                                        for p in reached + undecided])))
            sure.append(bdd.disjoin(outside, bdd.any_of([class_functions[p] for p in reached])))
    return bdd.all_of(may), (bdd.all_of(sure) if fact.unknown else TRUE)


def realised_inputs(encoder: Encoder, assignment: dict[int, bool]) -> dict[str, Fraction] | None:
    """The decimal inputs of a patient (an assignment within `certain`) that give each decimal
    fact the class the assignment says; None when some combination has no witness."""
    found: dict[str, Fraction] = {}
    for fact in encoder.decimal_classes.values():
        index = next((i for i, (_, guard) in enumerate(fact.pieces)
                      if encoder.bdd.holds(guard, assignment)), None)
        if index is None:
            return None
        names = sorted(variables(fact.pieces[index][0]))
        combination = tuple(position_of(encoder.dimensions[n], assignment) for n in names)
        point = fact.witnesses.get((index, combination, position_of(fact.dimension, assignment)))
        if point is None:
            return None
        found.update(point)
    return found
