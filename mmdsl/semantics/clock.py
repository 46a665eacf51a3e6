"""Time between dates and times, and fixed dates and times, as the evaluators count them (issue 18).

Standard library only: the generated module pastes the functions named in RUNTIME_FUNCTIONS,
text for text, so that it counts as the compiler does. The rules:

- A **duration** between two dates and times (`time from onset to now`) is the exact elapsed time
  in seconds. When both carry an offset (`Z`, `+01:00`) it is counted between the two instants,
  so a change of the clocks in between is counted right; when neither does, between the clock
  times as written (the facts refuse one end with an offset and the other without:
  runtime/prelude.py). A minute is 60 seconds, an hour 3,600, a day 24 hours, a week 7 days.
- A **fixed date and time** in a cell (`>= 2024-03-01T08:00`) is compared with the clock time as
  written on the value: its offset, if any, is ignored, as a clinician reads a time off a record.
- **Moment numbers** count the seconds of a clock time from 0001-01-01T00:00 (day 1 of
  `date.toordinal()` at midnight): one whole number per second, in order, for the verifier and the
  cohort generator.
"""

from __future__ import annotations

import datetime  # the module, as in the generated module (runtime/prelude.py imports it so)

SECONDS_A_DAY = 86_400


def seconds_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """The time from `start` to `end` in whole seconds (negative when `end` is earlier); both
    aware (instants) or both naive (clock times as written). Values hold whole seconds."""
    delta = end - start
    return delta.days * 86_400 + delta.seconds


def clock_time(value: datetime.datetime) -> datetime.datetime:
    """The clock time as written on a value: its offset left out."""
    return value.replace(tzinfo=None)


def duration_words(seconds: int) -> str:
    """`3 hours 20 minutes`, `1 day 2 hours`, `0 minutes`, `-45 minutes` (negative: the end is
    earlier): days of 24 hours, and seconds only when there are some."""
    if seconds < 0:
        return "-" + duration_words(-seconds)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{amount} {word}{'' if amount == 1 else 's'}"
             for amount, word in ((days, "day"), (hours, "hour"), (minutes, "minute"),
                                  (secs, "second")) if amount]
    return " ".join(parts) if parts else "0 minutes"


def elapsed_words(seconds: int) -> str:
    """A duration as the trace shows it: `3 hours 20 minutes (200 minutes)`, the total in
    minutes too once it passes an hour (the unit of thresholds such as `< 270 minutes`)."""
    words = duration_words(seconds)
    if abs(seconds) >= 3600:
        minutes = seconds // 60 if seconds >= 0 else -((-seconds) // 60)
        return f"{words} ({minutes} minutes)"
    return words


RUNTIME_FUNCTIONS = ("seconds_between", "clock_time", "duration_words", "elapsed_words")
"""What the generated module needs of this file, pasted text for text."""


def moment(text: str) -> datetime.datetime:
    """A fixed date and time as written in a table, `2024-03-01T08:00` or `…T08:00:30`."""
    return datetime.datetime.fromisoformat(text)


def moment_number(value: datetime.datetime) -> int:
    """The clock time of a value as a whole number of seconds (its offset left out)."""
    return value.toordinal() * SECONDS_A_DAY + value.hour * 3600 + value.minute * 60 + value.second


def moment_of(number: int) -> str:
    """A moment number as a date and time, written without an offset: `2024-03-01T08:00`
    (seconds written only when there are some)."""
    days, seconds = divmod(number, SECONDS_A_DAY)
    value = datetime.datetime.fromordinal(days) + datetime.timedelta(seconds=seconds)
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def amount_words(seconds: int) -> str:
    """A threshold of a cell in its largest whole unit: `4 hours`, `270 minutes`, `90 seconds`."""
    if seconds == 0:
        return "0 minutes"
    for size, word in ((604_800, "week"), (SECONDS_A_DAY, "day"), (3600, "hour"), (60, "minute")):
        if seconds % size == 0:
            amount = seconds // size
            return f"{amount} {word}{'' if abs(amount) == 1 else 's'}"
    return f"{seconds} second{'' if abs(seconds) == 1 else 's'}"


def time_of_day(text: str) -> datetime.time:
    """A fixed time of day as written in a table, `17:00` or `17:00:30`."""
    return datetime.time.fromisoformat(text)


def seconds_of_day(value: datetime.time) -> int:
    """A time of day as seconds since midnight, 0 to 86,399: in clock order within one day."""
    return value.hour * 3600 + value.minute * 60 + value.second


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def moment_words(text: str) -> str:
    """`2024-03-01T08:00` as a clinician writes it: `08:00 on 1 March 2024`."""
    value = moment(text)
    clock = f"{value:%H:%M:%S}" if value.second else f"{value:%H:%M}"
    return f"{clock} on {value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
