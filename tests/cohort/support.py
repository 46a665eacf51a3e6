"""Guidelines for the cohort tests, patients written in each input format, and the comparison of
a cohort's decisions with the Python evaluator's."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mmdsl import pipeline
from mmdsl.cohort import synthetic
from mmdsl.cohort.compare import as_decision, expected, read_rules, same
from mmdsl.cohort.rows import evaluator
from mmdsl.ir.model import IRGuideline
from mmdsl.source import Source

pytest.importorskip("duckdb")
pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "backend"
BENCH_TABLES = ROOT / "benchmarks" / "tables"


def lowered(path: Path) -> IRGuideline:
    """The IR of a table file, verification findings or not: the cohort must agree with the
    evaluator even on tables whose rules overlap (conflicts at run time)."""
    source = Source(path.relative_to(ROOT).as_posix(), path.read_text("utf-8"))
    return lowered_source(source)


def lowered_text(text: str, name: str = "memory.mmdsl") -> IRGuideline:
    return lowered_source(Source(name, text))


def lowered_source(source: Source) -> IRGuideline:
    compilation = pipeline.compile_source(source, verify=False)
    assert compilation.guideline is not None, [d.message for d in compilation.diagnostics]
    return compilation.guideline


def patients(guideline: IRGuideline, count: int, seed: int = 3) -> dict[str, list[Any]]:
    return synthetic.patients(guideline, count, seed)


def write_parquet(guideline: IRGuideline, columns: dict[str, list[Any]], path: Path) -> Path:
    synthetic.write_parquet(guideline, columns, path)
    return path


def rows_of(columns: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
    names = list(columns)
    for values in zip(*columns.values(), strict=True):
        yield {name: value for name, value in zip(names, values, strict=True) if value is not None}


def write_jsonl(rows: list[object], path: Path) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    return path


def write_csv(header: list[str], rows: list[list[str | None]], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return path


def write_rows(rows: list[dict[str, Any]], columns: tuple[str, ...], path: Path) -> Path:
    """The rows in the format of the path's suffix: Parquet, CSV (yes/no as `true`/`false`, the
    other values as written) or JSON Lines."""
    if path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
        return path
    if path.suffix == ".csv":
        return write_csv(list(columns), [[_csv_cell(row[name]) for name in columns]
                                         for row in rows], path)
    return write_jsonl(list(rows), path)


def _csv_cell(value: Any) -> str | None:
    return ("true" if value else "false") if isinstance(value, bool) else value


def decisions(path: Path) -> tuple[list[dict[str, Any]], Any]:
    table = pq.read_table(path)
    return table.to_pylist(), read_rules(table.schema.metadata)


def disagreements(guideline: IRGuideline, facts: list[dict[str, Any]], path: Path
                  ) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(facts, cohort's decision, evaluator's) for every patient on which they differ."""
    module = evaluator(guideline)
    rows, rules = decisions(path)
    assert len(rows) == len(facts)
    found = []
    for patient, row in zip(facts, rows, strict=True):
        cohort = as_decision(guideline, row, rules)
        python = expected(module.evaluate(patient))
        if not same(cohort, python):
            found.append((patient, cohort, python))
    return found
