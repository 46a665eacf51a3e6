"""The decisions file's layout 2 (docs/cohort.md): sets carried as bit masks, results as rule
positions (a bit mask for a list of up to 63 rules, the positions past that), the rules' rows once
in the metadata, and a reader that refuses a file of another layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmdsl.backends.sql import MASK_BITS, render_sql
from mmdsl.cohort.compare import OtherLayout, read_rules
from mmdsl.cohort.engine import evaluate_cohort
from tests.cohort.support import (
    disagreements,
    lowered_text,
    pq,
    write_csv,
    write_jsonl,
    write_parquet,
)


def many_rules(count: int) -> str:
    """A `collect` table of `count` rules, rule i matching x >= i % 10 (so many match at once)."""
    rows = "\n".join(f'  | >= {i % 10} || "r{i}" |' for i in range(count))
    return f"""guideline g "G"
input x: integer 0..9 "x"
table t "Many rules"
  hit collect
  output o: text
  | x    || o |
  |------||---|
{rows}
"""


@pytest.mark.parametrize("count", [MASK_BITS, MASK_BITS + 7])
def test_a_list_of_rules_decides_as_the_evaluator(tmp_path: Path, count: int) -> None:
    guideline = lowered_text(many_rules(count))
    facts = [{"x": x} for x in range(10)]
    out = tmp_path / "d.parquet"
    evaluate_cohort(guideline, write_jsonl(list(facts), tmp_path / "p.jsonl"), out)
    table = pq.read_table(out)
    encoding = read_rules(table.schema.metadata)["t"]["result"]
    assert encoding == ("mask" if count <= MASK_BITS else "rules")
    column = table.schema.field("t").type
    assert str(column) == ("int64" if count <= MASK_BITS else "list<element: int32>")
    assert disagreements(guideline, facts, out) == []


@pytest.mark.parametrize("count", [MASK_BITS, MASK_BITS + 1])
def test_a_set_past_a_masks_bits_is_carried_as_a_list(tmp_path: Path, count: int) -> None:
    """Up to 63 members a set is a bit mask (membership: `&`); past that, a list of names
    (membership: `list_contains`); both decide as the evaluator."""
    members = ", ".join(f"m{i}" for i in range(count))
    last = f"m{count - 1}"
    guideline = lowered_text(f"""guideline g "G"
enum drug "drugs" = {members}
input s: set of drug "s"
table t "T"
  hit first
  output o: text
  | s                     || o |
  |-----------------------||---|
  | has all of (m0, {last}) || "both" |
  | has any of ({last})     || "last" |
  | -                     || "other" |
""")
    query = render_sql(guideline)
    assert ('list_contains("s"' in query) == (count > MASK_BITS)
    assert ('("s" & ' in query) == (count <= MASK_BITS)
    sets = [["m0", last], [last], ["m1"], [], [last, "m0", "m1"]]
    facts = [{"s": s} for s in sets]
    out = tmp_path / "d.parquet"
    for fmt, source in (
            ("jsonl", write_jsonl(list(facts), tmp_path / "p.jsonl")),
            ("parquet", write_parquet(guideline, {"s": sets}, tmp_path / "p.parquet")),
            ("csv", write_csv(["s"], [[json.dumps(s)] for s in sets], tmp_path / "p.csv"))):
        report = evaluate_cohort(guideline, source, out)
        assert report.decided == len(facts), fmt
        assert pq.read_table(out).column("t").to_pylist() == [0, 1, 2, 2, 0], fmt
        assert disagreements(guideline, facts, out) == [], fmt


def test_a_file_of_another_layout_is_refused() -> None:
    with pytest.raises(OtherLayout, match="layout 1"):
        read_rules({b"mmdsl_rules": b"{}"})
