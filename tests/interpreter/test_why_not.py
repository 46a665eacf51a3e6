"""Why not: each value a table could have given but did not, the rule and its first failed test.

Runs through the interpreter and the generated module (the `evaluate` fixture); the expected
words are written out by hand from docs/decision.md.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mmdsl.ir.model import IRGuideline
from tests.backend.support import Evaluate, compile_text

HEADER = """\
guideline why "Why not"
version "1"
enum drug = a "drug A", b "drug B", c "drug C"
class AB of drug = a, b
input n: integer 0..10 unit "lines" "prior lines"
input flag: yes/no default no "flag raised"
input given: set of drug default none "drugs given"
fact late "late disease" = n >= 4 and given has any of AB
fact either "late disease or flag raised" = late or flag
"""

COLLECT = """
table t "Options"
  hit collect
  output option: one of x, y, z, w
  output strength: one of strong, weak
  order by strength
  distinct by option
  | rule | late | flag | n    | given     || option | strength |
  |------|------|------|------|-----------||--------|----------|
  | rx   | yes  | -    | -    | -         || x      | strong   |
  | ry   | -    | yes  | 1..3 | -         || y      | strong   |
  | rz   | -    | -    | -    | none of c || z      | weak     |
  | rz2  | -    | no   | -    | -         || z      | weak     |
  | rw   | -    | -    | -    | -         || -      | weak     |
"""


@cache
def guideline(table: str) -> IRGuideline:
    return compile_text(HEADER + table)


def why_not(evaluate: Evaluate, table: str, **facts: Any) -> Any:
    return evaluate(guideline(table), facts)["why_not"]


def test_each_withheld_value_names_its_rule_and_first_failed_test(evaluate: Evaluate) -> None:
    found = why_not(evaluate, COLLECT, n=2, flag=True, given=["c"])
    assert found == {"t": [
        {"option": "x", "rule": "rx",
         "because": "not “late disease”: “prior lines” is less than 4 lines"},
        {"option": "z", "rule": "rz", "because": "“drugs given” include drug C"},
        {"option": "z", "rule": "rz2", "because": "“flag raised”"},
    ]}


def test_the_words_go_on_into_the_first_failed_part_of_a_fact(evaluate: Evaluate) -> None:
    found = why_not(evaluate, COLLECT, n=5, given=["c"])
    assert found["t"][0] == {
        "option": "x", "rule": "rx",
        "because": "not “late disease”: “drugs given” include no AB (drug A, drug B)"}


def test_a_value_given_by_another_rule_is_not_explained(evaluate: Evaluate) -> None:
    found = why_not(evaluate, COLLECT, n=5, given=["a"])  # rz gives z; rz2 is not asked
    assert [entry["rule"] for entry in found["t"]] == ["ry"]
    assert found["t"][0]["because"] == "not “flag raised”"


FIRST = """
table t "First"
  hit first
  output option: one of x, y
  | rule | flag | n    || option |
  |------|------|------||--------|
  | rx   | yes  | -    || x      |
  | ry   | -    | >= 2 || y      |
"""


def test_a_rule_that_matched_but_lost_says_which_rule_won(evaluate: Evaluate) -> None:
    assert why_not(evaluate, FIRST, n=5, flag=True) == {"t": [
        {"option": "y", "rule": "ry", "because": "it matched, but rule rx was chosen"}]}
    assert why_not(evaluate, FIRST, n=1, flag=False) == {"t": [
        {"option": "x", "rule": "rx", "because": "not “flag raised”"},
        {"option": "y", "rule": "ry", "because": "“prior lines” is less than 2 lines"}]}


UNIQUE = """
table t "Unique"
  hit unique
  output option: one of x, y
  | rule | flag | n    || option |
  |------|------|------||--------|
  | rx   | yes  | -    || x      |
  | ry   | -    | >= 2 || y      |
"""


def test_rules_in_conflict_say_so(evaluate: Evaluate) -> None:
    assert why_not(evaluate, UNIQUE, n=5, flag=True)["t"] == [
        {"option": "x", "rule": "rx", "because": "it matched, but rules rx, ry conflict"},
        {"option": "y", "rule": "ry", "because": "it matched, but rules rx, ry conflict"}]


REPEATED = """
table t "Repeated"
  hit collect
  output option: one of x, y
  output strength: one of strong, weak
  distinct by strength
  | rule | flag || option | strength |
  |------|------||--------|----------|
  | rx   | -    || x      | strong   |
  | ry   | yes  || y      | strong   |
"""


def test_a_row_dropped_by_distinct_names_the_row_kept(evaluate: Evaluate) -> None:
    assert why_not(evaluate, REPEATED, n=0, flag=True)["t"] == [
        {"option": "y", "rule": "ry", "because": "it matched, but rule rx gave the same strength first"}]


SUM = """
table t "Score"
  hit collect sum
  output points: integer 0..10
  | rule | flag || points |
  |------|------||--------|
  | r1   | yes  || 2      |
"""


def test_a_number_table_and_an_out_of_scope_decision_have_no_why_not(evaluate: Evaluate) -> None:
    assert why_not(evaluate, SUM, n=0) == {}
    scoped = compile_text(HEADER + 'scope "flagged" = flag\n' + FIRST)
    assert "why_not" not in evaluate(scoped, {"n": 0, "given": []})
