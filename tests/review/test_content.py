"""What the review says: every section, in order, and each cross-reference from the IR."""

from __future__ import annotations

import dataclasses

import pytest

from mmdsl.backends.review import render_html, render_markdown
from mmdsl.backends.review_build import build_review
from mmdsl.backends.review_view import UncoveredCase
from mmdsl.examples import ExampleOutcome, ExpectationResult
from mmdsl.ir.model import IRClinicalSource, IRPassage
from tests.review.support import DEMO_SHOWN, demo, demo_results

SECTIONS = ["## 1. Scope", "## 2. Patient facts (inputs)", "## 3. Vocabulary", "## 4. Derived facts",
            "## 5. Decision tables", "## 6. Bibliography", "## 7. Caveats",
            "## 8. Source statements and the rules that carry them", "## 9. Worked examples",
            "## 10. Authoring notes", "## 11. What this algorithm does not cover", "## Sign-off"]


def test_sections_come_in_the_documented_order() -> None:
    text = render_markdown(demo(), demo_results())
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)


def test_provenance_heads_the_document() -> None:
    head = render_markdown(demo(), None).split("## 1. Scope")[0]
    guideline = demo()
    for value in (guideline.title, guideline.version, DEMO_SHOWN, guideline.source_sha256,
                  guideline.mmdsl_version):
        assert value in head


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


def test_written_tables_are_shown_as_authored() -> None:
    text = render_markdown(demo(), None)
    for table in demo().tables:
        assert table.written in text


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
    assert [link.text for link in line_two.rules] == ["plan.apixaban", "plan.warfarin"]
    assert "not quoted" in render_markdown(with_source, None)
    assert "0" * 64 in render_html(with_source, None)


def test_caveats_and_evidence_name_the_rules_they_attach_to() -> None:
    document = build_review(demo())
    assert {c.name: [r.text for r in c.rules] for c in document.caveats} == {
        "bleeding": ["plan.apixaban", "plan.warfarin"], "renal": ["plan.apixaban"]}
    assert {e.name: [r.text for r in e.rules] for e in document.evidence} == {
        "TRIAL-A": ["plan.apixaban", "plan.warfarin"], "registry": ["plan.low_score"]}


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
    assert "### typical: FAIL" in text
    assert "| plan.drug | apixaban | warfarin | FAIL |" in text
    assert 'class="verdict tone-fail">FAIL<' in render_html(demo(), results)


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
    assert "plan: drug apixaban, strength recommended (rule apixaban)" in text
