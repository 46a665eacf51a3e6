"""Decimal numeric facts in the cohort's SQL decide exactly as the Python module (issue 18): a
differential test of DuckDB against the module on boundary patients (values exactly at the
thresholds, tiny decimals, the largest values, more decimals than the query reads), the worked
example examples/bmi_referral.mmdsl, and the refusals (a fact that could leave 38 digits)."""

from __future__ import annotations

import os
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from mmdsl.backends.sql import SqlUnsupported, render_sql
from mmdsl.cohort.engine import evaluate_cohort
from tests.cohort.support import (
    ROOT,
    decisions,
    disagreements,
    lowered,
    lowered_text,
    pa,
    pq,
    write_csv,
    write_jsonl,
)

EXAMPLE = ROOT / "examples" / "bmi_referral.mmdsl"

SHAPES = """guideline shapes "Arithmetic of every shape"
input a: decimal -5.0..5.0 "a"
input b: decimal 0.5..4.0 "b"
input n: integer -3..9 "n"
input flag: yes/no "flag"
fact sum = a + 0.1 + 0.2
fact ratio = if a != 0.0 then n / a else 0.0
fact mixed = (a - b) * n / b ** 2 + (if flag then 0.125 else -1.5)
fact chained = -mixed / 3 + sum
fact small = sum >= 0.3
table t "t"
  hit collect
  output o: one of s, r, m, c, q
  | rule | sum  | ratio     | mixed      | chained   || o |
  |------|------|-----------|------------|-----------||---|
  | r1   | 0.3  | -         | -          | -         || s |
  | r2   | -    | <= -1.8   | -          | -         || r |
  | r3   | -    | -         | 0.25..2.75 | -         || m |
  | r4   | -    | -         | -          | != 0.1    || c |
  | r5   | > 0.3 | > 0.0    | < -0.375   | -         || q |
note n1 on t: "decimals"
"""


def run(guideline: Any, rows: list[dict[str, Any]], tmp_path: Path) -> tuple[Any, list[dict[str, Any]]]:
    """Decide `rows` in DuckDB; the report and the patients the query decided."""
    columns = {name: [row.get(name) for row in rows] for name in rows[0]}
    kinds = {i.name: i.type.kind for i in guideline.inputs}
    arrow = {"decimal": pa.float64(), "integer": pa.int64(), "bool": pa.bool_()}
    table = pa.table({name: pa.array(values, arrow[kinds[name]]) for name, values in columns.items()})
    pq.write_table(table, tmp_path / "patients.parquet")
    report = evaluate_cohort(guideline, tmp_path / "patients.parquet", tmp_path / "out.parquet",
                             threads=2)
    refused = {problem.row for problem in report.problems}
    return report, [row for number, row in enumerate(rows, start=1) if number not in refused]


def decimals(value: float) -> int:
    """The decimal places of a value's shortest spelling, as the module reads it."""
    exact = Fraction(repr(value))
    places = 0
    while exact.denominator != 1:
        exact, places = exact * 10, places + 1
    return places


def bmi_patients() -> list[dict[str, Any]]:
    boundary = [(76.8, 1.6), (76.7, 1.6), (64.0, 1.6), (63.99, 1.6), (76.800001, 1.6),
                (76.799999, 1.6), (2.0, 2.5), (300.0, 0.3), (300.0, 2.5), (2.0, 0.3),
                (0.1 + 0.2 + 30, 1.0), (30.000001, 1.0), (29.999999, 1.0), (25.000001, 1.0),
                (7.5, 0.5), (120.0, 2.0), (0.3 + 2, 1.0), (100.0, 1.0000001)]
    rows = [{"weight_kg": w, "height_m": h, "diabetes": d} for w, h in boundary for d in (True, False)]
    rnd = random.Random(18)
    for _ in range(1500):
        weight = round(rnd.uniform(2.0, 300.0), rnd.randint(0, 8))
        height = round(rnd.uniform(0.3, 2.5), rnd.randint(0, 8))
        if rnd.random() < 0.2:  # near the thresholds: bmi * height² for a random height
            height = round(rnd.uniform(1.0, 2.2), rnd.randint(1, 3))
            weight = float(Fraction(rnd.choice([25, 30])) * Fraction(repr(height)) ** 2)
        rows.append({"weight_kg": min(max(weight, 2.0), 300.0),
                     "height_m": min(max(height, 0.3), 2.5), "diabetes": rnd.random() < 0.5})
    return rows


