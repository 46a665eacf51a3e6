"""Powers with negative and computed whole exponents (`(1 + rate) ** -months`, `2 ** n`): exact
in the interpreter, the module and the verifier; in words in the review; written as FEEL and read
back; refused by the SQL back end with its reason (it writes powers as products)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir.verbalize import describe_number, vocabulary_of
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.verify.report import verify_guideline
from tests.backend.support import load_module, write_module
from tests.computed.brute import cells_truth

HEAD = 'guideline powers "Powers"\n'
LOAN = """input principal: integer 1000..1000000 "principal"
input rate_pct: integer 1..20 "yearly rate in percent"
input months: integer 1..360 "term in months"
input n: integer -3..4 "n"
fact monthly_rate = rate_pct / 1200
fact payment = principal * monthly_rate / (1 - (1 + monthly_rate) ** -months)
fact tiny = 10 ** -5
fact halves = (rate_pct + 1) ** n
table t "t"
  hit first
  output o: yes/no
  | payment | tiny | halves || o   |
  | >= 5000 | -    | -      || yes |
  | -       | -    | -      || no  |
"""


def compiled(text: str, *, verify: bool = False) -> Any:
    return compile_source(Source("t.mmdsl", HEAD + text), verify=verify)


def by_hand(facts: dict[str, Any]) -> dict[str, Any]:
    rate = Fraction(facts["rate_pct"], 1200)
    payment = facts["principal"] * rate / (1 - (1 + rate) ** -facts["months"])
    return {"monthly_rate": float(rate), "payment": float(payment), "tiny": 1e-05,
            "halves": float(Fraction(facts["rate_pct"] + 1) ** facts["n"])}


def random_loan(rng: random.Random) -> dict[str, Any]:
    return {"principal": rng.randrange(1000, 1000001), "rate_pct": rng.randrange(1, 21),
            "months": rng.randrange(1, 361), "n": rng.randrange(-3, 5)}


def test_the_interpreter_and_the_module_compute_powers_exactly(tmp_path: Path) -> None:
    compilation = compiled(LOAN)
    assert compilation.guideline is not None, [d.message for d in compilation.diagnostics]
    module = load_module(write_module(compilation.guideline, tmp_path))
    rng = random.Random(18)
    for _ in range(200):
        facts = random_loan(rng)
        expected = by_hand(facts)
        derived = interpret(compilation.guideline, facts)["derived"]
        assert {k: derived[k] for k in expected} == expected, facts
        derived = module.evaluate(facts)["derived"]
        assert {k: derived[k] for k in expected} == expected, facts
    # the textbook figure: 600,000 at 3% over 30 years
    loan = {"principal": 600000, "rate_pct": 3, "months": 360, "n": 0}
    assert round(interpret(compilation.guideline, loan)["derived"]["payment"], 2) == 2529.62


def power_table(rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """A random table over `2 ** n - (if a then 1 else 0)` for n in -2..3."""
    cells = [(rng.choice([">=", "<=", "<", ">", "=", "!="]), rng.choice(["-0.75", "0", "0.25", "1",
                                                                          "3", "7", "8"]))
             for _ in range(rng.randrange(1, 5))]
    rows = "\n".join(f"  | {op} {value} || r{i} |" for i, (op, value) in enumerate(cells))
    text = f"""input a: yes/no "a"
input n: integer -2..3 "n"
fact s = 2 ** n - (if a then 1 else 0)
table t "t"
  hit collect
  output o: one of {", ".join(f"r{i}" for i in range(len(cells)))}
  | s || o |
{rows}
"""
    return text, cells


def values_of_s() -> list[Fraction]:
    return [Fraction(2) ** n - (1 if a else 0)
            for a, n in itertools.product([True, False], range(-2, 4))]


def test_the_verifier_is_exact_over_a_computed_exponent_against_brute_force() -> None:
    rng = random.Random(1803)
    for _ in range(40):
        text, cells = power_table(rng)
        compilation = compiled(text)
        assert compilation.guideline is not None, text
        table = verify_guideline(compilation.guideline).tables[0]
        assert table.fully_verified, text
        by_name = {a.name: a for a in table.analyses}
        truth = cells_truth(cells, values_of_s())
        assert (by_name["gaps"].status == "found") == truth.gap, text
        assert (by_name["dead_rules"].status == "found") == bool(truth.dead), text


@pytest.mark.parametrize(("fact", "message"), [
    ("w ** w", "the exponent `w` is a decimal"),
    ("w ** -u", "the exponent `u` has no bounded range"),
    ("w ** (k * 10)", "the exponent can be -1000..2000"),
    ("w ** 0.5", "the exponent is a decimal"),
    ("w ** (k * 5)", "the power can be as large as about 10^1000"),  # beyond a float
])
def test_an_exponent_mmdsl_cannot_compute_exactly_says_why(fact: str, message: str) -> None:
    text = ('input w: decimal 1.0..10.0 "w"\ninput u: integer "u"\ninput k: integer -100..200 "k"\n'
            f"fact x = {fact}\n")
    problems = [d for d in compiled(text).diagnostics if d.code == "MD319"]
    assert len(problems) == 1 and message in problems[0].message, problems


def test_a_negative_power_of_a_base_that_can_be_zero_is_md318() -> None:
    text = 'input h: integer 0..3 "h"\nfact x = h ** -2\n'
    problems = [d for d in compiled(text).diagnostics if d.code == "MD318"]
    assert len(problems) == 1 and "negative power" in problems[0].message


def test_the_review_says_a_power_in_words() -> None:
    guideline = compiled(LOAN).guideline
    words = vocabulary_of(guideline)
    facts = {f.name: f for f in guideline.computed}
    assert "(1 plus “monthly_rate”) to the power (minus “term in months”)" in describe_number(
        facts["payment"].expr, words)
    assert describe_number(facts["halves"].expr, words).endswith("to the power “n”")
    assert describe_number(facts["tiny"].expr, words) == "10 to the power -5"


def test_sql_refuses_a_computed_exponent_with_its_reason() -> None:
    from mmdsl.backends.sql import SqlUnsupported, render_sql

    text = 'input n: integer 0..4 "n"\nfact x = 2 ** n\nfact y = n ** 2\n' \
           'table t "t"\n  hit first\n  output o: yes/no\n  | x   | y || o   |\n' \
           '  | >= 4 | - || yes |\n  | -   | - || no  |\n'
    guideline = compiled(text).guideline
    with pytest.raises(SqlUnsupported, match="exponent is computed"):
        render_sql(guideline)


def test_dmn_export_writes_the_powers_and_import_reads_them_back() -> None:
    from mmdsl.backends.dmn.writer import export_dmn
    from mmdsl.frontends.dmn.importer import import_dmn

    guideline = compiled(LOAN).guideline
    exported = export_dmn(guideline, HEAD + LOAN)
    assert "<text>(10 ** (-5))</text>" in exported.text
    assert "((1 + monthly_rate) ** (-months))" in exported.text
    back = import_dmn(exported.text.encode(), "t.dmn")
    assert back.text is not None, back
    again = compile_source(Source("back.mmdsl", back.text), verify=False)
    assert again.guideline is not None, [d.message for d in again.diagnostics]
    rng = random.Random(8)
    for _ in range(50):
        facts = random_loan(rng)
        expected = by_hand(facts)
        derived = interpret(again.guideline, facts)["derived"]
        assert {k: derived[k] for k in expected} == expected
