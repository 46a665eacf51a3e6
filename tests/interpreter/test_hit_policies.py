"""Hit-policy semantics, one small table per policy, expectations computed by hand.

Each test runs twice (the `evaluate` fixture): through the interpreter and through the module
generated from the same table, so both must implement docs/decision.md to the letter.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from mmdsl.ir.model import IRGuideline
from tests.backend.support import Evaluate, compile_text

HEADER = """\
guideline policy "Policy"
version "1"
input n: integer 0..10 "a number"
input flag: yes/no default no "a flag"
"""


@cache
def guideline(table: str) -> IRGuideline:
    return compile_text(HEADER + table)


def table_result(evaluate: Evaluate, table: str, **facts: Any) -> Any:
    decision = evaluate(guideline(table), facts)
    return decision["t"]


def trace(evaluate: Evaluate, table: str, **facts: Any) -> list[str]:
    decision = evaluate(guideline(table), facts)
    return [line for line in decision["trace"] if line.startswith("t:")]


def rules_of(result: list[dict[str, Any]]) -> list[str]:
    return [row["rule"] for row in result]


# ---- unique -------------------------------------------------------------------------------------

UNIQUE = """
table t
  hit unique
  output o: one of a, b, c
  | rule | n    | flag || o |
  |------|------|------||---|
  | r1   | <= 3 | -    || a |
  | r2   | 3..6 | yes  || b |
  | r3   | > 6  | -    || c |
"""


def test_unique_gives_the_one_matching_row(evaluate: Evaluate) -> None:
    assert table_result(evaluate, UNIQUE, n=1) == {
        "o": "a", "rule": "r1", "evidence": [], "refs": [], "caveats": []}
    assert trace(evaluate, UNIQUE, n=1) == ["t: rule r1 (line 11) matched (n: <= 3)"]


def test_unique_gives_none_when_no_rule_matches(evaluate: Evaluate) -> None:
    assert table_result(evaluate, UNIQUE, n=5) is None
    assert trace(evaluate, UNIQUE, n=5) == ["t: no rule matched"]


def test_unique_reports_a_conflict_instead_of_choosing(evaluate: Evaluate) -> None:
    decision = evaluate(guideline(UNIQUE), {"n": 3, "flag": True})
    assert decision["t"] is None
    assert decision["status"] == "error"
    assert decision["errors"] == [{"table": "t", "kind": "conflict", "rules": ["r1", "r2"], "message":
                                   "rules r1, r2 all match, but a unique table allows only one"}]
    assert decision["trace"] == ["t: rule r1 (line 11) matched (n: <= 3)",
                                 "t: rule r2 (line 12) matched (n: 3..6, flag: yes)",
                                 "t: conflict between rules r1, r2"]


# ---- any ------------------------------------------------------------------------------------------

ANY = """
table t
  hit any
  output o: one of a, b
  output p: integer
  | rule | n    || o | p |
  |------|------||---|---|
  | r1   | >= 5 || a | 1 |
  | r2   | >= 7 || a | 1 |
  | r3   | >= 9 || b | 1 |
"""


def test_any_gives_the_first_row_when_the_matches_agree(evaluate: Evaluate) -> None:
    assert table_result(evaluate, ANY, n=7)["rule"] == "r1"
    assert trace(evaluate, ANY, n=7) == ["t: rule r1 (line 12) matched (n: >= 5)",
                                         "t: rule r2 (line 13) matched (n: >= 7)"]


def test_any_reports_a_conflict_when_the_matches_disagree(evaluate: Evaluate) -> None:
    decision = evaluate(guideline(ANY), {"n": 9})
    assert decision["t"] is None
    assert decision["errors"] == [{
        "table": "t", "kind": "conflict", "rules": ["r1", "r2", "r3"],
        "message": "rules r1, r2, r3 match with different outputs, "
                   "but an any table needs them to agree"}]
    assert decision["trace"][-1] == "t: conflict between rules r1, r2, r3"


def test_any_gives_none_when_no_rule_matches(evaluate: Evaluate) -> None:
    assert table_result(evaluate, ANY, n=0) is None


# ---- first ----------------------------------------------------------------------------------------

FIRST = """
table t
  hit first
  output o: one of a, b, c
  | rule | n    || o |
  |------|------||---|
  | r1   | >= 5 || a |
  | r2   | >= 2 || b |
  | r3   | -    || c |
