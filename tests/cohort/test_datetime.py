"""Dates and times (issue 18) in a cohort: each way a date-and-time column can arrive (text in
Parquet, CSV and JSON Lines, with or without an offset; a Parquet TIMESTAMP, a clock time)
decides as the evaluator, fixed dates and times and durations to the second included; a row
whose two ends of a duration are one with an offset and one without is refused as the
evaluator refuses it, naming the field; and the decision query decides alike in Spark SQL."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mmdsl.backends.sql import moment_code
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.rows import evaluator
from mmdsl.cohort.synthetic import write_csv as write_generated_csv
from mmdsl.cohort.synthetic import write_parquet as write_generated_parquet
from tests.cohort.support import (
    ROOT,
    decisions,
    disagreements,
    lowered,
    lowered_text,
    pa,
    patients,
    pq,
    rows_of,
    write_csv,
    write_rows,
)
from tests.datetime.test_datetime import CELLS
from tests.datetime.test_datetime import random_facts as triage_facts

STROKE = ROOT / "examples" / "stroke_thrombolysis.mmdsl"
INPUTS = ("now", "arrival", "onset")


def triage_rows(count: int, seed: int) -> list[dict[str, Any]]:
    """Around every threshold of the triage table, to the second; half with offsets (several,
    one end sometimes in another zone: the instants count), half without."""
    rng = random.Random(seed)
    return [triage_facts(rng) for _ in range(count)]


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_dates_and_times_as_text_decide_as_the_evaluator(tmp_path: Path, suffix: str) -> None:
    guideline = lowered_text(CELLS)
    rows = triage_rows(400, seed=18)
    source = write_rows(rows, INPUTS, tmp_path / f"patients{suffix}")
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out)
    assert (report.decided, report.invalid_rows) == (400, 0), report.problems[:3]
    assert disagreements(guideline, rows, out) == []
    lanes = {row["triage"] for row in decisions(out)[0]}
    assert len(lanes) >= 4  # every rule: each threshold is crossed


def test_timestamp_columns_are_clock_times(tmp_path: Path) -> None:
    guideline = lowered_text(CELLS)
    rows = [row for row in triage_rows(400, seed=5)  # those without offsets
            if datetime.fromisoformat(row["now"].replace("Z", "+00:00")).tzinfo is None]
    stamps = {name: pa.array([datetime.fromisoformat(row[name]) for row in rows],
                             pa.timestamp("us")) for name in INPUTS}
    source = tmp_path / "stamps.parquet"
    pq.write_table(pa.table(stamps), source)
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out)
    assert (report.decided, report.invalid_rows) == (len(rows), 0)
    assert len(rows) > 100 and disagreements(guideline, rows, out) == []


def test_what_the_evaluator_refuses_is_refused_by_field(tmp_path: Path) -> None:
    guideline = lowered_text(CELLS)
    good = {"now": "2024-03-01T12:00", "arrival": "2024-03-01T11:40", "onset": "2024-03-01T09:00"}
    rows = [good,
            good | {"onset": "2024-03-01T09:00+01:00"},  # one end with an offset, one without
            good | {"arrival": "2024-02-30T10:00"},  # does not exist
            good | {"arrival": "2024-03-01T24:00"},  # DuckDB would read the next day
            good | {"now": "2024-03-01 12:00"},  # not written as the facts write it
            good | {"onset": "2024-03-01T09:00:60"}]
    source = tmp_path / "p.csv"
    write_csv(list(INPUTS), [[row[n] for n in INPUTS] for row in rows], source)
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out)
    assert (report.decided, report.invalid_rows) == (1, 5)
    module = evaluator(guideline)
    for problem in report.problems:
        with pytest.raises(module.InputError) as refused:
            module.evaluate(rows[problem.row - 1])
        assert {"field": problem.field, "message": problem.message} in refused.value.errors
    first = report.problems[0]  # the end without an offset is named, as the evaluator names it
    assert (first.row, first.field) == (2, "now") and "without an offset" in first.message


def test_a_microsecond_is_not_taken_for_a_whole_second(tmp_path: Path) -> None:
    guideline = lowered_text(CELLS)
    stamp = datetime(2024, 3, 1, 9, 0, 0, 500_000)
    source = tmp_path / "p.parquet"
    pq.write_table(pa.table({"now": pa.array([datetime(2024, 3, 1, 12)], pa.timestamp("us")),
                             "arrival": pa.array([datetime(2024, 3, 1, 11)], pa.timestamp("us")),
                             "onset": pa.array([stamp], pa.timestamp("us"))}), source)
    report = evaluate_cohort(guideline, source, tmp_path / "d.parquet")
    assert (report.decided, report.invalid_rows) == (0, 1)
    assert report.problems[0].field == "onset"


@pytest.mark.parametrize("writer", [write_generated_parquet, write_generated_csv])
def test_generated_patients_of_the_stroke_guideline_decide_as_the_evaluator(
        tmp_path: Path, writer: Any) -> None:
    guideline = lowered(STROKE)
    columns = patients(guideline, 1500, seed=18)  # `mmdsl cohort --generate`
    source = tmp_path / "p.data"
    writer(guideline, columns, source)
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out, fmt="parquet" if writer is
                             write_generated_parquet else "csv")
    assert (report.decided, report.invalid_rows) == (1500, 0)
    assert disagreements(guideline, list(rows_of(columns)), out) == []


def test_the_moment_code_orders_clock_times_and_keeps_the_offset() -> None:
    plain = moment_code(datetime(2024, 3, 1, 8))
    assert moment_code(datetime(2024, 3, 1, 8, 0, 1)) - plain == 4096
    aware = moment_code(datetime.fromisoformat("2024-03-01T08:00:00+01:00"))
    assert plain < aware < plain + 4096 and moment_code(
        datetime.fromisoformat("2024-03-01T08:00:00-23:59")) > plain


BOUNDS = """guideline bounds "Fixed dates and times, each comparison"

