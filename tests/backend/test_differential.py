"""The differential test: the generated module and the interpreter give the same JSON, byte for byte.

Thousands of seeded random patients per guideline (every hit policy, sets with classes and
`includes`, decimals at their boundaries, text, defaults, chained tables whose outputs may be
missing), plus each guideline's worked examples and corrupted facts, which both must refuse
with the same problems.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir import model as ir
from mmdsl.runtime.prelude import InputError, decision_json
from tests.backend.facts import corrupted, named_values, random_facts
from tests.backend.support import FIXTURES, ROOT, compile_file, load_module, write_module

PATIENTS = 4000
MYELOMA = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"


@dataclasses.dataclass
class Run:
    """What the random patients reached, to show that the comparison covered every path."""

    statuses: set[str] = dataclasses.field(default_factory=set)
    matched: set[str] = dataclasses.field(default_factory=set)
    empty_tables: set[str] = dataclasses.field(default_factory=set)


def generate(guideline: ir.IRGuideline, folder: Path) -> ModuleType:
    return load_module(write_module(guideline, folder))


def patients(guideline: ir.IRGuideline, seed: int, count: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    named = named_values(guideline)
    for example in guideline.examples:
        yield dict(example.facts)
    for _ in range(count):
        yield random_facts(guideline, rng, named)


def compare(guideline: ir.IRGuideline, module: ModuleType, count: int, seed: int = 7) -> Run:
    run = Run()
    for facts in patients(guideline, seed, count):
        try:
            expected = interpret(guideline, facts)
        except InputError as refused:  # an impossible combination: both must refuse it alike
            with pytest.raises(ValueError) as also:
                module.evaluate(facts)
            assert also.value.errors == refused.errors  # type: ignore[attr-defined]
            run.statuses.add("refused")
            continue
        actual = decision_json(module.evaluate(facts))
        assert actual == decision_json(expected), f"the two disagree for {facts!r}"
        record(run, expected)
    return run


def record(run: Run, decision: dict[str, Any]) -> None:
    run.statuses.add(decision["status"])
    for line in decision["trace"]:
        if (match := re.match(r"(\S+): rule (\S+) \(line \d+\) matched", line)) is not None:
            run.matched.add(f"{match[1]}.{match[2]}")
        elif (match := re.match(r"(\S+): no rule matched", line)) is not None:
            run.empty_tables.add(match[1])


def every_rule(guideline: ir.IRGuideline) -> set[str]:
    return {f"{table.name}.{rule.name}" for table in guideline.tables for rule in table.rules}


def test_every_hit_policy_agrees(tmp_path: Path) -> None:
    guideline = compile_file(FIXTURES / "policies.mmdsl")
    run = compare(guideline, generate(guideline, tmp_path), PATIENTS)
    assert run.statuses == {"ok", "error", "out_of_scope"}
    assert run.matched == every_rule(guideline)
    assert run.empty_tables >= {"level", "score", "worst", "best", "how_many", "chained"}


def test_the_small_guideline_agrees(tmp_path: Path) -> None:
    guideline = compile_file(FIXTURES / "small.mmdsl")
    run = compare(guideline, generate(guideline, tmp_path), PATIENTS // 2)
    assert run.matched == every_rule(guideline)


def test_the_myeloma_guideline_agrees(tmp_path: Path) -> None:
    guideline = compile_file(MYELOMA)
    run = compare(guideline, generate(guideline, tmp_path), PATIENTS)
    assert "ok" in run.statuses and "out_of_scope" in run.statuses
    assert len(run.matched) > len(every_rule(guideline)) // 2


def without_guards(condition: ir.Cond) -> ir.Cond:
    """The condition without lowering's `is set` guards: tests then meet missing values."""
    match condition:
        case ir.AllOf(items=(ir.IsSet(), item)):
            return without_guards(item)
        case ir.AllOf(items=items):
            return ir.AllOf(tuple(without_guards(item) for item in items))
        case ir.AnyOf(items=items):
            return ir.AnyOf(tuple(without_guards(item) for item in items))
        case ir.Not(item=item):
            return ir.Not(without_guards(item))
    return condition


def unguarded(guideline: ir.IRGuideline) -> ir.IRGuideline:
    def rule(r: ir.IRRule) -> ir.IRRule:
        return dataclasses.replace(r, tests=tuple(without_guards(t) for t in r.tests))

    tables = tuple(dataclasses.replace(t, rules=tuple(rule(r) for r in t.rules))
                   for t in guideline.tables)
    return dataclasses.replace(guideline, tables=tables)


def test_tests_on_missing_values_are_false_even_without_guards(tmp_path: Path) -> None:
    guideline = unguarded(compile_file(FIXTURES / "policies.mmdsl"))
    compare(guideline, generate(guideline, tmp_path), PATIENTS // 2, seed=11)


def outcome(evaluate: Any, facts: dict[str, Any]) -> tuple[str, Any]:
    """The decision JSON, or the problems with the facts (either InputError class)."""
    try:
        return "decision", decision_json(evaluate(facts))
    except ValueError as error:
        assert type(error).__name__ == "InputError"
        return "refused", error.errors  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["policies.mmdsl", "small.mmdsl"])
def test_corrupted_facts_are_refused_alike(tmp_path: Path, name: str) -> None:
    guideline = compile_file(FIXTURES / name)
    module = generate(guideline, tmp_path)
    rng = random.Random(3)
    refused = 0
    for facts in patients(guideline, seed=5, count=300):
        broken = corrupted(facts, guideline, rng)
        expected = outcome(lambda f: interpret(guideline, f), broken)
        assert outcome(module.evaluate, broken) == expected, f"they disagree on {broken!r}"
        refused += expected[0] == "refused"
    assert refused > 200
