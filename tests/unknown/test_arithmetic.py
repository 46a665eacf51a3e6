"""Computed numbers over values that may be unknown: unknown when an operand read is (DMN: null in
arithmetic gives null), or when an `if`'s condition is; the module agrees with the interpreter."""

from __future__ import annotations

from pathlib import Path

from mmdsl.backends.schema.decision import decision_schema
from mmdsl.interpreter import evaluate
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from tests.backend.support import compile_text, load_module, write_module
from tests.unknown.support import random_patients

RATIO = '''\
guideline ldh_ratio "LDH ratio"

input ldh: integer 0..5000 unit "U/L" or unknown "LDH"
input stage: one of I, II, III or unknown "stage"
input age: integer 18..100 unit "years" "age"

fact ratio "LDH over its upper limit" = ldh / 250
fact doubled "doubled ratio" = ratio * 2 + age
fact bonus "bonus" = if stage is III then 10 else ratio
fact safe "never unknown in the branch taken" = if age > 60 then 1 else ldh
fact high "high ratio" = ratio > 1.5 or stage is III
fact no_ratio "ratio unknown" = ratio is unknown

table plan "Plan"
  hit first
  output arm: one of treat, measure, watch, other
  | rule    | ratio       | bonus       || arm     |
  |---------|-------------|-------------||---------|
  | treat   | > 1.5       | -           || treat   |
  | measure | unknown     | not unknown || measure |
  | watch   | not unknown | -           || watch   |
  | other   | -           | -           || other   |

example unknown_ldh "LDH unknown, stage I"
  ldh: unknown
  stage: I
  age: 50
  expect ratio: unknown
  expect doubled: unknown
  expect bonus: unknown
  expect plan: other

example stage_three "LDH unknown, stage III: the bonus is known"
  ldh: unknown
  stage: III
  age: 70
  expect bonus: 10
  expect safe: 1
  expect plan: measure

example measured "LDH 500"
  ldh: 500
  stage: unknown
  age: 50
  expect ratio: 2
  expect bonus: unknown
  expect plan: treat
'''


def diagnostics(text: str, verify: bool = False) -> list[str]:
    compilation = compile_source(Source("t.mmdsl", text), verify=verify)
    return [d.code for d in compilation.diagnostics]


def test_compiles_without_md321_and_examples_pass() -> None:
    codes = diagnostics(RATIO)
    assert "MD321" not in codes and "MD320" not in codes, codes
    compilation = compile_source(Source("t.mmdsl", RATIO), verify=False)
    assert not [d for d in compilation.diagnostics if d.severity.name == "ERROR"]


def test_propagation() -> None:
    guideline = compile_text(RATIO)
    derived = evaluate(guideline, {"ldh": None, "stage": "I", "age": 50})["derived"]
    assert derived["ratio"] is None and derived["doubled"] is None
    assert derived["bonus"] is None  # the `else` branch reads the unknown ratio
    assert derived["safe"] is None  # age 50: the branch taken is the unknown LDH
    assert derived["high"] is None and derived["no_ratio"] is True
    derived = evaluate(guideline, {"ldh": None, "stage": "III", "age": 70})["derived"]
    assert derived["bonus"] == 10 and derived["safe"] == 1  # the branch taken is known
    assert derived["high"] is True  # unknown or yes
    derived = evaluate(guideline, {"ldh": 500, "stage": None, "age": 50})["derived"]
    assert derived["ratio"] == 2 and derived["doubled"] == 54
    assert derived["bonus"] is None  # an `if` whose condition is unknown: unknown
    assert derived["high"] is True and derived["no_ratio"] is False


def test_module_agrees_with_interpreter(tmp_path: Path) -> None:
    guideline = compile_text(RATIO)
    module = load_module(write_module(guideline, tmp_path))
    unknown = 0
    for facts in random_patients(guideline, 2000, seed=7):
        decision = evaluate(guideline, facts)
        unknown += decision["derived"]["ratio"] is None
        assert module.evaluate(facts) == decision, facts
    assert unknown > 300


