"""The generated module's fast reading of facts (`read_facts`) gives exactly what the prelude's
`validate_facts` gives: the same values for valid facts, the same problems for the others,
including facts that are valid in unusual ways (subclasses, whole numbers for decimals)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from mmdsl.interpreter import evaluate as interpret
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.prelude import decision_json, validate_facts
from tests.backend.support import compile_text, load_module, write_module

GUIDELINE = """guideline fast "Every input type"
enum drug "drugs" = dara, isa, bort
input lines: integer 0..10 "prior lines"
input free: integer "any whole number"
input dose: decimal 0.5..10.0 "a dose"
input ratio: decimal "any finite number"
input fit: yes/no "fit"
input grade: one of low, high "grade"
input note: text "a note"
input refractory: set of drug "refractory"
input exposed: set of drug includes refractory default isa "exposed"
input frail: yes/no default no "frail"
"""
BASE: dict[str, Any] = {"lines": 3, "free": -5, "dose": 2.5, "ratio": 1e300, "fit": True,
                        "grade": "low", "note": "x", "refractory": ["dara"]}


class Text(str):
    pass


class Items(list):  # type: ignore[type-arg]
    pass


CASES: list[dict[str, Any]] = [
    BASE, BASE | {"exposed": ["bort"]}, BASE | {"dose": 2}, BASE | {"dose": True},
    BASE | {"ratio": 10 ** 400}, BASE | {"ratio": 7}, BASE | {"ratio": math.inf},
    BASE | {"ratio": math.nan}, BASE | {"dose": 10.5}, BASE | {"dose": 0.5}, BASE | {"lines": 10},
    BASE | {"lines": 11}, BASE | {"lines": 3.0}, BASE | {"free": 10 ** 30}, BASE | {"free": False},
    BASE | {"fit": 1}, BASE | {"grade": "mid"}, BASE | {"grade": Text("low")},
    BASE | {"note": Text("y")}, BASE | {"note": 3}, BASE | {"refractory": Items(["dara"])},
    BASE | {"refractory": ("dara",)}, BASE | {"refractory": ["dara", "dara"]},
    BASE | {"refractory": [["dara"]]}, BASE | {"refractory": [True]}, BASE | {"refractory": []},
    BASE | {"frail": None}, BASE | {"extra": 1}, BASE | {1: 2}, {"lines": 3},
    {k: v for k, v in BASE.items() if k != "note"}, [], "facts", BASE | {"exposed": "isa"},
]


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder: Path = tmp_path_factory.mktemp("fast")
    return load_module(write_module(compile_text(GUIDELINE), folder))


def outcome(read: Any, facts: object) -> tuple[str, Any]:
    try:
        values = read(facts)
    except ValueError as error:
        return "refused", error.errors  # type: ignore[attr-defined]
    return "values", [(k, type(v).__name__, v) for k, v in values.items()]


@pytest.mark.parametrize("facts", CASES, ids=range(len(CASES)))
def test_fast_reading_is_the_preludes(module: Any, facts: object) -> None:
    guideline = compile_text(GUIDELINE)
    expected = outcome(lambda f: validate_facts(f, input_fields(guideline.inputs)), facts)
    assert outcome(module.read_facts, facts) == expected
    if expected[0] == "values":
        assert decision_json(module.evaluate(facts)) == decision_json(interpret(guideline, facts))
