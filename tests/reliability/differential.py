"""The generated module against the reference interpreter, on many random facts.

Two independent implementations of docs/decision.md must give the same decision JSON, byte for
byte, and refuse the same invalid facts with the same problems. tests/backend/test_differential.py
holds each hit policy and fixture to this; here the comparison runs at scale, on the shipped
guidelines and on random guidelines (`guidelines.py`), for `make test` (a sample) and `make fuzz`.
"""

from __future__ import annotations

import functools
import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from mmdsl.backends.python import render_module
from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir.model import IRGuideline
from mmdsl.pipeline import compile_source
from mmdsl.runtime.prelude import decision_json
from mmdsl.source import Source
from tests.backend.facts import corrupted, named_values, random_facts
from tests.backend.support import load_module
from tests.reliability.guidelines import random_guideline_text

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Tally:
    """How many facts were compared, and the disagreements (at most a few kept)."""

    compared: int = 0
    refused: int = 0
    disagreements: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.compared += other.compared
        self.refused += other.refused
        self.disagreements += other.disagreements[:10 - len(self.disagreements)]


def compiled(text: str, path: str) -> IRGuideline:
    """The IR of a table text without errors of the checks (not verified: random tables may
    overlap, and a run-time conflict is part of what both implementations must agree on)."""
    compilation = compile_source(Source(path, text), verify=False)
    assert compilation.guideline is not None, [d.message for d in compilation.diagnostics]
    return compilation.guideline


def generated(guideline: IRGuideline) -> ModuleType:
    """The generated module, written to a file and imported from it by path."""
    with tempfile.TemporaryDirectory(prefix="mmdsl-differential-") as folder:
        path = Path(folder) / f"{guideline.name}.py"
        path.write_text(render_module(guideline), "utf-8")
        return load_module(path)


def outcome(evaluate: Any, facts: object) -> tuple[str, Any]:
    """The decision JSON, or the problems with the facts (either InputError class)."""
    try:
        return "decision", decision_json(evaluate(facts))
    except ValueError as error:
        return "refused", getattr(error, "errors", str(error))


def patients(guideline: IRGuideline, rng: random.Random, count: int,
             corrupt: float = 0.0) -> Iterator[dict[str, Any]]:
    """The worked examples, then random valid facts (a share `corrupt` of them broken)."""
    named = named_values(guideline)
    for example in guideline.examples:
        yield dict(example.facts)
    for _ in range(count):
        facts = random_facts(guideline, rng, named)
        yield corrupted(facts, guideline, rng) if rng.random() < corrupt else facts


def compare(guideline: IRGuideline, module: ModuleType, rng: random.Random, count: int,
            corrupt: float = 0.0) -> Tally:
    tally = Tally()
    for facts in patients(guideline, rng, count, corrupt):
        expected = outcome(lambda f: interpret(guideline, f), facts)
        actual = outcome(module.evaluate, facts)
        tally.compared += 1
        tally.refused += expected[0] == "refused"
        if actual != expected and len(tally.disagreements) < 10:
            tally.disagreements.append(f"{guideline.name}: they disagree on {facts!r}")
    return tally


def shipped_tables() -> list[Path]:
    return sorted((ROOT / "tables").rglob("*.mmdsl"))


def compare_shipped(path: Path, seed: int, count: int) -> Tally:
    """A shipped guideline: its freshly generated module against the interpreter."""
    guideline, module = shipped(path)
    return compare(guideline, module, random.Random(seed), count)


@functools.cache
def shipped(path: Path) -> tuple[IRGuideline, ModuleType]:
    """A shipped guideline and its freshly generated module, made once per process."""
    guideline = compiled(path.read_text("utf-8"), path.relative_to(ROOT).as_posix())
    return guideline, generated(guideline)


def compare_random(seed: int, count: int, corrupt: float = 0.1) -> Tally:
    """A random guideline (`guidelines.random_guideline_text(seed)`) both ways."""
    guideline = compiled(random_guideline_text(seed), f"random_{seed}.mmdsl")
    return compare(guideline, generated(guideline), random.Random(seed), count, corrupt)
