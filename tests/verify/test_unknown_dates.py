"""The verifier over dates declared `or unknown` and the durations counted from them, exact
against brute force.

Random small tables over a duration from a date that may be unknown (cells in days and months,
`unknown`, `not unknown`), a date that may be unknown tested against fixed days, a yes/no input
that may be unknown and a Kleene fact over them: every patient of a small domain (null included
for each date that may be unknown) is run through the reference interpreter, and the gaps, dead
rules and overlaps it finds must be exactly the verifier's. The domain's dates are hand-picked
around each threshold, for end dates whose months have 28 to 31 days, and joined with the dates
the verifier's own abstraction chose (verify/time.py), so that a combination either side finds
is tried by both. Witnesses are re-run through the interpreter and give null for an unknown date.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from typing import Any

from mmdsl.ir import model as ir
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.verify.coverage import every_region
from mmdsl.verify.encode import Encoder
from mmdsl.verify.witness import matching_rules
from tests.computed.brute import Truth, assert_findings_are_the_truth, derived_truth, verified

HEAD = '''guideline g "g"
input today: evaluation date "today"
input last: date or unknown "last dose"
input seen: date or unknown "seen"
input a: yes/no or unknown "A"
fact since "since the last dose" = time from last to today
'''
TODAYS = ["2023-03-01", "2024-03-01", "2024-05-01", "2024-08-01", "2023-03-31", "2024-03-31",
          "2024-08-31", "2023-12-31"]  # one month back is 28 to 31 days, two 59 to 62
OFFSETS = [-1, 0, 1, 27, 28, 29, 30, 31, 32, 58, 59, 60, 61, 62, 63, 90]
SEEN = ["2020-01-01", "2020-01-02", "2020-01-03", None]
FACTS = ["since < 30 days or a", "since is unknown and a", "not (since >= 2 months)",
         "since > 1 month and seen is not unknown", "last is unknown or since <= 60 days",
         "seen < 2020-01-02 or a"]
CELLS = {
    "since": ["-", "< 30 days", ">= 1 month", "30 days..2 months", "unknown", "not unknown",
              "> 60 days", "not (< 1 month)"],
    "seen": ["-", "< 2020-01-02", ">= 2020-01-02", "2020-01-02", "unknown", "not unknown"],
    "a": ["-", "yes", "no", "unknown", "not unknown"],
    "f": ["-", "yes", "no", "unknown", "not unknown"],
}


def drawn_table(rng: random.Random) -> str:
    columns = ["since", *rng.sample(["seen", "a", "f"], 2)]
    rows = [[rng.choice(CELLS[c]) for c in columns] for _ in range(rng.randint(2, 5))]
    lines = [f'fact f "F" = {rng.choice(FACTS)}', 'table t "t"', "  hit unique",
             "  output o: one of x, y, z", f"  | {' | '.join(columns)} || o |"]
    lines += [f"  | {' | '.join(row)} || {rng.choice('xyz')} |" for row in rows]
    return HEAD + "\n".join(lines) + "\n"


def patients(guideline: ir.IRGuideline) -> list[dict[str, Any]]:
    """Every combination of the hand-picked dates, with the dates the verifier chose."""
    pairs: set[tuple[str, str | None]] = {(today, None) for today in TODAYS}
    pairs |= {(today, (date.fromisoformat(today) - timedelta(days=d)).isoformat())
              for today in TODAYS for d in OFFSETS}
    for members in Encoder(guideline).time.dates.values():
        pairs |= {(str(dates["today"]), dates["last"]) for dates in members.values()}
    return [{"today": today, "last": last, "seen": seen, "a": a}
            for (today, last), seen, a in itertools.product(sorted(pairs, key=str), SEEN,
                                                            [True, False, None])]


def brute(guideline: ir.IRGuideline) -> Truth:
    return derived_truth(guideline, patients(guideline))


def test_exact_against_every_patient_with_null_dates() -> None:
    rng = random.Random(321)
    for _ in range(25):
        text = drawn_table(rng)
        guideline, table = verified(text)
        assert table.fully_verified, (text, table.unchecked)
        assert_findings_are_the_truth(guideline, table, brute(guideline), text)


def test_a_gap_of_an_unknown_date_is_shown_with_null_and_closed_by_unknown() -> None:
    text = HEAD + '''table t "t"
  hit unique
  output o: one of x, y
  | since     | a   || o |
  | < 30 days | -   || x |
  | >= 30 days | -  || y |
'''
    _, table = verified(text)
    assert table.fully_verified, table.unchecked
    [gap] = table.gaps
    assert gap.regions == ("since unknown",), gap.regions  # not the atoms it is not
    assert gap.witness is not None and gap.witness["last"] is None, gap.witness
    assert any(row.startswith("| unknown |") for row in gap.suggestions), gap.suggestions
    # as a condition (the review, `mmdsl diff`): the duration is unknown
    guideline, _ = verified(text)
    _, _, conditions = every_region(Encoder(guideline), guideline.tables[0])
    assert conditions == (ir.AllOf((ir.Not(ir.IsSet("since")),)),), conditions


def test_a_duration_from_an_unknown_date_counted_from_twice_stays_md606_in_words() -> None:
    # `last` starts durations to two different ends: two enumerations could not say that it is
    # null for both at once, so no proof is claimed
    text = HEAD + '''input other: date "other"
fact to_other "to other" = time from last to other
table t "t"
  hit first
  output o: one of x, y
  | since     | to_other  || o |
  | < 30 days | -         || x |
  | -         | < 30 days || y |
'''
    found = compile_source(Source("t.mmdsl", text)).diagnostics
    [message] = [d.message for d in found if d.code == "MD606"]
    assert "a date declared `or unknown` that another duration also counts from" in message


def test_a_date_that_may_be_unknown_tested_against_days_in_a_kleene_fact() -> None:
    # no duration: the date is read as its day number, null when unknown (verify/days.py)
    text = ('guideline g "g"\ninput seen: date or unknown "seen"\ninput a: yes/no or unknown "A"\n'
            'fact f "F" = seen < 2020-01-02 or a\ntable t "t"\n  hit unique\n'
            "  output o: one of x, y\n  | f || o |\n  | yes || x |\n  | no || y |\n")
    guideline, table = verified(text)
    assert table.fully_verified, table.unchecked
    [gap] = table.gaps
    assert gap.regions == ("f unknown",), gap.regions
    assert gap.witness is not None
    matched = matching_rules(guideline, guideline.tables[0], gap.witness)
    assert matched == [False, False], gap.witness
