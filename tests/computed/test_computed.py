"""Computed numbers (issue 18, item 2): numeric facts through the syntax, the types and ranges,
the checks, the interpreter and the generated module (exact arithmetic), and the verifier
(exact over small whole-number domains, not checked otherwise), against brute force."""

from __future__ import annotations

import itertools
import json
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from mmdsl.backends.schema.decision import decision_schema
from mmdsl.interpreter import evaluate as interpret
from mmdsl.pipeline import compile_source
from mmdsl.semantics.symbols import build_symbols
from mmdsl.semantics.types import NumberT
from mmdsl.source import Source
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module
from mmdsl.verify.report import verify_guideline
from tests.backend.support import load_module, write_module
from tests.computed.brute import cells_truth

HEAD = 'guideline g "computed numbers"\n'
SCORE_LINE = ('fact score "CHA2DS2-VASc score" = (if heart_failure then 1 else 0) + '
              "(if hypertension then 1 else 0) + (if age >= 75 then 2 else 0)")  # one line, as pinned
PINNED = f"""
input weight_kg: decimal 20.0..300.0 unit "kg" "body weight"
input height_m: decimal 0.5..2.5 unit "m" "height"
input heart_failure: yes/no "heart failure"
input hypertension: yes/no "hypertension"
input age: integer 0..120 unit "years" "age"
input monthly_salary: integer 0..100000 "monthly salary"
fact bmi "body mass index" = weight_kg / (height_m * height_m)
{SCORE_LINE}
fact yearly_salary = 12 * monthly_salary
fact constant_fact = -0.872
"""


def facts_of(text: str) -> dict[str, ast.FactDecl]:
    module, problems = parse_module(Source("t.mmdsl", HEAD + text))
    assert problems == [], [p.message for p in problems]
    return {s.name.text: s for s in module.statements if isinstance(s, ast.FactDecl)}


def compiled(text: str, *, verify: bool = False) -> Any:
    return compile_source(Source("t.mmdsl", HEAD + text), verify=verify)


def codes(text: str) -> list[str]:
    return [d.code for d in compiled(text).diagnostics]


def shape(expr: Any) -> Any:
    """An expression as nested tuples, to compare with what was meant."""
    match expr:
        case ast.NumberValue():
            return expr.value
        case ast.Quantity():
            return expr.subject.text
        case ast.Negate():
            return ("neg", shape(expr.item))
        case ast.Arithmetic():
            return (expr.op, shape(expr.left), shape(expr.right))
        case ast.Choice():
            return ("if", expr.condition.subject.text, shape(expr.then), shape(expr.otherwise))
        case ast.Condition():
            return expr.subject.text
    raise AssertionError(expr)


# ---- syntax -------------------------------------------------------------------------------------


def test_the_pinned_statements_parse_as_arithmetic() -> None:
    facts = facts_of(PINNED)
    assert shape(facts["bmi"].expr) == ("/", "weight_kg", ("*", "height_m", "height_m"))
    assert shape(facts["score"].expr) == (
        "+", ("+", ("if", "heart_failure", 1, 0), ("if", "hypertension", 1, 0)),
        ("if", "age", 2, 0))
    assert shape(facts["yearly_salary"].expr) == ("*", 12, "monthly_salary")
    assert shape(facts["constant_fact"].expr) == Decimal("-0.872")


@pytest.mark.parametrize(("written", "meant"), [
    ("a - b - c", ("-", ("-", "a", "b"), "c")),
    ("a - b * c ** 2", ("-", "a", ("*", "b", ("**", "c", 2)))),
    ("-a ** 2", ("neg", ("**", "a", 2))),
    ("a / -2", ("/", "a", -2)),
    ("a -1", ("-", "a", 1)),
    ("if a > 1 then 1 else if b then 2 else 3", ("if", "a", 1, ("if", "b", 2, 3))),
    ("if a > 1 then 1 else 0 + 2", ("if", "a", 1, ("+", 0, 2))),
    ("(if b then 1 else 0)\n    + (if c then 2 else 0)  # comment\n    - 1",
     ("-", ("+", ("if", "b", 1, 0), ("if", "c", 2, 0)), 1)),
])
def test_precedence_and_line_breaks(written: str, meant: Any) -> None:
    assert shape(facts_of(f"fact x = {written}\n")["x"].expr) == meant


