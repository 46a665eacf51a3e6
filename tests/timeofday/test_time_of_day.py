"""Times of day (issue 18): `time of day` inputs, a clock reading of any day (`14:30`), tested
against fixed times of day in clock order within one day (00:00 to 23:59:59, no wrap-around),
through the syntax, the checks, the interpreter, the generated module, the JSON Schema, the
review document, FHIR, `cohort --generate` and the verifier (exactly, brute force:
test_verify_time_of_day.py; the DMN export and import: tests/dmn/test_time_of_day_*.py; the
cohort SQL: tests/cohort/test_time_of_day.py)."""

from __future__ import annotations

import random
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir import model as ir
from mmdsl.pipeline import compile_source
from mmdsl.runtime.prelude import InputError, parse_time_of_day
from mmdsl.source import Source
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module
from tests.backend.support import compile_text, load_module, write_module
from tests.cohort.support import patients, rows_of

WARD = """guideline ward_arrival "Arrivals on the ward"

input arrival_clock: time of day "time of arrival on the ward"
input urgent: yes/no "urgent referral"

fact out_of_hours "admitted out of hours" = not (arrival_clock in [08:00..18:00[)
fact late "arrived late" = arrival_clock >= 17:00

table review "Senior review"
  hit first
  output lane: one of immediate, handover, routine, night
  | rule      | urgent | arrival_clock                 | out_of_hours || lane      |
  | urgent    | yes    | -                             | -            || immediate |
  | handover  | no     | [07:30..08:00[, 17:30:30      | -            || handover  |
  | routine   | no     | > 08:00, = 08:00              | no           || routine   |
  | night     | no     | not (12:00, < 06:00:15)       | yes          || night     |
"""


def by_hand(facts: dict[str, Any]) -> str | None:
    """The review table, counted here with the standard library alone."""
    clock = time.fromisoformat(facts["arrival_clock"])
    out_of_hours = not time(8) <= clock < time(18)
    if facts["urgent"]:
        return "immediate"
    if time(7, 30) <= clock < time(8) or clock == time(17, 30, 30):
        return "handover"
    if clock >= time(8) and not out_of_hours:
        return "routine"
    if clock != time(12) and not clock < time(6, 0, 15) and out_of_hours:
        return "night"
    return None


def random_facts(rng: random.Random) -> dict[str, Any]:
    seconds = rng.choice([0, 21_600, 21_615, 27_000, 28_800, 43_200, 61_200, 63_030, 64_800,
                          86_399]) + rng.choice([-1, 0, 0, 1, 60]) if rng.random() < 0.7 \
        else rng.randrange(86_400)
    seconds = min(max(seconds, 0), 86_399)
    hours, rest = divmod(seconds, 3600)
    text = f"{hours:02}:{rest // 60:02}" + (f":{rest % 60:02}" if rest % 60 else "")
    return {"arrival_clock": text, "urgent": rng.random() < 0.2}


def codes_of(text: str) -> list[tuple[str, str]]:
    found = compile_source(Source("t.mmdsl", text)).diagnostics
    return [(d.code, f"{d.message} {d.help}") for d in found
            if d.code not in ("MD606", "MD612", "MD408")]


def one_cell(cell: str, column: str = "arrival") -> list[tuple[str, str]]:
    return codes_of('guideline g "G"\ninput arrival: time of day "a"\ninput day: date "d"\n'
                    'input n: integer "n"\ninput today: evaluation date "t"\n'
                    'fact stay "s" = time from day to today\n'
                    f"table t\n  hit first\n  output ok: yes/no\n  | {column} || ok |\n"
                    f"  | {cell} || no |\n  | - || yes |\n")


# ---- syntax and checks ------------------------------------------------------------------------