def test_the_bmi_example_decides_in_duckdb_as_the_module(tmp_path: Path) -> None:
    guideline = lowered(EXAMPLE)
    rows = bmi_patients()
    report, decided = run(guideline, rows, tmp_path)
    assert disagreements(guideline, decided, tmp_path / "out.parquet") == []
    # The query reads 6 decimal places; a value with more is refused with its reason, never rounded.
    more = [n for n, row in enumerate(rows, start=1)
            if decimals(row["weight_kg"]) > 6 or decimals(row["height_m"]) > 6]
    assert sorted({p.row for p in report.problems}) == more and more
    assert all("more than 6 decimal places" in p.message for p in report.problems)
    assert report.decided == len(rows) - len(more) > 1000


def test_the_boundary_is_exact(tmp_path: Path) -> None:
    guideline = lowered(EXAMPLE)
    rows = [{"weight_kg": 76.8, "height_m": 1.6, "diabetes": False},  # 30 exactly
            {"weight_kg": 64.0, "height_m": 1.6, "diabetes": True},  # 25 exactly
            {"weight_kg": 76.799999, "height_m": 1.6, "diabetes": False}]
    run(guideline, rows, tmp_path)
    decided, tables = decisions(tmp_path / "out.parquet")
    advice = [tables["referral"]["rules"][row["referral"]]["outputs"]["advice"] for row in decided]
    assert advice == ["refer", "discuss", "no_referral"]
    assert [row["derived"]["bmi"] for row in decided[:2]] == [30.0, 25.0]
    assert decided[0]["derived"]["obese"] is True and decided[2]["derived"]["obese"] is False


def shape_patients() -> list[dict[str, Any]]:
    rnd = random.Random(5)
    edges = [-5.0, -0.1, 0.0, 0.1, 0.2, 0.3 - 0.1 - 0.2, 1.0, 2.5, 5.0]
    rows = [{"a": a, "b": b, "n": n, "flag": f} for a in edges for b in (0.5, 1.5, 4.0)
            for n in (-3, 0, 9) for f in (True, False)]
    rows += [{"a": round(rnd.uniform(-5, 5), rnd.randint(0, 5)),
              "b": round(rnd.uniform(0.5, 4), rnd.randint(0, 5)), "n": rnd.randint(-3, 9),
              "flag": rnd.random() < 0.5} for _ in range(1500)]
    return rows


def test_every_shape_of_arithmetic_decides_as_the_module(tmp_path: Path) -> None:
    guideline = lowered_text(SHAPES)
    report, decided = run(guideline, shape_patients(), tmp_path)
    assert disagreements(guideline, decided, tmp_path / "out.parquet") == []
    assert report.decided > 1000
    results, _ = decisions(tmp_path / "out.parquet")
    hit = {p for row in results for p in range(5) if row["t"] >> p & 1}
    assert hit == set(range(5)), "every rule matched some patient"


def test_a_fact_that_could_leave_38_digits_is_refused_with_its_reason() -> None:
    text = ('guideline big "big"\ninput x: decimal 0.001..1000000.0 "x"\n'
            'fact huge = x ** 10 / (x ** 9 + 1)\n'
            'table t "t"\n  hit first\n  output o: yes/no\n'
            '  | huge   || o   |\n  | >= 1.0 || yes |\n  | -      || no  |\n'
            'note n on t: "decimal"\n')
    with pytest.raises(SqlUnsupported, match="`huge` could exceed 38 digits"):
        render_sql(lowered_text(text))


def test_sql_of_whole_number_facts_is_unchanged() -> None:
    """No guard, no ratio columns for a guideline without a decimal fact (the benchmark's SQL)."""
    query = render_sql(lowered(ROOT / "examples" / "cha2ds2_vasc_score.mmdsl"))
    assert " AS _xg" not in query and "_f0n" not in query


