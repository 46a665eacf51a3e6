"""The cohort (SQL through DuckDB) decides exactly as the Python evaluator, patient by patient.

Seeded synthetic patients for guidelines that use every hit policy (with conflicts at run time),
sets, classes, `includes`, decimals, text, defaults and chained tables; 100,000 patients run in
`make bench` (benchmarks/cohort_differential.py), a few thousand here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mmdsl.cohort.engine import evaluate_cohort
from tests.cohort.support import (
    BENCH_TABLES,
    FIXTURES,
    ROOT,
    disagreements,
    lowered,
    patients,
    rows_of,
    write_parquet,
)

GUIDELINES = [FIXTURES / "policies.mmdsl", FIXTURES / "small.mmdsl",
              ROOT / "tables" / "myeloma_post_daratumumab.mmdsl", BENCH_TABLES / "first_hit_8x8.mmdsl",
              ROOT / "examples" / "second_dose.mmdsl"]  # dates and durations


@pytest.mark.parametrize("path", GUIDELINES, ids=lambda p: p.stem)
def test_the_cohort_decides_as_the_evaluator(tmp_path: Path, path: Path) -> None:
    guideline = lowered(path)
    count = 5000 if path.stem == "myeloma_post_daratumumab" else 2000
    columns = patients(guideline, count)
    source = write_parquet(guideline, columns, tmp_path / "patients.parquet")
    report = evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert (report.rows, report.decided, report.invalid_rows) == (count, count, 0)
    wrong = disagreements(guideline, list(rows_of(columns)), tmp_path / "decisions.parquet")
    assert not wrong, wrong[:2]
