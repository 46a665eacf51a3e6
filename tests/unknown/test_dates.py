"""Dates declared `or unknown` and the durations counted from them: a duration is unknown when a
date it is counted from or to is (DMN: date arithmetic with null is null); its tests in days or
months do not hold then, `unknown` / `not unknown` read it, and the facts over it follow
Kleene's logic. The checks, the interpreter, the generated module, the trace, the review and
the cohort SQL agree (the DMN export: tests/dmn/test_feelin.py; the verifier:
tests/verify/test_unknown_dates.py)."""

from __future__ import annotations

import random
from pathlib import Path

from mmdsl.backends.review import render_markdown, run_examples
from mmdsl.cohort import synthetic
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.examples import unreached_rules
from mmdsl.interpreter import evaluate
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from tests.backend.facts import named_values, random_facts
from tests.backend.support import compile_text, load_module, write_module
from tests.cohort.support import disagreements
from tests.cohort.test_unknown import with_unknowns
from tests.unknown.support import DOSE

PATIENT = {"evaluation_date": "2024-03-20", "birth_date": "1970-01-01", "last_dose": None,
           "diagnosed": "2024-01-10", "relapsed": True}


def codes(text: str) -> list[str]:
    return [d.code for d in compile_source(Source("t.mmdsl", text), verify=False).diagnostics]


def test_a_duration_over_a_date_that_may_be_unknown_compiles_and_its_examples_pass() -> None:
    found = compile_source(Source("t.mmdsl", DOSE), verify=False).diagnostics
    assert not [d for d in found if d.severity.name == "ERROR"], found
    guideline = compile_text(DOSE)
    outcomes = run_examples(guideline)
    assert all(outcome.passed for outcome in outcomes)
    # `mmdsl test` re-runs each rule's tests for the rules the examples reach
    assert [r.rule for r in unreached_rules(guideline, outcomes)] == ["R3", "R4", "R5"]


def test_unknown_is_tested_only_on_a_duration_that_may_be_unknown() -> None:
    # `age` is counted from the date of birth, always known: `unknown` there would never hold
    never = DOSE.replace("| >= 18 years | < 60 days ", "| unknown     | < 60 days ")
    assert "MD320" in codes(never)
    assert "MD320" not in codes(DOSE) and "MD321" not in codes(DOSE)
    assert "MD320" in codes(DOSE.replace("since_last_dose is unknown", "age is unknown"))


def test_the_duration_is_unknown_and_its_tests_do_not_hold() -> None:
    guideline = compile_text(DOSE)
    decision = evaluate(guideline, PATIENT)
    assert decision["derived"]["recent"] is None  # `since_last_dose < 60 days`: unknown
    assert decision["derived"]["ask"] is True
    assert decision["derived"]["early"] is True  # relapsed, diagnosed within a year: known
    assert decision["derived"]["weight"] is None  # `if since_last_dose < 4 weeks …`
    assert decision["restart"]["plan"] == "ask"
    assert "fact since_last_dose: unknown" in decision["trace"]
    assert "fact since_diagnosis: 70 days (2 months)" in decision["trace"]
    known = evaluate(guideline, {**PATIENT, "last_dose": "2024-03-10", "diagnosed": None})
    assert known["derived"]["recent"] is True and known["derived"]["early"] is None
    assert "fact since_diagnosis: unknown" in known["trace"]
    assert known["restart"]["plan"] == "wait"


def test_module_agrees_with_interpreter_on_null_dates(tmp_path: Path) -> None:
    guideline = compile_text(DOSE)
    module = load_module(write_module(guideline, tmp_path))
    rng = random.Random(321)
    named = named_values(guideline)
    unknown = 0
    for _ in range(1500):
        facts = random_facts(guideline, rng, named)
        decision = evaluate(guideline, facts)
        unknown += facts["last_dose"] is None
        assert module.evaluate(facts) == decision, facts
    assert unknown > 300
    assert module.evaluate(PATIENT) == evaluate(guideline, PATIENT)


def test_review_and_why_not_say_unknown() -> None:
    guideline = compile_text(DOSE)
    text = render_markdown(guideline, run_examples(guideline))
    assert "| date of the last dose | a date, year-month-day | required; may be given as " \
        "unknown |" in text
    assert "date of the last dose: unknown" in text  # an example's fact
    assert "“time since the last dose” is unknown" in text  # a rule's cell
    because = {entry["rule"]: entry["because"]
               for entry in evaluate(guideline, PATIENT)["why_not"]["restart"]}
    assert because["R1"] == "“time since the last dose” is unknown or at least 60 days"


def test_the_cohort_sql_decides_null_dates_as_the_evaluator(tmp_path: Path) -> None:
    guideline = compile_text(DOSE)
    columns, facts = with_unknowns(guideline, 1500, seed=21)
    assert any(v is None for v in columns["last_dose"]) and None not in columns["birth_date"]
    source = tmp_path / "patients.parquet"
    synthetic.write_parquet(guideline, columns, source)
    report = evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert (report.rows, report.decided, report.invalid_rows) == (1500, 1500, 0), \
        report.problems[:3]
    wrong = disagreements(guideline, facts, tmp_path / "decisions.parquet")
    assert not wrong, wrong[:2]


def test_the_cohort_refuses_null_in_a_date_never_unknown(tmp_path: Path) -> None:
    from tests.cohort.support import write_csv

    guideline = compile_text(DOSE)
    header = ["evaluation_date", "birth_date", "last_dose", "diagnosed", "relapsed"]
    rows: list[list[str | None]] = [
        ["2024-03-20", "1970-01-01", None, None, None],  # unknown dates: decided
        ["2024-03-20", None, "2024-03-10", None, "true"],  # no date of birth: refused
        [None, "1970-01-01", "2024-03-10", None, "true"],  # no evaluation date: refused
    ]
    source = write_csv(header, rows, tmp_path / "patients.csv")
    report = evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert (report.decided, report.invalid_rows) == (1, 2)
    assert [(p.row, p.field) for p in report.problems] == [(2, "birth_date"),
                                                           (3, "evaluation_date")]


BOTH_KINDS = '''\
guideline both_kinds "A duration between dates and times beside one between dates"

input now: evaluation date and time "the moment the decision is made"
input onset: date and time "time of symptom onset"
input today: date "the day of the decision"
input last_dose: date or unknown "date of the last dose"

fact since_onset "time since onset" = time from onset to now
fact since_dose "time since the last dose" = time from last_dose to today

table plan "Plan"
  hit first
  output advice: one of give, wait
  | since_onset | since_dose || advice |
  |-------------|------------||--------|
  | < 4 hours   | unknown    || give   |
  | < 4 hours   | >= 60 days || give   |
  | -           | -          || wait   |
'''


def test_the_module_traces_both_kinds_of_durations_and_an_unknown_one(tmp_path: Path) -> None:
    # the module's trace of durations is chosen by kind (days, dates and times, both) and by
    # whether one may be unknown: the four templates' branches must each agree
    guideline = compile_text(BOTH_KINDS)
    module = load_module(write_module(guideline, tmp_path))
    facts = {"now": "2024-03-01T14:00", "onset": "2024-03-01T11:00", "today": "2024-03-01",
             "last_dose": None}
    for last_dose in (None, "2023-12-01"):
        facts["last_dose"] = last_dose
        expected = evaluate(guideline, facts)
        assert module.evaluate(facts)["trace"] == expected["trace"]
    assert "fact since_dose: unknown" in module.evaluate({**facts, "last_dose": None})["trace"]
    assert "fact since_onset: 3 hours (180 minutes)" in expected["trace"]
