"""What the review says: every section, in order, and each cross-reference from the IR."""

from __future__ import annotations

import dataclasses

import pytest

from mmdsl.backends.review import render_html, render_markdown
from mmdsl.backends.review.build import build_review
from mmdsl.backends.review.view import UncoveredCase
from mmdsl.examples import ExampleOutcome, ExpectationResult
from mmdsl.ir.model import IRClinicalSource, IRPassage
from tests.review.support import DEMO_SHOWN, demo, demo_results

SECTIONS = ["## Summary for sign-off", "### Sign-off", "## 1. The recommendations in detail",
            "## 2. The patient facts the algorithm reads", "## 3. Evidence and references", "## 4. Warnings",
            "## 5. The authors' notes", "## 6. Patients the algorithm does not fully cover",
            "# Appendix A. Worked examples", "# Appendix B. Patients offered only one option",
            "# Appendix C. The clinical source, statement by statement", "# Appendix D. Technical appendix"]


def test_sections_come_in_the_documented_order() -> None:
    text = render_markdown(demo(), demo_results())
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)


def test_provenance_heads_the_document_and_the_technical_appendix() -> None:
    text = render_markdown(demo(), None)
    head, technical = text.split("## Summary for sign-off")[0], text.split("# Appendix D.")[1]
    guideline = demo()
    for value in (guideline.title, guideline.version, guideline.source_sha256):
        assert value in head
    for value in (guideline.name, DEMO_SHOWN, guideline.source_sha256, guideline.mmdsl_version):
        assert value in technical


def test_each_rule_is_a_sentence_with_its_evidence() -> None:
    rules = {rule.key: rule for table in build_review(demo()).tables for rule in table.rules}
    assert rules["plan.apixaban"].sentence == (
        "If “high stroke risk” and “drugs not tolerated” do not include apixaban (Eliquis) and "
        "“apixaban dose, mg twice daily” from the table “Apixaban dose” is at least 2.5, then drug "
        "is apixaban and strength is recommended, because of Trial A (ref 1).")
    assert rules["plan.apixaban"].caveats == ("Watch for bleeding in the first month. (ref 2)",
                                              "Reduce the dose when the creatinine clearance is low. (ref 1)")
    assert rules["dose.reduced"].sentence == (
        "If “80 years or older, or creatinine clearance below 30 mL/min”, then mg is 2.5.")


def test_written_tables_are_shown_as_authored_cell_by_cell() -> None:
    written = {table.name: table for table in build_review(demo()).written}
    plan = written["plan"]
    assert plan.headings == ("rule", "high_risk", "score", "intolerant", "prior_bleed", "dose", "taking",
                             "drug", "strength", "evidence", "caveats")
    assert plan.rows[0] == ("apixaban", "yes", "-", "none of (apixaban)", "-", ">= 2.5", "-",
                            "apixaban", "recommended", "TRIAL-A", "bleeding, renal")
    html = render_html(demo(), None)
    assert "<td>none of (apixaban)</td>" in html and "<td>&gt;= 2.5</td>" in html
    assert "<pre>" not in html


def test_quotes_map_to_rules_and_unquoted_rules_are_listed() -> None:
    demo_without_source = demo()
    document = build_review(demo_without_source)
    quotes = {quote.name: [link.text for link in quote.targets] for quote in document.quotes}
    assert quotes == {"q_start": ["plan.apixaban", "plan.warfarin"], "q_dose": ["dose"]}
    # no source declared: nothing to hold the rules against, so no rule is listed as unquoted
    assert document.clinical_source is None and document.unquoted_rules == ()
    assert "no source statement" not in render_markdown(demo_without_source, None)
    with_source = dataclasses.replace(demo_without_source, clinical_source=IRClinicalSource(
        "sources/demo.txt", "Demo", "2026-01-01", "0" * 64,
        (IRPassage(1, "Demo", True, ()), IRPassage(2, "Start an anticoagulant. 1", False, ("q_start",)),
         IRPassage(3, "Something else. 2", False, ()))))
    document = build_review(with_source)
    assert [link.text for link in document.unquoted_rules] == ["plan.low_score"]  # dose: whole table
    assert document.clinical_source is not None and document.clinical_source.unquoted == 1
    line_two = document.clinical_source.passages[1]
    # the clinician reads the recommendations by their numbers in the summary
    assert [link.text for link in line_two.rules] == ["recommendation 3", "recommendation 4"]
    assert "not quoted" in render_markdown(with_source, None)
    assert "0" * 64 in render_html(with_source, None)