def test_time_of_day_types_and_values_parse() -> None:
    module, problems = parse_module(Source("f.mmdsl", WARD))
    assert problems == []
    first = next(s for s in module.statements if isinstance(s, ast.InputDecl))
    assert isinstance(first.type, ast.TimeOfDayType)
    table = next(s for s in module.statements if isinstance(s, ast.TableDecl))
    handover = table.rows[1].cells[2].test
    assert isinstance(handover, ast.OneOfTest)
    low = handover.tests[0]
    assert isinstance(low, ast.RangeTest) and isinstance(low.low, ast.TimeOfDayValue)
    assert (low.low.text, low.high.text) == ("07:30", "08:00")


@pytest.mark.parametrize(("cell", "column", "code", "words"), [
    (">= 25:00", "arrival", "MD328", "not a time of day that exists"),
    ("< 10:61", "arrival", "MD328", "not a time of day that exists"),
    ("10:00:60", "arrival", "MD328", "not a time of day that exists"),
    ("< 08:00Z", "arrival", "MD328", "has an offset"),
    ("< 08:00+01:00", "arrival", "MD328", "write it as read on the clock: `08:00`"),
    ("[18:00..08:00[", "arrival", "MD303", "`not [08:00..18:00[`"),
    ("< 4 hours", "arrival", "MD300", "is a time of day, tested here"),
    ("< 2024-03-01", "arrival", "MD300", "is a time of day, tested here"),
    ("< 2024-03-01T08:00", "arrival", "MD300", "is a time of day, tested here"),
    ("< 8", "arrival", "MD300", "is a time of day, tested here"),
    (">= 08:00", "day", "MD300", "is a test on times of day, but `day` is a date"),
    ("08:00..09:00", "n", "MD300", "is a test on times of day"),
    ("< 08:00", "stay", "MD300", "is a test on times of day"),
])
def test_mistakes_have_their_codes(cell: str, column: str, code: str, words: str) -> None:
    found = one_cell(cell, column)
    assert [c for c, _ in found] == [code], found
    assert words in found[0][1], found


def test_the_accepted_cells() -> None:
    for cell in (">= 08:00", "< 17:30", "[08:00..17:00[", "08:00..17:00", "08:00, 09:30:15",
                 "not [08:00..18:00[", "= 12:00", "12:00", "00:00..23:59:59"):
        assert [c for c, _ in one_cell(cell) if c.startswith("MD3")] == [], cell


def test_no_duration_between_times_of_day() -> None:
    found = codes_of('guideline g "G"\ninput a: time of day "a"\ninput b: time of day "b"\n'
                     'fact d "d" = time from a to b\n'
                     "table t\n  output ok: yes/no\n  | d || ok |\n  | < 1 hour || yes |\n")
    assert [c for c, _ in found][:1] == ["MD312"], found
    assert "declare dates and times" in found[0][1]


def test_worked_examples_refuse_what_does_not_exist() -> None:
    text = WARD + ('\nexample bad "b"\n  arrival_clock: 24:00\n  urgent: no\n'
                   "  expect review.lane: night\n"
                   '\nexample zoned "z"\n  arrival_clock: 14:30Z\n  urgent: no\n'
                   "  expect review.lane: night\n")
    assert [c for c, _ in codes_of(text)] == ["MD328", "MD328"]


def test_a_time_of_day_has_no_default() -> None:
    found = codes_of('guideline g "G"\ninput a: time of day default 08:00 "a"\n'
                     "table t\n  output ok: yes/no\n  | a || ok |\n  | < 08:00 || yes |\n")
    assert [c for c, _ in found] == ["MD315"], found
    assert "is a time of day, which has no default" in found[0][1]


def test_a_table_output_is_no_time_of_day() -> None:
    found = codes_of('guideline g "G"\ninput a: yes/no "a"\n'
                     "table t\n  output when: time of day\n  | a || when |\n  | yes || - |\n")
    assert "not a time of day" in " ".join(words for _, words in found), found


