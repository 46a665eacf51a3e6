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


def test_a_region_inside_another_is_not_listed() -> None:
    from mmdsl.verify.columns import ColumnView
    from mmdsl.verify.encode import Encoder

    source = '''guideline g "G"
input score: integer 0..9 "risk score"
table t
  hit unique
  output o: one of a, b
  | score || o |
  | 2..3  || a |
  | >= 5  || b |
'''
    guideline = compile_source(Source("g.mmdsl", source), verify=False).guideline
    assert guideline is not None
    encoder = Encoder(guideline)
    view = ColumnView(encoder, guideline.tables[0])
    below = dict(encoder.dimensions["score"].thresholds)
    under_2, under_5 = {below[(2.0, False)]: False}, {below[(5.0, False)]: False}
    assert view._without_contained([under_2, under_5, under_2]) == [under_5]
    assert view._without_contained([under_5, under_5]) == [under_5]
