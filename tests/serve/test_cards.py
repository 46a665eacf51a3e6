"""CDS Hooks cards in-process: the summary's limit and authored text kept out of the Markdown."""

from __future__ import annotations

import dataclasses

import mmdsl
from mmdsl.backends.review.decision_view import read_decision
from mmdsl.serve import cds
from tests.serve.conftest import MYELOMA

PATIENT = {"prior_lines": 5, "exposed": ["lenalidomide", "bortezomib"],
           "refractory": ["daratumumab", "pomalidomide", "carfilzomib"], "t11_14": False,
           "car_t_access": True}


def test_a_long_summary_is_cut_under_140_characters() -> None:
    guideline = mmdsl.load(MYELOMA).ir
    long_title = dataclasses.replace(guideline, title="A guideline with a very long title " * 5)
    reading = read_decision(long_title, mmdsl.load(MYELOMA).evaluate(PATIENT))
    (card,) = cds.decision_cards(long_title, reading, cds.Links("http://h", "g"), "i")
    assert len(card["summary"]) == 139 and card["summary"].endswith("…")


def test_authored_text_cannot_become_markup_in_the_detail() -> None:
    guideline = mmdsl.load(MYELOMA).ir
    table = guideline.tables[0]
    rule = dataclasses.replace(table.rules[0], caveats=("see [this](javascript:alert(1)) *now* <b>",))
    changed = dataclasses.replace(table, rules=(rule, *table.rules[1:]))
    hostile = dataclasses.replace(guideline, tables=(changed,))
    decision = mmdsl.load(MYELOMA).evaluate(PATIENT)
    decision["recommendations"][0]["caveats"] = list(rule.caveats)
    (card,) = cds.decision_cards(hostile, read_decision(hostile, decision), cds.Links("http://h", "g"), "i")
    assert r"see \[this\](javascript:alert(1)) \*now\* \<b\>" in card["detail"]