input seen: date and time "when the patient was seen"

fact at_most "at or before" = seen <= 2024-03-01T08:00
fact after "after" = seen > 2024-03-01T08:00
fact exactly "exactly" = seen = 2024-03-01T08:00:30
fact not_exactly "not exactly" = seen != 2024-03-01T08:00:30
fact before "before" = seen < 2024-03-01T08:00
fact from_on "at or after" = seen >= 2024-03-01T08:00
"""


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_each_comparison_with_a_fixed_date_and_time_at_its_second(tmp_path: Path,
                                                                  suffix: str) -> None:
    """The clock time as written, offset or not, one second either side of the fixed one."""
    guideline = lowered_text(BOUNDS)
    rows = [{"seen": f"2024-03-01T08:00:{second:02d}{offset}"}
            for second in (0, 1, 29, 30, 31) for offset in ("", "Z", "+01:00", "-23:59")] + \
        [{"seen": f"2024-03-01T07:59:59{offset}"} for offset in ("", "+14:00")]
    source = tmp_path / f"p{suffix}"
    if suffix == ".csv":
        write_csv(["seen"], [[row["seen"]] for row in rows], source)
    else:
        pq.write_table(pa.Table.from_pylist(rows), source)
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out)
    assert report.decided == len(rows)
    assert disagreements(guideline, rows, out) == []


def test_a_timestamp_with_a_time_zone_is_an_instant(tmp_path: Path) -> None:
    """A Parquet TIMESTAMP WITH TIME ZONE is read by the evaluator with its offset (UTC): the
    duration between two of them is between the instants."""
    guideline = lowered_text(CELLS)
    utc = [datetime.fromisoformat(text) for text in
           ("2024-03-01T12:00:00+00:00", "2024-03-01T11:45:00+00:00", "2024-03-01T09:00:00+00:00")]
    source = tmp_path / "p.parquet"
    pq.write_table(pa.table({name: pa.array([value], pa.timestamp("us", tz="UTC"))
                             for name, value in zip(INPUTS, utc, strict=True)}), source)
    out = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, out)
    assert (report.decided, report.invalid_rows) == (1, 0)
    rows = [{name: value.isoformat() for name, value in zip(INPUTS, utc, strict=True)}]
    assert disagreements(guideline, rows, out) == []
    assert decisions(out)[0][0]["triage"] == 0  # 3 hours since onset, 15 minutes at the door