"""


@pytest.mark.parametrize(("n", "rule"), [(6, "r1"), (3, "r2"), (0, "r3")])
def test_first_gives_the_first_match(evaluate: Evaluate, n: int, rule: str) -> None:
    assert table_result(evaluate, FIRST, n=n)["rule"] == rule


def test_first_traces_only_the_chosen_rule(evaluate: Evaluate) -> None:
    assert trace(evaluate, FIRST, n=6) == ["t: rule r1 (line 11) matched (n: >= 5)"]


# ---- priority -------------------------------------------------------------------------------------

PRIORITY = """
table t
  hit priority
  output o: one of a, b, c
  output p: one of x, y
  | rule | n    || o | p |
  |------|------||---|---|
  | r1   | -    || c | x |
  | r2   | >= 3 || b | y |
  | r3   | >= 3 || b | x |
  | r4   | >= 3 || b | x |
  | r5   | >= 8 || a | y |
"""


def test_priority_ranks_by_member_order_output_by_output(evaluate: Evaluate) -> None:
    # b beats c; among the b rows, x beats y; r3 and r4 tie, and the earlier rule wins
    assert table_result(evaluate, PRIORITY, n=5)["rule"] == "r3"
    assert table_result(evaluate, PRIORITY, n=9)["rule"] == "r5"
    assert table_result(evaluate, PRIORITY, n=0)["rule"] == "r1"


def test_priority_traces_every_match(evaluate: Evaluate) -> None:
    assert trace(evaluate, PRIORITY, n=5) == [
        "t: rule r1 (line 12) matched (always)", "t: rule r2 (line 13) matched (n: >= 3)",
        "t: rule r3 (line 14) matched (n: >= 3)", "t: rule r4 (line 15) matched (n: >= 3)"]


# ---- collect, rule order, output order ------------------------------------------------------------

COLLECT = """
table t
  hit collect
  output o: one of a, b, c
  output tier: one of high, low
  order by tier
  distinct by o
  | rule | n    || o | tier |
  |------|------||---|------|
  | r1   | -    || c | low  |
  | r2   | >= 2 || a | low  |
  | r3   | >= 4 || b | high |
  | r4   | >= 6 || a | high |
"""


def test_collect_sorts_by_order_by_then_keeps_the_first_of_each_distinct(
        evaluate: Evaluate) -> None:
    # by tier (stable): r3, r4, r1, r2; r2 repeats o = a after r4, so it goes
    assert rules_of(table_result(evaluate, COLLECT, n=7)) == ["r3", "r4", "r1"]
    assert rules_of(table_result(evaluate, COLLECT, n=0)) == ["r1"]


def test_collect_traces_every_match_in_rule_order(evaluate: Evaluate) -> None:
    assert trace(evaluate, COLLECT, n=7) == [
        "t: rule r1 (line 14) matched (always)", "t: rule r2 (line 15) matched (n: >= 2)",
        "t: rule r3 (line 16) matched (n: >= 4)", "t: rule r4 (line 17) matched (n: >= 6)"]


RULE_ORDER = """
table t
  hit rule order
  output o: one of a, b, c
  | rule | n    | flag || o |
  |------|------|------||---|
  | r1   | >= 5 | -    || c |
  | r2   | -    | yes  || a |
  | r3   | >= 5 | -    || a |
"""


def test_rule_order_keeps_every_match_in_rule_order(evaluate: Evaluate) -> None:
    assert rules_of(table_result(evaluate, RULE_ORDER, n=6, flag=True)) == ["r1", "r2", "r3"]


def test_a_list_table_with_no_match_gives_an_empty_list(evaluate: Evaluate) -> None:
    assert table_result(evaluate, RULE_ORDER, n=0) == []
    assert trace(evaluate, RULE_ORDER, n=0) == ["t: no rule matched"]


OUTPUT_ORDER = """
table t
  hit output order
  output o: one of a, b, c
  | rule | n    || o |
  |------|------||---|
  | r1   | -    || c |
  | r2   | >= 3 || - |
  | r3   | >= 5 || a |
  | r4   | >= 5 || c |
"""


def test_output_order_sorts_by_rank_stably_with_missing_values_last(evaluate: Evaluate) -> None:
    result = table_result(evaluate, OUTPUT_ORDER, n=6)
    assert rules_of(result) == ["r3", "r1", "r4", "r2"]
    assert result[3]["o"] is None


# ---- aggregates -----------------------------------------------------------------------------------

SUM = """
table t
  hit collect sum
  output s: decimal
  | rule | n    || s                   |
  |------|------||---------------------|
  | r1   | >= 1 || 999999999999999.0  |
  | r2   | >= 2 || 0.01               |
  | r3   | >= 3 || -999999999999999.0 |
  | r4   | >= 4 || -                  |
"""


def test_sum_adds_the_present_values_exactly(evaluate: Evaluate) -> None:
    # added left to right in floats, 999999999999999.0 + 0.01 - 999999999999999.0 would give 0.0
    # (numbers in tables have at most 15 digits: MD308)
    assert table_result(evaluate, SUM, n=4) == 0.01
    assert table_result(evaluate, SUM, n=2) == 999999999999999.0 + 0.01


def test_sum_of_no_rule_is_none(evaluate: Evaluate) -> None:
    assert table_result(evaluate, SUM, n=0) is None


INTEGER_SUM = """
table t
  hit collect sum
  output s: integer
  | n    || s |
  |------||---|
  | >= 1 || 2 |
  | >= 2 || 3 |
