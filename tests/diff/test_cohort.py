"""`mmdsl diff --cohort`: per change, the patients of a cohort it reaches, as both versions decide
them through DuckDB; checked against the interpreter patient by patient."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mmdsl.api import compile_text
from mmdsl.diff.behaviour import clinical_summary, decision_changes
from mmdsl.diff.cohort import cohort_counts
from mmdsl.interpreter import evaluate
from mmdsl.runtime.prelude import InputError
from tests.diff.test_cli import NEW, OLD, run

pytest.importorskip("duckdb")


def write_cohort(path: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [{"age": age, "fever": fever} for age in range(0, 121, 3)
                                     for fever in (False, True)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def test_counts_per_change_are_those_of_the_interpreter(tmp_path: Path) -> None:
    narrower = NEW.replace("integer 0..120", "integer 0..100")  # the new version refuses ages over 100
    old, new = compile_text(OLD).ir, compile_text(narrower).ir
    rows = write_cohort(tmp_path / "patients.jsonl")
    counts = cohort_counts(old, new, tmp_path / "patients.jsonl")
    expected: Counter[str] = Counter()
    refused_by_new = 0
    for patient in rows:
        try:
            after = clinical_summary(new, evaluate(new, patient))
        except InputError:
            refused_by_new += 1
            continue
        before = clinical_summary(old, evaluate(old, patient))
        expected.update(json.dumps(c, sort_keys=True) for c in decision_changes(before, after))
    assert counts.rows == len(rows)
    assert counts.refused == {"old": 0, "new": refused_by_new} and refused_by_new > 0
    assert counts.by_change == expected and sum(expected.values()) > 0


def test_the_command_line_shows_the_counts(tmp_path: Path) -> None:
    (tmp_path / "old.mmdsl").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.mmdsl").write_text(NEW, encoding="utf-8")
    write_cohort(tmp_path / "patients.jsonl")
    status, output = run("diff", str(tmp_path / "old.mmdsl"), str(tmp_path / "new.mmdsl"),
                         "--cohort", str(tmp_path / "patients.jsonl"))
    assert status == 4
    assert "patients.jsonl: 2 of 82 patients get a different decision" in output  # ages 60 and 63
    assert "advice: home -> clinic (2 in the cohort), for:" in output
