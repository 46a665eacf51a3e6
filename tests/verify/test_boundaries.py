"""Boundary-aware gaps: `< 140` and `> 140` leave exactly 140 uncovered, and the finding says so
in the words a clinician would write, with a row that closes it."""

from __future__ import annotations

from mmdsl.pipeline import compile_source
from mmdsl.source import Source

TABLE = '''guideline g "G"
input sbp: decimal 50..250 "systolic pressure"
table t
  hit unique
  output o: one of a, b
  | sbp   || o |
  | < 140 || a |
  | > 140 || b |
'''


def gap_details(text: str) -> list[dict[str, object]]:
    compilation = compile_source(Source("g.mmdsl", text))
    return [dict(d.data) for d in compilation.diagnostics if d.code == "MD603"]


def test_the_value_both_rules_leave_out_is_named_as_one_value() -> None:
    (gap,) = gap_details(TABLE)
    assert gap["regions"] == ["sbp 140"]
    assert gap["suggestions"] == ["| 140 || ? |"]
    assert gap["witness"] == {"sbp": 140.0}


def test_the_suggested_row_closes_the_gap() -> None:
    assert gap_details(TABLE + "  | 140   || b |\n") == []