# ---- the facts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("14:30", time(14, 30)), ("14:30:05", time(14, 30, 5)), ("00:00", time(0)),
    ("23:59:59", time(23, 59, 59)), ("24:00", None), ("10:60", None), ("10:00:60", None),
    ("9:30", None), ("14:30Z", None), ("14:30+01:00", None), ("14:30:05.5", None),
    ("1430", None), ("", None), (1430, None),
])
def test_the_facts_accept_exactly_the_documented_forms(text: object, expected: time | None) -> None:
    assert parse_time_of_day(text) == expected


@pytest.fixture(scope="module")
def ward() -> ir.IRGuideline:
    return compile_text(WARD)


def test_bad_facts_are_refused_naming_each_field_at_once(ward: ir.IRGuideline) -> None:
    for given, words in (("25:00", "not a time of day that exists"),
                         ("14:30+01:00", "has an offset"), ("2pm", "expected a time of day")):
        with pytest.raises(InputError) as refused:
            interpret(ward, {"arrival_clock": given, "urgent": "no"})
        assert [e["field"] for e in refused.value.errors] == ["arrival_clock", "urgent"]
        assert words in refused.value.errors[0]["message"]


# ---- the evaluators agree, with a count made here ----------------------------------------------


def test_interpreter_and_module_agree_with_a_count_by_hand(ward: ir.IRGuideline,
                                                           tmp_path: Path) -> None:
    module = load_module(write_module(ward, tmp_path))
    rng = random.Random(1730)
    lanes = set()
    for _ in range(1_500):
        facts = random_facts(rng)
        decision = interpret(ward, facts)
        expected = by_hand(facts)
        lanes.add(expected)
        assert (decision["review"] or {}).get("lane") == expected, facts
        clock = time.fromisoformat(facts["arrival_clock"])
        assert decision["derived"]["late"] is (clock >= time(17)), facts
        assert decision == module.evaluate(facts), facts
    assert lanes == {"immediate", "handover", "routine", "night", None}


# ---- the other products -------------------------------------------------------------------------


def test_the_schema_gives_the_pattern_not_the_time_format(ward: ir.IRGuideline) -> None:
    import re

    from mmdsl.backends.schema.facts import facts_schema

    clock = facts_schema(ward)["properties"]["arrival_clock"]
    assert clock["type"] == "string" and "format" not in clock
    for text in ("14:30", "14:30:05", "00:00", "23:59:59", "24:00", "10:60", "14:30Z", "9:30"):
        assert bool(re.fullmatch(clock["pattern"], text)) is (parse_time_of_day(text) is not None)


def test_the_review_document_says_clock_times_in_words(ward: ir.IRGuideline) -> None:
    from mmdsl.backends.review import render_markdown

    text = render_markdown(ward, None)
    assert "“time of arrival on the ward” is at or after 17:00" in text
    assert "at or after 07:30 but before 08:00" in text
    assert "time of day" in text


def test_fhir_asks_a_time_question(ward: ir.IRGuideline) -> None:
    from mmdsl.fhir.resources import ITEM_TYPES

    assert ITEM_TYPES["time"] == "time"


def test_cohort_generate_draws_valid_times_around_each_threshold(ward: ir.IRGuideline) -> None:
    clocks = []
    for facts in rows_of(patients(ward, 300, seed=5)):  # `mmdsl cohort --generate`
        interpret(ward, facts)  # valid facts: no InputError
        clocks.append(time.fromisoformat(facts["arrival_clock"]))
    for threshold in (time(8), time(17), time(18), time(17, 30, 30)):
        assert any(c < threshold for c in clocks) and any(c >= threshold for c in clocks)
    assert time(8) in clocks


def test_the_cohort_sql_compares_seconds_since_midnight(ward: ir.IRGuideline) -> None:
    from mmdsl.backends.sql import render_sql

    query = render_sql(ward)
    assert "61200" in query and "27000" in query  # 17:00 and 07:30 (tests/cohort: decisions)


def test_the_verifier_checks_the_ward_table_without_md606() -> None:
    found = compile_source(Source("t.mmdsl", WARD)).diagnostics
    assert not any(d.code == "MD606" for d in found), [d.message for d in found]