@pytest.mark.parametrize("text", [
    "fact x = (a >= 75) + 1\n",
    "fact x = 1 + (a and b)\n",
    "fact x = a and 1 + 2\n",
    'scope "s" = a + 1\n',
    "fact x = if a + 1 then 1 else 0\n",
    "fact x = not 3\n",
])
def test_a_number_and_a_condition_in_each_others_place_is_md316(text: str) -> None:
    _, problems = parse_module(Source("t.mmdsl", HEAD + text))
    assert [p.code for p in problems] == ["MD316"]


def test_a_cell_written_2_plus_still_gets_its_hint() -> None:
    text = ('input n: integer 0..9 "n"\ntable t "t"\n  output o: yes/no\n'
            '  | n  || o   |\n  | 2+ || yes |\n')
    _, problems = parse_module(Source("t.mmdsl", HEAD + text))
    assert [p.code for p in problems] == ["MD119"]


# ---- types and ranges -----------------------------------------------------------------------------


def number_type(text: str, name: str) -> NumberT:
    module, _ = parse_module(Source("t.mmdsl", HEAD + text))
    numeric = build_symbols(module).numeric_fact(name)
    assert numeric is not None and not numeric.problems, numeric
    return numeric.type


def test_types_and_ranges_by_interval_arithmetic() -> None:
    assert number_type(PINNED, "score") == NumberT("integer", 0, 4)
    assert number_type(PINNED, "yearly_salary") == NumberT("integer", 0, 1_200_000)
    assert number_type(PINNED, "constant_fact") == NumberT("decimal", Decimal("-0.872"),
                                                           Decimal("-0.872"))
    bmi = number_type(PINNED, "bmi")  # 20 / 6.25 .. 300 / 0.25
    assert (bmi.kind, bmi.low, bmi.high) == ("decimal", Decimal("3.2"), 1200)


@pytest.mark.parametrize(("expr", "kind", "low", "high"), [
    ("n - 2 * n", "integer", -15, 15),  # each operand on its own: wider than the true -5..5
    ("n ** 2", "integer", 0, 25),
    ("n ** 3", "integer", -125, 125),
    ("m ** -1", "decimal", Decimal("0.3333333333"), 1),  # a negative power: a decimal
    ("2 ** m", "integer", 2, 8),  # an exponent read from a bounded whole-number input
    ("2 ** -m", "decimal", Decimal("0.125"), Decimal("0.5")),
    ("n ** m", "integer", -125, 125),
    ("10 ** -5", "decimal", Decimal("0.00001"), Decimal("0.00001")),
    ("n / 2", "decimal", Decimal("-2.5"), Decimal("2.5")),
    ("1 / m", "decimal", Decimal("0.3333333333"), 1),  # widened outward to 10 places
    ("-m", "integer", -3, -1),
    ("n * 0.5 + 1", "decimal", Decimal("-1.5"), Decimal("3.5")),
])
def test_each_operator_has_its_type_and_range(expr: str, kind: str, low: Any, high: Any) -> None:
    text = f'input n: integer -5..5 "n"\ninput m: integer 1..3 "m"\nfact x = {expr}\n'
    assert number_type(text, "x") == NumberT(kind, low, high)


DIVISIONS = 'input w: decimal 1.0..10.0 "w"\ninput h: decimal 0.0..2.0 "h"\ninput u: integer "u"\n'


@pytest.mark.parametrize(("fact", "expected"), [
    ("w / h", ["MD318"]),
    ("w / u", ["MD318"]),  # a range not declared: it may be 0
    ("w / (h - 1.0)", ["MD318"]),
    ("if h > 0.0 then w / h else 0", []),  # guarded
    ("if h = 0.0 then 0 else w / h", []),
    ("if h >= 0.5 and w > 2.0 then w / (h * h) else 0", []),
    ("if h > 0.0 or w > 2.0 then w / h else 0", ["MD318"]),  # `or` guards nothing
    ("w / (h + 1.0)", []),
    ("w ** 0.5", ["MD319"]),  # a root: no exact value
    ("w ** 1001", ["MD319"]),  # beyond -1000..1000
    ("w ** u", ["MD319"]),  # an integer without a range: any size
    ("w ** w", ["MD319"]),  # a decimal exponent
    ("w ** 11", []),
    ("w ** -3", []),  # the base excludes 0
    ("h ** -1", ["MD318"]),  # 0 ** -1 divides by zero
    ("h ** 2", []),
    ("(if h > 0.0 then h ** -2 else 0)", []),  # guarded
])
def test_a_division_that_can_be_by_zero_and_a_bad_exponent_are_refused(
        fact: str, expected: list[str]) -> None:
    found = [c for c in codes(DIVISIONS + f"fact x = {fact}\n") if c != "MD408"]  # unused inputs
    assert found == expected


