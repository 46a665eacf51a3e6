"""`mmdsl test`: the worked examples against their expectations, and the rules none reaches."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .conftest import Run

Edit = Callable[[Path, str, str], None]
TABLE = Path("tables/triage.mmdsl")
RASH_EXAMPLE = '''example rash "A rash without fever"
  temperature: 37.0
  age: 25
  symptoms: rash
  expect disposition.place: home
  expect advice.leaflet: fluids, rash_check, return_if_worse
'''


def test_all_examples_pass(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("test", "tables/")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == "5 examples, 0 failed\n"


def test_a_failing_example_shows_expected_and_actual(mmdsl: Run, workdir: Path, edit: Edit) -> None:
    edit(TABLE, "expect disposition.place: emergency\n  expect advice",
         "expect disposition.place: clinic\n  expect advice")
    result = mmdsl("test", "tables/triage.mmdsl")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tables/triage.mmdsl:46: example meningitis: "
        "expected disposition.place = clinic, got emergency",
        "5 examples, 1 failed",
    ]


def test_a_list_expectation_shows_the_whole_list(mmdsl: Run, workdir: Path, edit: Edit) -> None:
    edit(TABLE, "expect advice.leaflet: fluids, return_if_worse",
         "expect advice.leaflet: return_if_worse, fluids")
    result = mmdsl("test", "tables/triage.mmdsl")
    assert result.exit_code == 1
    assert ("example chest: expected advice.leaflet = return_if_worse, fluids, "
            "got fluids, return_if_worse") in result.stdout


def test_an_out_of_scope_patient_is_explained(mmdsl: Run, workdir: Path, edit: Edit) -> None:
    edit(TABLE, "expect status: out_of_scope", "expect disposition.place: home")
    result = mmdsl("test", "tables/triage.mmdsl")
    assert result.exit_code == 1
    assert ("example child: expected disposition.place = home, got none (status out_of_scope)"
            in result.stdout)


def test_rules_no_example_reaches_are_a_warning(mmdsl: Run, workdir: Path, edit: Edit) -> None:
    edit(TABLE, RASH_EXAMPLE, "")
    result = mmdsl("test", "tables/triage.mmdsl")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "4 examples, 0 failed",
        "warning: rules no example reaches: disposition.home (line 31), advice.rash (line 39)",
    ]


def test_require_coverage_makes_them_an_error(mmdsl: Run, workdir: Path, edit: Edit) -> None:
    edit(TABLE, RASH_EXAMPLE, "")
    result = mmdsl("test", "tables/triage.mmdsl", "--require-coverage")
    assert result.exit_code == 1
    assert "error: rules no example reaches: disposition.home (line 31)" in result.stdout


def test_a_table_with_errors_fails(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("test", "broken.mmdsl", "tables")
    assert result.exit_code == 1
    assert "error[MD100]" in result.stderr
    assert result.stdout.splitlines() == [
        "error: broken.mmdsl has errors: its examples were not run", "5 examples, 0 failed"]


def test_a_file_with_errors_alone_prints_no_count(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("test", "broken.mmdsl")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["error: broken.mmdsl has errors: its examples were not run"]


def test_json_report(mmdsl: Run, workdir: Path, edit: Edit) -> None:
    edit(TABLE, "expect febrile: yes", "expect febrile: no")
    edit(TABLE, RASH_EXAMPLE, "")
    result = mmdsl("test", "tables", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["examples"], report["failed"]) == (4, 1)
    assert report["failures"] == [{
        "file": "tables/triage.mmdsl", "line": 55, "example": "transplant",
        "message": "expected febrile = no, got yes",
        "subject": "febrile", "expected": False, "actual": True,
    }]
    assert [(u["table"], u["rule"]) for u in report["unreached_rules"]] == [
        ("disposition", "home"), ("advice", "rash")]