def test_schema_says_number_or_null() -> None:
    derived = decision_schema(compile_text(RATIO))["properties"]["derived"]["properties"]
    assert derived["ratio"]["type"] == ["number", "null"]
    assert derived["doubled"]["type"] == ["number", "null"]
    assert derived["safe"]["type"] == ["integer", "null"]


def test_verifier_claims_nothing_over_an_unknown_number() -> None:
    # numbers that may be unknown are enumerated value by value (tests/verify/test_unknown_exact);
    # 5,001 values of `ldh` are beyond that, and said so
    assert "MD606" in diagnostics(RATIO, verify=True)
    found = compile_source(Source("t.mmdsl", RATIO)).diagnostics
    [md606] = [d for d in found if d.code == "MD606"]
    assert "more than 1,024 values" in md606.message


def test_no_md321_for_a_duration_from_a_date_that_may_be_unknown() -> None:
    # the duration is unknown with the date (tests/unknown/test_dates.py)
    text = ('guideline g "g"\ninput d: date or unknown "d"\ninput today: evaluation date "t"\n'
            'fact since "since" = time from d to today\n')
    assert "MD321" not in diagnostics(text)


def test_no_md321_for_a_text_fact_over_an_unknown_value() -> None:
    """Text over an unknown value is unknown, joined or chosen by (tests/unknown/test_text.py);
    `unknown` written in text is still refused (MD322)."""
    joined = 'guideline g "g"\ninput name: text or unknown "n"\nfact g = "Hello " + name\n'
    assert "MD321" not in diagnostics(joined)
    chosen = ('guideline g "g"\ninput ldh: integer 0..9 or unknown "l"\n'
              'fact g = if ldh > 5 then "high" else "low"\n')
    assert "MD321" not in diagnostics(chosen)
    assert "MD322" in diagnostics('guideline g "g"\nfact g = "a" + unknown\n')


def test_unknown_test_on_a_number_that_is_never_unknown() -> None:
    text = RATIO.replace('ldh: integer 0..5000 unit "U/L" or unknown', 'ldh: integer 0..5000')
    assert "MD320" in diagnostics(text)  # `ratio is unknown` would never hold


CONSTANT = '''\
guideline constant "g"

input age: integer 18..100 unit "years" "age"

fact plus "ten plus null" = 10 + unknown
fact over "null over ten" = unknown / 10
fact by "ten over null" = 10 / unknown
fact young_unknown "unknown only under 60" = if age > 60 then 1 else -unknown
fact later "reads it" = young_unknown * 2
'''


def test_unknown_written_in_arithmetic() -> None:
    guideline = compile_text(CONSTANT)
    old = evaluate(guideline, {"age": 70})["derived"]
    young = evaluate(guideline, {"age": 30})["derived"]
    assert old["plus"] is None and old["over"] is None and old["by"] is None
    assert old["young_unknown"] == 1 and old["later"] == 2
    assert young["young_unknown"] is None and young["later"] is None
    assert "MD318" not in diagnostics(CONSTANT)  # `10 / unknown` never divides by zero


def test_module_agrees_on_unknown_written_in_arithmetic(tmp_path: Path) -> None:
    guideline = compile_text(CONSTANT)
    module = load_module(write_module(guideline, tmp_path))
    for age in range(18, 101):
        assert module.evaluate({"age": age}) == evaluate(guideline, {"age": age})


def test_tck_null_in_arithmetic_and_division_by_zero() -> None:
    from tests.dmn.tck import cases_in, outcome_of, tck_folder

    folder = tck_folder() / "compliance-level-2" / "0105-feel-math"
    wanted = {"016", *(f"0{n}" for n in range(23, 31))}
    outcomes = {case.id: outcome_of(case) for case in cases_in(folder) if case.id in wanted}
    assert set(outcomes) == wanted
    assert {k: o.status for k, o in outcomes.items()} == dict.fromkeys(wanted, "passed")


