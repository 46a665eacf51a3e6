"""Times of day (issue 18) in a cohort: a time of day is its seconds since midnight in the
query (backends/sql `clock_code`); text in Parquet, CSV and JSON Lines and a Parquet TIME column
decide as the evaluator, every comparison at its second; what the evaluator refuses (a time that
does not exist, an offset, another way of writing it, a fraction of a second) is refused naming
the field; and the decision query decides alike in Spark SQL (tests/cohort/test_spark.py)."""

from __future__ import annotations

import random
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.rows import evaluator
from mmdsl.cohort.synthetic import write_csv as write_generated_csv
from tests.cohort.support import (
    decisions,
    disagreements,
    lowered_text,
    pa,
    patients,
    pq,
    rows_of,
    write_csv,
    write_rows,
)
from tests.timeofday.test_time_of_day import WARD
from tests.timeofday.test_time_of_day import random_facts as ward_facts

INPUTS = ("arrival_clock", "urgent")


def ward_rows(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [ward_facts(rng) for _ in range(count)]


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_times_of_day_as_text_decide_as_the_evaluator(tmp_path: Path, suffix: str) -> None:
    guideline = lowered_text(WARD)
    rows = ward_rows(300, seed=18)
    source = write_rows(rows, INPUTS, tmp_path / f"patients{suffix}")
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out)
    assert (report.decided, report.invalid_rows) == (300, 0), report.problems[:3]
    assert disagreements(guideline, rows, out) == []
    lanes = {row["review"] for row in decisions(out)[0]}
    assert len(lanes) >= 4  # every rule: each threshold is crossed


def test_time_columns_are_read_as_times_of_day(tmp_path: Path) -> None:
    guideline = lowered_text(WARD)
    rows = ward_rows(200, seed=5)
    source = tmp_path / "times.parquet"
    pq.write_table(pa.table({
        "arrival_clock": pa.array([time.fromisoformat(r["arrival_clock"]) for r in rows],
                                  pa.time64("us")),
        "urgent": pa.array([r["urgent"] for r in rows])}), source)
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out)
    assert (report.decided, report.invalid_rows) == (200, 0), report.problems[:3]
    assert disagreements(guideline, rows, out) == []


def test_what_the_evaluator_refuses_is_refused_by_field(tmp_path: Path) -> None:
    guideline = lowered_text(WARD)
    rows = [{"arrival_clock": text, "urgent": "false"}
            for text in ("14:30", "24:00", "10:60", "14:30Z", "14:30+01:00", "9:30", "14:30:05.5",
                         " 14:30")]
    source = tmp_path / "p.csv"
    write_csv(list(INPUTS), [[row["arrival_clock"], row["urgent"]] for row in rows], source)
    report = evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert (report.decided, report.invalid_rows) == (1, 7)
    module = evaluator(guideline)
    for problem in report.problems:
        facts = {"arrival_clock": rows[problem.row - 1]["arrival_clock"], "urgent": False}
        with pytest.raises(module.InputError) as refused:
            module.evaluate(facts)
        assert problem.field == "arrival_clock"
        assert {"field": problem.field, "message": problem.message} in refused.value.errors


BOUNDS = """guideline bounds "Fixed times of day, each comparison"

input seen: time of day "when the patient was seen"

fact at_most "at or before" = seen <= 08:00
fact after "after" = seen > 08:00
fact exactly "exactly" = seen = 08:00:30
fact not_exactly "not exactly" = seen != 08:00:30
fact before "before" = seen < 08:00
fact from_on "at or after" = seen >= 08:00
fact in_range "in hours" = seen in [08:00..18:00[
"""


def test_each_comparison_with_a_fixed_time_of_day_at_its_second(tmp_path: Path) -> None:
    guideline = lowered_text(BOUNDS)
    rows = [{"seen": text} for text in ("00:00", "07:59:59", "08:00", "08:00:01", "08:00:29",
                                        "08:00:30", "08:00:31", "17:59:59", "18:00", "23:59:59")]
    source = tmp_path / "p.csv"
    write_csv(["seen"], [[row["seen"]] for row in rows], source)
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out)
    assert report.decided == len(rows)
    assert disagreements(guideline, rows, out) == []


def test_generated_patients_decide_as_the_evaluator(tmp_path: Path) -> None:
    guideline = lowered_text(WARD)
    columns = patients(guideline, 500, seed=18)  # `mmdsl cohort --generate`
    source = tmp_path / "p.csv"
    write_generated_csv(guideline, columns, source)
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out, fmt="csv")
    assert (report.decided, report.invalid_rows) == (500, 0)
    assert disagreements(guideline, list(rows_of(columns)), out) == []
