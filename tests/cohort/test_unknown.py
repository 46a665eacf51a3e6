"""Inputs declared `or unknown` in the cohort: NULL (an empty CSV cell, JSON null) is the unknown
value, decided as the evaluator decides it (Kleene's logic, unknown numbers); NULL in any other
input is still a row refused."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from mmdsl.backends.sql import render_sql
from mmdsl.cohort import synthetic
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.ir.model import IRGuideline
from tests.cohort.support import disagreements, lowered_text, patients, write_csv, write_jsonl

UNKNOWN = '''\
guideline every_unknown "Values of every type that may be unknown"

enum stage = I, II, III
enum drug = dara, pom, len

input ldh: integer 0..5000 unit "U/L" or unknown "LDH"
input creat: decimal 0.1..20 unit "mg/dL" or unknown "creatinine"
input bulky: yes/no or unknown "bulky disease"
input st: one of stage or unknown "stage"
input prior: set of drug or unknown "prior drugs"
input note: text or unknown "note"
input seen: date or unknown "date seen"
input fit: yes/no or unknown default yes "fit"
input age: integer 18..100 unit "years" "age"
input weight: decimal 30..200 unit "kg" "weight"

fact high_ldh "LDH above normal" = ldh > 250
fact high_risk "high risk" = high_ldh or st is III
fact low_risk "low risk" = not high_ldh and not bulky and st is not III
fact treated "treated" = prior has dara or not fit
fact recent "seen recently" = seen >= 2024-01-01 and note is not unknown
fact ratio "LDH over its upper limit" = ldh / 250
fact clearance "creatinine per kilogram" = creat * 100 / weight
fact points "points" = if bulky then ldh + age else age
fact never "never known" = age + unknown
fact maybe "known over 60" = if age > 60 then 1 else unknown
fact shrunk "creatinine halved, over 60" = if age > 60 then creat / 2 else unknown
fact called "text over an unknown note" = "Dear " + note + ", stage " + st
fact level "text chosen by an unknown value" = if high_ldh then "high" else "normal"
fact told "text over unknown text, over 60" = if age > 60 then called else "young"

table plan "Treatment"
  hit first
  output arm: one of intensive, standard, measure, other
  | ldh         | high_risk | low_risk | ratio   | clearance | points  || arm       |
  |-------------|-----------|----------|---------|-----------|---------||-----------|
  | unknown     | -         | not yes  | -       | -         | -       || measure   |
  | -           | yes       | -        | > 1.5   | -         | -       || intensive |
  | not unknown | -         | yes      | -       | < 2.5     | -       || standard  |
  | -           | unknown   | -        | -       | unknown   | > 80    || other     |
  | -           | no        | unknown  | -       | -         | -       || standard  |

table notes "Notes"
  hit collect
  output n: one of a, b, c, d, e, f, g
  | treated | recent  | st          | prior      | note    | never   | maybe   | shrunk  || n |
  |---------|---------|-------------|------------|---------|---------|---------|---------||---|
  | unknown | -       | -           | -          | -       | -       | -       | -       || a |
  | no      | yes     | -           | -          | -       | -       | -       | -       || b |
  | -       | not yes | not III     | -          | -       | unknown | -       | -       || c |
  | -       | -       | -           | none of pom | "x"    | -       | -       | -       || d |
  | -       | -       | unknown     | unknown    | -       | -       | 1       | -       || e |
  | -       | unknown | -           | -          | not "x" | -       | not unknown | -   || f |
  | -       | -       | -           | -          | -       | -       | -       | > 2.5   || g |
'''


def guideline() -> IRGuideline:
    return lowered_text(UNKNOWN)


def with_unknowns(ir: IRGuideline, count: int, seed: int) -> tuple[dict[str, list[Any]],
                                                                      list[dict[str, Any]]]:
    """Synthetic patients (the generator makes an input declared `or unknown` unknown, None, one
    time in five), each such input made unknown one time in three more; the facts as the
    evaluator reads them (null kept for those, absent for the others)."""
    columns = patients(ir, count, seed)
    rng = random.Random(seed)
    unknown = {item.name for item in ir.inputs if item.unknown}
    for name in unknown:
        columns[name] = [None if rng.random() < 1 / 3 else v for v in columns[name]]
    names = list(columns)
    facts = [{n: v for n, v in zip(names, values, strict=True) if v is not None or n in unknown}
             for values in zip(*columns.values(), strict=True)]
    return columns, facts


def test_the_sql_decides_unknown_values_as_the_evaluator(tmp_path: Path) -> None:
    ir = guideline()
    columns, facts = with_unknowns(ir, 3000, seed=11)
    assert any(v is None for v in columns["ldh"]) and any(v is not None for v in columns["ldh"])
    source = tmp_path / "patients.parquet"
    synthetic.write_parquet(ir, columns, source)
    report = evaluate_cohort(ir, source, tmp_path / "decisions.parquet")
    assert (report.rows, report.decided, report.invalid_rows) == (3000, 3000, 0), report.problems[:3]
    wrong = disagreements(ir, facts, tmp_path / "decisions.parquet")
    assert not wrong, wrong[:2]


@pytest.mark.parametrize("kind", ["csv", "jsonl", "synthetic.jsonl"])
def test_empty_cells_and_json_null_are_unknown(tmp_path: Path, kind: str) -> None:
    ir = guideline()
    columns, facts = with_unknowns(ir, 300, seed=5)
    source = tmp_path / f"patients.{kind}"
    if kind == "csv":
        synthetic.write_csv(ir, columns, source)
    elif kind == "jsonl":
        write_jsonl(facts, source)
    else:  # the generator's own writer: null for an unknown value, no key for one left out
        synthetic.write_jsonl(ir, columns, source)
    report = evaluate_cohort(ir, source, tmp_path / "decisions.parquet")
    assert (report.decided, report.invalid_rows) == (300, 0), report.problems[:3]
    assert not disagreements(ir, facts, tmp_path / "decisions.parquet")


def test_null_in_an_input_not_declared_or_unknown_is_still_refused(tmp_path: Path) -> None:
    ir = guideline()
    header = ["ldh", "creat", "bulky", "st", "prior", "note", "seen", "fit", "age", "weight"]
    rows: list[list[str | None]] = [
        [None, None, None, None, None, None, None, None, "60", "70"],  # all unknown: valid
        ["300", "1.2", "true", "III", '["dara"]', "x", "2024-05-01", "true", None, "70"],
        ["300", "1.2", "true", "III", '["dara"]', "x", "2024-05-01", "true", "60", None],
    ]
    source = write_csv(header, rows, tmp_path / "patients.csv")
    report = evaluate_cohort(ir, source, tmp_path / "decisions.parquet")
    assert (report.decided, report.invalid_rows) == (1, 2)
    assert [(p.row, p.field) for p in report.problems] == [(2, "age"), (3, "weight")]


def test_a_kleene_fact_is_case_when_and_an_unknown_number_null() -> None:
    sql = render_sql(guideline())
    assert "THEN TRUE WHEN" in sql and "THEN FALSE END" in sql
    assert "CAST(NULL AS BIGINT)" in sql  # `age + unknown`
    assert "COALESCE(" in sql


def test_the_generator_makes_inputs_declared_or_unknown_unknown() -> None:
    columns = patients(guideline(), 500, seed=2)
    share = sum(v is None for v in columns["ldh"]) / 500
    assert 0.1 < share < 0.3, share  # one patient in five
    assert None not in columns["age"] and None not in columns["weight"]
    assert None in columns["fit"]  # `or unknown default yes`: unknown, never left out


def test_a_default_applies_only_without_the_column(tmp_path: Path) -> None:
    """`fit: yes/no or unknown default yes`: no column, its default (yes); a NULL cell, unknown;
    no column for an input that may be unknown but has no default: the file is refused."""
    from mmdsl.cohort.engine import CohortError
    from tests.cohort.support import decisions

    ir = guideline()
    header = ["ldh", "creat", "bulky", "st", "prior", "note", "seen", "age", "weight"]
    row: list[str | None] = [None, None, None, None, "[]", None, None, "60", "70"]
    source = write_csv(header, [row], tmp_path / "no_fit.csv")
    evaluate_cohort(ir, source, tmp_path / "d.parquet")
    rows, _ = decisions(tmp_path / "d.parquet")
    assert rows[0]["derived"]["treated"] is False  # `prior has dara or not fit`, fit: yes
    source = write_csv([*header, "fit"], [[*row, None]], tmp_path / "null_fit.csv")
    evaluate_cohort(ir, source, tmp_path / "d.parquet")
    rows, _ = decisions(tmp_path / "d.parquet")
    assert rows[0]["derived"]["treated"] is None  # no dara, fitness unknown
    source = write_csv(header[1:], [row[1:]], tmp_path / "no_ldh.csv")
    with pytest.raises(CohortError, match="no column for the required input ldh"):
        evaluate_cohort(ir, source, tmp_path / "d.parquet")