# ---- random arithmetic: the module and DuckDB on random facts, thresholds hit exactly ----------


RANDOM_INPUTS = ('input a: decimal -5.0..5.0 "a"\ninput b: decimal 0.5..4.0 "b"\n'
                 'input n: integer -3..9 "n"\n')
CONSTANTS = ["0.1", "0.2", "0.3", "2.5", "3", "0.125", "7", "1.05"]


def random_expression(rnd: random.Random, depth: int) -> tuple[str, Any]:
    """(text, exact evaluator) of a random arithmetic over a, b, n; divisors never 0."""
    if depth == 0 or rnd.random() < 0.25:
        choice = rnd.choice(["a", "b", "n", "constant"])
        if choice == "constant":
            text = rnd.choice(CONSTANTS)
            return text, lambda p, v=Fraction(text): v
        return choice, lambda p, name=choice: p[name]
    kind = rnd.choice(["+", "-", "*", "/", "**", "neg", "if"])
    left, left_value = random_expression(rnd, depth - 1)
    if kind == "/":  # by b (0.5..4.0) or a positive constant: never 0, as MD318 wants
        right, right_value = rnd.choice([("b", lambda p: p["b"]),
                                         ("1.05", lambda p: Fraction("1.05"))])
        return f"({left}) / {right}", lambda p: left_value(p) / right_value(p)
    if kind == "**":
        power = rnd.choice([2, 3])
        return f"({left}) ** {power}", lambda p: left_value(p) ** power
    if kind == "neg":
        return f"-({left})", lambda p: -left_value(p)
    right, right_value = random_expression(rnd, depth - 1)
    if kind == "if":
        return (f"(if a >= 0.5 then ({left}) else ({right}))",
                lambda p: left_value(p) if p["a"] >= Fraction("0.5") else right_value(p))
    operations = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y}
    return (f"({left}) {kind} ({right})",
            lambda p: operations[kind](left_value(p), right_value(p)))


def random_patients(rnd: random.Random, count: int) -> list[dict[str, Any]]:
    edges = [{"a": a, "b": b, "n": n} for a in (-5.0, 0.0, 0.5, 5.0) for b in (0.5, 4.0)
             for n in (-3, 0, 9)]
    return edges + [{"a": round(rnd.uniform(-5, 5), rnd.randint(0, 3)),
                     "b": round(rnd.uniform(0.5, 4), rnd.randint(0, 3)),
                     "n": rnd.randint(-3, 9)} for _ in range(count)]


def short_decimal(value: Fraction) -> str | None:
    """The value as decimal text when it has at most 9 decimal places and 15 digits."""
    for places in range(10):
        scaled = value * 10 ** places
        if scaled.denominator == 1:
            digits = str(abs(scaled.numerator))
            if len(digits) > 15:
                return None
            text = f"{'-' if scaled < 0 else ''}{digits.rjust(places + 1, '0')}"
            return text[:len(text) - places] + "." + (text[len(text) - places:] or "0")
    return None


# `MMDSL_EXACT_GUIDELINES=360 MMDSL_EXACT_DEPTH=4 pytest -k random -s` runs a longer search.
GUIDELINES = int(os.environ.get("MMDSL_EXACT_GUIDELINES", "40"))
DEPTH = int(os.environ.get("MMDSL_EXACT_DEPTH", "3"))
SEED = int(os.environ.get("MMDSL_EXACT_SEED", "1818"))


