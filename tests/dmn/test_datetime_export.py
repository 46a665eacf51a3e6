"""Dates and times (issue 18) in the DMN export: `date and time` inputs, fixed dates and times in
cells and facts (`>= date and time("2024-03-01T08:00:00")`) and durations between them (the
decision `NAME_time`, FEEL's `end - start`, compared with `duration("PT4H30M")`), evaluated by
the third-party FEEL engine feelin on seeded random patients and compared with mmdsl.

The patients are given without offsets: feelin counts `end - start` between two values with
offsets on their clock times (from `00:00+01:00` to `03:30+02:00` it counts 3 hours 30 minutes,
where FEEL and mmdsl count the 2 hours 30 minutes between the instants), and compares a value
with an offset with a fixed date and time as an instant, where mmdsl compares its clock time as
written (the export warns of that: docs/dmn.md)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.interpreter import evaluate
from tests.backend.support import compile_text
from tests.dmn.test_feelin import (
    Job,
    decisions_of,
    differences,
    feelin,
    mmdsl_value,
    scope_decision,
)

GUIDELINE = """guideline arrivals "Arrivals"

input now: evaluation date and time "the moment of the decision"
input arrival: date and time "time of arrival"
input onset: date and time "time of symptom onset"

fact since_onset "time since onset" = time from onset to now
fact door "time from arrival" = time from arrival to now
fact night_shift "arrived in the night shift" = arrival >= 2024-03-01T20:00 and arrival < 2024-03-02T08:00
fact quick "seen quickly" = door <= 30 minutes or since_onset < 1 hour

scope "arrived before the decision" = door >= 0 minutes

table triage "Triage"
  hit first
  output lane: one of stroke_team, fast, usual, weekend, late
  | rule    | arrival                                    | since_onset      | door          || lane        |
  | team    | -                                          | < 4 hours        | <= 30 minutes || stroke_team |
  | fast    | [2024-03-01T08:00..2024-03-01T20:00[       | [4 hours..1 day] | -             || fast        |
  | weekend | 2024-03-02T00:00..2024-03-03T23:59:59      | -                | -             || weekend     |
  | week    | -                                          | > 2 weeks        | != 90 minutes || late        |
  | rest    | not (2024-03-01T12:00, < 2024-01-01T00:00) | -                | -             || usual       |
"""


def patient(rng: random.Random) -> dict[str, Any]:
    """Around each threshold of GUIDELINE, to the second, without offsets."""
    now = datetime(2024, 3, 2, 0) + timedelta(minutes=rng.randrange(-3000, 3000))
    arrival = now - timedelta(minutes=rng.choice([0, 1, 29, 30, 31, 600]),
                              seconds=rng.choice([-1, 0, 0, 1, 90]))
    if rng.random() < 0.3:  # at a fixed date and time of a cell, give or take a second
        arrival = datetime(2024, 3, rng.choice([1, 2, 3]), rng.choice([0, 8, 12, 20, 23]),
                          rng.choice([0, 59]), rng.choice([0, 59])) \
            + timedelta(seconds=rng.choice([-1, 0, 1]))
    onset = now - timedelta(minutes=rng.choice([59, 60, 239, 240, 241, 1439, 1440, 1441,
                                                20159, 20160, 20161]),
                            seconds=rng.choice([-1, 0, 0, 1]))
    return {name: value.isoformat(timespec="seconds")
            for name, value in (("now", now), ("arrival", arrival), ("onset", onset))}


def test_dates_and_times_export_decides_alike_in_feelin() -> None:
    guideline = compile_text(GUIDELINE)
    document = export_dmn(guideline).text
    rng = random.Random(20261206)
    patients = [patient(rng) for _ in range(150)]
    job = Job(guideline, decisions_of(document), patients, scope_decision(document))
    theirs = feelin([job])[0]
    found = differences(job, theirs)
    assert found == [], "\n".join(found[:5])
    lanes = {mmdsl_value(evaluate(guideline, p), guideline.tables[0]) for p in patients}
    assert {"stroke_team", "fast", "weekend", "late", "usual"} <= lanes  # every rule is tried


def test_the_export_writes_feel_dates_and_times_and_durations() -> None:
    guideline = compile_text(GUIDELINE)
    export = export_dmn(guideline)
    for text in ('typeRef="date and time"', 'typeRef="days and time duration"',
                 "<text>now - onset</text>", "&lt; duration(\"PT4H\")",
                 '[duration("PT4H")..duration("P1D")]', '!= duration("PT90M")', '&gt; duration("P14D")',
                 '[date and time("2024-03-01T08:00:00")..date and time("2024-03-01T20:00:00"))',
                 'arrival in [date and time("2024-03-01T20:00:00")..date and time("2024-03-02T08:00:00"))',
                 "door_time &lt;= duration(\"PT30M\")"):
        assert text in export.text, text
    assert any("`arrival` is compared with fixed dates and times" in w.message
               for w in export.diagnostics)


def test_a_duration_of_the_export_is_one_decision() -> None:
    guideline = compile_text(GUIDELINE)
    names = [d["name"] for d in decisions_of(export_dmn(guideline).text)]
    assert "since_onset_time" in names and "since_onset_days" not in names