def test_a_name_that_holds_no_number_is_md317_with_a_fix() -> None:
    compilation = compiled(PINNED.replace("12 * monthly_salary", "12 * hypertension"))
    problems = [d for d in compilation.diagnostics if d.code == "MD317"]
    assert len(problems) == 1 and "(if hypertension then 1 else 0)" in (problems[0].help or "")


def test_a_cycle_through_arithmetic_is_md400_without_a_crash() -> None:
    text = 'input n: integer 0..3 "n"\nfact a = b + n\nfact b = a * 2\n'
    assert "MD400" in codes(text)


def test_a_numeric_fact_reads_like_a_numeric_input() -> None:
    text = PINNED + """fact high_risk = score >= 2
fact copy = yearly_salary
table t "t"
  hit first
  output o: one of high, low
  | score | copy      || o    |
  | >= 2  | -         || high |
  | -     | >= 1000   || high |
  | -     | -         || low  |
"""
    compilation = compiled(text)
    errors = [d for d in compilation.diagnostics if d.severity.value == "error"]
    assert errors == []
    assert [d.code for d in compilation.diagnostics if d.code == "MD408"] == []  # inputs are read
    guideline = compilation.guideline
    assert [c.name for c in guideline.computed] == ["bmi", "score", "yearly_salary",
                                                    "constant_fact", "copy"]
    order = guideline.derived_order
    assert order.index("score") < order.index("high_risk")
    schema = decision_schema(guideline)["properties"]["derived"]["properties"]
    assert schema["score"]["type"] == "integer" and schema["bmi"]["type"] == "number"
    assert schema["high_risk"]["type"] == "boolean"


def test_a_cell_beyond_a_computed_range_is_out_of_range() -> None:
    text = PINNED + 'table t "t"\n  output o: yes/no\n  | score || o   |\n  | >= 5  || yes |\n'
    assert "MD302" in codes(text)


# ---- the interpreter and the generated module: exact, and the same ------------------------------


EXACT = """
input tenths: integer 0..10 "tenths"
input dose: decimal 0.1..5.0 "dose"
fact sum "0.1 + 0.2, which floats get wrong" = 0.1 + 0.2
fact third = tenths / 3
fact scaled = dose * 3
table t "t"
  hit collect
  output o: one of exact_sum, exact_third, exact_dose
  | sum | third | scaled || o           |
  | 0.3 | -     | -      || exact_sum   |
  | -   | 1     | -      || exact_third |
  | -   | -     | 0.3    || exact_dose  |
"""


