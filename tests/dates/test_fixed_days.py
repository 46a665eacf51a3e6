"""Fixed calendar days in the cells of date inputs (issue 18, item 1): `>= 2019-09-01`,
`< 2020-01-01`, `2019-01-01..2019-12-31`, `[2020-03-01..2021-01-01[`, `not` forms, through the
whole pipeline: the syntax, the checks, the interpreter, the generated module and DuckDB on random
patients, the verifier against brute force over every day of a small span, the review
document's words, and the DMN export and import."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.synthetic import write_jsonl, write_parquet
from mmdsl.interpreter import evaluate as interpret
from mmdsl.interpreter import holds
from mmdsl.ir import model as ir
from mmdsl.ir.verbalize import describe, vocabulary_of
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module
from mmdsl.verify.report import verify_guideline
from tests.backend.support import compile_text, load_module, write_module
from tests.cohort.support import ROOT, disagreements, patients, rows_of

GUIDELINE = (ROOT / "tests" / "fixtures" / "backend" / "fixed_days.mmdsl").read_text("utf-8")


def by_hand(day: date, eligible: bool) -> str:
    if day < date(2019, 9, 1):
        return "vrd"
    if date(2020, 3, 1) <= day < date(2021, 1, 1):
        return "dara_rd"
    return "dara_vrd" if eligible else "dara_rd"


def random_facts(rng: random.Random) -> dict[str, Any]:
    around = rng.choice([date(2019, 9, 1), date(2020, 3, 1), date(2021, 1, 1)])
    day = around + timedelta(days=rng.randrange(-400, 400))
    return {"diagnosis_date": day.isoformat(), "transplant_eligible": rng.random() < 0.5}


# ---- syntax and checks ------------------------------------------------------------------------


def test_fixed_days_parse_as_comparisons_and_ranges_of_dates() -> None:
    module, problems = parse_module(Source("f.mmdsl", GUIDELINE))
    assert problems == []
    table = next(s for s in module.statements if isinstance(s, ast.TableDecl))
    before, pandemic, eligible = (table.rows[i].cells[1].test for i in range(3))
    assert isinstance(before, ast.CompareTest) and before.op == "<"
    assert isinstance(before.value, ast.DateValue) and before.value.text == "2019-09-01"
    assert isinstance(pandemic, ast.RangeTest) and pandemic.low_closed and not pandemic.high_closed
    assert isinstance(pandemic.low, ast.DateValue) and isinstance(pandemic.high, ast.DateValue)
    assert isinstance(eligible, ast.NotTest) and len(eligible.tests) == 2


def codes(cell: str) -> list[tuple[str, str, int]]:
    """(code, message, column) of each diagnostic of a one-rule table with `cell`."""
    text = ('guideline g "G"\ninput d: date "d"\ninput n: integer 0..10 "n"\n'
            "table t\n  hit first\n  output ok: yes/no\n  | d | n || ok |\n"
            f"  | {cell} || no |\n  | - | - || yes |\n")
    found = compile_source(Source("t.mmdsl", text)).diagnostics
    return [(d.code, d.message, d.span.column) for d in found if d.code != "MD612"]


@pytest.mark.parametrize(("cell", "code", "message"), [
    ("< 2019-02-30 | -", "MD313", "`2019-02-30` is not a date that exists"),
    ("2019-01-01..2019-13-01 | -", "MD313", "`2019-13-01` is not a date that exists"),
    ("not 2019-04-31 | -", "MD313", "`2019-04-31` is not a date that exists"),
    ("2019-12-31..2019-01-01 | -", "MD303", "contains no day"),
    ("]2019-01-01..2019-01-01] | -", "MD303", "contains no day"),
    ("< 60 days | -", "MD311", "tested here with something other than a calendar day"),
    ("- | >= 2019-09-01", "MD300", "a test on calendar days"),
])
def test_mistakes_with_fixed_days_have_codes_and_positions(cell: str, code: str,
                                                           message: str) -> None:
    [(found, text, column)] = codes(cell)
    assert (found, message in text) == (code, True), text
    line = f"  | {cell} || no |"
    bad = message.split("`")[1] if message.startswith("`") else None
    assert column == (line.index(bad) + 1 if bad else column)


def test_the_existing_date_examples_still_refuse_a_nonexistent_day() -> None:
    text = GUIDELINE + ('\nexample e "e"\n  diagnosis_date: 2019-02-30\n  transplant_eligible: yes\n'
                        "  expect first_line.regimen: vrd\n")
    assert "MD313" in [d.code for d in compile_source(Source("t.mmdsl", text)).diagnostics]


# ---- the three evaluators agree, with a count made here ----------------------------------------


@pytest.fixture(scope="module")
def guideline() -> ir.IRGuideline:
    return compile_text(GUIDELINE)


def test_interpreter_and_module_agree_with_the_calendar(guideline: ir.IRGuideline,
                                                        tmp_path: Path) -> None:
    module = load_module(write_module(guideline, tmp_path))
    rng = random.Random(2019)
    for _ in range(2_000):
        facts = random_facts(rng)
        decision = interpret(guideline, facts)
        expected = by_hand(date.fromisoformat(facts["diagnosis_date"]),
                           facts["transplant_eligible"])
        assert decision["first_line"]["regimen"] == expected, facts
        assert decision["derived"]["early"] is (facts["diagnosis_date"] < "2019-09-01")
        assert decision == module.evaluate(facts), facts
    assert "< date(2019, 9, 1)" in write_module(guideline, tmp_path).read_text("utf-8")


def test_duckdb_decides_as_the_evaluator_on_random_patients(guideline: ir.IRGuideline,
                                                            tmp_path: Path) -> None:
    facts = [random_facts(random.Random(seed)) for seed in range(600)]
    source = tmp_path / "patients.jsonl"
    write_jsonl(guideline, {k: [f[k] for f in facts] for k in facts[0]}, source)
    report = evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert (report.decided, report.invalid_rows) == (600, 0)
    assert disagreements(guideline, facts, tmp_path / "decisions.parquet") == []


def test_synthetic_patients_fall_on_both_sides_of_each_fixed_day(guideline: ir.IRGuideline,
                                                                 tmp_path: Path) -> None:
    columns = patients(guideline, 800, seed=5)  # `mmdsl cohort --generate`: it used to crash
    days = [date.fromisoformat(d) for d in columns["diagnosis_date"]]
    for fixed in (date(2019, 9, 1), date(2020, 3, 1), date(2021, 1, 1)):
        assert any(d < fixed for d in days) and any(d >= fixed for d in days)
    source = tmp_path / "patients.parquet"
    write_parquet(guideline, columns, source)
    evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert disagreements(guideline, list(rows_of(columns)), tmp_path / "decisions.parquet") == []


# ---- the verifier, exact: brute force over every day of a small span ----------------------------

FIRST = date(2020, 1, 1)


def random_cell(rng: random.Random) -> str:
    def day(offset: int) -> str:
        return (FIRST + timedelta(days=offset)).isoformat()
    low = rng.randrange(0, 12)
    high = low + rng.randrange(2, 6)
    return rng.choice([
        "-", f"< {day(low)}", f"<= {day(low)}", f"> {day(low)}", f">= {day(low)}", day(low),
        f"!= {day(low)}", f"{day(low)}..{day(high)}", f"[{day(low)}..{day(high)}[",
        f"]{day(low)}..{day(high)}]", f"not {day(low)}..{day(high)}",
        f"{day(low)}, {day(high)}", f"not ({day(low)}, > {day(high)})",
    ])


def random_table(rng: random.Random) -> str:
    rows = "".join(f"  | r{i} | {random_cell(rng)} || o{i} |\n" for i in range(rng.randrange(2, 5)))
    outputs = ", ".join(f"o{i}" for i in range(5))
    return (f'guideline g "G"\ninput d: date "d"\ntable t\n  hit unique\n  complete\n'
            f"  output o: one of {outputs}\n  | rule | d || o |\n{rows}")


@pytest.mark.parametrize("seed", range(40))
def test_the_verifier_finds_exactly_the_gaps_overlaps_and_dead_rules_brute_force_finds(
        seed: int) -> None:
    text = random_table(random.Random(seed))
    compilation = compile_source(Source("t.mmdsl", text), verify=False)
    assert compilation.guideline is not None, text
    table = compilation.guideline.tables[0]
    span = [FIRST + timedelta(days=o) for o in range(-3, 22)]  # every class of day: the cells'
    # days are from FIRST to FIRST + 17, so each day before or after those is like its neighbour
    matched = {day: [i for i, rule in enumerate(table.rules)
                     if all(holds(test, {"d": day}) for test in rule.tests)] for day in span}
    result = verify_guideline(compilation.guideline).tables[0]
    findings = {a.name: a for a in result.analyses}

    gaps = [day for day, rules in matched.items() if not rules]
    assert (findings["gaps"].status == "found") == bool(gaps), text
    for gap in findings["gaps"].findings:  # each witness is a day no rule matches
        assert gap.witness is not None
        witness = date.fromisoformat(str(gap.witness["d"]))
        assert not any(holds(rule.tests[0], {"d": witness}) for rule in table.rules), text

    dead = {i for i in range(len(table.rules)) if not any(i in m for m in matched.values())}
    found_dead = {f.rules[0] for f in findings["dead_rules"].findings}
    assert found_dead == dead, text

    overlapping = {i for m in matched.values() if len(m) >= 2 for i in m}
    named = {i for f in findings["overlaps"].findings for i in (*f.rules, *f.others)}
    assert named == overlapping, text


def test_a_witness_is_a_day_and_a_gap_is_written_as_days() -> None:
    text = ('guideline g "G"\ninput d: date "d"\ntable t\n  hit unique\n  complete\n'
            "  output o: one of a, b\n  | rule | d || o |\n"
            "  | early | < 2019-09-01 || a |\n  | late | > 2019-12-31 || b |\n")
    found = compile_source(Source("t.mmdsl", text)).diagnostics
    [gap] = [d for d in found if d.code == "MD604"]
    assert "2019-09-01..2019-12-31" in (gap.help or "")
    assert '"d": "2019-09-01"' in (gap.help or "")


def test_a_date_in_a_duration_and_against_a_fixed_day_is_not_verified_md606() -> None:
    text = ('guideline g "G"\ninput today: evaluation date "today"\ninput d: date "d"\n'
            'fact since_d "time since d" = time from d to today\n'
            "table t\n  hit first\n  output o: one of a, b\n  | rule | d | since_d || o |\n"
            "  | x | < 2019-09-01 | - || a |\n  | y | - | < 60 days || b |\n")
    found = compile_source(Source("t.mmdsl", text)).diagnostics
    [not_verified] = [d for d in found if d.code == "MD606"]
    assert "fixed calendar day" in not_verified.message
    assert "counted in a duration" in not_verified.message


# ---- review words and DMN ------------------------------------------------------------------------


def test_the_review_document_says_the_days_in_words(guideline: ir.IRGuideline) -> None:
    words = vocabulary_of(guideline)
    table = guideline.tables[0]
    said = [describe(rule.tests[0], words) for rule in table.rules]
    assert "before 1 September 2019" in said[0]
    assert "on or after 1 March 2020 but before 1 January 2021" in said[1]
    assert "on or after 1 September 2019" in said[2]
    closed = compile_text(GUIDELINE.replace("[2020-03-01..2021-01-01[", "2020-03-01..2020-12-31"))
    assert "from 1 March 2020 to 31 December 2020" in describe(
        closed.tables[0].rules[1].tests[0], vocabulary_of(closed))


def test_dmn_export_writes_date_unary_tests_and_import_reads_them_back() -> None:
    from mmdsl.backends.dmn.writer import export_dmn
    from mmdsl.frontends.dmn.importer import import_dmn

    exported = export_dmn(compile_text(GUIDELINE)).text
    assert '&lt; date("2019-09-01")' in exported
    assert '[date("2020-03-01")..date("2021-01-01"))' in exported
    assert 'diagnosis_date &lt; date("2019-09-01")' in exported  # the derived fact
    back = import_dmn(exported.encode("utf-8"), "x.dmn", "x.mmdsl")
    assert back.ok and back.text is not None, back
    assert "| < 2019-09-01 " in back.text and "| [2020-03-01..2021-01-01[ " in back.text
    assert "not (< 2019-09-01, [2020-03-01..2021-01-01[)" in back.text
    assert "diagnosis_date < 2019-09-01" in back.text
    again = compile_source(Source("x.mmdsl", back.text)).guideline
    assert again is not None
    rng = random.Random(7)
    for _ in range(300):
        facts = random_facts(rng)
        assert interpret(again, facts)["first_line"] == interpret(compile_text(GUIDELINE),
                                                                 facts)["first_line"]


@pytest.mark.parametrize(("cell", "mmdsl"), [
    ('>date("2016-10-01")', "> 2016-10-01"),
    ('@"2016-10-01"', "2016-10-01"),
    ('[date("2016-01-01")..date("2016-12-31")]', "2016-01-01..2016-12-31"),
    ('(date("2016-01-01")..date("2016-12-31")]', "]2016-01-01..2016-12-31]"),
    ('not(date("2016-01-01"), >= date("2017-01-01"))', "not (2016-01-01, >= 2017-01-01)"),
])
def test_dmn_date_unary_tests_import_as_fixed_days(cell: str, mmdsl: str) -> None:
    from mmdsl.frontends.dmn import feel
    from mmdsl.frontends.dmn.cells import Column, cell_text
    from mmdsl.frontends.dmn.types import ValueType

    tests = feel.parse_unary_tests(cell, days=True)
    assert cell_text(tests, Column(ValueType("date"))) == mmdsl


@pytest.mark.parametrize(("cell", "why"), [
    ('< date("2016-02-30")', "is not a calendar day that exists"),
    ("< 5", "compares a date with a number"),
])
def test_dmn_date_cells_refuse_what_is_no_day(cell: str, why: str) -> None:
    from mmdsl.frontends.dmn import feel
    from mmdsl.frontends.dmn.cells import CellProblem, Column, cell_text
    from mmdsl.frontends.dmn.types import ValueType

    with pytest.raises((feel.FeelError, CellProblem)) as raised:
        cell_text(feel.parse_unary_tests(cell, days=True), Column(ValueType("date")))
    assert why in str(raised.value)
