"""FEEL's `years and months duration(start, end)` imported as mmdsl's `time from start to end`,
tested in completed months (docs/dmn.md, Durations; MD710)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from mmdsl.semantics.calendar import is_last_day, months
from tests.dmn.support import codes, decide, imported, input_data, model, problems, table

DATES = input_data("birth", "date") + input_data("today", "date")
AGE = "years and months duration(birth, today)"


def java_period_months(start: date, end: date) -> int:
    """The total months of Java's `Period.between(start, end)` (`LocalDate.until`), which FEEL
    engines give for `years and months duration(start, end)`."""
    total = (end.year * 12 + end.month) - (start.year * 12 + start.month)
    day_difference = end.day - start.day
    if total > 0 and day_difference < 0:
        return total - 1
    if total < 0 and day_difference > 0:
        return total + 1
    return total


def differs(one: date, other: date) -> bool:
    """Where MD710 says the two countings differ: the later date is the last day of a month
    shorter than the earlier date's day of the month."""
    earlier, later = sorted((one, other))
    return is_last_day(later) and later.day < earlier.day


def test_the_countings_differ_exactly_where_md710_says() -> None:
    """Every pair of dates over five months around a leap day, both ways."""
    days = [date(2023, 12, 1) + timedelta(days=n) for n in range(152)]
    for start in days:
        for end in days:
            same = months(start, end) == java_period_months(start, end)
            assert same is not differs(start, end), (start, end)


def feel_in(value: int, low: int | None, high: int | None, low_closed: bool,
            high_closed: bool) -> bool:
    """A direct reading of FEEL's interval test on total months."""
    above = low is None or (value >= low if low_closed else value > low)
    below = high is None or (value <= high if high_closed else value < high)
    return above and below


AGE_TABLE = table("band", 'hitPolicy="UNIQUE"', [AGE], ['<output name="band" typeRef="string"/>'],
                  [['< @"P1Y"', '"infant"'], ['[duration("P1Y")..@"P1Y6M")', '"toddler"'],
                   ['[@"P18M"..@"P18Y")', '"minor"'], ['>= duration("P18Y")', '"adult"']])


def test_a_column_of_years_and_months_is_the_completed_months_between_the_dates() -> None:
    result = imported(model(DATES + AGE_TABLE))
    assert result.ok, problems(result)
    assert result.text is not None and "time from birth to today" in result.text
    assert "| [12 months..18 months[ " in result.text and "| >= 216 months " in result.text
    assert codes(result).count("MD710") == 1
    rng = random.Random(710)
    bands = [(None, 12, "infant"), (12, 18, "toddler"), (18, 216, "minor"), (216, None, "adult")]
    for _ in range(200):
        birth = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
        today = birth + timedelta(days=rng.randrange(8000))
        if differs(birth, today):
            continue  # MD710's month ends: the clinician's count is used there
        total = java_period_months(birth, today)
        expected = next(band for low, high, band in bands
                        if feel_in(total, low, high, True, False))
        decision = decide(result, {"birth": birth.isoformat(), "today": today.isoformat()})
        assert decision["band"]["band"] == expected, (birth, today)


@pytest.mark.parametrize("tests, condition", [
    ('>= @"P18Y"', ">= 216 months"),
    ('in (duration("P4Y"), >=duration("P5Y"))', "= 48 months or time_from_birth_to_today >= 60 months"),
    ('in (@"P2Y"..@"P4Y"]', "in ]24 months..48 months]"),
    ('!= @"P1Y2M"', "!= 14 months"),
    ('< @"P1Y2M"', "< 14 months"),
])
def test_a_fact_on_years_and_months_is_tested_in_months(tests: str, condition: str) -> None:
    fact = (f'<decision id="f" name="old"><variable name="old" typeRef="boolean"/>'
            f"<literalExpression><text>{AGE} {escape(tests)}</text></literalExpression></decision>")
    result = imported(model(DATES + fact))
    assert result.ok, problems(result)
    assert result.text is not None and condition in result.text
    assert "MD710" in codes(result) and "31 January to 29 February 2024" in problems(result)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize("cell, why", [
    ("< 12", "the value is a years and months duration (the months between two dates) and the "
             "test is not"),
    ('< @"P28D"', "the value is a years and months duration"),
    ('< date("2024-01-01")', "the calendar date"),
])
def test_a_years_and_months_column_refuses_what_is_not_a_years_and_months_duration(
        cell: str, why: str) -> None:
    result = imported(model(DATES + table("band", 'hitPolicy="UNIQUE"', [AGE],
                                          ['<output name="band" typeRef="string"/>'],
                                          [[cell, '"infant"']])))
    assert result.compilation is None or result.compilation.guideline is None
    assert why in problems(result)


@pytest.mark.parametrize("text, why", [
    ("years and months duration(birth, 12) &gt; @\"P1Y\"", "between two date inputs only"),
    ("weight &lt; @\"P1D\"", "the test is a duration and the value is not"),  # was `weight < 1`
    ("weight &lt; @\"P1Y\"", "the test is a duration and the value is not"),
])
def test_a_duration_against_what_is_not_the_time_between_two_dates_is_refused(
        text: str, why: str) -> None:
    fact = ('<decision id="f" name="old"><variable name="old" typeRef="boolean"/>'
            f"<literalExpression><text>{text}</text></literalExpression></decision>")
    result = imported(model(DATES + input_data("weight", "number") + fact))
    assert result.compilation is None or result.compilation.guideline is None
    assert why in problems(result)


@pytest.mark.parametrize("type_ref", ["years and months duration", "yearMonthDuration",
                                      "feel:yearMonthDuration"])
def test_a_decision_that_is_years_and_months_is_read_by_tables_and_facts(type_ref: str) -> None:
    """`age` = `years and months duration(birth, today)`: a name for the same duration."""
    age = (f'<decision id="a" name="age"><variable name="age" typeRef="{type_ref}"/>'
           f"<literalExpression><text>{AGE}</text></literalExpression></decision>")
    adult = ('<decision id="f" name="adult"><variable name="adult" typeRef="boolean"/>'
             '<literalExpression><text>age &gt;= duration("P18Y")</text></literalExpression>'
             "</decision>")
    bands = table("band", 'hitPolicy="UNIQUE"', ["age"], ['<output name="band" typeRef="string"/>'],
                  [['< @"P18Y"', '"minor"'], ['>= @"P18Y"', '"adult"']])
    result = imported(model(DATES + age + adult + bands))
    assert result.ok, problems(result)
    assert result.text is not None and "fact adult = time_from_birth_to_today >= 216 months" \
        in result.text and "| < 216 months " in result.text
    assert codes(result).count("MD710") == 1
    for today, grown in (("2024-01-14", False), ("2024-01-15", True)):
        decision = decide(result, {"birth": "2006-01-15", "today": today})
        assert decision["derived"]["adult"] is grown
        assert decision["band"]["band"] == ("adult" if grown else "minor")
