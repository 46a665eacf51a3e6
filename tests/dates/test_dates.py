"""Dates and durations through the pipeline (issue 18): the syntax, the checks, the three ways
of evaluating (interpreter, generated module, `mmdsl eval`) against a count made here with
semantics/calendar.py, the verifier's exactness against brute force, the facts' validation and
the JSON Schema. The worked guideline is examples/second_dose.mmdsl."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from mmdsl.backends.schema.facts import render_schema
from mmdsl.interpreter import evaluate as interpret
from mmdsl.pipeline import compile_source
from mmdsl.runtime.prelude import InputError
from mmdsl.semantics import calendar
from mmdsl.source import Source
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module
from mmdsl.verify.report import verify_guideline
from tests.backend.support import compile_file, load_module, write_module

ROOT = Path(__file__).resolve().parents[2]
SECOND_DOSE = ROOT / "examples" / "second_dose.mmdsl"


def second_dose_by_hand(facts: dict[str, str]) -> str | None:
    """The table of examples/second_dose.mmdsl, counted with the calendar directly."""
    today, born, first = (date.fromisoformat(facts[k])
                          for k in ("evaluation_date", "birth_date", "first_dose"))
    age_days, age_months = calendar.days(born, today), calendar.months(born, today)
    if not (age_days >= 42 and age_months < 60):
        return "out_of_scope"
    days, months = calendar.days(first, today), calendar.months(first, today)
    if days < 28:
        return "wait"
    if age_months < 12:
        return "now" if months <= 6 else "restart"
    return "now"


def random_facts(rng: random.Random) -> dict[str, str]:
    today = date(2020, 1, 1) + timedelta(days=rng.randrange(3_000))
    born = today - timedelta(days=rng.randrange(-30, 2_200))
    first = today - timedelta(days=rng.choice([rng.randrange(-10, 400), rng.randrange(170, 200)]))
    return {"evaluation_date": today.isoformat(), "birth_date": born.isoformat(),
            "first_dose": first.isoformat()}


def given(decision: dict[str, Any]) -> str | None:
    if decision["status"] == "out_of_scope":
        return "out_of_scope"
    result = decision["second_dose"]
    return None if result is None else result["give"]


# ---- syntax and checks ------------------------------------------------------------------------


def test_duration_cells_parse_with_their_units() -> None:
    text = SECOND_DOSE.read_text(encoding="utf-8")
    module, problems = parse_module(Source("s.mmdsl", text))
    assert problems == []
    table = next(s for s in module.statements if isinstance(s, ast.TableDecl))
    test = table.rows[1].cells[2].test
    assert isinstance(test, ast.RangeTest)
    assert isinstance(test.low, ast.DurationValue) and test.low.unit.text == "weeks"
    assert isinstance(test.high, ast.DurationValue) and test.high.amount == 6


def codes(text: str) -> list[tuple[str, str | None]]:
    return [(d.code, d.help) for d in compile_source(Source("t.mmdsl", text)).diagnostics]


HEAD = ('guideline g "G"\ninput evaluation_date: evaluation date "today"\n'
        'input last_dose: date "last dose"\ninput weight: integer 0..300 "weight"\n'
        'fact since_dose = time from last_dose to evaluation_date\n'
        'table t\n  hit first\n  output ok: yes/no\n  | since_dose | weight || ok |\n')


@pytest.mark.parametrize(("cells", "code", "help_part"), [
    ("| < 6 wekks | - || no |", "MD310", "weeks"),
    ("| < 60 | - || no |", "MD300", "60 days"),
    ("| - | >= 60 days || no |", "MD117", "write 60 alone"),
    ("| 3 months..6 weeks | - || no |", "MD303", "shorter duration first"),
])
def test_time_mistakes_have_codes_and_fixes(cells: str, code: str, help_part: str) -> None:
    found = codes(HEAD + f"  {cells}\n  | - | - || yes |\n")
    assert [c for c, _ in found] == [code], found
    assert help_part in (found[0][1] or "")


def test_a_comparison_of_a_date_with_a_number_is_refused() -> None:
    text = HEAD.replace("| since_dose |", "| last_dose |") + "  | >= 3 | - || no |\n"
    assert "MD311" in [c for c, _ in codes(text)]


# ---- the three ways, and the cohort of random patients --------------------------------------


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return load_module(write_module(compile_file(SECOND_DOSE), tmp_path_factory.mktemp("gen")))


def test_interpreter_and_module_agree_with_the_calendar(module: Any) -> None:
    guideline = compile_file(SECOND_DOSE)
    rng = random.Random(18)
    for _ in range(3_000):
        facts = random_facts(rng)
        expected = second_dose_by_hand(facts)
        interpreted, generated = interpret(guideline, facts), module.evaluate(facts)
        assert given(interpreted) == expected, facts
        assert interpreted == generated, facts


def test_mmdsl_eval_gives_the_same_decision(module: Any, tmp_path: Path) -> None:
    facts = {"evaluation_date": "2024-08-01", "birth_date": "2024-01-01",
             "first_dose": "2024-01-31"}
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    command = [sys.executable, "-c", "from mmdsl.cli import main; main()", "eval",
               str(SECOND_DOSE), "--facts", str(path)]
    shown = json.loads(subprocess.run(command, capture_output=True, text=True, check=True,
                                      cwd=ROOT).stdout)
    assert shown == module.evaluate(facts)
    assert shown["evaluation_date"] == "2024-08-01"  # the day of the decision, in its provenance
    assert "fact since_first: 183 days (6 months)" in shown["trace"]


def test_invalid_dates_are_named_by_field_all_at_once(module: Any) -> None:
    facts = {"evaluation_date": "2024-02-30", "birth_date": 20240101, "first_dose": "01/03/2024"}
    with pytest.raises(module.InputError) as raised:
        module.evaluate(facts)
    assert [e["field"] for e in raised.value.errors] == ["evaluation_date", "birth_date",
                                                          "first_dose"]
    with pytest.raises(InputError) as again:
        interpret(compile_file(SECOND_DOSE), facts)
    assert again.value.errors == raised.value.errors


def test_the_schema_says_dates_are_dates() -> None:
    schema = json.loads(render_schema(compile_file(SECOND_DOSE)))
    assert schema["properties"]["birth_date"]["type"] == "string"
    assert schema["properties"]["birth_date"]["format"] == "date"


# ---- the verifier: exact at the day where months and days meet ------------------------------


def test_the_worked_guideline_is_proved_complete_and_a_day_threshold_leaves_a_real_gap() -> None:
    proved = verify_guideline(compile_file(SECOND_DOSE))
    assert all(a.status != "found" or a.name == "hit_policy_advice"
               for t in proved.tables for a in t.analyses), proved
    text = SECOND_DOSE.read_text(encoding="utf-8").replace("4 weeks..6 months", "4 weeks..180 days")
    compilation = compile_source(Source("gap.mmdsl", text), verify=False)
    assert compilation.guideline is not None
    found = verify_guideline(compilation.guideline)
    [gap] = [f for t in found.tables for a in t.analyses if a.name == "gaps" for f in a.findings]
    witness = gap.witness
    assert witness is not None
    decision = interpret(compilation.guideline, witness)
    assert decision["status"] == "ok" and decision["second_dose"] is None  # a real patient
    first, today = (date.fromisoformat(str(witness[k])) for k in ("first_dose", "evaluation_date"))
    assert calendar.days(first, today) > 180 and calendar.months(first, today) <= 6


@pytest.mark.parametrize("months", [(6, 7), (1, 2, 12, 13, 60, 61), (0, 1, 24, 25, 240, 241)])
def test_a_few_end_dates_place_month_thresholds_as_a_whole_400_year_cycle(
        months: tuple[int, ...]) -> None:
    from mmdsl.verify.time import _representative_ends, representative_ends_over_a_cycle

    placed = {tuple(calendar.month_threshold_in_days(end, m) for m in months)
              for end in _representative_ends(months)}
    assert placed == representative_ends_over_a_cycle(months)


def test_a_scope_on_a_duration_the_verifier_cannot_reason_about_is_not_checked() -> None:
    text = ('guideline g "G"\ninput a: date "a"\ninput b: date "b"\n'
            'input today: evaluation date "today"\n'
            'fact ab = time from a to b\nfact b_now = time from b to today\n'
            'scope "s" = ab < 6 weeks\n'
            'table t\n  hit first\n  output ok: yes/no\n  | b_now || ok |\n'
            '  | < 3 months || yes |\n  | - || no |\n')
    compilation = compile_source(Source("t.mmdsl", text))
    assert [d.code for d in compilation.diagnostics] == ["MD606"]


# ---- DMN --------------------------------------------------------------------------------------


def test_dmn_export_writes_a_column_per_unit_and_import_joins_them_back() -> None:
    from mmdsl.backends.dmn.writer import export_dmn
    from mmdsl.frontends.dmn.importer import import_dmn

    exported = export_dmn(compile_file(SECOND_DOSE)).text
    assert "<text>since_first_weeks</text>" in exported and "since_first_days / 7" in exported
    back = import_dmn(exported.encode("utf-8"), "x.dmn", "x.mmdsl")
    assert back.ok and back.text is not None
    assert "| on_time  | < 12 months  | [4 weeks..6 months] || now     |" in back.text
    assert "fact since_first \"time since the first dose\" = time from first_dose to " \
           "evaluation_date" in back.text


def test_a_cell_in_days_or_months_cannot_be_exported_and_nothing_is_written(tmp_path: Path) -> None:
    text = SECOND_DOSE.read_text(encoding="utf-8").replace("hit unique", "hit first").replace(
        "| < 4 weeks         |", "| < 4 weeks, > 5 years |")
    source = tmp_path / "mixed.mmdsl"
    source.write_text(text, encoding="utf-8")
    command = [sys.executable, "-c", "from mmdsl.cli import main; main()", "export", "--to",
               "dmn", str(source), "-o", str(tmp_path / "mixed.dmn")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 1 and "days and months in one alternative" in done.stderr
    assert not (tmp_path / "mixed.dmn").exists()


# ---- FHIR and the decision page -----------------------------------------------------------------


def test_a_questionnaire_asks_dates_and_a_response_with_them_decides(tmp_path: Path) -> None:
    from mmdsl.fhir.response import facts_from_response
    from tests.fhir.support import export_fhir, response_to

    resources = export_fhir(SECOND_DOSE, tmp_path)
    questionnaire = resources["Questionnaire"]
    assert {i["linkId"]: i["type"] for i in questionnaire["item"]} == {
        "evaluation_date": "date", "birth_date": "date", "first_dose": "date"}
    guideline = compile_file(SECOND_DOSE)
    facts = {"evaluation_date": "2024-08-31", "birth_date": "2024-01-01", "first_dose": "2024-01-31"}
    read = facts_from_response(guideline, response_to(questionnaire, facts))
    assert given(interpret(guideline, read)) == "restart"
    wrong = response_to(questionnaire, {**facts, "first_dose": "2024-02-30"})
    with pytest.raises(InputError) as raised:
        facts_from_response(guideline, wrong)
    assert [e["field"] for e in raised.value.errors] == ["first_dose"]


def test_the_decision_page_asks_dates_with_a_date_field() -> None:
    from mmdsl.serve.form import facts_from_form, form_fields

    guideline = compile_file(SECOND_DOSE)
    widgets = {f.name: f.widget for f in form_fields(guideline, {})}
    assert widgets == {"evaluation_date": "date", "birth_date": "date", "first_dose": "date"}
    facts = facts_from_form(guideline, {"evaluation_date": ["2024-08-01"],
                                        "birth_date": ["2024-01-01"], "first_dose": ["2024-01-31"]})
    assert given(interpret(guideline, facts)) == "now"


def test_the_review_document_lists_durations_with_the_derived_facts() -> None:
    from mmdsl.backends.review import render_markdown

    text = render_markdown(compile_file(SECOND_DOSE), None)
    assert "- **time since the first dose**: the time from" in text  # among the derived terms
    assert "the time from “date of the first dose” to “the day the decision is made”" in text


@pytest.mark.parametrize(("body", "code"), [
    ("fact z = time from last_dose to last_dose\n", "MD312"),
    ("table u\n  hit first\n  output d: date\n  | since_dose || d |\n  | < 1 day || 2024-01-01 |\n",
     "MD307"),
])
def test_a_duration_from_a_date_to_itself_and_a_date_output_are_refused(body: str, code: str) -> None:
    text = HEAD + "  | - | - || yes |\n" + body
    assert code in [c for c, _ in codes(text)]


def test_a_duration_alone_in_a_cell_is_exactly_that_long() -> None:
    text = HEAD + "  | 6 weeks | - || no |\n  | - | - || yes |\n"
    guideline = compile_source(Source("t.mmdsl", text), verify=False).guideline
    assert guideline is not None
    for days, expected in ((41, True), (42, False), (43, True)):
        facts = {"evaluation_date": "2024-03-01", "weight": 1,
                 "last_dose": (date(2024, 3, 1) - timedelta(days=days)).isoformat()}
        assert interpret(guideline, facts)["t"]["ok"] is expected


def test_decisions_with_an_evaluation_date_fit_the_decision_schema() -> None:
    from jsonschema import Draft202012Validator

    from mmdsl.backends.schema.decision import decision_schema

    guideline = compile_file(SECOND_DOSE)
    schema = decision_schema(guideline)
    assert "evaluation_date" in schema["required"]
    validator = Draft202012Validator(schema)
    rng = random.Random(5)
    for _ in range(200):
        assert list(validator.iter_errors(interpret(guideline, random_facts(rng)))) == []


# `time` is a keyword only in `time from A to B`: an input named `time` once could not open a
# fact (`fact f = time > 50` was read as the start of a duration: "expected `from`").
NAMED_TIME = '''guideline g "g"
input time: integer 0..99 "minutes since arrival"
input arrival: date "arrival"
input now: evaluation date "today"
fact late = time > 50
fact stay = time from arrival to now
table t "t"
  hit first
  output o: integer "o"
  | late || o |
  | yes  || 1 |
  | -    || 0 |
'''


def test_an_input_named_time_may_open_a_fact() -> None:
    compilation = compile_source(Source("t.mmdsl", NAMED_TIME), verify=False)
    assert compilation.guideline is not None, [d.message for d in compilation.diagnostics]
    assert [i.name for i in compilation.guideline.intervals] == ["stay"]
    facts = {"time": 60, "arrival": "2024-01-01", "now": "2024-01-02"}
    assert interpret(compilation.guideline, facts)["t"]["o"] == 1
