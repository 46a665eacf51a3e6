"""Calendar arithmetic for durations between dates, as a clinician counts them (issue 18).

Groundwork for the `date` type and duration cells (`< 60 days`, `>= 6 weeks`, `12 months..5
years`): the rules are fixed and proven here, against brute force over every pair of dates of a
span that holds a leap day and every month length (tests/verify/test_calendar.py), before the
language uses them. Standard library only, so that the generated module can carry it.

The rules:

- **Days** between two dates are the difference of their day numbers: from 1 March to 31 March is
  30 days. A week is 7 days, so `>= 6 weeks` is `>= 42 days` and `< 2 weeks` is `< 14 days`.
- **Months** are *completed calendar months*, as an age in months is counted: a month is completed
  on the same day of a later month, or on that month's last day when it is shorter. Born 31
  January, a child is 1 month old on 28 February (29 in a leap year), not on 3 March; born 15
  March, on 15 April. `months(start, end)` is the largest m with `add_months(start, m) <= end`.
- **Years** are completed months divided by 12, rounded down: an age in years. Born 29 February,
  one is a year older on 28 February of a common year (the month's last day rule above).
- A duration is negative when the end is before the start: `months(end, start)` negated.

Why thresholds stay exact: for a fixed end date, `months(start, end) >= m` holds exactly when
`start <= latest_start(end, m)`, and `days(start, end) >= d` exactly when `start <= end - d`; so
every duration cell is a threshold on the start date. What depends on the end date is only how a
month threshold falls among the day thresholds (28 to 31 days a month); the calendar repeats every
400 years, so `orders_over_a_cycle` finds every order that can occur by trying each end date of
one cycle, and a verifier that checks each such order checks every end date.
"""

from __future__ import annotations

from datetime import date, timedelta

# The Gregorian calendar repeats every 400 years: 146,097 days, a whole number of weeks.
CYCLE_DAYS = 146_097


def month_length(year: int, month: int) -> int:
    # `date` arithmetic only: the generated module pastes these functions (backends/python.py)
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def is_last_day(day: date) -> bool:
    return day.day == month_length(day.year, day.month)


def add_months(start: date, months: int) -> date:
    """The same day `months` later (or earlier), or the month's last day when it is shorter."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(start.day, month_length(year, month + 1)))


def days(start: date, end: date) -> int:
    return end.toordinal() - start.toordinal()


RUNTIME_FUNCTIONS = ("month_length", "is_last_day", "days", "months")
"""What the generated module needs of this file, pasted text for text."""


def months(start: date, end: date) -> int:
    """Completed calendar months from `start` to `end` (negative when `end` is earlier)."""
    if end < start:
        return -months(end, start)
    count = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day and not is_last_day(end):
        count -= 1  # this month's anniversary day has not come yet
    return count


def years(start: date, end: date) -> int:
    """Completed years: an age. Negative when `end` is earlier."""
    count = months(start, end)
    return count // 12 if count >= 0 else -((-count) // 12)


def latest_start(end: date, months_wanted: int) -> date:
    """The latest start date from which `months_wanted` (>= 0) months are completed by `end`.

    `add_months(end, -m)` except when `end` is its month's last day: then every start on or
    before the last day of the month m months earlier has completed m months (31 January to 28
    February is a month), so that last day is the latest start.
    """
    earlier = add_months(end, -months_wanted)
    if is_last_day(end):
        return earlier.replace(day=month_length(earlier.year, earlier.month))
    return earlier


def month_threshold_in_days(end: date, months_wanted: int) -> int:
    """For this end date, `months(s, end) >= m` exactly when `days(s, end) >= ` this number."""
    return days(latest_start(end, months_wanted), end)


def orders_over_a_cycle(day_thresholds: tuple[int, ...], month_thresholds: tuple[int, ...],
                        first_end: date = date(2000, 1, 1)) -> set[tuple[int, ...]]:
    """Every way the month thresholds, counted in days, can fall among the day thresholds.

    Each order is, per month threshold, how many day thresholds are at or below it (and ties are
    kept apart: a month threshold equal to a day threshold counts it with 0.5 added, doubled to
    stay an integer). Trying every end date of one 400-year cycle gives every order any end date
    gives, because the calendar repeats.
    """
    ordered_days = sorted(day_thresholds)
    found = set()
    for offset in range(CYCLE_DAYS):
        end = first_end + timedelta(days=offset)
        found.add(tuple(_place(month_threshold_in_days(end, m), ordered_days)
                        for m in month_thresholds))
    return found


def _place(value: int, ordered: list[int]) -> int:
    below = sum(1 for d in ordered if d < value)
    equal = any(d == value for d in ordered)
    return 2 * below + (1 if equal else 0)
