"""Seeded mistakes in a copy of the shipped guideline are each caught with the right code.

The issue's list: a rule made dead, a duplicated row, a deleted row, a rule placed after a broader
one. The clean guideline has no finding at all (`mmdsl check tables/` is silent); each mutation
below must produce its code, on the rule it concerns.
"""

from __future__ import annotations

import re
from pathlib import Path

from mmdsl.diagnostics import Diagnostic
from mmdsl.interpreter import evaluate
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.syntax.parser import split_statements

ROOT = Path(__file__).resolve().parents[2]
GUIDELINE = (ROOT / "tables" / "myeloma_post_daratumumab.mmdsl").read_text(encoding="utf-8")


def row_of(rule: str, text: str = GUIDELINE) -> str:
    match = re.search(rf"^  \| {re.escape(rule)} +\|.*\n", text, flags=re.MULTILINE)
    assert match is not None, rule
    return match.group(0)


def without(keyword: str, text: str) -> str:
    """The text without its statements of one kind (worked examples that a mutation invalidates)."""
    return "".join(chunk.text for chunk in split_statements(text) if chunk.keyword != keyword)


def findings(text: str) -> list[Diagnostic]:
    compilation = compile_source(Source("seeded.mmdsl", text), directory=ROOT / "tables")
    return [d for d in compilation.diagnostics if d.code.startswith("MD6")]


def codes(found: list[Diagnostic]) -> list[str]:
    return [d.code for d in found]


def test_the_shipped_guideline_has_no_finding() -> None:
    assert findings(GUIDELINE) == []


def test_a_rule_made_dead() -> None:
    # ide-cel for triple-class refractory disease that is also PI-sensitive: impossible.
    row = row_of("ide_cel")
    cells = row.split("|")
    cells[11] = cells[11].replace("-  ", "yes", 1)  # the pi_sensitive column
    found = findings(GUIDELINE.replace(row, "|".join(cells)))
    assert codes(found) == ["MD600"]
    assert found[0].data["rule"] == "ide_cel"
    assert any("pi_sensitive" in cell for cell in found[0].data["cells"])


def test_a_duplicated_row() -> None:
    row = row_of("isapd")
    copy = row.replace("| isapd ", "| isapd2", 1)
    found = findings(GUIDELINE.replace(row, row + copy))
    assert codes(found) == ["MD605"]
    assert found[0].data["rule"] == "isapd2" and found[0].data["covered_by"] == ["isapd"]


def test_a_deleted_row() -> None:
    text = GUIDELINE.replace(row_of("clinical_trial_fallback"), "")
    # notes and quotes that name the deleted rule would be errors of their own: point them elsewhere
    text = text.replace("recommendations.clinical_trial_fallback", "recommendations.sd")
    text = without("example", text)
    found = findings(text)
    assert codes(found) == ["MD604"]  # the table says it is complete
    assert found[0].data["table"] == "recommendations"
    guideline = compile_source(Source("seeded.mmdsl", text), verify=False,
                               directory=ROOT / "tables").guideline
    assert guideline is not None
    for witness in [found[0].data["witness"], *found[0].data["witnesses"]]:
        decision = evaluate(guideline, witness)  # really in scope and really without an answer
        assert decision["recommendations"] == []
        assert decision["status"] == "error"  # the table is declared complete
        assert [(e["table"], e["kind"]) for e in decision["errors"]] == [("recommendations", "no_rule")]


def test_a_rule_placed_after_a_broader_one() -> None:
    # Under `first`, the catch-all trial moved to the top takes every patient of every rule below.
    fallback = row_of("clinical_trial_fallback")
    first_row = row_of("ide_cel")
    text = GUIDELINE.replace(fallback, "").replace(first_row, fallback + first_row)
    text = text.replace("  hit collect\n", "  hit first\n", 1)
    text = re.sub(r"^  (order|distinct) by \w+\n", "", text, count=2, flags=re.MULTILINE)
    found = findings(without("example", text))
    unreachable = [d for d in found if d.code == "MD601"]
    assert len(unreachable) == 17
    assert all(d.data["covered_by"] == ["clinical_trial_fallback"] for d in unreachable)
