"""Rows `mmdsl eval` accepts never crash a cohort (issue 14, item 5).

Values beyond what DuckDB holds (integers past 64 bits, text with a lone surrogate) make their
row invalid, with the field and a message, as any invalid row (exit status 4); tables that pass
`check` but whose SQL would nest past DuckDB's depth limit of 1,000 (a sum over a thousand rules,
a set over thousands of members, a chain of a thousand facts or tables) are decided, and decided
as the evaluator decides.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mmdsl.backends import sql
from mmdsl.cohort.engine import evaluate_cohort
from tests.cohort.support import disagreements, lowered_text, pa, pq, write_csv

NUMBERS = ('guideline c "c"\ninput n: integer "n"\ninput t: text "t"\ntable u "U"\n  hit first\n'
           '  output o: text "o"\n  | n | t || o |\n  | > 5 | - || "big" |\n'
           '  | - | - || "other" |\n')


def decided(text: str, rows: list[dict[str, Any]], tmp_path: Path, fmt: str = "jsonl",
            id_column: str | None = None) -> Any:
    guideline = lowered_text(text)
    source = tmp_path / f"patients.{fmt}"
    if fmt == "jsonl":
        source.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    else:
        pq.write_table(pa.table({k: [r.get(k) for r in rows] for k in rows[0]}), source)
    output = tmp_path / "decisions.parquet"
    report = evaluate_cohort(guideline, source, output, id_column=id_column)
    valid = [r for number, r in enumerate(rows, start=1)
             if number not in {p.row for p in report.problems}]
    assert not disagreements(guideline, valid, output)
    return report


def problems(report: Any) -> list[tuple[int, str, str]]:
    return [(p.row, p.field, p.message) for p in report.problems]


# ---- values beyond the engine ----------------------------------------------------------------


def test_an_integer_beyond_64_bits_is_an_invalid_row_with_its_field(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"n": 9223372036854775808, "t": "a"}\n{"n": 1, "t": "a"}\n'
                    '{"n": -9223372036854775809, "t": "a"}\n{"n": 9223372036854775807, "t": "a"}\n')
    report = evaluate_cohort(lowered_text(NUMBERS), path, tmp_path / "d.parquet")
    assert report.decided == 2 and report.invalid_rows == 2
    assert [(row, field) for row, field, _ in problems(report)] == [(1, "n"), (3, "n")]
    assert "64-bit" in report.problems[0].message


def test_a_parquet_uint64_column_beyond_bigint_is_an_invalid_row(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"n": pa.array([2 ** 64 - 1, 7], pa.uint64()), "t": ["a", "b"]}), path)
    report = evaluate_cohort(lowered_text(NUMBERS), path, tmp_path / "d.parquet")
    assert report.decided == 1 and [(r, f) for r, f, _ in problems(report)] == [(1, "n")]
    assert pq.read_table(tmp_path / "d.parquet").column("u").to_pylist()[0] is not None


def test_a_lone_surrogate_as_value_key_or_identifier_is_an_invalid_row(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"n": 1, "t": "\\ud800"}\n{"n": 1, "t": "a", "\\udfff": 1}\n'
                    '{"n": 1, "t": "a", "id": "\\ud800"}\n{"n": 1, "t": "\\u00e9", "id": "x"}\n')
    report = evaluate_cohort(lowered_text(NUMBERS), path, tmp_path / "d.parquet", id_column="id")
    assert report.decided == 1 and report.invalid_rows == 3
    found = problems(report)
    assert [(row, field) for row, field, _ in found] == [(1, "t"), (2, "\\udfff"), (3, "id")]
    for _, field, message in found:  # printable and writable as UTF-8: escapes, not surrogates
        (field + message).encode("utf-8")
    assert "\\ud800" in found[0][2]


# ---- tables past DuckDB's expression depth ------------------------------------------------------


def test_a_collect_sum_over_1100_rules(tmp_path: Path) -> None:
    rows = "".join(f"  | > {i} || 1 |\n" for i in range(1100))
    text = ('guideline c "c"\ninput x: integer 0..100000 "x"\ntable t "t"\n  hit collect sum\n'
            f'  output o: integer "o"\n  | x || o |\n{rows}')
    report = decided(text, [{"x": 5}, {"x": 2000}, {"x": 0}], tmp_path)
    assert report.decided == 3
    assert pq.read_table(tmp_path / "decisions.parquet").column("t").to_pylist() == [5, 1100, None]


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_all_of_5000_members(tmp_path: Path, fmt: str) -> None:
    members = ", ".join(f"m{i}" for i in range(5000))
    text = (f'guideline c "c"\nenum e "e" = {members}\ninput s: set of e "s"\ntable t "t"\n'
            f'  hit first\n  output o: yes/no "o"\n  | s || o |\n  | has all of ({members}) || yes |\n'
            '  | - || no |\n')
    report = decided(text, [{"s": [f"m{i}" for i in range(5000)]}, {"s": ["m1"]}], tmp_path, fmt)
    assert report.decided == 2


def test_a_set_of_a_20000_member_enumeration_in_csv(tmp_path: Path) -> None:
    members = ", ".join(f"m{i}" for i in range(20_000))
    text = (f'guideline c "c"\nenum e "e" = {members}\ninput s: set of e "s"\n'
            f'input x: one of e "x"\ntable t "t"\n  hit first\n  output o: yes/no "o"\n'
            '  | s | x || o |\n  | has any of (m19999) | m0 || yes |\n  | - | - || no |\n')
    guideline = lowered_text(text)
    source = write_csv(["s", "x"], [['["m19999"]', "m0"], ['["m1", "m1"]', "m0"], ["[]", "m7"]],
                       tmp_path / "p.csv")
    report = evaluate_cohort(guideline, source, tmp_path / "d.parquet")
    assert (report.decided, report.invalid_rows) == (2, 1)  # a member twice is invalid, as in eval
    valid = [{"s": ["m19999"], "x": "m0"}, {"s": [], "x": "m7"}]
    assert not disagreements(guideline, valid, tmp_path / "d.parquet")


def chained_facts(count: int) -> str:
    facts = "fact f0 = a\n" + "".join(f"fact f{i} = f{i - 1} and a\n" for i in range(1, count))
    return (f'guideline c "c"\ninput a: yes/no "a"\n{facts}table t "t"\n  hit first\n'
            f'  output o: yes/no "o"\n  | f{count - 1} || o |\n  | yes || yes |\n  | - || no |\n')


def chained_tables(count: int) -> str:
    tables = "".join(
        f'table t{i} "t"\n  hit unique\n  output o: yes/no "o"\n  | {"a" if i == 0 else f"t{i - 1}.o"} '
        "|| o |\n  | yes || yes |\n  | no || no |\n" for i in range(count))
    return f'guideline c "c"\ninput a: yes/no "a"\n{tables}'


def test_a_chain_of_1000_facts(tmp_path: Path) -> None:
    """About 1,000 CTEs in one query: DuckDB refuses (depth 1,000); the engine stages it."""
    report = decided(chained_facts(1000), [{"a": True}, {"a": False}], tmp_path)
    assert report.decided == 2


def test_a_long_chain_of_tables_is_decided_in_stages(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Staging keeps every column and the row order: with stages of 7 steps, a chain of 40
    tables (80 steps) decides as the evaluator does. (2,000 tables decide the same way, in
    minutes: DuckDB's time grows with the width of every stage.)"""
    monkeypatch.setattr(sql, "MAX_STEPS_PER_QUERY", 7)
    view = sql.query_view(lowered_text(chained_tables(40)))
    assert len(sql.staged(view)[0]) == len(view.steps) // 7
    rows = [{"a": i % 3 == 0} for i in range(30)]
    report = decided(chained_tables(40), rows, tmp_path, "parquet")
    assert report.decided == 30
