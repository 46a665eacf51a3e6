"""A guideline with inputs that may be unknown, and random patients over such inputs, shared by
the tests of tests/unknown/."""

from __future__ import annotations

import random
from typing import Any

from mmdsl.ir.model import IRGuideline
from tests.backend.facts import named_values, random_facts


def random_patients(guideline: IRGuideline, count: int, seed: int) -> list[dict[str, Any]]:
    """`count` random patients (seeded): each input declared `or unknown` is null (unknown) for
    about a third of them, the other values near the thresholds the guideline names."""
    rng = random.Random(seed)
    named = named_values(guideline)
    return [random_facts(guideline, rng, named) for _ in range(count)]

LDH = '''\
guideline lymphoma_ldh "Treatment by LDH, which may not be measured"

input ldh: integer 0..5000 unit "U/L" or unknown "LDH"
input stage: one of I, II, III or unknown "Ann Arbor stage"
input bulky: yes/no or unknown "bulky disease"
input fit: yes/no "fit for intensive treatment"
input age: integer 18..100 unit "years" "age"

fact high_ldh "LDH above normal" = ldh > 250
fact high_risk "high risk" = high_ldh or stage is III
fact low_risk "low risk" = not high_ldh and not bulky and stage is not III
fact no_ldh "LDH not measured" = ldh is unknown
fact frail "frail" = not fit or age >= 80

table plan "Treatment"
  hit first
  output arm: one of intensive, standard, measure_ldh, palliative
  | rule    | ldh         | high_risk | low_risk | frail | bulky   || arm         |
  |---------|-------------|-----------|----------|-------|---------||-------------|
  | frail   | -           | -         | -        | yes   | -       || palliative  |
  | measure | unknown     | -         | -        | -     | not yes || measure_ldh |
  | high    | -           | yes       | -        | -     | -       || intensive   |
  | low     | not unknown | -         | yes      | -     | -       || standard    |
  | other   | -           | no        | -        | -     | unknown || standard    |

table notes "Notes"
  hit collect
  output note: one of ldh_missing, stage_missing, bulky_known
  | no_ldh | stage   | bulky       || note          |
  |--------|---------|-------------||---------------|
  | yes    | -       | -           || ldh_missing   |
  | -      | unknown | -           || stage_missing |
  | -      | -       | not unknown || bulky_known   |

example unknown_ldh "LDH unknown, stage III"
  ldh: unknown
  stage: III
  bulky: yes
  fit: yes
  age: 60
  expect plan: intensive
  expect high_risk: yes
  expect high_ldh: unknown

example unknown_all "nothing known"
  ldh: unknown
  stage: unknown
  bulky: unknown
  fit: yes
  age: 60
  expect plan: none
  expect low_risk: unknown
  expect notes: ldh_missing, stage_missing
'''

DOSE = '''\
guideline dose_unknown "Restart by the time since the last dose, which may not be known"

input evaluation_date: evaluation date "the day the decision is made"
input birth_date: date "date of birth"
input last_dose: date or unknown "date of the last dose"
input diagnosed: date or unknown "date of diagnosis"
input relapsed: yes/no or unknown "relapsed"

fact age "age" = time from birth_date to evaluation_date
fact since_last_dose "time since the last dose" = time from last_dose to evaluation_date
fact since_diagnosis "time since diagnosis" = time from diagnosed to evaluation_date
fact recent "dosed within 60 days" = since_last_dose < 60 days
fact ask "the last dose must be asked" = since_last_dose is unknown and relapsed
fact early "relapsed early" = relapsed and not (since_diagnosis >= 1 year)
fact weight "weight of the last dose" = if since_last_dose < 4 weeks then 2 else 1

table restart "Restart"
  hit first
  output plan: one of wait, restart, ask, adult
  | age         | since_last_dose   | since_diagnosis || plan    |
  |-------------|-------------------|-----------------||---------|
  | >= 18 years | < 60 days         | -               || wait    |
  | -           | unknown           | not unknown     || ask     |
  | -           | > 12 months       | unknown         || ask     |
  | -           | 60 days..365 days | < 6 months      || restart |
  | -           | not (< 2 months)  | -               || adult   |

example unknown_dose "Last dose unknown, diagnosed a year ago: ask"
  evaluation_date: 2024-03-20
  birth_date: 1970-01-01
  last_dose: unknown
  diagnosed: 2023-03-20
  relapsed: yes
  expect recent: unknown
  expect ask: yes
  expect early: no
  expect weight: unknown
  expect restart.plan: ask

example recent_dose "Ten days ago, diagnosis unknown"
  evaluation_date: 2024-03-20
  birth_date: 1970-01-01
  last_dose: 2024-03-10
  diagnosed: unknown
  relapsed: yes
  expect recent: yes
  expect early: unknown
  expect weight: 2
  expect restart.plan: wait
'''
