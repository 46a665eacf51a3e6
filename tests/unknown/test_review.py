"""The review document and the why-not words say "unknown" in clinical words, never "no value"
or a failed comparison for a value that was not known."""

from __future__ import annotations

from mmdsl.backends.review import render_markdown, run_examples
from mmdsl.interpreter import evaluate
from tests.backend.support import compile_text
from tests.unknown.support import LDH


def test_review_document_words() -> None:
    guideline = compile_text(LDH)
    text = render_markdown(guideline, run_examples(guideline))
    assert "| LDH | 0 to 5000 U/L | required; may be given as unknown |" in text
    assert "LDH: unknown;" in text  # an example's fact
    assert "“LDH” is unknown" in text  # a rule's cell
    assert "If “LDH” is known and “low risk”, then arm is standard." in text
    assert "has no value" not in text  # (a table that no rule matches gives no value)


def test_why_not_says_unknown_or_fails() -> None:
    guideline = compile_text(LDH)
    facts = {"ldh": None, "stage": "II", "bulky": None, "fit": True, "age": 50}
    because = {entry["rule"]: entry["because"]
               for entry in evaluate(guideline, facts)["why_not"]["plan"]}
    assert because["low"] == "“LDH” is unknown"
    assert because["high"] == "“high risk” is unknown or not “high risk”"
    assert because["measure"] == "“bulky disease” is unknown or “bulky disease”"
