"""The verifier's typed result: what it proved, found and did not check, per table and analysis.

The review document reads it: a table the verifier did not finish gets a notice at the top of its
section, and no sentence claims of it coverage that was not proven.
"""

from __future__ import annotations

import pytest

from benchmarks.synthetic import table_text
from mmdsl.backends.review import render_markdown
from mmdsl.pipeline import Compilation, compile_source
from mmdsl.source import Source
from mmdsl.verify import report
from mmdsl.verify.coverage import fallback_coverage

# The synthetic table of the budget tests, declared complete (`hit unique` -> `hit unique complete`
# is not the syntax: `complete` is a line of its own under the hit policy).
TABLE = table_text(300, 10, mistakes=False).replace("  hit unique\n", "  hit unique\n  complete\n", 1)

GAP = """\
guideline g "G"
input x: integer 0..9 "x"
table t "T"
  hit unique
  complete
  output o: one of a, b
  | x    || o |
  | < 3  || a |
  | >= 5 || b |
"""


def compiled(text: str) -> Compilation:
    compilation = compile_source(Source("synthetic.mmdsl", text))
    assert compilation.verification is not None
    return compilation


def review(compilation: Compilation) -> str:
    assert compilation.guideline is not None
    return render_markdown(compilation.guideline, None, None, fallback_coverage(compilation.guideline),
                           compilation.verification)


def test_a_verified_table_is_proved_analysis_by_analysis() -> None:
    compilation = compiled(table_text(300, 10))  # with its seeded mistakes: a dead rule, ...
    assert compilation.verification is not None and compilation.guideline is None
    (result,) = compilation.verification.tables
    statuses = {a.name: a.status for a in result.analyses}
    assert statuses == {"dead_rules": "found", "unreachable_rules": "not_applicable",
                        "overlaps": "found", "redundant_rules": "not_applicable", "gaps": "found",
                        "constant_cells": "proved", "undistinguished_columns": "proved",
                        "hit_policy_advice": "not_applicable", "subsumed_rules": "proved",
                        "mergeable_rules": "found"}
    assert result.fully_verified and result.notice() == ""


def test_a_table_past_the_budget_is_shown_not_verified_and_claims_no_coverage(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "MAX_STEPS", 2_000)
    compilation = compiled(TABLE)
    assert compilation.verification is not None
    (result,) = compilation.verification.tables
    assert not result.fully_verified and "gaps" in result.unchecked
    assert [d.code for d in compilation.diagnostics] == ["MD606"]
    text = review(compilation)
    section = text.split("## D.2 Table decide")[1].split("\n## ")[0]
    assert section.lstrip().startswith("> **Not verified: the check for")
    notice = section.split("did not run to the end")[0]
    assert "patients the table leaves without an answer" in notice
    assert "The coverage check found no patient" not in text
    assert "proved it" not in text
    assert "this is not verified: the coverage check did not run to the end" in section
    assert "The coverage check did not run to the end for table decide" in text
    clinical = text.split("# Appendix A.")[0]  # the clinician is told too, in words
    assert "it is not verified that every patient gets an answer" in clinical
    assert "every patient this algorithm applies to is given an answer" not in clinical


def test_a_gap_in_a_complete_table_is_not_called_proved() -> None:
    # MD604 is an error, so `mmdsl docs` makes no document of it; the view model still must not lie
    lowered = compile_source(Source("g.mmdsl", GAP), verify=False).guideline
    assert lowered is not None
    verification = report.verify_guideline(lowered)
    text = render_markdown(lowered, None, None, None, verification)
    assert "but the coverage check found patients in scope that no rule matches" in text
    assert "The coverage check found no patient" not in text


def test_a_proved_complete_table_says_so() -> None:
    text = review(compiled(GAP.replace("| >= 5 || b |", "| >= 3 || b |")))
    assert "The authors declare the table complete (every patient in scope should match a rule); " \
           "the coverage check proved it." in text
    assert "The coverage check found no patient in scope that the tables leave without an answer." in text


def test_a_note_on_the_table_acknowledges_md606_but_the_notice_stays(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "MAX_STEPS", 2_000)
    noted = TABLE + 'note too_big on decide: "Covered by the worked examples of the trial protocol."\n'
    compilation = compiled(noted)
    assert "MD606" not in [d.code for d in compilation.diagnostics]
    text = review(compilation)
    assert "> **Not verified:" in text
    assert "The authors' note: Covered by the worked examples of the trial protocol." in text