@pytest.fixture(scope="module")
def exact_module(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    guideline = compiled(EXACT).guideline
    assert guideline is not None
    return guideline, load_module(write_module(guideline, tmp_path_factory.mktemp("exact")))


def outputs(decision: dict[str, Any]) -> list[str]:
    return [row["o"] for row in decision["t"]]


def test_arithmetic_is_exact_in_the_interpreter_and_the_module(exact_module: tuple[Any, Any]) -> None:
    guideline, module = exact_module
    assert 0.1 + 0.2 != 0.3 and 0.1 * 3 != 0.3  # what binary floats would have decided
    for evaluate in (lambda facts: interpret(guideline, facts), module.evaluate):
        assert outputs(evaluate({"tenths": 3, "dose": 0.1})) == ["exact_sum", "exact_third",
                                                                 "exact_dose"]
        assert outputs(evaluate({"tenths": 4, "dose": 0.2})) == ["exact_sum"]


def test_the_decision_shows_numbers_and_the_trace_names_them(exact_module: tuple[Any, Any]) -> None:
    guideline, module = exact_module
    decision = module.evaluate({"tenths": 4, "dose": 0.2})
    assert decision == interpret(guideline, {"tenths": 4, "dose": 0.2})
    assert decision["derived"] == {"sum": 0.3, "third": 4 / 3, "scaled": 0.6}
    assert "fact third: 1.3333333333333333" in decision["trace"]
    json.dumps(decision)  # plain JSON: no Fraction leaks out


SCORE = """
input a: yes/no "a"
input b: yes/no "b"
input n: integer 0..4 "n"
input w: decimal 0.5..3.0 "w"
fact s = (if a then 2 else 0) + (if b and n >= 2 then n else -1) * 3 - n ** 2
fact r = if n > 0 then w / n + s else -w
fact big = s >= 0 and r < 1.5
"""


def by_hand(facts: dict[str, Any]) -> dict[str, Any]:
    a, b, n, w = facts["a"], facts["b"], facts["n"], Fraction(str(facts["w"]))
    s = (2 if a else 0) + (n if b and n >= 2 else -1) * 3 - n ** 2
    r = w / n + s if n > 0 else -w
    return {"s": s, "r": float(r), "big": s >= 0 and r < Fraction("1.5")}


def test_interpreter_and_module_agree_with_python_fractions(tmp_path: Path) -> None:
    guideline = compiled(SCORE).guideline
    assert guideline is not None
    module = load_module(write_module(guideline, tmp_path))
    rng = random.Random(18)
    for _ in range(300):
        facts = {"a": rng.random() < 0.5, "b": rng.random() < 0.5, "n": rng.randrange(5),
                 "w": round(rng.uniform(0.5, 3.0), rng.randrange(4))}
        expected = by_hand(facts)
        assert interpret(guideline, facts)["derived"] == expected, facts
        assert module.evaluate(facts)["derived"] == expected, facts


# ---- the verifier: exact over small whole-number domains, against brute force -------------------


def score_table(rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """A random table over a score of two yes/no inputs and a small whole number."""
    cells = []
    for _ in range(rng.randrange(1, 5)):
        op = rng.choice([">=", "<=", "<", ">", "=", "!="])
        cells.append((op, str(rng.randrange(-1, 6))))  # the range: -1..5 (4 at most, in fact)
    rows = "\n".join(f"  | {op} {value} || r{i} |" for i, (op, value) in enumerate(cells))
    text = f"""input a: yes/no "a"
input b: yes/no "b"
input n: integer 0..3 "n"
fact s = (if a then 2 else 0) + (if b then n else 0) - (if n = 3 then 1 else 0)
table t "t"
  hit collect
  output o: one of {", ".join(f"r{i}" for i in range(len(cells)))}
  | s || o |
{rows}
"""
    return text, cells


def values_of_s() -> list[int]:
    return [(2 if a else 0) + (n if b else 0) - (1 if n == 3 else 0)
            for a, b, n in itertools.product([True, False], [True, False], range(4))]


def test_the_verifier_is_exact_on_scores_against_brute_force() -> None:
    rng = random.Random(1802)
    for _ in range(60):
        text, cells = score_table(rng)
        compilation = compiled(text)
        assert compilation.guideline is not None, text
        table = verify_guideline(compilation.guideline).tables[0]
        by_name = {a.name: a for a in table.analyses}
        assert table.fully_verified, text
        truth = cells_truth(cells, values_of_s())
        assert (by_name["gaps"].status == "found") == truth.gap, text
        assert (by_name["dead_rules"].status == "found") == bool(truth.dead), text


def test_a_gap_witness_is_a_real_patient_with_no_rule() -> None:
    text = """input a: yes/no "a"
input n: integer 0..3 "n"
fact s = (if a then 2 else 0) + n
table t "t"
  output o: one of low, high
  | s    || o    |
  | <= 1 || low  |
  | >= 3 || high |
"""
    compilation = compiled(text, verify=True)
    gaps = [d for d in compilation.diagnostics if d.code == "MD603"]
    assert len(gaps) == 1
    witness = json.loads(gaps[0].help.split("for example the patient ")[1])  # type: ignore[union-attr]
    assert (2 if witness["a"] else 0) + witness["n"] == 2


@pytest.mark.parametrize(("declaration", "why"), [
    ('input n: decimal "n"', "the decimal input `n`, whose range is not bounded"),
    ('input n: integer 0..5000 "n"', "more than 1,024 values"),
    ('input n: integer "n"', "whose range is not bounded"),
])
def test_a_number_the_verifier_cannot_enumerate_is_not_checked(declaration: str, why: str) -> None:
    text = f"""{declaration}
fact s = n * 2
table t "t"
  output o: one of low, high
  | s    || o    |
  | <= 1 || low  |
  | >= 3 || high |
"""
    compilation = compiled(text, verify=True)
    table = verify_guideline(compilation.guideline).tables[0]
    assert not table.fully_verified and all(a.status != "proved" for a in table.analyses)
    assert why in table.reason
    assert [d.code for d in compilation.diagnostics] == ["MD606"]


# ---- DMN: FEEL arithmetic out and in ------------------------------------------------------------


def test_dmn_export_writes_feel_arithmetic_and_import_reads_it_back() -> None:
    from mmdsl.backends.dmn.writer import export_dmn
    from mmdsl.frontends.dmn.importer import import_dmn

    guideline = compiled(SCORE + 'table t "t"\n  hit first\n  output o: yes/no\n'
                         '  | big || o   |\n  | yes || yes |\n  | -   || no  |\n').guideline
    exported = export_dmn(guideline, HEAD + SCORE)
    assert "<text>(if n &gt; 0 then ((w / n) + s) else (-w))</text>" in exported.text
    back = import_dmn(exported.text.encode(), "t.dmn")
    assert back.text is not None, back
    again = compile_source(Source("back.mmdsl", back.text), verify=False)
    assert again.guideline is not None, [d.message for d in again.diagnostics]
    rng = random.Random(7)
    for _ in range(100):
        facts = {"a": rng.random() < 0.5, "b": rng.random() < 0.5, "n": rng.randrange(5),
                 "w": round(rng.uniform(0.5, 3.0), 2)}
        assert interpret(again.guideline, facts)["derived"] == by_hand(facts)


# ---- facts and the scope that read a number the verifier cannot enumerate; mmdsl diff ---------


BMI_FACT = """input weight_kg: decimal 2.0..300.0 "body weight"
input height_m: decimal 0.3..2.5 "height"
input age: integer 0..120 "age"
fact bmi = weight_kg / height_m ** 2
fact obese = bmi >= 30.0
scope "adults" = age >= 18{scope}
table refer "Referral"
  hit first
  output refer: yes/no
  | obese || refer |
  | yes   || yes   |
  | -     || no    |
"""


@pytest.mark.parametrize("scope", ["", " and bmi > 10.0"])
def test_a_fact_or_scope_over_a_decimal_number_is_verified_by_classes(scope: str) -> None:
    from mmdsl.verify.coverage import fallback_coverage

    compilation = compiled(BMI_FACT.format(scope=scope), verify=True)
    assert [d.code for d in compilation.diagnostics] == []
    assert compilation.verification.tables[0].fully_verified
    fallback_coverage(compilation.guideline)  # the review document's analysis: no exception


@pytest.mark.parametrize("scope", ["", " and bmi > 10.0"])
def test_a_gap_behind_a_fact_over_a_decimal_number_has_a_checked_witness(scope: str) -> None:
    text = BMI_FACT.format(scope=scope).replace("  | -     || no    |\n", "")
    compilation = compiled(text, verify=True)
    [gap] = [d for d in compilation.diagnostics if d.code == "MD603"]
    assert [d.code for d in compilation.diagnostics] == ["MD603"]
    witness = json.loads(gap.help.split("for example the patient ")[1])  # type: ignore[union-attr]
    bmi = Fraction(repr(witness["weight_kg"])) / Fraction(repr(witness["height_m"])) ** 2
    assert bmi < 30 and witness["age"] >= 18 and (not scope or bmi > 10)


def test_mmdsl_diff_compares_two_formulas_of_a_score() -> None:
    from mmdsl.diff.behaviour import behaviour_change
    from mmdsl.diff.combine import combine
    from mmdsl.diff.statements import statement_changes

    table = ('table t "t"\n  hit first\n  output o: yes/no\n'
             '  | s    || o   |\n  | >= 2 || yes |\n  | -    || no  |\n')
    old = compiled('input a: yes/no "a"\ninput n: integer 0..3 "n"\nfact s = n + 1\n' + table)
    new = compiled('input a: yes/no "a"\ninput n: integer 0..3 "n"\nfact s = n\n' + table)
    combined = combine(old.guideline, new.guideline)
    assert {c.name for c in combined.guideline.computed} == {"old:s", "new:s"}
    changes = statement_changes(old.guideline, new.guideline)
    assert any(c.kind == "changed" and "fact s" in f"{c.what} {c.detail}" for c in changes), changes
    behaviour = behaviour_change(old.guideline, new.guideline)
    assert behaviour.unchecked is None and behaviour.changed
    [change] = behaviour.changes  # n = 1: s was 2 (yes), is 1 (no); nobody else changes
    assert change.witness["n"] == 1 and (change.before, change.after) != ({}, {})
