"""The Markdown review of the fixture guideline, byte for byte.

After an intended change, `MMDSL_UPDATE_GOLDEN=1 pytest tests/review` rewrites the golden file;
read its diff before committing it.
"""

from __future__ import annotations

import os

from mmdsl.backends.review import render_markdown
from tests.review.support import FIXTURES, demo, demo_results

GOLDEN = FIXTURES / "anticoagulation_demo.md"


def test_markdown_matches_the_golden_file() -> None:
    text = render_markdown(demo(), demo_results())
    if os.environ.get("MMDSL_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8", newline="\n")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "the review changed; if that is intended, run MMDSL_UPDATE_GOLDEN=1 pytest tests/review")


def test_the_fixture_examples_pass() -> None:
    # the golden file shows them passing; a failure here means the interpreter changed, not the review
    assert all(outcome.passed for outcome in demo_results())
