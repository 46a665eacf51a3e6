"""Times of day (issue 18) in the DMN export: `time of day` inputs (typeRef `time`), fixed times
of day in cells and facts (`>= time("17:00:00")`), evaluated by the third-party FEEL engine
feelin on seeded random patients around every time tested and compared with mmdsl."""

from __future__ import annotations

import random
from typing import Any

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.interpreter import evaluate
from tests.backend.support import compile_text
from tests.dmn.test_feelin import Job, decisions_of, differences, feelin, mmdsl_value
from tests.timeofday.test_time_of_day import WARD


def patient(rng: random.Random) -> dict[str, Any]:
    """Around each time of WARD, to the second."""
    seconds = rng.choice([0, 21_615, 27_000, 28_800, 43_200, 61_200, 63_030, 64_800, 86_399]) \
        + rng.choice([-1, 0, 0, 1]) if rng.random() < 0.8 else rng.randrange(86_400)
    seconds = min(max(seconds, 0), 86_399)
    clock = f"{seconds // 3600:02}:{seconds // 60 % 60:02}:{seconds % 60:02}"
    return {"arrival_clock": clock, "urgent": rng.random() < 0.2}


def test_times_of_day_export_decides_alike_in_feelin() -> None:
    guideline = compile_text(WARD)
    document = export_dmn(guideline).text
    rng = random.Random(1700)
    patients = [patient(rng) for _ in range(150)]
    job = Job(guideline, decisions_of(document), patients, None)
    theirs = feelin([job])[0]
    found = differences(job, theirs)
    assert found == [], "\n".join(found[:5])
    lanes = {mmdsl_value(evaluate(guideline, p), guideline.tables[0]) for p in patients}
    assert {"immediate", "handover", "routine", "night"} <= lanes  # every rule is tried


def test_the_export_writes_feel_times() -> None:
    export = export_dmn(compile_text(WARD))
    for text in ('typeRef="time"', '[time("07:30:00")..time("08:00:00"))', 'time("17:30:30")',
                 'not(time("12:00:00"), &lt; time("06:00:15"))',
                 'arrival_clock &gt;= time("17:00:00")'):
        assert text in export.text, text
