"""The review of every guideline the project ships (tables/*.mmdsl) renders completely."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmdsl.backends.review import render_html, render_markdown, run_examples
from mmdsl.backends.review.build import build_review
from tests.review.support import compiled

TABLES = Path(__file__).resolve().parents[2] / "tables"


@pytest.mark.parametrize("path", sorted(TABLES.glob("*.mmdsl")), ids=lambda p: p.name)
def test_every_rule_and_example_is_in_the_review(path: Path) -> None:
    guideline = compiled(path, f"tables/{path.name}")
    results = run_examples(guideline)
    markdown, html = render_markdown(guideline, results), render_html(guideline, results)
    document = build_review(guideline, results)
    for table in document.tables:
        for rule in table.rules:
            assert rule.sentence in markdown and rule.key in html
    assert "were not run" not in markdown
    assert all(example.verdict != "not run" for example in document.examples)


def test_the_myeloma_review_reads_like_the_guideline() -> None:
    path = TABLES / "myeloma_post_daratumumab.mmdsl"
    if not path.exists():
        pytest.fail(f"{path} is missing")
    guideline = compiled(path)
    rules = {rule.key: rule for table in build_review(guideline).tables for rule in table.rules}
    triple_class = next(fact for fact in guideline.facts if fact.name == "triple_class_refractory")
    ide_cel = rules["recommendations.ide_cel"]
    assert ide_cel.sentence.startswith(f"If “{triple_class.description}”")
    assert "then regimen is ide-cel and tier is preferred, because of KarMMa (ref 1)." in ide_cel.sentence
    assert "include neither isatuximab nor pomalidomide" in rules["recommendations.isapd"].sentence
