"""The contract's three ways to a decision agree byte for byte on every vignette of the guideline:
`mmdsl eval`, the committed generated module, and the Python API."""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

import mmdsl
from mmdsl.cli import main

ROOT = Path(__file__).resolve().parents[2]
TABLE = "tables/myeloma_post_daratumumab.mmdsl"
MODULE = ROOT / "generated" / "myeloma_post_daratumumab.py"


@cache
def guideline() -> Any:
    return mmdsl.load(str(ROOT / TABLE))


@cache
def generated() -> ModuleType:
    spec = importlib.util.spec_from_file_location("myeloma_generated_three_ways", MODULE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vignettes() -> list[Any]:
    examples = mmdsl.load(str(ROOT / TABLE)).ir.examples
    return [pytest.param(e.facts, id=e.name) for e in examples]


def printed(decision: dict[str, Any]) -> str:
    return json.dumps(decision, indent=2, ensure_ascii=False) + "\n"


def eval_command(facts: dict[str, Any], tmp_path: Path) -> str:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(ROOT / TABLE), "--facts", str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_there_are_at_least_25_vignettes() -> None:
    assert len(vignettes()) >= 25


@pytest.mark.parametrize("facts", vignettes())
def test_eval_module_and_api_agree(facts: dict[str, Any], tmp_path: Path) -> None:
    by_api = printed(guideline().evaluate(facts))
    by_module = printed(generated().evaluate(facts))
    by_eval = eval_command(facts, tmp_path)
    assert by_api == by_module == by_eval
    assert json.loads(by_api)["guideline"] == "myeloma_post_daratumumab"


def test_invalid_facts_are_refused_the_same_way_everywhere(tmp_path: Path) -> None:
    facts = {"prior_lines": True, "exposed": ["lenalidomid"], "refractory": [], "t11_14": "yes",
             "car_t_access": False, "age": 70}
    with pytest.raises(ValueError) as from_module:
        generated().evaluate(facts)
    with pytest.raises(ValueError) as from_api:
        guideline().evaluate(facts)
    fields = [e["field"] for e in from_module.value.errors]  # type: ignore[attr-defined]
    assert fields == [e["field"] for e in from_api.value.errors]  # type: ignore[attr-defined]
    assert set(fields) == {"prior_lines", "exposed[0]", "t11_14", "age"}
    assert "lenalidomide" in str(from_module.value)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(ROOT / TABLE), "--facts", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
