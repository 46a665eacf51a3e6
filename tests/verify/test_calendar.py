"""The calendar rules of mmdsl.semantics.calendar, proven against brute force: every pair of dates
from 1 December 2023 to 31 January 2025 (a leap day, every month length, a year's turn)."""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date, timedelta

from mmdsl.semantics import calendar

SPAN = [date(2023, 12, 1) + timedelta(days=n) for n in range(428)]


def months_by_definition(start: date, ends: list[date]) -> list[int]:
    """The largest m with add_months(start, m) <= end, for each end on or after start."""
    anniversaries = [calendar.add_months(start, m) for m in range(16)]
    return [bisect_right(anniversaries, end) - 1 for end in ends]


def test_months_are_completed_calendar_months() -> None:
    for i, start in enumerate(SPAN):
        later = SPAN[i:]
        expected = months_by_definition(start, later)
        assert [calendar.months(start, end) for end in later] == expected, start
        assert [calendar.months(end, start) for end in later] == [-m for m in expected]


def test_examples_a_clinician_would_give() -> None:
    assert calendar.months(date(2024, 1, 31), date(2024, 2, 29)) == 1  # leap February's last day
    assert calendar.months(date(2023, 1, 31), date(2023, 2, 28)) == 1
    assert calendar.months(date(2023, 1, 31), date(2023, 2, 27)) == 0
    assert calendar.months(date(2024, 3, 15), date(2024, 4, 14)) == 0
    assert calendar.months(date(2024, 3, 15), date(2024, 4, 15)) == 1
    assert calendar.years(date(2020, 2, 29), date(2021, 2, 28)) == 1
    assert calendar.years(date(2020, 2, 29), date(2021, 2, 27)) == 0
    assert calendar.years(date(1960, 6, 2), date(2024, 6, 1)) == 63
    assert calendar.days(date(2024, 3, 1), date(2024, 3, 31)) == 30
    assert calendar.days(date(2024, 3, 31), date(2024, 3, 1)) == -30


def test_a_month_threshold_is_a_threshold_on_the_start_date() -> None:
    """For every end date, `months(s, end) >= m` exactly when `s <= latest_start(end, m)`."""
    for end in SPAN[::3]:
        for wanted in (0, 1, 2, 6, 12):
            latest = calendar.latest_start(end, wanted)
            for start in SPAN:
                if start <= end:
                    assert (calendar.months(start, end) >= wanted) == (start <= latest), \
                        (start, end, wanted)


def test_the_calendar_repeats_every_400_years() -> None:
    rng = random.Random(18)
    for _ in range(500):
        end = date(1600, 1, 1) + timedelta(days=rng.randrange(300_000))
        later = end + timedelta(days=calendar.CYCLE_DAYS)
        for wanted in (1, 6, 12, 60):
            assert calendar.month_threshold_in_days(end, wanted) == \
                calendar.month_threshold_in_days(later, wanted)


def test_every_order_of_month_and_day_thresholds_is_found() -> None:
    """A month is 28 to 31 days: `1 month` falls below, on and above `30 days` depending on the
    end date; the scan of one cycle finds the three, and random end dates from other centuries
    give no other."""
    found = calendar.orders_over_a_cycle((30,), (1,))
    assert found == {(0,), (1,), (2,)}
    rng = random.Random(4)
    for _ in range(2000):
        end = date(1700, 1, 1) + timedelta(days=rng.randrange(200_000))
        place = calendar._place(calendar.month_threshold_in_days(end, 1), [30])
        assert (place,) in found
