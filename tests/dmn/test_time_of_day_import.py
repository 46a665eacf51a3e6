"""Times of day (issue 18) in the DMN import: `time` inputs tested against FEEL times
(`time("10:30:05")`, `@"10:30:05"`) as mmdsl's fixed times of day; an offset or a zone, a
fraction of a second, a time that does not exist, or a value of another kind is MD703 with its
reason. The export's round trip comes back with the same decisions."""

from __future__ import annotations

import random

import pytest

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.frontends.dmn.importer import import_dmn
from mmdsl.interpreter import evaluate
from tests.backend.support import compile_text
from tests.dmn.support import codes, decide, imported, input_data, model, problems, table
from tests.dmn.test_time_of_day_export import patient
from tests.timeofday.test_time_of_day import WARD

CLOCK = input_data("arrival", "time")


def band_table(cells: list[str]) -> str:
    return table("band", 'hitPolicy="FIRST"', ["arrival"], ['<output name="band" typeRef="string"/>'],
                 [[cell, f'"{index}"'] for index, cell in enumerate(cells)])


@pytest.mark.parametrize("cell, written", [
    ('>= time("10:30:05")', ">= 10:30:05"),
    ('[@"08:00:00"..time("18:00:00"))', "[08:00..18:00["),
    ('not(@"12:00:00", < @"06:00:00")', "not (12:00, < 06:00)"),
    ('!= time("10:30:05.000")', "!= 10:30:05"),
    ('time("23:59:59")', "23:59:59"),
])
def test_a_time_column_reads_fixed_times_of_day(cell: str, written: str) -> None:
    result = imported(model(CLOCK + band_table([cell])))
    assert result.ok, problems(result)
    assert result.text is not None and "input arrival: time of day" in result.text
    assert f"| {written} " in result.text, result.text


def test_a_fact_compares_times_of_day() -> None:
    fact = ('<decision id="f" name="late"><variable name="late" typeRef="boolean"/>'
            '<literalExpression><text>arrival &gt;= time("17:00:00")</text></literalExpression>'
            "</decision>")
    result = imported(model(CLOCK + fact))
    assert result.ok, problems(result)
    assert result.text is not None and "arrival >= 17:00" in result.text
    assert decide(result, {"arrival": "17:00"})["derived"]["late"] is True
    assert decide(result, {"arrival": "16:59:59"})["derived"]["late"] is False


@pytest.mark.parametrize("cell, why", [
    ('< time("10:30:05+01:00")', "it has an offset or a time zone"),
    ('< time("10:30:05Z")', "it has an offset or a time zone"),
    ('< @"10:30:05@Europe/Paris"', "it has an offset or a time zone"),
    ('< time("10:30:05.5")', "whole seconds"),
    ('< time("24:00:00")', "does not exist"),
    ('< date("2018-12-08")', "the calendar date"),
    ("< 5", "compares a time of day with a number"),
    ('< duration("PT4H")', "the duration"),
])
def test_what_mmdsl_cannot_say_of_times_of_day_is_md703(cell: str, why: str) -> None:
    result = imported(model(CLOCK + band_table([cell])))
    assert "MD703" in codes(result), problems(result)
    assert why in problems(result)


def test_the_export_comes_back_with_the_same_decisions() -> None:
    original = compile_text(WARD)
    result = import_dmn(export_dmn(original).text.encode("utf-8"), "exported.dmn",
                        "imported.mmdsl")
    assert result.ok, problems(result)
    assert result.compilation is not None and result.compilation.guideline is not None
    back = result.compilation.guideline
    rng = random.Random(62)
    for facts in [patient(rng) for _ in range(150)]:
        mine, theirs = evaluate(original, facts), evaluate(back, facts)
        assert (mine["status"], mine["derived"], mine.get("review")) == \
            (theirs["status"], theirs["derived"], theirs.get("review")), facts
