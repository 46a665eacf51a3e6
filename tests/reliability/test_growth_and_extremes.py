"""The fast versions of two `make fuzz` campaigns (issue 14): DMN files grown along every
dimension (the full growth test is tests/dmn/test_linear_import.py), and cohort rows at every
type's extremes through DuckDB against the evaluator."""

from __future__ import annotations

import pytest

from tests.reliability import cohort_extremes, dmn_growth

pytest.importorskip("duckdb")


def test_small_dmn_files_grown_along_every_dimension_import_without_a_problem() -> None:
    tried, problems, figures = dmn_growth.campaign(scale=0.1, runs=1)
    assert tried == 2 * len(dmn_growth.DIMENSIONS) and len(figures) == len(dmn_growth.DIMENSIONS)
    assert not [p for p in problems if p.startswith("internal")], problems


@pytest.mark.parametrize("seed", [1, 2])
def test_cohort_rows_at_every_types_extremes_are_decided_as_eval_decides(seed: int) -> None:
    tally = cohort_extremes.run_batch(seed, 400)
    assert not tally.failures, tally.failures[:5]
    assert tally.decided > 50 and tally.refused > 10  # both kinds of row were drawn