def test_the_export_decides_alike_in_feelin() -> None:
    """A third-party FEEL engine (feelin) on the exported DMN, nulls included: numbers over null
    are null (FEEL's arithmetic), and an `if` over an unknown condition is null as in mmdsl (the
    export says so first), and the table decides alike."""
    from tests.dmn.test_feelin import differences, feelin, job_for

    for text in (RATIO, CONSTANT):
        job = job_for(compile_text(text))
        found = differences(job, feelin([job])[0])
        assert found == [], "\n".join(found[:5])


def test_the_import_of_the_export() -> None:
    """Null in arithmetic comes back as `unknown`; an `if` whose condition may be null is refused
    (FEEL takes the `else` there, where mmdsl's number is unknown), never imported otherwise."""
    from mmdsl.backends.dmn.writer import export_dmn
    from mmdsl.frontends.dmn.importer import import_dmn

    result = import_dmn(export_dmn(compile_text(CONSTANT)).text.encode(), "c.dmn", "c.mmdsl",
                        partial=True)
    assert result.text is not None
    assert "= 10 + unknown" in result.text and "= unknown / 10" in result.text
    assert not [d for d in result.diagnostics if "young_unknown" in d.message]  # two-valued `if`
    result = import_dmn(export_dmn(compile_text(RATIO)).text.encode(), "r.dmn", "r.mmdsl",
                        partial=True)
    assert result.text is not None and "= ldh / 250" in result.text
    refused = [d.message for d in result.diagnostics if d.code == "MD703"]
    assert any("`bonus`" in m for m in refused), refused
    tier = ('guideline tier "g"\ninput ldh: integer 0..5000 or unknown "LDH"\n'
            'fact tier "tier" = if ldh > 250 then 2 else 1\n')
    result = import_dmn(export_dmn(compile_text(tier)).text.encode(), "t.dmn", "t.mmdsl",
                        partial=True)
    assert any("`tier`" in d.message for d in result.diagnostics if d.code == "MD703")


NUMBERS = '''<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" namespace="urn:t" name="t"
             id="t">
  <inputData id="i_a" name="A"><variable name="A" typeRef="number"/></inputData>
  <decision id="d_sum" name="Sum">
    <variable name="Sum" typeRef="number"/>
    <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
    <literalExpression><text>A + 10</text></literalExpression>
  </decision>
  <decision id="d_pick" name="Pick">
    <variable name="Pick" typeRef="number"/>
    <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
    <literalExpression><text>if A &gt; 5 then 1 else 2</text></literalExpression>
  </decision>
</definitions>
'''


def test_import_of_numbers_over_an_input_that_may_be_null() -> None:
    """`A + 10` is null with A in both languages; `if A > 5 …` takes the `else` on null in FEEL,
    where mmdsl's number would be unknown: refused with the reason."""
    from mmdsl.frontends.dmn.importer import import_dmn

    result = import_dmn(NUMBERS.encode(), "t.dmn", "t.mmdsl", unknown=frozenset({"A"}),
                        partial=True)
    refused = [d.message for d in result.diagnostics if d.code == "MD703"]
    assert any("`Pick`" in m and "may be null" in m for m in refused), refused
    assert result.compilation is not None and result.compilation.guideline is not None
    guideline = result.compilation.guideline
    assert evaluate(guideline, {"A": None})["derived"] == {"Sum": None}
    assert evaluate(guideline, {"A": 2})["derived"] == {"Sum": 12}


def test_review_says_when_a_number_is_unknown() -> None:
    from mmdsl.backends.review.build import build_review

    facts = {f.name: f.in_words for f in build_review(compile_text(RATIO)).facts}
    assert facts["ratio"].endswith("; unknown when “LDH” is unknown"), facts["ratio"]
    facts = {f.name: f.in_words for f in build_review(compile_text(CONSTANT)).facts}
    assert facts["plus"].endswith("; always unknown")


def test_sql_writes_a_number_written_with_unknown_as_null() -> None:
    from mmdsl.backends.sql import render_sql

    assert "CAST(NULL AS BIGINT) AS _f0" in render_sql(compile_text(CONSTANT))
