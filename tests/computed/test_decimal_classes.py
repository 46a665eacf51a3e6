"""Decimal computed numbers verified by classes of values (issue 18, item 2): the verifier's gaps,
overlaps and dead rules over `a + b`, `a / b`, `(if flag then a else 2 * a) - b` ... equal those
found by running the interpreter on every patient of a fine grid; every finding's witness is a
patient who has it; what cannot be decided is not verified (MD606), never covered."""

from __future__ import annotations

import itertools
import json
import random
from fractions import Fraction
from typing import Any

import pytest

from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.verify.realise import Interval, Question, Unknown, realise
from mmdsl.verify.report import verify_guideline
from tests.computed.brute import grid, table_truth

HEAD = 'guideline g "decimal classes"\n'
INPUTS = """input a: decimal 0.0..2.0 "a"
input b: decimal 1.0..2.0 "b"
input flag: yes/no "flag"
"""
FACTS = {"a + b": (1, 4), "a * b": (0, 4), "a / b": (0, 2), "(if flag then a else 2 * a) - b": (-2, 3),
         "b - a / 2": (0, 2), "(if a >= 1.0 then a * b else a) + 0.5": (0.5, 4.5)}  # with their range
# every patient of a grid fine enough that each class the cells below make has a patient on it
PATIENTS = [{"a": a, "b": b, "flag": flag} for a, b, flag in
            itertools.product(grid("0.0", "2.0", "0.05"), grid("1.0", "2.0", "0.05"), [True, False])]


def compiled(text: str, *, verify: bool = False) -> Any:
    return compile_source(Source("t.mmdsl", HEAD + text), verify=verify)


def codes(compilation: Any) -> list[str]:
    return [d.code for d in compilation.diagnostics if d.code != "MD408"]  # inputs not read


def random_table(rng: random.Random) -> str:
    """A table over a decimal fact, and sometimes over `a` and `flag` themselves."""
    fact = rng.choice(sorted(FACTS))
    with_a, with_flag = rng.random() < 0.4, rng.random() < 0.3
    low, high = FACTS[fact]
    thresholds = [str(v / 2) for v in range(int(low * 2), int(high * 2) + 1)]
    rows = []
    for i in range(rng.randrange(1, 6)):
        cells = [f"{rng.choice(['>=', '<=', '<', '>', '=', '!='])} {rng.choice(thresholds)}"
                 if rng.random() < 0.9 else "-"]
        cells += [rng.choice(["< 1.0", ">= 1.0", "-", "> 0.5"])] if with_a else []
        cells += [rng.choice(["yes", "no", "-"])] if with_flag or "flag" in fact else []
        rows.append(f"  | {' | '.join(cells)} || r{i} |")
    header = ["f"] + (["a"] if with_a else []) + (["flag"] if with_flag or "flag" in fact else [])
    outputs = ", ".join(f"r{i}" for i in range(len(rows)))
    return (f"{INPUTS}fact f = {fact}\ntable t \"t\"\n  hit unique\n  output o: one of {outputs}\n"
            f"  | {' | '.join(header)} || o |\n" + "\n".join(rows) + "\n")


def test_the_verifier_is_exact_on_decimal_facts_against_brute_force() -> None:
    rng = random.Random(1818)
    checked = 0
    for _ in range(40):
        text = random_table(rng)
        compilation = compiled(text)
        assert compilation.guideline is not None, [d.message for d in compilation.diagnostics]
        table = verify_guideline(compilation.guideline).tables[0]
        assert table.fully_verified, (text, table.reason)
        by_name = {a.name: a for a in table.analyses}
        truth = table_truth(compilation.guideline, "t", PATIENTS)
        assert (by_name["gaps"].status == "found") == truth.gap, text
        assert {f.rules[0] for f in by_name["dead_rules"].findings} == truth.dead, text
        assert {frozenset(f.rules) for f in by_name["overlaps"].findings} == truth.groups, text
        for finding in by_name["gaps"].findings:  # the witnesses: patients who have the gap
            for patient in [finding.witness, *finding.extra["witnesses"]]:  # type: ignore[misc]
                assert table_truth(compilation.guideline, "t", [patient]).gap, (text, patient)
        for finding in by_name["overlaps"].findings:
            pair = finding.extra["pair"]
            assert pair in table_truth(compilation.guideline, "t", [finding.witness]).overlaps, text
        checked += 1
    assert checked == 40


