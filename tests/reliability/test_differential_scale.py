"""The generated module and the reference interpreter agree, at scale (a sample of `make fuzz`).

`make fuzz` compares at least 100,000 random valid facts per shipped guideline and 100,000 over
random guidelines; here a sample of each runs in `make test`. tests/backend/test_differential.py
holds the fixtures' every hit policy; `guidelines.py` makes the random guidelines.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.backend.support import load_module
from tests.reliability.differential import (
    ROOT,
    Tally,
    compare,
    compare_random,
    compare_shipped,
    compiled,
    shipped_tables,
)
from tests.reliability.guidelines import POLICIES, random_guideline_text

RANDOM_GUIDELINES = 60


def test_there_is_a_shipped_guideline() -> None:
    assert [p.name for p in shipped_tables()] == ["myeloma_post_daratumumab.mmdsl"]


@pytest.mark.parametrize("table", shipped_tables(), ids=lambda p: p.name)
def test_each_shipped_guideline_agrees_on_random_facts(table: Path) -> None:
    tally = compare_shipped(table, seed=11, count=4_000)
    assert tally.disagreements == []
    assert tally.compared > 4_000


@pytest.mark.parametrize("table", shipped_tables(), ids=lambda p: p.name)
def test_the_committed_module_agrees_too(table: Path) -> None:
    module = load_module(ROOT / "generated" / f"{table.stem}.py")
    guideline = compiled(table.read_text("utf-8"), table.relative_to(ROOT).as_posix())
    tally = compare(guideline, module, random.Random(12), 1_000, corrupt=0.2)
    assert tally.disagreements == [] and tally.refused > 100


def test_random_guidelines_agree_on_random_and_broken_facts() -> None:
    total = Tally()
    for seed in range(RANDOM_GUIDELINES):
        total.add(compare_random(seed, count=100))
    assert total.disagreements == []
    assert total.compared >= RANDOM_GUIDELINES * 100 and total.refused > 200


def test_the_random_guidelines_use_every_hit_policy_and_every_kind_of_input() -> None:
    texts = [random_guideline_text(seed) for seed in range(RANDOM_GUIDELINES)]
    policies = Counter(re.findall(r"^  hit (.+)$", "\n".join(texts), re.MULTILINE))
    assert set(policies) == set(POLICIES)
    kinds = "\n".join(texts)
    for kind in ("yes/no", "integer", "decimal", "text", "one of", "set of", "includes",
                 "default", "order by", "distinct by", "scope", "fact", ".out0 |", "not (",
                 "evaluation date", "time from", " days", " months", "date and time",
                 " minutes", "T08:00", "time of day", " 08:00"):
        assert kind in kinds, kind