def test_caveats_and_evidence_name_the_rules_they_attach_to() -> None:
    document = build_review(demo())
    assert {c.name: [r.text for r in c.rules] for c in document.caveats} == {
        "bleeding": ["recommendation 3", "recommendation 4"], "renal": ["recommendation 3"]}
    assert {e.name: [r.text for r in e.rules] for e in document.evidence} == {
        "TRIAL-A": ["recommendation 3", "recommendation 4"], "registry": ["recommendation 5"]}
    numbered = {r.number: r.heading for r in document.recommendations}
    assert numbered == {1: "2.5", 2: "5.0", 3: "apixaban (recommended)", 4: "warfarin (possible)",
                        5: "review (possible)"}


def test_notes_link_their_rules_and_general_notes_stand_alone() -> None:
    notes = {note.name: note.targets for note in build_review(demo()).notes}
    assert [(t.text, t.anchor) for t in notes["frailty"]] == [("dose.reduced", "rule-dose-reduced")]
    assert notes["general"] == ()


def test_hit_policies_are_explained_in_words() -> None:
    tables = {table.name: table.policy_explained for table in build_review(demo()).tables}
    assert tables["dose"][0].startswith("Hit policy first: the rules are tried from top to bottom")
    assert "The rows are sorted by strength, in the order recommended, possible; rows that tie keep " \
           "the order of their rules." in tables["plan"]
    assert "Of the rows that give the same drug, only the first is kept." in tables["plan"]


def test_examples_not_run_say_so() -> None:
    document = build_review(demo(), None)
    assert document.examples_summary == "The 2 worked examples were not run for this document."
    assert {check.verdict for example in document.examples for check in example.checks} == {"not run"}


def test_a_failing_example_is_loud() -> None:
    outcome = demo_results()[0]
    wrong = dataclasses.replace(outcome, results=tuple(
        ExpectationResult(r.expectation, "warfarin", r.status) if r.expectation.subject == "plan.drug" else r
        for r in outcome.results))
    results: tuple[ExampleOutcome, ...] = (wrong, *demo_results()[1:])
    text = render_markdown(demo(), results)
    assert "1 of 2 worked examples do NOT give the expected results: typical." in text
    assert "FAIL: plan.drug expected apixaban, got warfarin |" in text
    loud = 'class="verdict tone-fail">FAIL: plan.drug expected apixaban, got warfarin<'
    assert loud in render_html(demo(), results)


def test_coverage_is_not_analysed_until_findings_are_given() -> None:
    assert "Not yet analysed" in render_markdown(demo(), None)
    found = [UncoveredCase("plan", "a patient with a score of 1 who takes aspirin gets no plan.",
                           ("score: 1", "taking: aspirin"))]
    text = render_markdown(demo(), None, uncovered=found)
    assert "- Table plan: a patient with a score of 1 who takes aspirin gets no plan. " \
           "For example: score: 1; taking: aspirin." in text
    assert "no patient in scope" in render_markdown(demo(), None, uncovered=[])


@pytest.mark.parametrize("render", [render_markdown, render_html])
def test_examples_show_the_whole_decision(render: object) -> None:
    assert callable(render)
    text = render(demo(), demo_results())
    assert "5.0; apixaban (recommended)" in text
