"""Names that differ only in case (issue 14, item 1): mmdsl tells `A` from `a`, DuckDB and Spark
do not. `check` refuses them (MD204) and the SQL back end refuses them on its own, so a cohort
never decides on a merged column."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.backends.sql import SqlUnsupported, render_sql
from mmdsl.check import case_names, registry
from mmdsl.cli import main
from tests.cohort.support import lowered_text

# The reproducer: `eval` says "big" (A = 7 > 5, a = 1 < 5); DuckDB read `a` for both columns and
# said "other" with exit 0 before the fix.
TWO_CASES = """guideline c "c"
input A: integer 0..9 "A"
input a: integer 0..9 "a"
table T "T"
  hit first
  output o: text "o"
  | A | a || o |
  | > 5 | < 5 || "big" |
  | - | - || "other" |
"""


def test_check_refuses_inputs_that_differ_only_in_case(tmp_path: Path) -> None:
    source = tmp_path / "c.mmdsl"
    source.write_text(TWO_CASES, "utf-8")
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 1
    assert "MD204" in result.stdout and "`a` differs only in case from `A`" in result.stdout


def test_cohort_gives_no_decision_for_the_reproducer(tmp_path: Path) -> None:
    source = tmp_path / "c.mmdsl"
    source.write_text(TWO_CASES, "utf-8")
    patients = tmp_path / "p.jsonl"
    patients.write_text('{"A": 7, "a": 1}\n', "utf-8")
    out = tmp_path / "d.parquet"
    result = CliRunner().invoke(main, ["cohort", str(source), "--input", str(patients),
                                       "-o", str(out)])
    assert result.exit_code != 0
    assert "MD204" in result.stdout + result.stderr
    assert not out.exists()


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks without MD204: what the SQL back end sees if a caller skips `check`."""
    monkeypatch.setattr(registry, "CHECKS", [c for c in registry.CHECKS if c is not case_names.check])


@pytest.mark.parametrize(("text", "words"), [
    (TWO_CASES, "`a` and `A` (an input)"),
    (TWO_CASES.replace("input a:", "input b:").replace("| A | a |", "| A | b |")
     + "fact F \"F\" = A > 1\nfact f \"f\" = A > 2\n", "`f` and `F` (a fact)"),
    (TWO_CASES.replace("input a:", "input b:").replace("| A | a |", "| A | b |")
     + "table t \"t\"\n  hit first\n  output o: text\n  | A || o |\n  | - || \"x\" |\n",
     "`t` and `T` (a table)"),
])
def test_the_sql_back_end_refuses_names_that_sql_would_merge(unchecked: None, text: str,
                                                              words: str) -> None:
    with pytest.raises(SqlUnsupported, match=words.replace("(", r"\(").replace(")", r"\)")):
        render_sql(lowered_text(text))


@pytest.mark.parametrize("name", ["Status", "Errors", "DERIVED"])
def test_a_table_named_like_a_decision_column_in_another_case_is_refused(
        tmp_path: Path, name: str) -> None:
    text = TWO_CASES.replace("input a:", "input b:").replace("| A | a |", "| A | b |")
    source = tmp_path / "c.mmdsl"
    source.write_text(text.replace("table T", f"table {name}"), "utf-8")
    result = CliRunner().invoke(main, ["check", str(source)])
    assert "MD201" in result.stdout, result.stdout


def test_fold_is_casefold() -> None:
    assert case_names.fold("STRASSE") == case_names.fold("straße")


@pytest.mark.parametrize("name", ["ROW", "Row", "row"])
def test_a_table_named_like_the_cohort_row_column_is_refused_by_the_sql_back_end(name: str) -> None:
    text = TWO_CASES.replace("input a:", "input b:").replace("| A | a |", "| A | b |")
    with pytest.raises(SqlUnsupported, match="own column `row`"):
        render_sql(lowered_text(text.replace("table T", f"table {name}")))
