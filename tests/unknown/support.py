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
