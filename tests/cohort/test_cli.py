"""`mmdsl cohort` from the command line: generate, decide, report invalid rows, print the SQL."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl import extras
from mmdsl.cli import main
from mmdsl.cohort.progress import Progress
from tests.cohort.support import FIXTURES, ROOT, decisions

SMALL = str(FIXTURES / "small.mmdsl")
MYELOMA = str(ROOT / "tables" / "myeloma_post_daratumumab.mmdsl")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_generate_then_decide(tmp_path: Path, suffix: str) -> None:
    patients = tmp_path / f"patients{suffix}"
    assert run("cohort", SMALL, "--generate", "300", "--seed", "5", "-o", str(patients))[0] == 0
    out = tmp_path / "decisions.parquet"
    status, _, err = run("cohort", SMALL, "--input", str(patients), "-o", str(out))
    assert status == 0, err
    assert "decided 300 of 300 patients" in err
    rows, rules = decisions(out)
    assert [r["row"] for r in rows] == list(range(1, 301))
    assert set(rules) == {"options", "dose"}
    assert not (tmp_path / "decisions.invalid.jsonl").exists()


def test_the_same_seed_gives_the_same_patients(tmp_path: Path) -> None:
    for name in ("a.jsonl", "b.jsonl"):
        run("cohort", MYELOMA, "--generate", "200", "--seed", "9", "-o", str(tmp_path / name))
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_invalid_rows_are_listed_and_exit_4(tmp_path: Path) -> None:
    """Some rows invalid, the others decided and written: 4, told apart from a bad command line (2)."""
    patients = tmp_path / "p.jsonl"
    good = {"lines": 2, "refractory": ["dara"], "exposed": [], "weight": 60}
    patients.write_text(json.dumps(good) + "\n" + json.dumps(good | {"lines": 99}) + "\n", "utf-8")
    status, _, err = run("cohort", SMALL, "--input", str(patients), "-o", str(tmp_path / "d.parquet"))
    assert status == 4
    assert "row 2: lines: expected a whole number from 0 to 10, got 99" in err
    listed = (tmp_path / "d.invalid.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line) for line in listed] == [
        {"row": 2, "field": "lines", "message": "expected a whole number from 0 to 10, got 99"}]
    assert [r["row"] for r in decisions(tmp_path / "d.parquet")[0]] == [1]


def test_an_identifier_column_is_carried(tmp_path: Path) -> None:
    patients = tmp_path / "p.jsonl"
    patients.write_text(json.dumps({"pid": "P-7", "lines": 2, "refractory": [], "exposed": ["dara"],
                                    "weight": 60}) + "\n", "utf-8")
    out = tmp_path / "d.parquet"
    assert run("cohort", SMALL, "--input", str(patients), "-o", str(out), "--id", "pid")[0] == 0
    assert decisions(out)[0][0]["pid"] == "P-7"


def test_unknown_and_missing_columns_are_a_usage_error(tmp_path: Path) -> None:
    patients = tmp_path / "p.csv"
    patients.write_text("lines,refractory,wieght\n1,[],60\n", "utf-8")
    status, _, err = run("cohort", SMALL, "--input", str(patients), "-o", str(tmp_path / "d.parquet"))
    assert status == 2
    assert "wieght" in err


def test_emit_sql_for_spark() -> None:
    status, out, _ = run("cohort", MYELOMA, "--emit-sql", "--dialect", "spark")
    assert status == 0
    assert "`refractory` & 8" in out  # a set is a bit mask: membership is a bitwise AND
    assert "ARRAY_CONTAINS(`refractory`" not in out
    assert run("cohort", MYELOMA, "--emit-sql", "--dialect", "no-such-sql")[0] == 2


def test_one_mode_at_a_time(tmp_path: Path) -> None:
    assert run("cohort", SMALL)[0] == 2
    assert run("cohort", SMALL, "--emit-sql", "--generate", "3")[0] == 2


def test_without_the_extra_the_command_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    def missing(module: str, extra: str = "cohort") -> None:
        raise extras.MissingExtra(f"`{module}` is not installed: install it with "
                                  f"`pip install 'mmdsl[{extra}]'`")

    monkeypatch.setattr("mmdsl.cohort.engine.require", missing)
    patients = tmp_path / "p.jsonl"
    patients.write_text("{}\n", "utf-8")
    status, _, err = run("cohort", SMALL, "--input", str(patients), "-o", str(tmp_path / "d.parquet"))
    assert status == 2
    assert "pip install 'mmdsl[cohort]'" in err


def test_the_core_install_imports_no_cohort_dependency() -> None:
    import subprocess
    import sys

    probe = ("import sys, click, mmdsl.cli; "  # every command loaded, as `mmdsl --help` does
             "[mmdsl.cli.main.get_command(click.Context(mmdsl.cli.main), n) for n in mmdsl.cli.COMMANDS]; "
             "print(sorted(m for m in ('duckdb', 'pyarrow', 'sqlglot') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_the_progress_bar_is_drawn_only_on_a_terminal() -> None:
    quiet = io.StringIO()
    Progress(quiet).show("evaluating", 0.5)
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    bar = Progress(shown, enabled=True)
    bar.show("evaluating", 0.5)
    bar.done()
    assert "evaluating" in shown.getvalue() and "50%" in shown.getvalue()
