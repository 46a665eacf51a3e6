"""Inputs, facts and tables named with a leading `_` (MD120): the cohort's query keeps those names
for its own columns, and SQL ignores case. Found by the cohort campaign of
tests/reliability/sql_names.py: an input `_RoW` was read as the patient's row number, so the
cohort said "low" where `mmdsl eval` says "high", with exit status 0."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.backends.sql import SqlUnsupported, render_sql
from mmdsl.check import registry, underscore_names
from mmdsl.cli import main
from tests.cohort.support import lowered_text

ROW_INPUT = """guideline c "c"
input _RoW: integer 0..99 "row of the drug chart"
table T "T"
  hit first
  output o: text "o"
  | _RoW || o |
  | <= 32 || "low" |
  | - || "high" |
"""


def test_check_and_cohort_refuse_an_input_named_like_the_row_column(tmp_path: Path) -> None:
    source = tmp_path / "c.mmdsl"
    source.write_text(ROW_INPUT, "utf-8")
    patients = tmp_path / "p.jsonl"
    patients.write_text('{"_RoW": 90}\n', "utf-8")
    out = tmp_path / "d.parquet"
    checked = CliRunner().invoke(main, ["check", str(source)])
    assert checked.exit_code == 1 and "MD120" in checked.stdout, checked.stdout
    result = CliRunner().invoke(main, ["cohort", str(source), "--input", str(patients),
                                       "-o", str(out)])
    assert result.exit_code != 0 and "MD120" in result.stdout + result.stderr
    assert not out.exists()


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks without MD120: what the SQL back end sees if a caller skips `check`."""
    monkeypatch.setattr(registry, "CHECKS",
                        [c for c in registry.CHECKS if c is not underscore_names.check])


@pytest.mark.parametrize(("text", "what"), [
    (ROW_INPUT, "`_RoW` (an input)"),
    (ROW_INPUT.replace("input _RoW", "input r").replace("| _RoW |", "| r |")
     + 'fact _F0 "f" = r > 1\n', "`_F0` (a fact)"),
    (ROW_INPUT.replace("input _RoW", "input r").replace("| _RoW |", "| r |")
     .replace("table T", "table _in_scope"), "`_in_scope` (a table)"),
])
def test_the_sql_back_end_refuses_the_prefix_on_its_own(unchecked: None, text: str,
                                                         what: str) -> None:
    with pytest.raises(SqlUnsupported, match=what.replace("(", r"\(").replace(")", r"\)")):
        render_sql(lowered_text(text))
