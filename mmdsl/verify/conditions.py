"""Derived facts and the scope, or parts of them, that are always true or always false (MD613).

A fact is a definition and the scope says who the guideline is for: both are judged on every
valid patient (the domain of the encoding, outside the combinations declared impossible), not on
the patients in scope, so that a fact the scope happens to imply is not reported (the cells that
read it are: MD608). A condition is walked from the whole down through `and`, `or` and `not` that
combine conditions on different subjects (what the author wrote as separate conditions); the
outermost part that is constant is reported, and nothing inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mmdsl.ir import model as ir
from mmdsl.ir.walk import refs_read
from mmdsl.verify.bdd import FALSE
from mmdsl.verify.encode import Encoder, Unverifiable


@dataclass(frozen=True)
class ConstantCondition:
    owner: str  # the fact's name; "" for the scope
    path: tuple[int, ...]  # operand indexes from the whole condition down to the constant part
    value: bool  # always true, or always false


def constant_conditions(encoder: Encoder) -> list[ConstantCondition]:
    """The constant facts, scope and parts of them, facts in declaration order, then the scope."""
    bdd = encoder.bdd
    guideline = encoder.guideline
    possible = bdd.negate(bdd.any_of([encoder.condition(i.condition) for i in guideline.impossible]))
    valid = bdd.conjoin(encoder.domain, possible)
    if valid == FALSE:
        return []  # no valid patient at all: every condition is vacuously constant
    found = []
    for fact in guideline.facts:
        found += [ConstantCondition(fact.name, path, value)
                  for path, value in _claimable(encoder, fact.condition, valid)]
    if guideline.scope is not None:
        found += [ConstantCondition("", path, value)
                  for path, value in _claimable(encoder, guideline.scope.condition, valid)]
    return found


def _claimable(encoder: Encoder, cond: ir.Cond, valid: int) -> list[tuple[tuple[int, ...], bool]]:
    """The constant parts of a condition; none when it reads a value the analysis cannot reason
    about (a numeric fact over a decimal input): nothing is claimed about it."""
    try:
        return list(_constant_parts(encoder, cond, valid, ()))
    except Unverifiable:
        return []


def _constant_parts(encoder: Encoder, cond: ir.Cond, valid: int,
                    path: tuple[int, ...]) -> Iterator[tuple[tuple[int, ...], bool]]:
    bdd = encoder.bdd
    within = bdd.conjoin(encoder.condition(cond), valid)
    if within in (FALSE, valid):
        yield path, within == valid
        return
    if len(set(refs_read(cond))) < 2:
        return  # one subject's test, as written in one condition
    match cond:
        case ir.AllOf() | ir.AnyOf():
            for index, item in enumerate(cond.items):
                yield from _constant_parts(encoder, item, valid, (*path, index))
        case ir.Not():
            yield from _constant_parts(encoder, cond.item, valid, (*path, 0))
