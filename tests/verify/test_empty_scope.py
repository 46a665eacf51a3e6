"""A scope no patient meets: every rule is dead for that reason and says so; no gap is claimed
and nothing crashes looking for a witness (found by `make fuzz`, input 60170)."""

from __future__ import annotations

from mmdsl.pipeline import compile_source
from mmdsl.source import Source

SOURCE = '''guideline g "G"
input i0: yes/no
input i2: yes/no
scope "s" = i2 is yes and i2 is no
table t0 "T"
  hit first
  output o: integer "o"
  | i0  || o |
  | yes || 1 |
'''


def test_an_empty_scope_makes_every_rule_dead_and_says_why() -> None:
    diagnostics = compile_source(Source("g.mmdsl", SOURCE)).diagnostics
    assert [(d.code, d.message) for d in diagnostics] == [
        ("MD613", "the scope holds for no valid patient"),
        ("MD600", "rule `R1` can never apply to a patient in scope: no patient is in scope at all "
                  "(the scope's conditions cannot hold together)")]
