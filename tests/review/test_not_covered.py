"""What the algorithm does not cover: explicit gaps and the patients only a fallback rule answers.
The clinician reads them in clinical words (section 6 and Appendix B: every group, never "and N
more"); the technical appendix has them in the table's column words, each with a witness patient
that gets exactly what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

import mmdsl
from mmdsl.backends.review import render_html, render_markdown
from mmdsl.backends.review.build import uncovered_cases
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.verify.coverage import FallbackCoverage, fallback_coverage
from tests.review.support import compiled, compiled_text

ROOT = Path(__file__).resolve().parents[2]
MYELOMA = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
MYELOMA_DOC = ROOT / "generated" / "docs" / "myeloma_post_daratumumab.md"
SECTION = "The coverage check in its own terms"
CLINICAL = "## 6. Patients the algorithm does not fully cover"

# Made up, not clinical advice: one table per case the section distinguishes.
SYNTHETIC = """\
guideline fallback_demo "Fallback demo"
version "1"

input score: integer 0..9 "risk score"
input bleed: yes/no "major bleeding in the past"

table advice "Advice"
  hit first
  output plan: one of treat, watch, refer "the plan"
  | rule  | score | bleed || plan  || caveats      |
  | treat | >= 2  | no    || treat || -            |
  | watch | 0..1  | -     || watch || -            |
  | refer | -     | -     || refer || refer_caveat |

table extras "Extras"
  hit collect
  output item: one of leaflet, visit "what else to give"
  | rule    | score || item    |
  | visit   | >= 5  || visit   |
  | leaflet | 0..9  || leaflet |

table urgency "Urgency"
  hit priority
  output level: one of urgent, routine "how soon"
  | rule    | score || level   |
  | routine | -     || routine |
  | urgent  | >= 7  || urgent  |

table band "Band"
  hit unique
  output band: one of low, high "score band"
  | rule | score || band |
  | low  | <= 3  || low  |
  | high | >= 5  || high |

table middle "A catch-all that is not last"
  hit first
  output step: one of a, b "step"
  | rule  | score || step |
  | early | >= 2  || a    |
  | other | -     || b    |
  | late  | 0..1  || a    |

table redundant "A catch-all that is never alone"
  hit collect
  output tag: one of small, big, general "tag"
  | rule  | score || tag   |
  | small | <= 4  || small |
  | big   | >= 5  || big   |
  | every | -     || general |

caveat refer_caveat "Referral <b>waits</b> & {{ 7*7 }}"
note refer_reason on advice.refer: "Everyone else is referred <script>alert(1)</script>."
"""


def section_11(text: str) -> str:
    """The technical appendix's coverage section (the old section 11)."""
    return text.split(SECTION)[1]


def clinical(text: str) -> str:
    return text.split(CLINICAL)[1].split("# Appendix A.")[0]


def by_table(coverage: list[FallbackCoverage]) -> dict[str, FallbackCoverage]:
    return {c.table: c for c in coverage}


# ---- the myeloma guideline ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def myeloma() -> tuple[mmdsl.api.Guideline, list[FallbackCoverage]]:
    return mmdsl.load(MYELOMA), fallback_coverage(compiled(MYELOMA, f"tables/{MYELOMA.name}"))


def test_myeloma_fallback_is_found_with_the_regions_only_it_covers(
        myeloma: tuple[mmdsl.api.Guideline, list[FallbackCoverage]]) -> None:
    _, coverage = myeloma
    [fallback] = coverage
    assert (fallback.table, fallback.rules) == ("recommendations", ("clinical_trial_fallback",))
    assert 8 < len(fallback.regions) == len(fallback.witnesses) == len(fallback.conditions) \
        == fallback.region_total  # every region, not the verifier's first few


def test_each_myeloma_witness_gets_the_fallback_alone(
        myeloma: tuple[mmdsl.api.Guideline, list[FallbackCoverage]]) -> None:
    guideline, [fallback] = myeloma
    for witness in fallback.witnesses:
        decision = guideline.evaluate(witness)
        assert decision["status"] == "ok", witness
        rows = [(row["regimen"], row["tier"], row["rule"]) for row in decision["recommendations"]]
        assert rows == [("clinical-trial", "other", "clinical_trial_fallback")], witness


def test_the_committed_myeloma_review_lists_them(
        myeloma: tuple[mmdsl.api.Guideline, list[FallbackCoverage]]) -> None:
    _, [fallback] = myeloma
    text = MYELOMA_DOC.read_text(encoding="utf-8")
    section = section_11(text)
    assert "### Table recommendations: fallback rule clinical_trial_fallback" in section
    assert ("Rule clinical_trial_fallback: In every case, regimen is clinical-trial and tier is "
            "other") in section
    assert "Note clinical_trial_for_everyone: The source names no regimen" in section
    assert "with a documented fallback" in section
    assert f"The coverage check finds {fallback.region_total} regions of such patients" in section
    numbered = [line for line in section.splitlines() if line[:1].isdigit()]
    assert len(numbered) == fallback.region_total
    for line, witness in zip(numbered, fallback.witnesses, strict=True):
        assert f"For example: prior_lines: {witness['prior_lines']};" in line
    assert "more region" not in text
    only = text.split("# Appendix B.")[1].split("# Appendix C.")[0]
    assert len([line for line in only.splitlines() if line[:1].isdigit()]) == fallback.region_total
    assert f"For the {fallback.region_total} groups of patients" in clinical(text)


