"""Issue 14, item 7: a lone surrogate in a fact's key with --format json, eval with standard
output closed, and `cohort --threads` beyond what DuckDB survives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.cli import main

ROOT = Path(__file__).resolve().parents[2]
TABLE = ('guideline c "c"\ninput A: integer 0..9 "A"\ntable T "T"\n  hit first\n'
         '  output o: text "o"\n  | A || o |\n  | > 5 || "big" |\n  | - || "other" |\n')


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "c.mmdsl"
    path.write_text(TABLE, "utf-8")
    return path


def test_a_lone_surrogate_key_is_reported_in_json(tmp_path: Path, table: Path) -> None:
    facts = tmp_path / "f.json"
    facts.write_text('{"\\ud800": 1, "A": 3}', "utf-8")
    result = CliRunner().invoke(main, ["eval", str(table), "--facts", str(facts),
                                       "--format", "json"])
    assert "internal error" not in result.stdout + result.stderr
    assert result.exit_code == 2
    parsed = json.loads(result.stdout)  # the surrogate is written as JSON's escape for it
    assert "\ud800" in json.dumps(parsed, ensure_ascii=False)


def test_eval_with_standard_output_closed_fails(tmp_path: Path, table: Path) -> None:
    facts = tmp_path / "f.json"
    facts.write_text('{"A": 7}', "utf-8")
    command = (f"{sys.executable} -c 'from mmdsl.cli import main; main()' eval {table} "
               f"--facts {facts} >&-")
    done = subprocess.run(["sh", "-c", command], capture_output=False, stderr=subprocess.PIPE,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          stdin=subprocess.DEVNULL)
    assert done.returncode != 0 and "standard output is closed" in done.stderr


def test_cohort_threads_are_bounded(tmp_path: Path, table: Path) -> None:
    patients = tmp_path / "p.jsonl"
    patients.write_text('{"A": 7}\n', "utf-8")
    result = CliRunner().invoke(main, ["cohort", str(table), "--input", str(patients), "-o",
                                       str(tmp_path / "d.parquet"), "--threads", "100000"])
    assert result.exit_code == 2 and "1<=x<=1024" in result.stderr


@pytest.mark.parametrize("cell", [" 5", "5 ", '"  7"'])
def test_a_csv_cell_with_white_space_is_not_a_number(tmp_path: Path, table: Path,
                                                     cell: str) -> None:
    pytest.importorskip("duckdb")
    patients = tmp_path / "p.csv"
    patients.write_text(f"A\n{cell}\n", "utf-8")
    out = tmp_path / "d.parquet"
    result = CliRunner().invoke(main, ["cohort", str(table), "--input", str(patients), "-o",
                                       str(out)])
    assert result.exit_code == 4, result.stderr  # the row is listed as invalid, not decided
    assert "expected a whole number" in result.stderr


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_a_parquet_duration_column_is_refused(tmp_path: Path, table: Path, unit: str) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pytest.importorskip("duckdb")
    patients = tmp_path / "p.parquet"
    pq.write_table(pa.table({"A": pa.array([7], pa.duration(unit))}), patients)
    out = tmp_path / "d.parquet"
    result = CliRunner().invoke(main, ["cohort", str(table), "--input", str(patients), "-o",
                                       str(out)])
    assert result.exit_code == 2 and "is a duration" in result.stderr
    assert not out.exists()
