"""The summary's merged yes/no twins (backends.review.signing.merged) are found through keys, not by
comparing every pair of rules: on random tables they are the groups the pairwise rule gives, and
a table of 10,000 rules merges in well under a second (it took 100 s pair by pair)."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from mmdsl.backends.review.signing import merged
from mmdsl.ir.model import Always, Compare, Cond, IRRule, OneOf


def complementary(a: IRRule, b: IRRule) -> bool:
    """The pairwise rule: the same outputs and evidence, and exactly one test that differs, a
    yes/no test on the same input, yes in one and no in the other."""
    if (a.outputs, a.evidence) != (b.outputs, b.evidence):
        return False
    differ = [i for i, (x, y) in enumerate(zip(a.tests, b.tests, strict=True)) if x != y]
    if len(differ) != 1:
        return False
    x, y = a.tests[differ[0]], b.tests[differ[0]]
    return (isinstance(x, OneOf) and isinstance(y, OneOf) and x.ref == y.ref
            and {x.values, y.values} == {(True,), (False,)})


def pairwise(rules: Sequence[IRRule]) -> list[list[IRRule]]:
    groups: list[list[IRRule]] = []
    for rule in rules:
        partner = next((g for g in groups if len(g) == 1 and complementary(g[0], rule)), None)
        if partner is None:
            groups.append([rule])
        else:
            partner.append(rule)
    return groups


def rule(index: int, tests: tuple[Cond, ...], output: str, evidence: tuple[str, ...] = ()) -> IRRule:
    return IRRule(index=index, name=f"R{index}", tests=tests, cells=("",) * len(tests),
                  outputs=(output,), evidence=evidence, refs=(), caveats=(), why="", line=index)


def random_test(rng: random.Random, column: int) -> Cond:
    ref = f"c{column}"
    return rng.choice([Always(), OneOf(ref, (True,)), OneOf(ref, (False,)), OneOf(ref, (1,)),
                       OneOf(ref, (0,)), OneOf(f"d{column}", (True,)),
                       Compare(ref, ">", rng.choice([1, 2]))])


def test_merged_groups_as_the_pairwise_rule_on_random_tables() -> None:
    rng = random.Random(19)
    for _ in range(300):
        width = rng.randint(1, 4)
        base = [tuple(random_test(rng, c) for c in range(width)) for _ in range(rng.randint(1, 6))]
        rules = []
        for index in range(1, rng.randint(2, 30)):
            tests = list(rng.choice(base))
            flip = rng.randrange(width)  # often a twin of a base row: one yes/no the other way
            if isinstance(tests[flip], OneOf) and rng.random() < 0.7:
                tests[flip] = OneOf(tests[flip].ref, (not tests[flip].values[0],))
            rules.append(rule(index, tuple(tests), rng.choice("ab"), rng.choice([(), ("E",)])))
        assert [[r.index for r in g] for g in merged(rules)] == \
               [[r.index for r in g] for g in pairwise(rules)]


def test_ten_thousand_rules_merge_in_under_a_second() -> None:
    rules = [rule(i, (OneOf("a", (i % 2 == 0,)), Compare("n", ">", i // 2)), "x")
             for i in range(1, 10_001)]
    started = time.process_time()
    groups = merged(rules)
    assert time.process_time() - started < 1.0
    assert len(groups) == 5001 and all(len(g) <= 2 for g in groups)
