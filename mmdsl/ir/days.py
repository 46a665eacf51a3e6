"""Fixed calendar days (`>= 2019-09-01`) as numbers: one per day, in calendar order.

A date is tested against a fixed day by comparing day numbers; the numbers are those of Python's
`date.toordinal()` (1 January of year 1 is day 1), so the evaluators, the verifier (which reads a
date input tested this way as a whole number from the first to the last day Python knows) and
the cohort generator count the same days. Standard library only.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY = date.min.toordinal()  # 0001-01-01
LAST_DAY = date.max.toordinal()  # 9999-12-31


def day_number(day: str) -> int:
    """`2019-09-01` as its day number."""
    return date.fromisoformat(day).toordinal()


def day_of(number: int) -> str:
    """A day number as the day, written year-month-day."""
    return date.fromordinal(number).isoformat()


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def day_words(day: str) -> str:
    """`2019-09-01` as a clinician writes it: `1 September 2019`."""
    value = date.fromisoformat(day)
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
