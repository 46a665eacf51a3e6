"""Authored text reaches SQL only through `string_literal`, names only through `identifier`: a
hostile string in any authored place is data in the result, never SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlglot

from mmdsl.backends.sql import SqlUnsupported, identifier, render_sql, string_literal, transpiled
from mmdsl.cohort.engine import evaluate_cohort
from tests.cohort.support import disagreements, lowered_text, write_jsonl

HOSTILE = [
    "it's", 'say "hi"', "back\\slash", "line\nbreak", "tab\there", "-- comment", "/* open",
    "close */", "'; DROP TABLE patients; --", "ünïcødé ✓", "\\'", "\u2028", "{}[]", "a\u0000b",
]


# DuckDB's VARCHAR cannot hold NUL, so that one is not read back here (the other tests keep it).
@pytest.mark.parametrize("text", [t for t in HOSTILE if "\u0000" not in t])
def test_a_string_literal_reads_back_as_the_text(text: str) -> None:
    assert duckdb.sql(f"SELECT {string_literal(text)}").fetchall() == [(text,)]


@pytest.mark.parametrize("name", ['we"ird', "a-b", "select", "x y", "ünï"])
def test_an_identifier_names_the_column_it_quotes(name: str) -> None:
    relation = duckdb.sql(f"SELECT 1 AS {identifier(name)}")
    assert relation.columns == [name]


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_guideline(text: str) -> str:
    return f"""guideline g {quoted(text)}
version {quoted(text)}
reference 1 {quoted(text)}
evidence e {quoted(text)}
  refs 1
caveat c {quoted(text)} refs 1
enum grade "grades" = low, high
input n: integer 0..3 {quoted(text)}
input note: text {quoted(text)}
scope {quoted(text)} = n >= 1
table t {quoted(text)}
  hit collect
  output o: text
  output g: one of grade
  | n    | note              || o                 | g    || evidence | caveats |
  |------|-------------------||-------------------||------||----------|---------|
  | -    | {quoted(text)}    || {quoted(text)}    | low  || e        | c       |
  | >= 2 | -                 || {quoted(text)}    | high || e        | -       |
"""


def test_hostile_text_everywhere_is_data(tmp_path: Path) -> None:
    texts = [t for t in HOSTILE if t.isprintable() and "\u0000" not in t]
    for number, text in enumerate(texts):
        guideline = lowered_text(hostile_guideline(text))
        query = render_sql(guideline)
        assert len(sqlglot.parse(query, read="duckdb")) == 1  # one statement, whatever the text
        facts = [{"n": n, "note": note} for n in range(4) for note in (text, "other")]
        source = write_jsonl(list(facts), tmp_path / f"p{number}.jsonl")
        out = tmp_path / f"d{number}.parquet"
        report = evaluate_cohort(guideline, source, out)
        assert report.invalid_rows == 0
        assert disagreements(guideline, facts, out) == [], text


def test_text_with_line_breaks_in_a_result_is_data(tmp_path: Path) -> None:
    text = "line\nbreak\tand 'quote'"
    guideline = lowered_text(hostile_guideline("x").replace('"x"    ||', quoted(text) + " ||", 1))
    facts = [{"n": 2, "note": "x"}]
    out = tmp_path / "d.parquet"
    evaluate_cohort(guideline, write_jsonl(list(facts), tmp_path / "p.jsonl"), out)
    assert disagreements(guideline, facts, out) == []


def test_spark_sql_keeps_backslashes_and_quotes() -> None:
    guideline = lowered_text(hostile_guideline("back\\slash 'quote'"))
    spark = transpiled(guideline, "spark")
    assert "'back\\\\slash \\'quote\\''" in spark or "back\\\\slash" in spark


def test_a_table_named_like_a_decision_column_is_refused() -> None:
    guideline = lowered_text(hostile_guideline("x").replace("table t ", "table row "))
    with pytest.raises(SqlUnsupported, match="row"):
        render_sql(guideline)
