"""The DMN export of durations tested in months and in years, evaluated by feelin (see
tests/dmn/test_feelin.py) and compared with mmdsl.

The export does not use FEEL's `years and months duration` (engines count it as Java's Period
does): it spells the completed months out from the dates' year, month and day, and a year as 12
of them (`age_months / 12`, a fraction, so that `= 5 years` is exactly 60 months and `> 2 years`
more than 24, as in mmdsl). So feelin agrees with mmdsl at the ends of months too, where Java's
Period would not: the random patients (tests/backend/facts.py) are often on a month's last day
and a named length before the other date, and the worked examples below are at month ends on
purpose.
"""

from __future__ import annotations

from pathlib import Path

from mmdsl.pipeline import compile_path
from tests.dmn.test_feelin import PATIENTS, differences, feelin, job_for

AGES = """\
guideline ages "Ages in months and years"

input evaluation_date: evaluation date "the day the decision is made"
input birth: date "date of birth"

fact age "age" = time from birth to evaluation_date
fact toddler "from one to three years" = age in 1 year..3 years
fact not_eighteen_months "not 18 months" = age != 18 months
fact five "five years exactly" = age = 5 years
fact over_two "over two years" = age > 2 years

table band "Age band"
  hit first
  output band: one of infant, young, child, adult
  | age                 || band   |
  |---------------------||--------|
  | < 12 months         || infant |
  | 12 months..2 years  || young  |
  | [2 years..18 years[ || child  |
  | >= 18 years         || adult  |

example leap_month_end "31 January to 29 February: one completed month (Java's Period: none)"
  evaluation_date: 2024-02-29
  birth: 2024-01-31
  expect band.band: infant

example eighteen_at_month_end "18 years on the last day of a shorter month"
  evaluation_date: 2023-02-28
  birth: 2005-01-31
  expect band.band: adult

example two_years_and_a_month "25 completed months: over two years"
  evaluation_date: 2024-03-01
  birth: 2022-02-01
  expect over_two: yes
  expect band.band: child

example five_exactly "60 completed months: five years exactly, not after a day less"
  evaluation_date: 2025-06-30
  birth: 2020-06-30
  expect five: yes
"""


def test_months_and_years_export_decides_alike_in_feelin(tmp_path: Path) -> None:
    source = tmp_path / "ages.mmdsl"
    source.write_text(AGES, encoding="utf-8")
    compilation = compile_path(source)
    assert compilation.guideline is not None, compilation.diagnostics
    job = job_for(compilation.guideline)
    assert len(job.patients) >= PATIENTS + 4
    found = differences(job, feelin([job])[0])
    assert found == [], "\n".join(found[:5])