def random_guideline(rnd: random.Random, number: int, depth: int = DEPTH
                     ) -> tuple[str, list[dict[str, Any]]] | None:
    """A random decimal fact `f` (read by a fact `g` and a yes/no fact `h`) and a table over it
    whose thresholds some of the patients meet exactly; the text and the patients (None when no
    patient's value is a short decimal)."""
    text, value = random_expression(rnd, depth)
    text = f"{text} + 0 * a + 0 * b + 0 * n"  # every input read, and the fact a decimal
    rows = random_patients(rnd, 150)
    exact = [value({"a": Fraction(repr(r["a"])), "b": Fraction(repr(r["b"])), "n": r["n"]})
             for r in rows]
    hit = sorted({t for t in (short_decimal(v) for v in exact) if t is not None},
                 key=lambda t: Fraction(t))  # thresholds that patients meet exactly
    if not hit:  # no value is a short decimal (a division by 1.05 everywhere)
        return None
    low, middle, high = hit[0], hit[len(hit) // 2], hit[-1]
    return (f'guideline r{number} "random"\n{RANDOM_INPUTS}fact f = {text}\n'
            f'fact g = if f >= {middle} then f * b - 0.5 else -f / b\n'  # a fact that reads one
            f'fact h = f != {low}\n'
            f'table t "t"\n  hit collect\n  output o: integer\n  | f || o |\n'
            f'  | >= {middle} || 1 |\n  | {middle} || 2 |\n  | < {low} || 3 |\n'
            f'  | <= {low} || 4 |\n  | != {high} || 5 |\n  | > {high} || 6 |\n'
            f'note n on t: "decimal"\n'), rows


def test_random_arithmetic_decides_as_the_module(tmp_path: Path) -> None:
    rnd = random.Random(SEED)
    decided = refused_queries = 0
    for number in range(GUIDELINES):
        made = random_guideline(rnd, number)
        if made is None:
            continue
        guideline = lowered_text(made[0])
        try:
            render_sql(guideline)
        except SqlUnsupported as error:
            assert "could exceed 38 digits" in str(error) or "2**53" in str(error), error
            refused_queries += 1
            continue
        folder = tmp_path / str(number)
        folder.mkdir()
        report, kept = run(guideline, made[1], folder)
        assert disagreements(guideline, kept, folder / "out.parquet") == [], made[0]
        decided += report.decided
    print("random arithmetic:", refused_queries, "queries refused,", decided, "patients decided")
    assert refused_queries <= GUIDELINES // 3 and decided > 50 * GUIDELINES, (refused_queries, decided)


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_csv_and_json_lines_decide_decimal_facts_as_the_module(tmp_path: Path, kind: str) -> None:
    guideline = lowered(EXAMPLE)
    rows = bmi_patients()[:300]
    if kind == "csv":  # numbers as JSON writes them (repr), yes/no as true/false
        source = write_csv(["weight_kg", "height_m", "diabetes"],
                           [[repr(r["weight_kg"]), repr(r["height_m"]), str(r["diabetes"]).lower()]
                            for r in rows], tmp_path / "patients.csv")
    else:
        source = write_jsonl(list(rows), tmp_path / "patients.jsonl")
    report = evaluate_cohort(guideline, source, tmp_path / "out.parquet", threads=2)
    refused = {problem.row for problem in report.problems}
    kept = [row for number, row in enumerate(rows, start=1) if number not in refused]
    assert refused and len(kept) > 150
    assert disagreements(guideline, kept, tmp_path / "out.parquet") == []


def test_a_default_is_read_with_all_its_decimals(tmp_path: Path) -> None:
    """The decimal places read are at least the default's: a patient who leaves the input out
    is decided; where that many decimals cannot stay exact (`w * w`: 7 decimals would reach
    2**53), the query is refused, rather than every such patient."""
    def guideline(fact: str) -> Any:
        return lowered_text('guideline d "d"\ninput w: decimal 2.0..300.0 default 70.1234567 "w"\n'
                            f'fact f = {fact}\ntable t "t"\n  hit first\n  output o: yes/no\n'
                            '  | f       || o   |\n  | >= 140.0 || yes |\n'
                            '  | -       || no  |\nnote n on t: "decimal"\n')

    with pytest.raises(SqlUnsupported, match="2\\*\\*53"):
        render_sql(guideline("w * w"))
    doubled = guideline("w * 2")
    rows: list[dict[str, Any]] = [{}, {"w": 70.0}, {"w": 70.12345}]
    report = evaluate_cohort(doubled, write_jsonl(list(rows), tmp_path / "p.jsonl"),
                             tmp_path / "out.parquet", threads=2)
    assert report.problems == [] and report.decided == 3
    assert disagreements(doubled, rows, tmp_path / "out.parquet") == []
    decided, _ = decisions(tmp_path / "out.parquet")
    assert [row["t"] for row in decided] == [0, 0, 0]
