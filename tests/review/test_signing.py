"""The review document made for signing: the clinician's part (everything before the first
appendix) is in clinical words and short enough to read in a meeting; its first page names the
version and the clinical source, summarises who gets what, defines the tiers and has a sign-off
block; every group of patients only the catch-all option answers is listed."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from mmdsl.backends.review import render_html, render_markdown, run_examples
from mmdsl.backends.review.build import build_review
from mmdsl.ir.model import IRGuideline
from mmdsl.pipeline import compile_path, published
from mmdsl.verify.coverage import fallback_coverage
from tests.review.support import compiled_text

ROOT = Path(__file__).resolve().parents[2]
MYELOMA = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
MAX_WORDS = 6000

# Compiler vocabulary a clinician should not meet (whole words, case-insensitive). "rule" and
# "table" are in: they are the compiler's words for what the clinician reads as a recommendation
# and the algorithm. "cell" is not (CAR-T cell therapy).
COMPILER_WORDS = [
    r"hit polic(?:y|ies)", r"collect", r"unique", r"rule order", r"output order", r"priority",
    r"regions?", r"fallback", r"MD\d{3}", r"rule ids?", r"rule names?", r"scope", r"out_of_scope",
    r"distinct by", r"order by", r"tables?", r"rules?", r"witness", r"enumeration", r"inputs?",
    r"outputs?", r"mmdsl", r"coverage check", r"verifier",
]


@cache
def myeloma() -> IRGuideline:
    compilation = compile_path(MYELOMA, "tables/myeloma_post_daratumumab.mmdsl")
    assert compilation.guideline is not None
    return published(compilation.guideline)


@cache
def markdown() -> str:
    guideline = myeloma()
    return render_markdown(guideline, run_examples(guideline), [], fallback_coverage(guideline))


@cache
def html() -> str:
    guideline = myeloma()
    return render_html(guideline, run_examples(guideline), [], fallback_coverage(guideline))


def clinical_part(text: str) -> str:
    return text[:text.index("# Appendix A.")]


def rule_names(guideline: IRGuideline) -> list[str]:
    return [rule.name for table in guideline.tables for rule in table.rules if "_" in rule.name]


def compiler_words_in(text: str, guideline: IRGuideline) -> list[str]:
    found = [m.group() for word in COMPILER_WORDS
             for m in re.finditer(rf"(?<![\w-]){word}(?![\w-])", text, re.IGNORECASE)]
    return found + [name for name in rule_names(guideline) if name in text]


def test_the_clinical_part_has_no_compiler_vocabulary() -> None:
    assert compiler_words_in(clinical_part(markdown()), myeloma()) == []


def test_the_html_clinical_part_has_no_compiler_vocabulary() -> None:
    page = html()
    main = page[page.index('<main id="clinical">'):page.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    assert compiler_words_in(text, myeloma()) == []


@pytest.mark.parametrize("put_back", ["hit policy collect", "fallback rule", "MD601", "38 regions",
                                      "in scope", "rule clinical_trial_fallback"])
def test_the_vocabulary_check_fails_when_a_compiler_word_comes_back(put_back: str) -> None:
    text = clinical_part(markdown()).replace("## 1. The recommendations in detail",
                                             f"{put_back}\n\n## 1. The recommendations in detail")
    assert compiler_words_in(text, myeloma()) != []


def test_the_clinical_part_is_under_6000_words() -> None:
    words = len(clinical_part(markdown()).split())
    assert 1000 < words < MAX_WORDS, words


def test_the_first_page_names_the_version_and_the_source_and_has_a_sign_off_block() -> None:
    first = markdown()[:markdown().index("## 1. The recommendations in detail")]
    source = myeloma().clinical_source
    assert source is not None
    assert "| Version | 1.1.0 |" in first
    assert source.title in first and source.sha256 in first and source.date in first
    assert "| Reviewing clinician | | | |" in first
    assert first.index("### Recommended next therapy after daratumumab") < first.index("### Sign-off")


def test_the_summary_lists_every_option_in_the_order_the_patient_gets_them() -> None:
    summary = markdown()[markdown().index("| No. | For patients for whom"):]
    summary = summary[:summary.index("\n\n")]
    rows = [line.split(" | ") for line in summary.splitlines()[2:]]
    table = myeloma().tables[0]
    numbers = sorted(int(n) for row in rows for n in row[0].strip("| ").split(" and "))
    assert numbers == list(range(1, len(table.rules) + 1))  # every recommendation, once
    assert rows[0][0] == "| 1 and 3"  # ide-cel with or without prior belantamab: one group
    tiers = [row[3] for row in rows]
    order = ["preferred", "alternative", "other"]
    assert tiers == sorted(tiers, key=order.index)
    assert rows[0][2] in ("ide-cel", "cilta-cel")
    assert rows[-1][2] == "VenVd"  # without t(11;14): last of all


def test_the_tiers_are_defined_by_the_authors_notes() -> None:
    first = markdown()[:markdown().index("### Sign-off")]
    for note in (n for n in myeloma().notes if n.name.startswith("tier_")):
        assert note.text.split()[0] in first
    assert "- **preferred**: " in first and "- **other**: " in first


def test_every_group_only_the_catch_all_answers_is_listed() -> None:
    coverage = fallback_coverage(myeloma())[0]
    assert coverage.region_total == len(coverage.regions) == len(coverage.conditions) > 8
    appendix = markdown()[markdown().index("# Appendix B."):markdown().index("# Appendix C.")]
    listed = [line for line in appendix.splitlines() if re.match(r"\d+\. ", line)]
    assert len(listed) == coverage.region_total
    assert "more" not in appendix


def test_the_catch_all_is_described_as_it_behaves() -> None:
    text = clinical_part(markdown())
    assert "offered to every patient, beside the other options that fit" in text
    assert "decides only when no other rule of its table matches" not in markdown()


def test_the_worked_examples_are_one_grid_of_what_differs() -> None:
    appendix = markdown()[markdown().index("# Appendix A."):markdown().index("# Appendix B.")]
    rows = [line for line in appendix.splitlines() if re.match(r"\| \d+ \| ", line)]
    assert len(rows) == len(myeloma().examples)
    assert "car_t_access" not in appendix  # the facts by their meaning, not their names
    assert "Each example patient has these facts unless the row says otherwise" in appendix
    assert len(appendix.split()) < 20000


def test_tables_as_written_are_real_tables_not_code_blocks() -> None:
    assert "<pre>" not in html() and "```" not in markdown()
    assert '<table class="wide">' in html()


# A rule may give no value for an output (`-` in its cell): the example grid once indexed the
# outputs that had a value and failed on a row with none, and read a later output as the option.
NO_VALUE_OUTPUT = '''guideline g "g"
input n: integer 0..9 "n"
table plan "plan"
  hit first
  output drug: one of apixaban, warfarin "drug"
  output tier: one of preferred, alternative "tier"
  | n   || drug     | tier      |
  | > 5 || -        | -         |
  | > 2 || -        | preferred |
  | -   || warfarin | -         |
example high "high"
  n: 7
  expect plan: none
example middle "middle"
  n: 3
  expect plan.tier: preferred
example low "low"
  n: 1
  expect plan.drug: warfarin
'''


def test_the_example_grid_shows_a_rule_that_gives_no_value() -> None:
    guideline = compiled_text(NO_VALUE_OUTPUT)
    grid = build_review(guideline, run_examples(guideline)).grid
    assert [row.result for row in grid.rows] == ["no value", "no value (preferred)", "warfarin"]


# A fact's description is optional: one without it was listed as `- ****: ...` (empty bold).
UNDESCRIBED_FACT = '''guideline g "g"
input age: integer 0..120 "age"
fact very_old = age > 90
fact frail "frail by age" = age > 80
table plan "plan"
  hit first
  output drug: one of apixaban, warfarin "drug"
  | very_old | frail || drug     |
  | yes      | -     || warfarin |
  | -        | -     || apixaban |
'''


def test_a_fact_without_a_description_is_named_in_words() -> None:
    guideline = compiled_text(UNDESCRIBED_FACT)
    text = render_markdown(guideline, run_examples(guideline))
    assert "- **very old**: " in text and "- **frail by age**: " in text
    assert "****" not in text
    page = render_html(guideline, run_examples(guideline))
    assert "<strong>very old</strong>:" in page and "<strong></strong>" not in page
