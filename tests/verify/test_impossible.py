"""Impossible combinations: `impossible NAME "description" = CONDITION`.

The verifier reports no gap, overlap or witness inside them; the interpreter, the generated module
and the cohort refuse such facts naming the declaration; the review document lists them; the JSON
Schema says what it can.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmdsl.backends.review import render_markdown
from mmdsl.backends.schema.facts import facts_schema
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.rows import evaluator
from mmdsl.interpreter import evaluate as interpret
from mmdsl.pipeline import compile_source
from mmdsl.source import Source

TEXT = """\
guideline g "G"
input sex: one of male, female "sex"
input pregnant: yes/no "pregnant"
impossible pregnant_man "a man cannot be pregnant" = sex is male and pregnant
table t "T"
  hit unique
  complete
  output o: one of a, b, c
  | sex    | pregnant || o |
  | female | yes      || a |
  | female | no       || b |
  | male   | no       || c |
"""
WITHOUT = TEXT.replace('impossible pregnant_man "a man cannot be pregnant" = sex is male and pregnant\n', "")
PREGNANT_MAN = {"sex": "male", "pregnant": True}
REFUSED = [{"field": "pregnant_man", "message": "the facts are an impossible combination: "
                                                "a man cannot be pregnant"}]


def test_no_gap_is_reported_inside_an_impossible_combination() -> None:
    assert [d.code for d in compile_source(Source("g.mmdsl", WITHOUT)).diagnostics] == ["MD604"]
    compilation = compile_source(Source("g.mmdsl", TEXT))
    assert compilation.diagnostics == []
    assert compilation.verification is not None and compilation.verification.fully_verified


def test_no_overlap_is_reported_inside_one() -> None:
    # `male, -` and `-, pregnant` meet only in pregnant men
    rows = TEXT.replace("| female | yes      || a |", "| -      | yes      || a |")
    rows = rows.replace("| male   | no       || c |", "| male   | -        || c |")
    assert compile_source(Source("g.mmdsl", rows)).diagnostics == []
    (overlap,) = [d for d in compile_source(Source("g.mmdsl", rows.replace(
        'impossible pregnant_man "a man cannot be pregnant" = sex is male and pregnant\n', ""))).diagnostics
        if d.code == "MD602"]
    assert overlap.data["witness"]["sex"] == "male" and overlap.data["witness"]["pregnant"] is True


def test_the_interpreter_and_the_module_refuse_the_facts_naming_the_declaration() -> None:
    guideline = compile_source(Source("g.mmdsl", TEXT)).guideline
    assert guideline is not None
    for evaluate in (lambda facts: interpret(guideline, facts), evaluator(guideline).evaluate):
        with pytest.raises(ValueError) as refused:  # each has its own InputError class
            evaluate(PREGNANT_MAN)
        assert getattr(refused.value, "errors", None) == REFUSED
        assert evaluate({**PREGNANT_MAN, "pregnant": False})["status"] == "ok"


def test_the_cohort_refuses_the_rows_and_decides_the_others(tmp_path: Path) -> None:
    guideline = compile_source(Source("g.mmdsl", TEXT)).guideline
    assert guideline is not None
    rows = [PREGNANT_MAN, {**PREGNANT_MAN, "pregnant": False}, {**PREGNANT_MAN, "sex": "female"}]
    source = tmp_path / "patients.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    report = evaluate_cohort(guideline, source, tmp_path / "out.parquet")
    assert (report.rows, report.decided, report.invalid_rows) == (3, 2, 1)
    assert [(p.row, p.field, p.message) for p in report.problems] == [
        (1, "pregnant_man", REFUSED[0]["message"])]


def test_the_review_document_lists_them_and_the_schema_excludes_them() -> None:
    compilation = compile_source(Source("g.mmdsl", TEXT))
    assert compilation.guideline is not None
    text = render_markdown(compilation.guideline, None, None, None, compilation.verification)
    summary, technical = text.split("## 1.")[0], text.split("# Appendix D.")[1]
    assert "refuses as contradictory, to be corrected first: a man cannot be pregnant." in summary
    assert "- `pregnant_man`: `" in technical
    schema = facts_schema(compilation.guideline)
    assert schema["allOf"] == [{"$comment": "impossible pregnant_man: a man cannot be pregnant",
                                "not": {"properties": {"sex": {"enum": ["male"]},
                                                       "pregnant": {"enum": [True]}},
                                        "required": ["sex", "pregnant"]}}]
    assert "impossible combination pregnant_man" in schema["description"]
