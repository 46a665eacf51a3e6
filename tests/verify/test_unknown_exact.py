"""The verifier over values that may be unknown (null), exact against brute force.

Random small tables over inputs declared `or unknown` and a yes/no fact over them (Kleene's
logic: yes, no, or unknown), with cells `unknown` and `not unknown`: every patient is enumerated,
null included for each input that may be unknown, and run through the reference interpreter
(interpreter.derive, interpreter.holds); the gaps, dead rules and overlaps it finds must be
exactly the verifier's. Witnesses are checked with the interpreter too, and give null for an
unknown input.
"""

from __future__ import annotations

import itertools
import random

from mmdsl import interpreter
from mmdsl.ir import model as ir
from mmdsl.pipeline import compile_source
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.prelude import validate_facts
from mmdsl.source import Source
from mmdsl.verify.coverage import every_region
from mmdsl.verify.encode import Encoder
from tests.computed.brute import Truth, assert_findings_are_the_truth, derived_truth, verified

HEAD = '''guideline g "g"
input a: yes/no or unknown "A"
input n: integer 0..4 or unknown "N"
input e: one of p, q, r or unknown "E"
input b: yes/no "B"
'''
PATIENTS = [dict(zip("aneb", values, strict=True)) for values in itertools.product(
    [True, False, None], [0, 1, 2, 3, 4, None], ["p", "q", "r", None], [True, False])]
FACTS = ["a and n > 2", "not a or e is p", "n is unknown or b", "not (a or e is q)",
         "a and not b", "n >= 1 and (e is p or a)"]
CELLS = {
    "a": ["-", "yes", "no", "unknown", "not unknown"],
    "n": ["-", "< 2", ">= 2", "1..3", "unknown", "not unknown", "4"],
    "e": ["-", "p", "q, r", "unknown", "not unknown", "not p"],
    "b": ["-", "yes", "no"],
    "f": ["-", "yes", "no", "unknown", "not unknown"],
    "r": ["-", "> 3", "<= 2", "unknown", "not unknown", "4", "1..3"],
}


NUMBERS = ["n * 2", "if a then n else 1", "n + (if e is p then 1 else 0)", "if n > 2 then 1 else 0",
           "(n - 2) * (n - 2)"]


def random_table(rng: random.Random) -> str:
    """A table that compiles (a cell outside a computed number's range is an error: drawn again)."""
    while True:
        text = drawn_table(rng)
        if compile_source(Source("t.mmdsl", text), verify=False).guideline is not None:
            return text


def drawn_table(rng: random.Random) -> str:
    columns = rng.sample(list(CELLS), 3)
    rows = [[rng.choice(CELLS[c]) for c in columns] for _ in range(rng.randint(2, 5))]
    lines = [f'fact f "F" = {rng.choice(FACTS)}', f'fact r "R" = {rng.choice(NUMBERS)}',
             'table t "t"', "  hit unique",
             "  output o: one of x, y, z", f"  | {' | '.join(columns)} || o |"]
    lines += [f"  | {' | '.join(row)} || {rng.choice('xyz')} |" for row in rows]
    return HEAD + "\n".join(lines) + "\n"


def brute(guideline: ir.IRGuideline) -> Truth:
    return derived_truth(guideline, PATIENTS)


def test_exact_against_every_patient_with_null() -> None:
    rng = random.Random(606)
    for _ in range(120):
        text = random_table(rng)
        guideline, table = verified(text)
        assert table.fully_verified, (text, table.unchecked)
        assert_findings_are_the_truth(guideline, table, brute(guideline), text)


def test_a_gap_of_unknown_values_is_said_and_shown_with_null() -> None:
    text = HEAD + '''table t "t"
  hit unique
  output o: one of x, y
  | n           | a   || o |
  | not unknown | -   || x |
  | unknown     | yes || y |
'''
    _, table = verified(text)
    [gap] = table.gaps
    assert gap.regions == ("n unknown, a no or unknown",), gap.regions
    assert gap.witness is not None and gap.witness["n"] is None
    assert gap.witness["a"] in (False, None)


def test_the_regions_of_a_gap_as_conditions_are_its_patients_null_included() -> None:
    # coverage.region_condition: what `mmdsl diff` and the review read back; an input's value
    # tests in a region that does not say whether it is known hold for null too
    rng = random.Random(607)
    for _ in range(40):
        text = random_table(rng)
        guideline, _ = verified(text)
        [table] = guideline.tables
        regions, _, conditions = every_region(Encoder(guideline), table)
        fields = input_fields(guideline.inputs)
        for facts in PATIENTS:
            values = validate_facts(facts, fields)
            interpreter.derive(guideline, values)
            uncovered = not any(all(interpreter.holds(t, values) for t in rule.tests)
                                for rule in table.rules)
            inside = any(interpreter.holds(c, values) for c in conditions)
            assert inside == uncovered, (text, regions, facts)


def unverified_words(text: str) -> list[str]:
    found = compile_source(Source("t.mmdsl", text)).diagnostics
    return [d.message for d in found if d.code == "MD606"]


def test_what_is_not_analysed_yet_stays_md606_in_words() -> None:
    day = ('guideline g "G"\ninput d: date or unknown "d"\ntable t\n  hit first\n'
           "  output o: one of a, b\n  | d || o |\n  | < 2019-09-01 || a |\n  | - || b |\n")
    assert unverified_words(day) == []  # a date tested against days: verified (known or null)
    ratio = (HEAD + 'input d: decimal 0..10 or unknown "D"\nfact r "ratio" = d / 2\n'
             'table t "t"\n  hit first\n'
             "  output o: one of x, y\n  | r || o |\n  | > 1 || x |\n  | - || y |\n")
    [message] = unverified_words(ratio)
    assert "a computed number that may be unknown and reads a decimal input" in message
    assert unverified_words(ratio.replace("d / 2", "n / 2")) == []  # whole numbers: verified


def test_a_typical_value_from_the_examples_never_replaces_null() -> None:
    # the witness takes numbers near the worked examples' (verify/witness.py), but not where the
    # patient it stands for has the value unknown
    text = HEAD + '''table t "t"
  hit first
  output o: one of x, y
  | n   || o |
  | >= 2 || x |
  | < 2 || y |

example three "n is 3"
  n: 3
  a: yes
  e: p
  b: yes
  expect t: x
'''
    _, table = verified(text)
    [gap] = table.gaps
    assert gap.witness is not None and gap.witness["n"] is None, gap.witness


def test_a_scope_that_needs_the_value_known_is_not_repeated_as_or_unknown() -> None:
    scope = 'input b: yes/no "B"\nscope "N measured" = n is not unknown\n'
    text = HEAD.replace('input b: yes/no "B"\n', scope) + '''table t "t"
  hit unique
  output o: one of x, y
  | n    || o |
  | >= 2 || x |
'''
    _, table = verified(text)
    [gap] = table.gaps
    assert gap.regions == ("n 0-1",), gap.regions
