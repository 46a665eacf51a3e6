"""Dates in a cohort: each way a date column can arrive (a Parquet DATE, text in Parquet, CSV
and JSON Lines) decides as the evaluator, and a date that does not exist is refused by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmdsl.cohort.compare import result
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.synthetic import write_csv, write_jsonl, write_parquet
from tests.cohort.support import (
    ROOT,
    decisions,
    disagreements,
    lowered,
    pa,
    patients,
    pq,
    rows_of,
)

SECOND_DOSE = ROOT / "examples" / "second_dose.mmdsl"


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_dates_in_every_format_decide_as_the_evaluator(tmp_path: Path, suffix: str) -> None:
    guideline = lowered(SECOND_DOSE)
    columns = patients(guideline, 1500, seed=18)
    source = tmp_path / f"patients{suffix}"
    writer = {".parquet": write_parquet, ".csv": write_csv, ".jsonl": write_jsonl}[suffix]
    writer(guideline, columns, source)
    report = evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert (report.decided, report.invalid_rows) == (1500, 0)
    assert disagreements(guideline, list(rows_of(columns)), tmp_path / "decisions.parquet") == []


def test_dates_written_as_text_in_parquet_are_read_and_checked(tmp_path: Path) -> None:
    guideline = lowered(SECOND_DOSE)
    rows = [{"evaluation_date": "2024-08-01", "birth_date": "2024-01-01", "first_dose": "2024-01-31"},
            {"evaluation_date": "2024-02-30", "birth_date": "2024-01-01", "first_dose": "01/31/2024"}]
    source = tmp_path / "text_dates.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source)
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out)
    assert (report.decided, report.invalid_rows) == (1, 1)
    [decided], tables = decisions(out)
    given = result(tables["second_dose"], decided["second_dose"])  # 183 days, six completed months
    assert given["give"] == "now"
    assert [p.field for p in report.problems] == ["evaluation_date", "first_dose"]
