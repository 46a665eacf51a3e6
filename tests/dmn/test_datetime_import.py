"""Dates and times (issue 18) in the DMN import: `date and time` inputs tested against FEEL
dates and times (`date and time("…")`, `@"…"`) as mmdsl's fixed dates and times, and `end -
start` of two of them tested against days-and-time durations of whole minutes as mmdsl's
durations between dates and times (docs/dmn.md); what mmdsl cannot say exactly is MD703 with its
reason. The export's round trip is tests/dmn/test_round_trip.py (language.md's worked guideline)
and tests/dmn/test_datetime_export.py."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.frontends.dmn.importer import import_dmn
from mmdsl.interpreter import evaluate
from tests.backend.support import compile_text
from tests.dmn.support import codes, decide, imported, input_data, model, problems, table
from tests.dmn.test_datetime_export import GUIDELINE, patient

MOMENTS = input_data("onset", "date and time") + input_data("now", "date and time")
DAYS = input_data("birth", "date") + input_data("today", "date")
SINCE = "now - onset"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def band_table(column: str, cells: list[str]) -> str:
    return table("band", 'hitPolicy="FIRST"', [column], ['<output name="band" typeRef="string"/>'],
                 [[cell, f'"{index}"'] for index, cell in enumerate(cells)])


def test_a_column_of_the_time_between_dates_and_times_is_tested_in_their_units() -> None:
    result = imported(model(MOMENTS + band_table(SINCE, [
        '< duration("PT4H30M")', '[@"PT270M"..duration("P1D"))', '<= duration("PT48H")', "-"])))
    assert result.ok, problems(result)
    assert result.text is not None and "= time from onset to now" in result.text
    for cell in ("< 270 minutes", "[270 minutes..1 day[", "<= 48 hours"):
        assert f"| {cell} " in result.text, cell
    rng = random.Random(18)
    for _ in range(100):
        now = datetime(2024, 3, 1, 12) + timedelta(minutes=rng.randrange(-5000, 5000))
        minutes = rng.choice([269, 270, 271, 1439, 1440, 2880, 2881, 5000])
        onset = now - timedelta(minutes=minutes, seconds=rng.choice([-1, 0, 1]))
        seconds = (now - onset) // timedelta(seconds=1)
        expected = "0" if seconds < 270 * 60 else "1" if seconds < 86_400 else \
            "2" if seconds <= 48 * 3600 else "3"
        decision = decide(result, {"onset": onset.isoformat(), "now": now.isoformat()})
        assert decision["band"]["band"] == expected, (onset, now)


@pytest.mark.parametrize("cell, written", [
    ('>= date and time("2018-12-08T10:30:05")', ">= 2018-12-08T10:30:05"),
    ('[@"2018-12-08T10:30:00"..date and time("2018-12-09T00:00:00"))',
     "[2018-12-08T10:30..2018-12-09T00:00["),
    ('date and time("2018-12-08")', "2018-12-08T00:00"),
    ('not(@"2018-12-08T10:30:05", < @"2018-01-01T00:00:00")',
     "not (2018-12-08T10:30:05, < 2018-01-01T00:00)"),
    ('!= date and time("2018-12-08T10:30:05.000")', "!= 2018-12-08T10:30:05"),
])
def test_a_date_and_time_column_reads_fixed_dates_and_times(cell: str, written: str) -> None:
    result = imported(model(MOMENTS + band_table("onset", [cell])))
    assert result.ok, problems(result)
    assert result.text is not None and f"| {written} " in result.text


def test_a_fact_compares_dates_and_times_and_their_differences() -> None:
    text = escape('onset >= @"2024-03-01T08:00:00" and now - onset <= duration("PT1H30M")')
    fact = (f'<decision id="f" name="quick"><variable name="quick" typeRef="boolean"/>'
            f"<literalExpression><text>{text}</text></literalExpression></decision>")
    result = imported(model(MOMENTS + fact))
    assert result.ok, problems(result)
    assert result.text is not None and "onset >= 2024-03-01T08:00 and " \
        "time_from_onset_to_now <= 90 minutes" in result.text
    facts = {"onset": "2024-03-01T08:00", "now": "2024-03-01T09:30"}
    assert decide(result, facts)["derived"]["quick"] is True
    assert decide(result, facts | {"now": "2024-03-01T09:30:01"})["derived"]["quick"] is False
    assert decide(result, facts | {"onset": "2024-03-01T07:59:59"})["derived"]["quick"] is False


@pytest.mark.parametrize("column, cell, why", [
    (SINCE, '< duration("PT90S")', "not a whole number of minutes"),
    (SINCE, '< duration("PT1.5S")', "not a whole number of seconds"),
    (SINCE, "< 5", "the value is a duration (the time between two dates and times) and the test "
                   "is not"),
    (SINCE, '< duration("P1Y")', "the value is a duration (the time between two dates and times)"),
    ("onset", '< date and time("2018-12-08T10:30:05+01:00")', "it has an offset or a time zone"),
    ("onset", '< @"2018-12-08T10:30:05@Europe/Paris"', "it has an offset or a time zone"),
    ("onset", '< date and time("2018-12-08T10:30:05.5")', "whole seconds"),
    ("onset", '< date and time("2018-02-30T10:30:05")', "does not exist"),
    ("onset", '< date("2018-12-08")', "the calendar date"),
    ("onset", "< 5", "compares a date and time with a number"),
    ("onset", '< time("10:30:05")', "the time of day"),
    ("onset", '< duration("PT4H")', "tests a value that is not a duration"),
])
def test_what_mmdsl_cannot_say_of_dates_and_times_is_md703(column: str, cell: str,
                                                           why: str) -> None:
    result = imported(model(MOMENTS + band_table(column, [cell])))
    assert "MD703" in codes(result), problems(result)
    assert why in problems(result)


def test_a_date_against_a_date_and_time_and_sub_day_durations_of_dates_are_refused() -> None:
    mixed = input_data("onset", "date and time") + input_data("today", "date")
    result = imported(model(mixed + band_table("today - onset", ['< duration("P1D")'])))
    assert not result.ok and "general FEEL" in problems(result)
    result = imported(model(DAYS + band_table("today - birth", ['< duration("PT4H")'])))
    assert "MD703" in codes(result) and "whole number of days" in problems(result)
    fact = ('<decision id="f" name="old"><variable name="old" typeRef="boolean"/><literalExpression>'
            "<text>years and months duration(onset, now) &gt; @\"P1Y\"</text></literalExpression>"
            "</decision>")
    result = imported(model(MOMENTS + fact))
    assert "MD703" in codes(result) and "months between dates only" in problems(result)


def test_the_export_comes_back_with_the_same_decisions() -> None:
    """Fixed dates and times in cells and facts, durations in minutes, hours, days and weeks
    (weeks come back as days: FEEL's days-and-time durations have no weeks), `!=` and `not`."""
    original = compile_text(GUIDELINE)
    result = import_dmn(export_dmn(original).text.encode("utf-8"), "exported.dmn",
                        "imported.mmdsl")
    assert result.ok, problems(result)
    assert result.compilation is not None and result.compilation.guideline is not None
    back = result.compilation.guideline
    assert result.text is not None and "> 14 days" in result.text
    rng = random.Random(61)
    for facts in [patient(rng) for _ in range(150)]:
        mine, theirs = evaluate(original, facts), evaluate(back, facts)
        assert (mine["status"], mine["derived"], mine.get("triage")) == \
            (theirs["status"], theirs["derived"], theirs.get("triage")), facts
