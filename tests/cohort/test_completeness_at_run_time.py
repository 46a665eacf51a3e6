"""A table declared `complete` that no rule of which matches a patient in scope: the decision's
status is `error`, with an entry naming the table and the kind, identically in the interpreter,
the generated module and the cohort SQL (docs/decision.md).

The verifier rejects such a table (MD604) whenever it can check it; the run-time check is what
holds for a table it could not verify (MD606). These tables are lowered without verification, as
the cohort tests lower tables with overlaps.
"""

from __future__ import annotations

from pathlib import Path

from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.rows import evaluator
from mmdsl.interpreter import evaluate as interpret
from mmdsl.runtime.prelude import decision_json
from tests.cohort.support import decisions, disagreements, lowered_text, write_jsonl

TABLES = """\
guideline g "G"
input x: integer 0..9 "x"
input y: yes/no "y"
table first_complete "Complete, first hit"
  hit first
  complete
  output o: one of a, b
  | x    || o |
  | < 3  || a |
  | >= 5 || b |
table unique_complete "Complete, unique"
  hit unique
  complete
  output p: one of a, b
  | x   | y   || p |
  | < 5 | -   || a |
  | -   | yes || b |
table listed "Complete list"
  hit collect
  complete
  output q: one of a, b
  | y   || q |
  | yes || a |
"""

NO_RULE = {"table": "first_complete", "kind": "no_rule", "rules": [],
           "message": "no rule of table first_complete matches, but the table is declared complete"}


def test_no_rule_in_a_complete_table_is_an_error_with_its_kind() -> None:
    decision = interpret(lowered_text(TABLES), {"x": 3, "y": False})
    assert decision["status"] == "error"
    assert decision["errors"][0] == NO_RULE
    assert [(e["table"], e["kind"]) for e in decision["errors"]] == [
        ("first_complete", "no_rule"), ("listed", "no_rule")]


def test_each_table_in_error_is_named_once_in_table_order() -> None:
    decision = interpret(lowered_text(TABLES), {"x": 4, "y": True})  # a gap, then a conflict
    assert [(e["table"], e["kind"]) for e in decision["errors"]] == [
        ("first_complete", "no_rule"), ("unique_complete", "conflict")]
    decision = interpret(lowered_text(TABLES), {"x": 6, "y": False})
    assert [(e["table"], e["kind"]) for e in decision["errors"]] == [
        ("unique_complete", "no_rule"), ("listed", "no_rule")]


def test_a_patient_every_complete_table_answers_is_ok() -> None:
    assert interpret(lowered_text(TABLES), {"x": 1, "y": False})["status"] == "error"  # listed
    assert interpret(lowered_text(TABLES), {"x": 6, "y": True})["status"] == "ok"


def test_the_module_and_the_interpreter_agree_byte_for_byte() -> None:
    guideline = lowered_text(TABLES)
    module = evaluator(guideline)
    statuses = set()
    for x in range(10):
        for y in (False, True):
            facts = {"x": x, "y": y}
            expected = interpret(guideline, facts)
            assert decision_json(module.evaluate(facts)) == decision_json(expected)
            statuses.add(expected["status"])
    assert statuses == {"ok", "error"}


def test_the_cohort_sql_agrees_with_the_evaluator(tmp_path: Path) -> None:
    guideline = lowered_text(TABLES)
    facts = [{"x": x, "y": y} for x in range(10) for y in (False, True)]
    source = write_jsonl(list(facts), tmp_path / "patients.jsonl")
    report = evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert disagreements(guideline, facts, tmp_path / "decisions.parquet") == []
    rows, _ = decisions(tmp_path / "decisions.parquet")
    in_error = [r["row"] for r in rows if r["status"] == "error"]
    assert report.error_rows == len(in_error) > 0
    assert report.errors[0][0] == in_error[0]
