"""The worked guideline of computed numbers, examples/cha2ds2_vasc_score.mmdsl: a points score
written as one fact. Its worked examples pass; the interpreter, the generated module and
`mmdsl eval` agree on every example and on random patients, with the score counted here by hand;
the cohort (DuckDB) decides as the evaluator; the verifier proves the table complete and without
overlap, which brute force over every combination confirms."""

from __future__ import annotations

import itertools
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mmdsl.cli import main
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.interpreter import evaluate as interpret
from mmdsl.pipeline import compile_path
from mmdsl.semantics import calendar
from tests.backend.support import load_module, write_module
from tests.cohort.support import disagreements, lowered, patients, rows_of, write_parquet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cha2ds2_vasc_score.mmdsl"
POINTS = {"heart_failure": 1, "hypertension": 1, "diabetes": 1, "stroke": 2, "vascular_disease": 1}


def score_by_hand(facts: dict[str, Any]) -> int:
    age = calendar.months(date.fromisoformat(facts["birth_date"]),
                          date.fromisoformat(facts["evaluation_date"])) // 12
    points = sum(p for name, p in POINTS.items() if facts[name])
    return points + (2 if age >= 75 else 1 if age >= 65 else 0) + (facts["sex"] == "female")


def advice_by_hand(facts: dict[str, Any]) -> str:
    score, woman = score_by_hand(facts), facts["sex"] == "female"
    if score >= 2 + woman:
        return "recommended"
    return "consider" if score == 1 + woman else "not_recommended"


def random_patient(rng: random.Random) -> dict[str, Any]:
    today = date(2024, 1, 1) + timedelta(days=rng.randrange(800))
    born = today - timedelta(days=rng.choice([rng.randrange(18 * 366, 100 * 365),
                                              rng.randrange(64 * 365, 66 * 366),
                                              rng.randrange(74 * 365, 76 * 366)]))
    facts: dict[str, Any] = {"evaluation_date": today.isoformat(), "birth_date": born.isoformat(),
                             "sex": rng.choice(["female", "male"])}
    facts.update({name: rng.random() < 0.3 for name in POINTS})
    return facts


@pytest.fixture(scope="module")
def compiled() -> Any:
    compilation = compile_path(str(EXAMPLE), "examples/cha2ds2_vasc_score.mmdsl", run_examples=True)
    assert compilation.guideline is not None
    assert compilation.diagnostics == [], [d.message for d in compilation.diagnostics]
    return compilation


@pytest.fixture(scope="module")
def module(compiled: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return load_module(write_module(compiled.guideline, tmp_path_factory.mktemp("score")))


def test_the_examples_pass_and_the_table_is_proved(compiled: Any) -> None:
    [table] = compiled.verification.tables
    assert table.fully_verified
    assert {a.name: a.status for a in table.analyses if a.status != "not_applicable"} == {
        "dead_rules": "proved", "overlaps": "proved", "constant_cells": "proved",
        "undistinguished_columns": "proved", "gaps": "proved", "subsumed_rules": "proved",
        "mergeable_rules": "proved"}


def test_brute_force_agrees_that_exactly_one_rule_answers_every_adult() -> None:
    """Every combination of the yes/no inputs, the sex and the three age bands: one advice."""
    cells = {"recommended": [("male", lambda s: s >= 2), ("female", lambda s: s >= 3)],
             "consider": [("male", lambda s: s == 1), ("female", lambda s: s == 2)],
             "not_recommended": [("male", lambda s: s == 0), ("female", lambda s: s <= 1)]}
    for flags in itertools.product([False, True], repeat=len(POINTS)):
        for sex, band in itertools.product(["female", "male"], [0, 1, 2]):
            score = sum(p for p, f in zip(POINTS.values(), flags, strict=True) if f) + band + (
                sex == "female")
            matched = [advice for advice, rules in cells.items() for s, test in rules
                       if s == sex and test(score)]
            assert len(matched) == 1, (flags, sex, band)


def test_interpreter_module_and_eval_agree_with_the_hand_count(compiled: Any, module: Any,
                                                              tmp_path: Path) -> None:
    guideline = compiled.guideline
    rng = random.Random(2020)
    runner = CliRunner()
    examples = [dict(e.facts) for e in guideline.examples]
    for number, facts in enumerate(examples + [random_patient(rng) for _ in range(150)]):
        decision = module.evaluate(facts)
        assert decision == interpret(guideline, facts)
        if decision["status"] == "out_of_scope":
            continue
        assert decision["derived"]["score"] == score_by_hand(facts), facts
        assert decision["anticoagulation"]["advice"] == advice_by_hand(facts), facts
        if number < 12:  # `mmdsl eval` prints the module's bytes
            path = tmp_path / "facts.json"
            path.write_text(json.dumps(facts), "utf-8")
            result = runner.invoke(main, ["eval", str(EXAMPLE), "--facts", str(path)])
            assert result.exit_code == 0, result.output
            assert json.loads(result.stdout) == json.loads(json.dumps(decision))


def test_the_cohort_decides_as_the_evaluator(tmp_path: Path) -> None:
    guideline = lowered(EXAMPLE)
    columns = patients(guideline, 3000, seed=9)
    source = write_parquet(guideline, columns, tmp_path / "patients.parquet")
    report = evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert report.decided + report.invalid_rows == 3000
    assert disagreements(guideline, list(rows_of(columns)), tmp_path / "decisions.parquet") == []


def test_the_score_is_a_bigint_of_whole_decimals_in_sql_and_spark() -> None:
    from mmdsl.backends.sql import render_sql, transpiled

    guideline = lowered(EXAMPLE)
    query = render_sql(guideline)
    assert "AS DECIMAL(38, 0))" in query and "AS BIGINT) AS _f" in query
    assert "'score': _f" in query  # in the derived facts
    pytest.importorskip("sqlglot")
    assert "DECIMAL(38, 0)" in transpiled(guideline, "spark")


def test_a_decimal_computed_fact_is_computed_exactly_by_the_cohort(tmp_path: Path) -> None:
    """Once refused (the engines would round it), now an exact ratio (tests/cohort/test_exact_decimals.py)."""
    table = tmp_path / "bmi.mmdsl"
    table.write_text('guideline bmi "BMI"\ninput w: decimal 2.0..300.0 "weight"\n'
                     'input h: decimal 0.3..2.5 "height"\nfact bmi = w / (h * h)\n'
                     'table t "t"\n  hit first\n  output o: yes/no\n'
                     '  | bmi     || o   |\n  | >= 30.0 || yes |\n  | -       || no  |\n'
                     'note why on t: "a decimal: the examples test it"\n', "utf-8")
    result = CliRunner().invoke(main, ["cohort", str(table), "--emit-sql"])
    assert result.exit_code == 0, result.output
    assert "AS _f0n" in result.output and "AS _f0d" in result.output and " AS _xg0" in result.output