"""


def test_sum_of_integers_is_an_integer(evaluate: Evaluate) -> None:
    total = table_result(evaluate, INTEGER_SUM, n=5)
    assert total == 5 and type(total) is int


MIN_MAX = """
table t
  hit collect {}
  output m: integer
  | rule | n    || m  |
  |------|------||----|
  | r1   | >= 1 || 3  |
  | r2   | >= 2 || -1 |
  | r3   | >= 3 || -  |
"""


@pytest.mark.parametrize(("aggregate", "n", "expected"), [
    ("min", 3, -1), ("min", 1, 3), ("min", 0, None),
    ("max", 3, 3), ("max", 2, 3), ("max", 0, None),
])
def test_min_and_max_ignore_missing_values(evaluate: Evaluate, aggregate: str, n: int,
                                           expected: int | None) -> None:
    assert table_result(evaluate, MIN_MAX.format(aggregate), n=n) == expected


COUNT = """
table t
  hit collect count
  output k: one of x, y
  | rule | n    || k |
  |------|------||---|
  | r1   | >= 1 || x |
  | r2   | >= 2 || x |
  | r3   | >= 3 || y |
  | r4   | >= 4 || - |
"""


@pytest.mark.parametrize(("n", "expected"), [(4, 2), (2, 1), (1, 1), (0, 0)])
def test_count_counts_distinct_present_values_and_zero_for_no_match(
        evaluate: Evaluate, n: int, expected: int) -> None:
    assert table_result(evaluate, COUNT, n=n) == expected


# The DMN TCK's compliance-level-2 test 0116-count-collect-hitpolicy, written in mmdsl.
TCK_0116 = """
table t
  hit collect count
  output salary: integer
  | n   || salary |
  |-----||--------|
  | > 1 || 100    |
  | > 2 || 200    |
  | > 3 || 300    |
  | > 5 || 500    |
"""


@pytest.mark.parametrize(("years", "expected"), [(6, 4), (2, 1), (3, 2)])
def test_count_agrees_with_the_dmn_tck(evaluate: Evaluate, years: int, expected: int) -> None:
    assert table_result(evaluate, TCK_0116, n=years) == expected


# ---- chained tables, facts and scope --------------------------------------------------------------

CHAINED = """
fact big "a big number" = n >= 5
scope "flagged patients" = flag

table first_t
  output o: one of a, b
  | big || o |
  |-----||---|
  | yes || a |

table t
  output p: one of x, y, z
  | rule | first_t.o | n || p |
  |------|-----------|---||---|
  | r1   | a         | - || x |
  | r2   | not a     | - || y |
  | r3   | -         | 0 || z |
"""


def test_a_missing_earlier_result_matches_only_dash(evaluate: Evaluate) -> None:
    assert table_result(evaluate, CHAINED, n=5, flag=True)["rule"] == "r1"
    assert table_result(evaluate, CHAINED, n=0, flag=True)["rule"] == "r3"  # not r2
    assert table_result(evaluate, CHAINED, n=1, flag=True) is None


def test_the_decision_keys_come_in_the_documented_order(evaluate: Evaluate) -> None:
    decision = evaluate(guideline(CHAINED), {"n": 5, "flag": True})
    assert list(decision) == ["guideline", "version", "source_sha256", "status", "first_t", "t",
                              "why_not", "derived", "trace"]
    assert decision["guideline"] == "policy"
    assert decision["version"] == "1"
    assert decision["status"] == "ok"
    assert decision["derived"] == {"big": True}
    assert decision["trace"] == ["scope: flagged patients: yes", "fact big: yes",
                                 "first_t: rule R1 (line 13) matched (big: yes)",
                                 "t: rule r1 (line 19) matched (first_t.o: a)"]


def test_outside_the_scope_no_table_answers(evaluate: Evaluate) -> None:
    decision = evaluate(guideline(CHAINED), {"n": 7})
    assert decision == {
        "guideline": "policy", "version": "1",
        "source_sha256": guideline(CHAINED).source_sha256, "status": "out_of_scope",
        "reason": "outside the scope of this guideline: flagged patients",
        "derived": {"big": True}, "trace": ["scope: flagged patients: no", "fact big: yes"]}
    assert list(decision)[4] == "reason"


def test_errors_come_right_after_the_status(evaluate: Evaluate) -> None:
    decision = evaluate(guideline(UNIQUE), {"n": 3, "flag": True})
    assert list(decision)[3:5] == ["status", "errors"]
