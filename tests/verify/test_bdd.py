"""The BDD engine's operations against truth tables, on random functions of a few variables."""

from __future__ import annotations

import itertools
import random

import pytest

from mmdsl.verify.bdd import BDD, FALSE, TRUE
from mmdsl.verify.boxes import runs

VARIABLES = 5
ASSIGNMENTS = [dict(enumerate(bits)) for bits in itertools.product([False, True], repeat=VARIABLES)]


def random_function(bdd: BDD, rng: random.Random, depth: int = 4) -> int:
    if depth == 0 or rng.random() < 0.2:
        var = bdd.variable(rng.randrange(VARIABLES))
        return var if rng.random() < 0.5 else bdd.negate(var)
    first, second = random_function(bdd, rng, depth - 1), random_function(bdd, rng, depth - 1)
    return bdd.conjoin(first, second) if rng.random() < 0.5 else bdd.disjoin(first, second)


def models(bdd: BDD, f: int) -> list[dict[int, bool]]:
    return [a for a in ASSIGNMENTS if bdd.holds(f, a)]


@pytest.mark.parametrize("seed", range(60))
def test_forced_variables_are_those_every_model_agrees_on(seed: int) -> None:
    bdd = BDD()
    f = random_function(bdd, random.Random(seed))
    satisfying = models(bdd, f)
    if not satisfying:
        assert f == FALSE
        return
    expected = {var: satisfying[0][var] for var in range(VARIABLES)
                if len({a[var] for a in satisfying}) == 1}
    assert bdd.forced(f, VARIABLES) == expected


@pytest.mark.parametrize("seed", range(60))
def test_support_is_the_variables_the_function_depends_on(seed: int) -> None:
    bdd = BDD()
    f = random_function(bdd, random.Random(seed))
    depends = {var for var in range(VARIABLES)
               if any(bdd.holds(f, a) != bdd.holds(f, {**a, var: not a[var]}) for a in ASSIGNMENTS)}
    assert bdd.support(f) == depends


def test_a_chain_holds_exactly_for_prefixes_of_true_variables() -> None:
    bdd = BDD()
    chain = bdd.chain([0, 2, 3])
    for a in ASSIGNMENTS:
        bits = [a[0], a[2], a[3]]
        assert bdd.holds(chain, a) == (bits == sorted(bits, reverse=True))
    assert bdd.chain([]) == TRUE


@pytest.mark.parametrize("mask", [0, 1, 0b1011, 0b111000, 0b1010101, (1 << 70) - 1])
def test_runs_are_the_maximal_runs_of_set_bits(mask: int) -> None:
    found = list(runs(mask))
    rebuilt = sum((1 << (last + 1)) - (1 << first) for first, last in found)
    assert rebuilt == mask
    assert all(b[0] > a[1] + 1 for a, b in itertools.pairwise(found))  # maximal: never adjacent


@pytest.mark.parametrize("seed", range(40))
def test_the_operations_agree_with_truth_tables(seed: int) -> None:
    bdd = BDD()
    rng = random.Random(seed)
    f, g = random_function(bdd, rng), random_function(bdd, rng)
    hidden = {0, 3}
    for a in ASSIGNMENTS:
        assert bdd.holds(bdd.disjoin(f, g), a) == (bdd.holds(f, a) or bdd.holds(g, a))
        assert bdd.holds(bdd.conjoin(f, g), a) == (bdd.holds(f, a) and bdd.holds(g, a))
        assert bdd.holds(bdd.any_of([f, g]), a) == (bdd.holds(f, a) or bdd.holds(g, a))
        assert bdd.holds(bdd.negate(f), a) != bdd.holds(f, a)
        values = [{**a, 0: x, 3: y} for x in (False, True) for y in (False, True)]
        assert bdd.holds(bdd.exists(f, hidden), a) == any(bdd.holds(f, v) for v in values)
    cube = bdd.cube({1: True, 4: False})
    assert [bdd.holds(cube, a) for a in ASSIGNMENTS] == [a[1] and not a[4] for a in ASSIGNMENTS]
