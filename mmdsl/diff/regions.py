"""A set of patients as a few regions (cubes over the inputs' variables) that a reader can take in."""

from __future__ import annotations

from mmdsl.verify.bdd import FALSE
from mmdsl.verify.encode import OTHER_TEXT, Encoder


def grow_regions(encoder: Encoder, patients: int, limit: int) -> list[dict[int, bool]]:
    """At most `limit` regions that together hold every valid patient of `patients` and nothing
    else (impossible patients aside). Each starts from one patient not yet held and drops every
    condition it can do without; regions may overlap."""
    bdd = encoder.bdd
    remaining = bdd.conjoin(patients, encoder.domain)
    allowed = bdd.disjoin(patients, bdd.negate(encoder.domain))
    regions: list[dict[int, bool]] = []
    while remaining != FALSE and len(regions) < limit:
        start = bdd.one_assignment(remaining)
        assert start is not None
        region = _grown(encoder, start, allowed)
        regions.append(region)
        remaining = bdd.conjoin(remaining, bdd.negate(bdd.cube(region)))
    return regions


def _grown(encoder: Encoder, cube: dict[int, bool], allowed: int) -> dict[int, bool]:
    bdd = encoder.bdd
    grown = encoder.with_implied_thresholds(cube)
    for var in sorted(grown):
        smaller = {v: b for v, b in grown.items() if v != var}
        if bdd.implies(bdd.cube(smaller), allowed):
            grown = smaller
    return grown


def patient_assignment(encoder: Encoder, patient: dict[str, object]) -> dict[int, bool]:
    """The value of every input variable for a concrete patient (its facts as JSON values)."""
    assignment: dict[int, bool] = {}
    for name, dimension in encoder.dimensions.items():
        value = patient.get(name)
        if dimension.flag is not None:
            assignment[dimension.flag] = bool(value)
        for member, var in dimension.members.items():
            chosen = set(value) if isinstance(value, list) else {value}
            unnamed = member == OTHER_TEXT and not chosen & set(dimension.members)
            assignment[var] = member in chosen or unnamed
        for (threshold, strict), var in dimension.thresholds:
            number = float(value)  # type: ignore[arg-type]
            assignment[var] = number > threshold if strict else number >= threshold
    return assignment
