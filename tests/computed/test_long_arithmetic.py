"""Arithmetic as the generated module writes it, against the interpreter. Two bugs found by the
random arithmetic test of the cohort (tests/cohort/test_exact_decimals.py), which compares with
the module: a bracket laid out over several lines was written `(item,)`, a tuple, so that
`x if (long condition,) else y` was always x (a silent wrong answer) and `-(long sum,)` raised
TypeError; and `(-a) ** 2` was written `-(a) ** 2`, which Python reads as -(a ** 2)."""

from __future__ import annotations

import itertools
from pathlib import Path

from mmdsl.interpreter import evaluate as interpret
from tests.backend.support import load_module, write_module
from tests.cohort.support import lowered_text

LONG = """guideline long_arithmetic "long"
input a: decimal -5.0..5.0 "a"
input b: decimal 0.5..4.0 "b"
fact picked = if a >= 0.5 and b >= 1.5 and a <= 4.0 and b <= 3.5 and
    a != 2.0 and b != 2.0 and a != 3.0 then 1.5 else 2.5
fact negated = -((if a >= 0.5 then b else a) + b + a * b + a * a * b + b * b * a + a / b)
fact squared = (-a) ** 2 + (-(a - b)) ** 3
table t "t"
  hit first
  output o: yes/no
  | picked | negated | squared || o   |
  | >= 2.0 | -       | -       || yes |
  | -      | >= 0.0  | -       || yes |
  | -      | -       | >= 1.0  || yes |
  | -      | -       | -       || no  |
note n on t: "decimal"
"""


def test_the_module_computes_long_and_negated_arithmetic_as_the_interpreter(tmp_path: Path) -> None:
    guideline = lowered_text(LONG)
    path = write_module(guideline, tmp_path)
    module = load_module(path)
    for a, b in itertools.product((-5.0, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0),
                                  (0.5, 1.5, 2.0, 3.5, 4.0)):
        facts = {"a": a, "b": b}
        assert module.evaluate(facts) == interpret(guideline, facts), facts