def test_a_value_reached_exactly_at_a_boundary_is_an_overlap_with_its_witness() -> None:
    text = ('input weight_kg: decimal 2.0..300.0 "w"\ninput height_m: decimal 0.3..2.5 "h"\n'
            "fact bmi = weight_kg / (height_m * height_m)\n"
            'table t "t"\n  hit unique\n  output o: one of low, high\n'
            "  | bmi      || o    |\n  | <= 30.0  || low  |\n  | >= 30.0  || high |\n")
    compilation = compiled(text, verify=True)
    assert [d.code for d in compilation.diagnostics] == ["MD602"]
    witness = json.loads(compilation.diagnostics[0].help.split("for example the patient ")[1]
                         .split("; make")[0])
    assert witness["weight_kg"] / witness["height_m"] ** 2 == pytest.approx(30.0)
    truth = table_truth(compiled(text).guideline, "t", [witness])
    assert truth.overlaps == {(0, 1)}


def test_a_class_reached_by_no_patient_makes_a_dead_rule() -> None:
    text = (INPUTS + "fact f = a / b\n"  # at most 2.0
            'table t "t"\n  hit first\n  output o: one of low, high\n'
            "  | f      || o    |\n  | > 2.0  || high |\n  | -      || low  |\n")
    compilation = compiled(text, verify=True)
    assert codes(compilation) == ["MD600"]


def test_a_value_reached_only_at_an_irrational_point_is_not_verified() -> None:
    text = (INPUTS + "fact f = a * a\n"  # = 2.0 only where a is the square root of 2
            'table t "t"\n  hit unique\n  output o: one of two, more\n'
            "  | f      || o    |\n  | = 2.0  || two  |\n  | >= 1.5 || more |\n")
    compilation = compiled(text, verify=True)
    assert codes(compilation) == ["MD606"]
    assert "`f`" in compilation.diagnostics[-1].message
    table = compilation.verification.tables[0]
    assert (not table.fully_verified and table.analyses[-1].status == "not_checked") or any(
        a.status == "not_checked" for a in table.analyses)


def test_two_decimal_facts_over_the_same_input_are_not_verified() -> None:
    text = (INPUTS + "fact f = a + b\nfact g = a * 2\n"
            'table t "t"\n  hit first\n  output o: one of x, y\n'
            "  | f      | g     || o |\n  | >= 1.0 | < 1.0 || x |\n  | -      | -     || y |\n")
    compilation = compiled(text, verify=True)
    assert codes(compilation) == ["MD606"]
    assert "reads too" in compilation.diagnostics[-1].message


@pytest.mark.parametrize(("expr", "wanted", "reached"), [
    (("/", ("var", "w"), ("*", ("var", "h"), ("var", "h"))), Interval(30, 30), True),
    (("*", ("var", "h"), ("var", "h")), Interval(7, None), False),  # at most 6.25
    (("-", ("var", "h"), ("var", "h")), Interval(0, 0, False, False), True),
    (("-", ("var", "h"), ("var", "h")), Interval(Fraction("0.5"), None, True), False),  # by halving
])
def test_realise_decides_exactly(expr: Any, wanted: Interval, reached: bool) -> None:
    box = {"w": Interval(Fraction(2), Fraction(300)), "h": Interval(Fraction("0.3"), Fraction("2.5"))}
    box = {n: i for n, i in box.items() if n in str(expr)}
    try:
        point = realise(Question(expr, box, wanted))
    except Unknown:
        pytest.fail("undecided")
    assert (point is not None) == reached


def test_a_gap_of_one_value_is_described_by_the_fact_s_value() -> None:
    text = ('input weight_kg: decimal 2.0..300.0 "w"\ninput height_m: decimal 0.3..2.5 "h"\n'
            "fact bmi = weight_kg / (height_m * height_m)\n"
            'table t "t"\n  hit unique\n  output o: one of a, b, c\n'
            "  | bmi          || o |\n  | < 25.0       || a |\n  | ]25.0..30.0[ || b |\n"
            "  | >= 30.0      || c |\n")
    [gap] = compiled(text, verify=True).diagnostics
    assert gap.code == "MD603"
    assert "not covered: bmi 25; a row like `| 25 || ? |` would close it" in (gap.help or "")
