"""The patients in scope that only a table's fallback rule answers, for the review document.

A **fallback rule** is a rule that the verifier proves matches every patient in scope (whatever its
cells say: all `-`, or tests that every patient in scope passes) and that decides only for
patients no other rule of its table matches:

- under collect, rule order and output order (without an aggregate) every rule that matches adds
  its row, so any rule that matches every patient in scope is a fallback;
- under a single-hit policy (first, priority, unique, any) it must also lose to every other rule
  that matches: the last rule of a first-hit table, the lowest-ranked rule of a priority table.

Such a rule makes its table complete, but for some patients it is the table's only answer: the
gaps the table would have without its fallback rules. They are found by the verifier's own gap
analysis, run on a copy of the table without those rules; the regions are in the table's column
words, each with a witness patient, at most `analyses.MAX_REGIONS` of them with the total.
Tables whose result is an aggregated number have no fallback in this sense.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mmdsl.ir.model import IRGuideline, IRTable, JsonValue

if TYPE_CHECKING:  # the verifier loads only when the documents are made
    from mmdsl.verify.encode import Encoder


@dataclass(frozen=True, slots=True)
class FallbackCoverage:
    """One table's fallback rules and the patients in scope for whom they are the only answer."""

    table: str
    rules: tuple[str, ...]  # the fallback rules' names, in table order
    regions: tuple[str, ...]  # in the table's column words; the first few of `region_total`
    witnesses: tuple[dict[str, JsonValue], ...]  # one patient per region, as facts for `mmdsl eval`
    region_total: int  # 0: every patient in scope also matches another rule


def fallback_coverage(guideline: IRGuideline) -> list[FallbackCoverage]:
    """Every table's fallback rules, in table order, with the regions only they cover.

    A table the verifier cannot analyse (too complex, or reading an aggregated number) is left
    out: `mmdsl check` reports it as not verified (MD606).
    """
    from mmdsl.verify.bdd import TooComplex
    from mmdsl.verify.encode import Encoder
    from mmdsl.verify.report import recursion_for_variables

    with recursion_for_variables():
        try:
            encoder = Encoder(guideline)
        except TooComplex:
            return []
        found = []
        for table in guideline.tables:
            coverage = _table_coverage(encoder, table)
            if coverage is not None:
                found.append(coverage)
        return found


def _table_coverage(encoder: Encoder, table: IRTable) -> FallbackCoverage | None:
    from mmdsl.verify.analyses import TableAnalysis
    from mmdsl.verify.bdd import MAX_STEPS, TooComplex
    from mmdsl.verify.encode import Unverifiable

    if table.result_kind == "number":
        return None
    encoder.bdd.allow(MAX_STEPS)
    try:
        fallbacks = fallback_rules(encoder, table)
        if not fallbacks:
            return None
        # a distinct name: the encoder keeps each table's matches under its name
        rest = dataclasses.replace(
            table, name=f"{table.name} without its fallback rules",
            rules=tuple(rule for index, rule in enumerate(table.rules) if index not in fallbacks))
        gap = next(iter(TableAnalysis(encoder, rest, encoder.in_scope).gaps()), None)
    except (TooComplex, Unverifiable):
        return None
    names = tuple(table.rules[index].name for index in fallbacks)
    if gap is None:
        return FallbackCoverage(table.name, names, (), (), 0)
    witnesses = gap.extra.get("witnesses", [])
    assert isinstance(witnesses, list)
    return FallbackCoverage(table.name, names, tuple(gap.regions), tuple(witnesses), gap.region_total)


def fallback_rules(encoder: Encoder, table: IRTable) -> list[int]:
    """The 0-based indexes of the table's fallback rules (see the module's docstring)."""
    from mmdsl.verify.bdd import FALSE

    bdd, in_scope = encoder.bdd, encoder.in_scope
    matches = encoder.matches(table)
    found = []
    for index, match in enumerate(matches):
        if bdd.conjoin(bdd.negate(match), in_scope) != FALSE:
            continue  # some patient in scope does not match it
        if table.result_kind == "single":
            others = bdd.any_of([m for i, m in enumerate(matches) if i != index])
            decided = bdd.conjoin(encoder.selections(table)[index], in_scope)
            if bdd.conjoin(decided, others) != FALSE:
                continue  # it decides for a patient another rule matches: not a fallback
        found.append(index)
    return found
