"""The cohort against `mmdsl eval` on random guidelines with the names and texts SQL gets wrong
(tests/reliability/sql_names.py), small, inside `make test`; `make fuzz` runs it at scale and
through Spark SQL as well."""

from __future__ import annotations

import pytest

from tests.reliability.sql_names import run_batch

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")


def test_duckdb_decides_as_eval_whatever_the_names_and_texts() -> None:
    tally = run_batch(seed=14, guidelines=30, patients=40)
    assert not tally.failures, tally.failures[:2]
    assert tally.guidelines == 30 and tally.refused < 20  # most are legal, and decided
    assert tally.patients >= (30 - tally.refused) * 40
