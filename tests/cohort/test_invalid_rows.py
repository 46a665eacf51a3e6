"""Invalid rows are reported with their row number and every problem, as `mmdsl eval` words them,
and kept out of the decisions; valid rows around them are decided as usual."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.rows import evaluator
from tests.cohort.support import (
    FIXTURES,
    decisions,
    lowered,
    pa,
    pq,
    write_csv,
    write_jsonl,
)

SMALL = FIXTURES / "small.mmdsl"
VALID = {"lines": 4, "refractory": ["dara"], "exposed": ["bort"], "weight": 70.5}


def evaluator_problems(facts: object) -> list[dict[str, str]]:
    """What the generated module says of these facts ([] when it accepts them)."""
    module = evaluator(lowered(SMALL))
    try:
        module.read_facts(facts)
    except ValueError as error:
        return list(getattr(error, "errors", []))
    return []


def reported(report: Any) -> dict[int, list[dict[str, str]]]:
    found: dict[int, list[dict[str, str]]] = {}
    for problem in report.problems:
        found.setdefault(problem.row, []).append({"field": problem.field, "message": problem.message})
    return found


JSON_ROWS: list[Any] = [
    VALID,
    VALID | {"lines": "4"},  # wrong type
    VALID | {"refractory": ["dara", "daratumumab"]},  # unknown member
    VALID | {"lines": 11},  # out of range
    {k: v for k, v in VALID.items() if k != "weight"},  # missing required
    VALID | {"fit": None},  # an explicit null is not "missing"
    VALID | {"refractory": ["dara", "dara"]},  # listed twice
    VALID | {"lines": True},  # a boolean is not a number
    VALID | {"wieght": 1},  # unknown field
    VALID | {"lines": 4.0},  # a whole number written as a decimal
    VALID | {"weight": 70},  # valid: a whole number is read as a decimal
    VALID | {"fit": False},
]


def test_json_lines_problems_are_the_evaluators(tmp_path: Path) -> None:
    guideline = lowered(SMALL)
    text = "".join(json.dumps(row) + "\n" for row in JSON_ROWS)
    text += '{"lines": 4, "lines": 5}\n' + "not json\n" + "\n" + '{"weight": NaN}\n'
    source = tmp_path / "patients.jsonl"
    source.write_text(text, "utf-8")
    report = evaluate_cohort(guideline, source, tmp_path / "out.parquet")
    problems = reported(report)
    for row, facts in enumerate(JSON_ROWS, start=1):
        assert problems.get(row, []) == evaluator_problems(facts), row
    assert problems[13] == [{"field": "lines", "message": "given more than once in the same JSON object"}]
    assert problems[14][0]["message"].startswith("not valid JSON")
    assert problems[15] == [{"field": "$", "message": "no facts given: the input is empty"}]
    assert "NaN" in problems[16][0]["message"]
    rows, _ = decisions(tmp_path / "out.parquet")
    assert [r["row"] for r in rows] == [1, 11, 12]
    assert (report.rows, report.decided, report.invalid_rows) == (16, 3, 13)


def test_parquet_rows_are_checked_cell_by_cell(tmp_path: Path) -> None:
    guideline = lowered(SMALL)
    lines = [4, 11, None, 3, 2, 5, -1]
    refractory = [["dara"], ["dara"], ["isa"], ["dara", "dara"], ["nope"], ["dara", None], []]
    exposed = [[], [], [], [], [], [], None]
    weight = [70.0, 70.0, 70.0, 70.0, math.nan, 250.0, 80.0]
    table = pa.table({"lines": pa.array(lines, pa.int64()),
                      "refractory": pa.array(refractory, pa.list_(pa.string())),
                      "exposed": pa.array(exposed, pa.list_(pa.string())),
                      "weight": pa.array(weight, pa.float64())})
    source = tmp_path / "patients.parquet"
    pq.write_table(table, source)
    report = evaluate_cohort(guideline, source, tmp_path / "out.parquet")
    problems = reported(report)
    for row in range(1, 8):
        facts = {name: table.column(name)[row - 1].as_py() for name in table.column_names}
        expected = evaluator_problems({k: v for k, v in facts.items() if v is not None})
        assert problems.get(row, []) == expected, (row, facts)
    rows, _ = decisions(tmp_path / "out.parquet")
    assert [r["row"] for r in rows] == [1]


def test_a_column_of_the_wrong_type_is_refused_row_by_row(tmp_path: Path) -> None:
    guideline = lowered(SMALL)
    table = pa.table({"lines": pa.array(["4", "x"]), "refractory": pa.array([["dara"], []]),
                      "exposed": pa.array([[], []], pa.list_(pa.string())),
                      "weight": pa.array([70, 71], pa.int32())})
    source = tmp_path / "patients.parquet"
    pq.write_table(table, source)
    report = evaluate_cohort(guideline, source, tmp_path / "out.parquet")
    assert reported(report) == {
        1: [{"field": "lines", "message": 'expected a whole number from 0 to 10, got "4"'}],
        2: [{"field": "lines", "message": 'expected a whole number from 0 to 10, got "x"'}]}


def test_csv_cells_are_read_as_documented(tmp_path: Path) -> None:
    guideline = lowered(SMALL)
    header = ["lines", "refractory", "exposed", "weight", "fit"]
    rows: list[list[str | None]] = [
        ["4", '["dara"]', "[]", "70.5", None],  # valid; fit takes its default
        ["4.0", '["dara"]', "[]", "70", "true"],  # 4.0 is not a whole number
        ["abc", "[dara]", "[]", "70", "yes"],  # not JSON: kept as text, refused
        ["3", '["dara", "dara"]', '[ "isa" ]', "1e3", "false"],
        ["2", '["d\\u0061ra"]', "[]", "31", "false"],  # valid JSON that SQL leaves to Python
        [None, '["dara"]', "[]", "70", "false"],  # missing required
    ]
    source = write_csv(header, rows, tmp_path / "patients.csv")
    report = evaluate_cohort(guideline, source, tmp_path / "out.parquet")
    problems = reported(report)
    assert set(problems) == {2, 3, 4, 6}
    assert problems[2] == [{"field": "lines",
                            "message": "expected a whole number from 0 to 10, got 4.0"}]
    assert {p["field"] for p in problems[3]} == {"lines", "refractory", "fit"}
    decided, _ = decisions(tmp_path / "out.parquet")
    assert [r["row"] for r in decided] == [1, 5]


def test_problems_in_json_lines_keep_every_valid_row(tmp_path: Path) -> None:
    guideline = lowered(SMALL)
    source = write_jsonl([VALID] * 3 + [[1, 2]] + [VALID], tmp_path / "p.jsonl")
    report = evaluate_cohort(guideline, source, tmp_path / "out.parquet")
    assert reported(report) == {4: [{"field": "$", "message": "expected an object of facts, got a list"}]}
    assert [r["row"] for r in decisions(tmp_path / "out.parquet")[0]] == [1, 2, 3, 5]
