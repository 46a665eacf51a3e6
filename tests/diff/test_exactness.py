"""`mmdsl diff` against brute force: every patient of small random guidelines, both versions
evaluated by the interpreter; the changes reported must be exactly the changes that happen."""

from __future__ import annotations

import json
import random

import pytest

from mmdsl.diff.behaviour import (
    INVALID,
    Behaviour,
    behaviour_change,
    clinical_summary,
    decision_changes,
    valid_or_not,
)
from mmdsl.diff.regions import grow_regions, patient_assignment
from mmdsl.interpreter import evaluate
from mmdsl.ir import model as ir
from mmdsl.pipeline import compile_source
from mmdsl.runtime.prelude import InputError
from mmdsl.source import Source
from tests.verify.randomtables import IMPOSSIBLE, every_patient, random_source

PATIENTS = list(every_patient())
PAIRS = 24  # 8,748 patients each, both versions: about 15 s in all
IMPOSSIBLE_PAIRS = 8


def mutated(source: str, seed: int) -> str:
    """The same guideline with one or two rows changed, moved or dropped, or another scope."""
    rng = random.Random(seed)
    lines = source.splitlines(keepends=True)
    rows = [i for i, line in enumerate(lines) if line.startswith("  | ") and "||" in line][1:]
    for _ in range(rng.randint(1, 2)):
        what = rng.choice(["swap", "drop", "output", "other"])
        i, j = rng.choice(rows), rng.choice(rows)
        if what == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif what == "drop" and len(rows) > 1:
            lines[i] = ""
            rows.remove(i)
        elif what == "output":
            cells = lines[i].rpartition("||")[0]
            lines[i] = cells + "|| " + rng.choice(["a", "b", "c"]) + " |\n"
        else:
            return random_source(seed + 7919)  # an unrelated table over the same inputs
    return "".join(lines)


def with_impossible(source: str, rng: random.Random) -> str:
    """The guideline with one or two combinations declared impossible (refused as invalid facts)."""
    declared = rng.sample(IMPOSSIBLE, rng.randint(1, 2))
    lines = "".join(f'impossible i{n} "cannot occur" = {c}\n' for n, c in enumerate(declared))
    at = source.index("table t")
    return source[:at] + lines + source[at:]


def pairs() -> list[tuple[int, str, str]]:
    found = []
    for seed in range(PAIRS):
        old = random_source(seed, columns=(1, 3), rows=(1, 5))
        found.append((seed, old, mutated(old, seed)))
    # A version declaring combinations impossible that the other decides (either way round, or
    # both versions with their own): refusing the facts is a change of decision.
    for seed in range(PAIRS, PAIRS + IMPOSSIBLE_PAIRS):
        rng = random.Random(seed)
        old = random_source(seed, columns=(1, 3), rows=(1, 5))
        new = mutated(old, seed) if rng.random() < 0.5 else old
        old, new = [(with_impossible(old, rng), new), (old, with_impossible(new, rng)),
                    (with_impossible(old, rng), with_impossible(new, rng))][seed % 3]
        found.append((seed, old, new))
    return found


def compiled(text: str) -> ir.IRGuideline:
    """The IR of a random table; the verifier's findings (overlaps, dead rows) do not matter here."""
    guideline = compile_source(Source("<random>", text), verify=False).guideline
    assert guideline is not None
    return guideline


def summary(guideline: ir.IRGuideline, patient: dict[str, ir.JsonValue]) -> dict[str, object]:
    try:
        return clinical_summary(guideline, evaluate(guideline, patient))
    except InputError:  # an impossible combination: refused as invalid facts
        return dict(INVALID)


def truth(old: ir.IRGuideline, new: ir.IRGuideline, patient: dict[str, ir.JsonValue]) -> set[str]:
    return keys(decision_changes(*valid_or_not(summary(old, patient), summary(new, patient))))


def keys(changes: list[dict[str, object]]) -> set[str]:
    return {json.dumps(c, sort_keys=True) for c in changes}


@pytest.mark.parametrize(("seed", "old_text", "new_text"), pairs(),
                         ids=[f"pair{s}" for s in range(PAIRS + IMPOSSIBLE_PAIRS)])
def test_every_reported_change_happens_and_every_change_is_reported(seed: int, old_text: str,
                                                                   new_text: str) -> None:
    old, new = compiled(old_text), compiled(new_text)
    behaviour = behaviour_change(old, new)
    assert behaviour.unchecked is None
    reported = {json.dumps(c.delta, sort_keys=True): c for c in behaviour.changes}
    happened: set[str] = set()
    assert behaviour.encoder is not None
    bdd = behaviour.encoder.bdd
    for patient in PATIENTS:
        changed = truth(old, new, patient)
        happened |= changed
        assignment = patient_assignment(behaviour.encoder, patient)
        claimed = {key for key, change in reported.items() if bdd.holds(change.patients, assignment)}
        assert claimed == changed, (patient, claimed ^ changed)
    assert set(reported) == happened
    for change in behaviour.changes:
        _regions_cover_exactly(behaviour, change.patients)
        assert json.dumps(change.delta, sort_keys=True) in truth(old, new, change.witness)


def _regions_cover_exactly(behaviour: Behaviour, patients: int) -> None:
    """The regions in words hold every patient of the change and no valid patient outside it."""
    encoder = behaviour.encoder
    assert encoder is not None
    bdd = encoder.bdd
    cubes = grow_regions(encoder, patients, 10_000)
    union = bdd.any_of([bdd.cube(c) for c in cubes])
    assert bdd.implies(bdd.conjoin(patients, encoder.domain), union)
    assert bdd.implies(bdd.conjoin(union, encoder.domain), patients)


def test_the_pairs_change_in_every_way() -> None:
    """The random pairs are not all alike: rows are added, removed, reordered and results change."""
    kinds = set()
    for _, old_text, new_text in pairs():
        behaviour = behaviour_change(compiled(old_text), compiled(new_text))
        kinds |= {c.delta["change"] for c in behaviour.changes}
    assert {"added", "removed", "reordered", "result", "status"} <= kinds
