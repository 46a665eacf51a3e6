"""Dates and times (issue 18): `date and time` and `evaluation date and time` inputs, durations
between them in minutes, hours, days and weeks, fixed dates and times in cells and conditions,
through the syntax, the checks, the interpreter, the generated module and the JSON Schema (the
DMN export and import: tests/dmn/test_datetime_*.py; the cohort SQL:
tests/cohort/test_datetime.py). The worked guideline is examples/stroke_thrombolysis.mmdsl."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir import model as ir
from mmdsl.pipeline import compile_source
from mmdsl.runtime.prelude import InputError, parse_date_time
from mmdsl.source import Source
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module
from tests.backend.support import compile_text, load_module, write_module
from tests.cohort.support import ROOT, patients, rows_of

STROKE = ROOT / "examples" / "stroke_thrombolysis.mmdsl"

CELLS = """guideline arrivals "Arrivals"

input now: evaluation date and time "the moment of the decision"
input arrival: date and time "time of arrival"
input onset: date and time "time of symptom onset"

fact since_onset "time since onset" = time from onset to now
fact door "time from arrival" = time from arrival to now
fact night_shift "arrived in the night shift" = arrival >= 2024-03-01T20:00 and arrival < 2024-03-02T08:00

table triage "Triage"
  hit first
  output lane: one of stroke_team, fast, usual, weekend
  | rule    | arrival                                    | since_onset      | door          || lane        |
  | team    | -                                          | < 4 hours        | <= 30 minutes || stroke_team |
  | fast    | [2024-03-01T08:00..2024-03-01T20:00[       | [4 hours..1 day] | -             || fast        |
  | weekend | 2024-03-02T00:00..2024-03-03T23:59:59      | -                | -             || weekend     |
  | rest    | not (2024-03-01T12:00, < 2024-01-01T00:00) | -                | -             || usual       |
"""


def stamp(value: datetime, offset: bool) -> str:
    text = value.isoformat(timespec="seconds" if value.second else "minutes")
    return text.replace("+00:00", "Z") if offset else text


def by_hand(facts: dict[str, Any]) -> str | None:
    """The triage table, counted here with the standard library alone."""
    now, arrival, onset = (datetime.fromisoformat(facts[k].replace("Z", "+00:00"))
                           for k in ("now", "arrival", "onset"))
    since_onset = (now - onset) // timedelta(seconds=1)
    door = (now - arrival) // timedelta(seconds=1)
    clock = arrival.replace(tzinfo=None)
    if since_onset < 4 * 3600 and door <= 30 * 60:
        return "stroke_team"
    if datetime(2024, 3, 1, 8) <= clock < datetime(2024, 3, 1, 20) \
            and 4 * 3600 <= since_onset <= 86_400:
        return "fast"
    if datetime(2024, 3, 2) <= clock <= datetime(2024, 3, 3, 23, 59, 59):
        return "weekend"
    if clock != datetime(2024, 3, 1, 12) and clock >= datetime(2024, 1, 1):
        return "usual"
    return None


def random_facts(rng: random.Random) -> dict[str, Any]:
    offset = rng.random() < 0.5
    zone = timezone(timedelta(minutes=rng.choice([0, 60, -300, 330]))) if offset else None
    now = datetime(2024, 3, 1, 12, tzinfo=zone) + timedelta(minutes=rng.randrange(-3000, 3000))
    arrival = now - timedelta(minutes=rng.choice([0, 1, 29, 30, 31, 600]) + rng.randrange(3),
                              seconds=rng.choice([0, 0, 5]))
    onset = now - timedelta(minutes=rng.choice([239, 240, 241, 1439, 1440, 1441, 3000]))
    if offset and rng.random() < 0.3:  # another offset: the instants count, not the clocks
        onset = onset.astimezone(timezone(timedelta(hours=-7)))
    return {"now": stamp(now, offset), "arrival": stamp(arrival, offset),
            "onset": stamp(onset, offset)}


# ---- syntax and checks ------------------------------------------------------------------------


def test_date_and_time_types_and_values_parse() -> None:
    module, problems = parse_module(Source("f.mmdsl", CELLS))
    assert problems == []
    inputs = [s for s in module.statements if isinstance(s, ast.InputDecl)]
    assert [(i.type.evaluation, i.type.time) for i in inputs  # type: ignore[union-attr]
            ] == [(True, True), (False, True), (False, True)]
    table = next(s for s in module.statements if isinstance(s, ast.TableDecl))
    fast = table.rows[1].cells[1].test
    assert isinstance(fast, ast.RangeTest) and isinstance(fast.low, ast.DateTimeValue)
    assert (fast.low.text, fast.high.text) == ("2024-03-01T08:00", "2024-03-01T20:00")


def codes_of(text: str) -> list[tuple[str, str]]:
    found = compile_source(Source("t.mmdsl", text)).diagnostics
    return [(d.code, f"{d.message} {d.help}") for d in found if d.code not in ("MD606", "MD612")]


def one_cell(cell: str, column: str = "since") -> list[tuple[str, str]]:
    return codes_of('guideline g "G"\ninput now: evaluation date and time "n"\n'
                    'input onset: date and time "o"\ninput day: date "d"\n'
                    'input today: date "t"\n'
                    'fact since "s" = time from onset to now\n'
                    'fact stay "l" = time from day to today\n'
                    f"table t\n  hit first\n  output ok: yes/no\n  | {column} || ok |\n"
                    f"  | {cell} || no |\n  | - || yes |\n")


@pytest.mark.parametrize(("cell", "column", "code", "words"), [
    ("< 2 months", "since", "MD325", "`2 months` counts calendar months"),
    (">= 1 year", "since", "MD325", "counts calendar months"),
    ("> 48 hours", "stay", "MD325", "`48 hours` needs clock times"),
    ("< 30 minutes", "stay", "MD325", "needs clock times"),
    ("< 4 hourz", "since", "MD310", "`hourz` is not a unit of time"),
    ("< 4", "since", "MD300", "`4 minutes`"),
    ("4 hours..2 hours", "since", "MD303", "contains no duration"),
    ("< 2024-02-30T10:00", "onset", "MD326", "not a date and time that exists"),
    (">= 2024-03-01T25:00", "onset", "MD326", "not a date and time that exists"),
    ("< 2024-03-01T08:00Z", "onset", "MD326", "has an offset"),
    ("< 2024-03-01T08:00+01:00", "onset", "MD326", "has an offset"),
    ("2024-03-02T00:00..2024-03-01T00:00", "onset", "MD303", "contains no moment"),
    ("< 2024-03-01", "onset", "MD300", "a day without a clock time"),
    ("< 4 hours", "onset", "MD311", "is a date and time, tested here"),
    ("< 2024-03-01T08:00", "day", "MD300", "tested here with a date and time"),
    ("2024-03-01T08:00", "day", "MD300", "tested here with a date and time"),
    ("2024-03-01", "onset", "MD300", "a day without a clock time"),
])
def test_mistakes_have_their_codes(cell: str, column: str, code: str, words: str) -> None:
    found = one_cell(cell, column)
    assert [c for c, _ in found] == [code], found
    assert words in found[0][1], found


def test_the_units_of_each_kind_of_duration_are_accepted() -> None:
    for cell in ("< 4 hours", "<= 270 minutes", "[1 hour..4 hours[", "< 1 day", ">= 2 weeks",
                 "1 minute"):
        assert one_cell(cell) == [], cell
    for cell in ("< 60 days", ">= 6 weeks", "12 months..5 years", "< 1 day"):
        assert one_cell(cell, "stay") == [], cell


def test_a_duration_from_a_date_to_a_date_and_time_is_md324() -> None:
    found = codes_of('guideline g "G"\ninput today: evaluation date "t"\n'
                     'input onset: date and time "o"\nfact since "s" = time from onset to today\n'
                     "table t\n  output ok: yes/no\n  | since || ok |\n  | < 1 day || yes |\n")
    assert [c for c, _ in found] == ["MD324"], found


def test_one_evaluation_date_or_date_and_time_and_no_default() -> None:
    found = codes_of('guideline g "G"\ninput today: evaluation date "t"\n'
                     'input now: evaluation date and time "n"\n'
                     'input onset: date and time default 2024-03-01T10:00 "o"\n')
    assert [c for c, _ in found if c != "MD408"] == ["MD314", "MD315"], found


def test_worked_examples_take_offsets_and_refuse_what_does_not_exist() -> None:
    text = STROKE.read_text("utf-8") + ('\nexample bad "b"\n  now: 2024-03-01T24:00\n'
                                         "  last_known_well: 2024-03-01T10:00+25:00\n"
                                         "  haemorrhage: no\n  expect thrombolysis.advice: give\n")
    assert [c for c, _ in codes_of(text)] == ["MD326", "MD326"]


# ---- the facts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-01T14:30", datetime(2024, 3, 1, 14, 30)),
    ("2024-03-01T14:30:05", datetime(2024, 3, 1, 14, 30, 5)),
    ("2024-03-01T14:30Z", datetime(2024, 3, 1, 14, 30, tzinfo=UTC)),
    ("2024-03-01T14:30:05-05:00", datetime(2024, 3, 1, 14, 30, 5,
                                           tzinfo=timezone(timedelta(hours=-5)))),
    ("2024-02-29T23:59+01:00", datetime(2024, 2, 29, 23, 59, tzinfo=timezone(timedelta(hours=1)))),
    ("2023-02-29T10:00", None), ("2024-03-01T24:00", None), ("2024-03-01T10:60", None),
    ("2024-03-01T10:00:60", None), ("2024-03-01T10:00+24:00", None), ("2024-03-01 10:00", None),
    ("2024-03-01T10", None), ("2024-03-01", None), ("2024-03-01T10:00:00.5", None),
    ("2024-03-01t10:00", None), ("2024-03-01T10:00+0100", None), ("", None),
])
def test_the_facts_accept_exactly_the_documented_forms(text: str, expected: datetime | None) -> None:
    assert parse_date_time(text) == expected


@pytest.fixture(scope="module")
def stroke() -> ir.IRGuideline:
    return compile_text(STROKE.read_text("utf-8"), "examples/stroke_thrombolysis.mmdsl")


def test_bad_facts_are_refused_naming_each_field_at_once(stroke: ir.IRGuideline) -> None:
    with pytest.raises(InputError) as refused:
        interpret(stroke, {"now": "2024-02-30T10:00", "last_known_well": 20240301,
                           "haemorrhage": "no"})
    assert [e["field"] for e in refused.value.errors] == ["now", "last_known_well", "haemorrhage"]
    assert "not a date and time that exists" in refused.value.errors[0]["message"]


def test_one_end_with_an_offset_and_the_other_without_is_refused(stroke: ir.IRGuideline,
                                                                  tmp_path: Path) -> None:
    facts = {"now": "2024-03-01T14:30Z", "last_known_well": "2024-03-01T10:00",
             "haemorrhage": False}
    module = load_module(write_module(stroke, tmp_path))
    for evaluate in (lambda f: interpret(stroke, f), module.evaluate):
        with pytest.raises((InputError, module.InputError)) as refused:
            evaluate(facts)
        [error] = refused.value.errors
        assert error["field"] == "last_known_well" and "now has one" in error["message"]


def test_offsets_count_instants_and_clock_times_count_as_written(stroke: ir.IRGuideline) -> None:
    # Clocks went forward in central Europe at 02:00 on 31 March 2024: 00:00 to 04:30 by the
    # clock is 3.5 hours with the offsets given, 4.5 hours by the clock times alone.
    aware = interpret(stroke, {"now": "2024-03-31T04:30+02:00",
                               "last_known_well": "2024-03-31T00:00+01:00", "haemorrhage": False})
    naive = interpret(stroke, {"now": "2024-03-31T04:30", "last_known_well": "2024-03-31T00:00",
                               "haemorrhage": False})
    assert aware["thrombolysis"]["advice"] == "give"
    assert naive["thrombolysis"]["advice"] == "advanced_imaging"
    assert aware["trace"][0] == "fact since_well: 3 hours 30 minutes (210 minutes)"
    assert naive["trace"][0] == "fact since_well: 4 hours 30 minutes (270 minutes)"
    assert aware["evaluation_date_time"] == "2024-03-31T04:30:00+02:00"
    assert naive["evaluation_date_time"] == "2024-03-31T04:30:00"
    assert "evaluation_date" not in aware


# ---- the evaluators agree, with a count made here ----------------------------------------------


def lane(decision: dict[str, Any]) -> str | None:
    return (decision["triage"] or {}).get("lane")


def test_interpreter_and_module_agree_with_a_count_by_hand(tmp_path: Path) -> None:
    guideline = compile_text(CELLS)
    module = load_module(write_module(guideline, tmp_path))
    rng = random.Random(1430)
    lanes = set()
    for _ in range(1_500):
        facts = random_facts(rng)
        decision = interpret(guideline, facts)
        expected = by_hand(facts)
        lanes.add(expected)
        assert lane(decision) == expected, facts
        arrival = datetime.fromisoformat(facts["arrival"].replace("Z", "+00:00")).replace(tzinfo=None)
        assert decision["derived"]["night_shift"] is (
            datetime(2024, 3, 1, 20) <= arrival < datetime(2024, 3, 2, 8)), facts
        assert decision == module.evaluate(facts), facts
    assert lanes >= {"stroke_team", "fast", "weekend", "usual"}
    noon = {"now": "2024-03-01T18:00+01:00", "arrival": "2024-03-01T12:00-05:00",
            "onset": "2024-02-28T09:00Z"}  # the clock time of `arrival` is the one left out
    assert by_hand(noon) is None
    assert lane(interpret(guideline, noon)) is None
    assert module.evaluate(noon) == interpret(guideline, noon)


def test_the_worked_guideline_passes_its_examples() -> None:
    compilation = compile_source(Source(str(STROKE), STROKE.read_text("utf-8")), run_examples=True)
    assert [d.code for d in compilation.diagnostics] == []  # proved complete, no overlap


# ---- the other products -------------------------------------------------------------------------


def test_the_schema_marks_dates_and_times(stroke: ir.IRGuideline) -> None:
    from mmdsl.backends.schema.decision import decision_schema
    from mmdsl.backends.schema.facts import facts_schema

    # no `"format": "date-time"`: a validator asserting formats holds it to RFC 3339 (seconds
    # and an offset) and would refuse facts mmdsl accepts; the pattern says exactly what is valid
    now = facts_schema(stroke)["properties"]["now"]
    assert now["type"] == "string" and "format" not in now
    assert re.fullmatch(now["pattern"].strip("^$"), "2024-03-01T14:30")
    assert not re.search(now["pattern"], "2024-03-01 14:30")
    given = interpret(stroke, {"now": "2024-03-01T14:30", "last_known_well": "2024-03-01T10:00",
                               "haemorrhage": False})["evaluation_date_time"]
    moment = decision_schema(stroke)["properties"]["evaluation_date_time"]
    assert "format" not in moment and re.search(moment["pattern"], given), given


def test_cohort_generate_draws_valid_dates_and_times_around_each_threshold(
        stroke: ir.IRGuideline) -> None:
    columns = patients(stroke, 400, seed=5)  # `mmdsl cohort --generate`
    minutes = []
    for facts in rows_of(columns):
        interpret(stroke, facts)  # valid facts: no InputError
        now, well = (datetime.fromisoformat(facts[k]) for k in ("now", "last_known_well"))
        minutes.append((now - well) // timedelta(minutes=1))
    for threshold in (0, 270, 1440):
        assert any(m < threshold for m in minutes) and any(m >= threshold for m in minutes)


def test_the_review_document_says_hours_and_clock_times_in_words() -> None:
    from mmdsl.backends.review import render_markdown

    text = render_markdown(compile_text(CELLS), None)
    assert "“time since onset” is less than 4 hours" in text
    assert "“time from arrival” is at most 30 minutes" in text
    assert ("“time of arrival” is at or after 08:00 on 1 March 2024 but before 20:00 on 1 March "
            "2024") in text
    assert "from 00:00 on 2 March 2024 to 23:59:59 on 3 March 2024" in text
    assert "in minutes, hours, days of 24 hours or weeks" in text
    assert "date and time" in text


def test_the_serve_form_takes_dates_and_times_as_typed_text(stroke: ir.IRGuideline) -> None:
    from mmdsl.serve.form import facts_from_form, form_fields

    entered = {"now": ["2024-03-01T14:29+01:00"], "last_known_well": ["2024-03-01T10:00+01:00"],
               "haemorrhage": ["no"]}
    now = next(f for f in form_fields(stroke, entered) if f.name == "now")
    assert (now.widget, now.value) == ("text", "2024-03-01T14:29+01:00")
    assert "2024-03-01T14:30" in now.hint
    facts = facts_from_form(stroke, entered)
    assert interpret(stroke, facts)["thrombolysis"]["advice"] == "give"


def test_a_fraction_of_an_hour_asks_for_minutes() -> None:
    text = STROKE.read_text("utf-8").replace("< 270 minutes", "< 4.5 hours  ")
    [(code, message)] = [(c, m) for c, m in codes_of(text) if c != "MD604"]
    assert code == "MD117" and "`270 minutes` for 4.5 hours" in message, message


def test_a_date_and_time_written_with_a_space_asks_for_the_t() -> None:
    text = STROKE.read_text("utf-8").replace("now: 2024-03-01T14:29", "now: 2024-03-01 14:29")
    found = compile_source(Source("s.mmdsl", text)).diagnostics
    [(code, message, data)] = [(d.code, d.message, d.data) for d in found]
    assert code == "MD326" and "with a T" in message, message
    assert data["fix"]["text"] == "2024-03-01T14:29"


def test_the_schema_pattern_accepts_exactly_what_the_facts_accept() -> None:
    import re

    from mmdsl.backends.schema.facts import DATE_TIME_PATTERN

    pattern = re.compile(DATE_TIME_PATTERN)
    rng = random.Random(29)
    days = [f"{y:04d}-{m:02d}-{d:02d}" for y in (0, 1, 1900, 2000, 2023, 2024, 2100, 2400, 9999)
            for m in (0, 1, 2, 4, 12, 13) for d in (0, 1, 28, 29, 30, 31, 32)]
    clocks = ["00:00", "23:59", "24:00", "12:60", "09:30:59", "09:30:60", "9:30"]
    offsets = ["", "Z", "+00:00", "-23:59", "+24:00", "+01:60", "z", "+0100"]
    texts = [f"{d}T{c}{o}" for d in days for c in clocks for o in offsets]
    for text in [*rng.sample(texts, 3_000), "2024-03-01 10:00", "2024-03-01T10:00:00.5"]:
        assert bool(pattern.match(text)) == (parse_date_time(text) is not None), text
