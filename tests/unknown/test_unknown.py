"""Inputs declared `or unknown`: syntax, checks, validation, schemas, the verifier's refusal."""

from __future__ import annotations

import pytest

from mmdsl.backends.schema.decision import decision_schema
from mmdsl.backends.schema.facts import facts_schema
from mmdsl.examples import check_example
from mmdsl.interpreter import evaluate
from mmdsl.pipeline import compile_source
from mmdsl.runtime.prelude import InputError
from mmdsl.source import Source
from mmdsl.verify.witness import matching_rules
from tests.backend.support import compile_text
from tests.unknown.support import LDH


def codes(text: str) -> list[str]:
    return [d.code for d in compile_source(Source("t.mmdsl", text), verify=False).diagnostics]


def test_the_guideline_compiles_and_its_examples_pass() -> None:
    compilation = compile_source(Source("t.mmdsl", LDH))
    assert compilation.guideline is not None
    assert [d.code for d in compilation.diagnostics if d.severity.name == "ERROR"] == []
    outcomes = [check_example(compilation.guideline, e) for e in compilation.guideline.examples]
    assert len(outcomes) == 2 and all(o.passed for o in outcomes), outcomes


def test_input_declaration() -> None:
    guideline = compile_text(LDH)
    by_name = {item.name: item for item in guideline.inputs}
    assert by_name["ldh"].unknown and by_name["stage"].unknown and not by_name["fit"].unknown


def test_null_only_for_inputs_that_may_be_unknown() -> None:
    guideline = compile_text(LDH)
    base = {"ldh": None, "stage": None, "bulky": None, "fit": True, "age": 50}
    assert evaluate(guideline, base)["status"] == "ok"
    with pytest.raises(InputError) as error:
        evaluate(guideline, {**base, "fit": None})
    assert error.value.errors[0]["field"] == "fit"
    with pytest.raises(InputError) as missing:  # a missing key is still an error
        evaluate(guideline, {k: v for k, v in base.items() if k != "ldh"})
    assert missing.value.errors[0] == {"field": "ldh", "message": "required field is missing"}


NEVER = '''guideline g "g"
input ldh: integer 0..10 "ldh"
input x: integer 0..10 or unknown "x"
fact a "a" = {fact}
table t "t"
  hit first
  output o: one of p, q
  | a   | ldh    || o |
  | yes | {cell} || p |
  | -   | -      || q |
'''


@pytest.mark.parametrize(("fact", "cell", "expected"), [
    ("ldh is unknown", "-", ["MD320"]),
    ("ldh > 5", "unknown", ["MD320"]),
    ("ldh > 5", "not unknown", ["MD320"]),
    ("x is unknown", "-", []),
    ("x is not unknown and ldh > 3", "-", []),
    ("not (x > 5) or ldh > 3", "< 3", []),
])
def test_never_unknown(fact: str, cell: str, expected: list[str]) -> None:
    found = [c for c in codes(NEVER.format(fact=fact, cell=cell)) if c.startswith("MD3")]
    assert found == expected


def test_unknown_in_arithmetic_is_unknown_not_refused() -> None:
    # a number over a value that may be unknown is unknown with it (tests/unknown/test_arithmetic)
    text = NEVER.format(fact="x > 5", cell="-") + 'fact r "r" = x * 2\n'
    assert "MD321" not in codes(text)
    text = NEVER.format(fact="x > 5", cell="-") + 'fact r "r" = if x > 5 then 1 else 0\n'
    assert "MD321" not in codes(text)


def test_schemas_accept_null() -> None:
    guideline = compile_text(LDH)
    properties = facts_schema(guideline)["properties"]
    assert properties["ldh"]["type"] == ["integer", "null"]
    assert properties["stage"]["enum"] == ["I", "II", "III", None]
    assert properties["fit"]["type"] == "boolean"
    derived = decision_schema(guideline)["properties"]["derived"]["properties"]
    assert derived["high_ldh"]["type"] == ["boolean", "null"]
    assert derived["frail"]["type"] == "boolean"


def test_the_verifier_reasons_about_unknown_values() -> None:
    # exact against brute force in tests/verify/test_unknown_exact.py; here: the words and the
    # witnesses of the gaps of the guideline the tests share
    compilation = compile_source(Source("t.mmdsl", LDH))
    assert not [d for d in compilation.diagnostics if d.code == "MD606"]
    gaps = {d.data["table"]: d.data for d in compilation.diagnostics if d.code == "MD603"}
    assert set(gaps) == {"plan", "notes"}
    assert "ldh unknown, high_risk not yes, frail no, bulky unknown" in gaps["plan"]["regions"]
    assert gaps["notes"]["regions"] == ["no_ldh not yes, stage not unknown, bulky unknown"]
    guideline = compile_text(LDH)
    for name, found in gaps.items():
        [table] = [t for t in guideline.tables if t.name == name]
        for witness in found["witnesses"]:  # null where unknown, and no rule matches
            assert matching_rules(guideline, table, witness) == [False] * len(table.rules)
    assert gaps["notes"]["witness"]["bulky"] is None


def test_unknown_is_a_keyword_value() -> None:
    text = 'guideline g "g"\nenum e = a, unknown\ninput i: one of e "i"\n'
    assert "MD121" in codes(text)


def test_sql_decides_unknown_values() -> None:
    from mmdsl.backends.sql import render_sql

    sql = render_sql(compile_text(LDH))  # decided in tests/cohort/test_unknown.py
    assert '("ldh" IS NOT NULL)' in sql


def test_unknown_on_a_table_result_or_a_duration_is_never_unknown() -> None:
    text = NEVER.format(fact="x > 5", cell="-") + '''table u "u"
  hit first
  output v: one of p, q
  | t     || v |
  | unknown || p |
'''
    assert "MD320" in codes(text)


def test_parse() -> None:
    from mmdsl.syntax import ast
    from mmdsl.syntax.parser import parse_module

    module, problems = parse_module(Source("t.mmdsl", NEVER.format(
        fact="x is not unknown", cell="not unknown")))
    assert problems == []
    decls = {type(s).__name__: s for s in module.statements}
    inputs = [s for s in module.statements if isinstance(s, ast.InputDecl)]
    assert [i.unknown is not None for i in inputs] == [False, True]
    fact = decls["FactDecl"]
    assert isinstance(fact, ast.FactDecl) and isinstance(fact.expr, ast.Condition)
    assert isinstance(fact.expr.test, ast.NotTest)
    assert isinstance(fact.expr.test.tests[0], ast.UnknownTest)


def test_the_evaluation_date_is_never_unknown() -> None:
    text = 'guideline g "g"\ninput today: evaluation date or unknown "today"\n'
    assert "MD320" in codes(text)