# ---- the definition of a fallback rule, on a synthetic guideline ---------------------------------------


@pytest.fixture(scope="module")
def synthetic() -> dict[str, FallbackCoverage]:
    return by_table(fallback_coverage(compiled_text(SYNTHETIC)))


def test_which_rules_are_fallbacks(synthetic: dict[str, FallbackCoverage]) -> None:
    assert {name: c.rules for name, c in synthetic.items()} == {
        "advice": ("refer",),  # first: the last rule, all `-`
        "extras": ("leaflet",),  # collect: cells that every patient in scope passes
        "urgency": ("routine",),  # priority: the lowest-ranked rule
        "redundant": ("every",),
    }  # not band (no catch-all: a real gap) and not middle (its catch-all comes before `late`)


def test_a_fallback_region_and_its_witness(synthetic: dict[str, FallbackCoverage]) -> None:
    advice = synthetic["advice"]
    assert (advice.regions, advice.region_total) == (("score 2-9, bleed yes",), 1)
    guideline = mmdsl.compile_text(SYNTHETIC)
    for witness in advice.witnesses:
        assert guideline.evaluate(witness)["advice"]["rule"] == "refer"
    for witness in synthetic["extras"].witnesses:
        assert [row["rule"] for row in guideline.evaluate(witness)["extras"]] == ["leaflet"]


def test_a_fallback_that_is_never_alone_says_so(synthetic: dict[str, FallbackCoverage]) -> None:
    assert synthetic["redundant"].region_total == 0
    text = render_markdown(compiled_text(SYNTHETIC), None, [], fallback_coverage(compiled_text(SYNTHETIC)))
    assert ("Every patient in scope also matches another rule of table redundant: rule every is "
            "never the only answer.") in section_11(text)
    assert "Every patient also gets another option: it is never the only one." in clinical(text)


def test_a_real_gap_is_listed_as_an_explicit_gap_with_its_patient() -> None:
    compilation = compile_source(Source("inline.mmdsl", SYNTHETIC))
    assert compilation.guideline is not None
    assert compilation.verification is not None
    uncovered = uncovered_cases(compilation.verification)
    text = section_11(render_markdown(compilation.guideline, None, uncovered,
                                      fallback_coverage(compilation.guideline)))
    assert "These are explicit gaps: the table gives them no value" in text
    assert "- Table band: score 4. For example: score: 4; bleed: no." in text
    assert mmdsl.compile_text(SYNTHETIC).evaluate({"score": 4, "bleed": False})["band"] is None
    words = clinical(render_markdown(compilation.guideline, None, uncovered,
                                     fallback_coverage(compilation.guideline)))
    assert "These patients are given no answer at all by the algorithm:" in words
    assert "- “risk score” is 4." in words


def test_the_fallback_section_in_html_is_escaped_and_linked() -> None:
    guideline = compiled_text(SYNTHETIC)
    html = render_html(guideline, None, [], fallback_coverage(guideline))
    section = html.split("The coverage check in its own terms")[1]
    assert "<script" not in section and "<b>" not in section
    assert "referred &lt;script&gt;alert(1)&lt;/script&gt;." in section
    assert "Caveat: Referral &lt;b&gt;waits&lt;/b&gt; &amp; {{ 7*7 }}" in section
    assert '<a href="#rule-advice-refer">refer</a>' in section
    assert "<li>score 2-9, bleed yes. For example: score: 2; bleed: yes.</li>" in section
    only = html.split('id="only-option"')[1].split('id="traceability"')[0]
    assert "<li>“risk score” is at least 2 and “major bleeding in the past”.</li>" in only


def test_the_section_is_the_same_every_time() -> None:
    guideline = compiled_text(SYNTHETIC)
    first = render_markdown(guideline, None, [], fallback_coverage(guideline))
    again = compiled_text(SYNTHETIC)
    assert first == render_markdown(again, None, [], fallback_coverage(again))


def test_mmdsl_docs_writes_both_kinds_into_the_technical_appendix(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mmdsl.cli import main

    table = tmp_path / "fallback_demo.mmdsl"
    table.write_text(SYNTHETIC, encoding="utf-8")
    result = CliRunner().invoke(main, ["docs", str(table), "-o", str(tmp_path / "docs")])
    assert result.exit_code == 0, result.output
    section = section_11((tmp_path / "docs" / "fallback_demo.md").read_text(encoding="utf-8"))
    assert "- Table band: score 4. For example: score: 4; bleed: no." in section
    assert "### Table advice: fallback rule refer" in section
    assert "1. score 2-9, bleed yes. For example: score: 2; bleed: yes." in section
    assert "middle" not in section
