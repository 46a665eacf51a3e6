"""The generated module points at its source: each table's functions carry the table's name, each
rule's position in a decision core carries the rule's line as a comment, and the trace names the
line of every rule it names, so a traceback or a reader finds the row in the table file."""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from types import ModuleType

import pytest

from mmdsl.backends.python import render_module, table_identifier
from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir.model import IRGuideline
from tests.backend.support import FIXTURES, compile_file, compile_text, load_module, write_module


def generated(guideline: IRGuideline, folder: Path) -> ModuleType:
    return load_module(write_module(guideline, folder))


TAKES = re.compile(r"(?:matched\.append\((\d+)\)|return (\d+)|matched\.extend\(\(([\d, ]+)\)\))"
                   r"  # lines? ([\d, ]+)$")


@pytest.mark.parametrize(("number", "name", "identifier"), [
    (1, "recommendations", "table_1_recommendations"),
    (2, "x-y", "table_2_x_y"),
    (3, "café", "table_3_cafe"),
    (4, "剂量", "table_4"),  # no ASCII letter: the position alone
    (5, "Dose_Level-2", "table_5_Dose_Level_2"),
])
def test_a_table_identifier_is_its_position_and_its_name_in_ascii(number: int, name: str,
                                                                  identifier: str) -> None:
    assert table_identifier(number, name) == identifier
    assert identifier.isidentifier() and identifier.isascii()


def test_each_table_function_is_named_after_its_table(tmp_path: Path) -> None:
    guideline = compile_file(FIXTURES / "small.mmdsl")
    module = generated(guideline, tmp_path)
    for number, (table, (data, function, *_)) in enumerate(
            zip(guideline.tables, module.TABLES, strict=True), start=1):
        assert function.__name__ == f"table_{number}_{table.name}"
        assert callable(getattr(module, f"{function.__name__}_core"))
        assert data is getattr(module, function.__name__.upper())


def test_every_rule_taken_in_a_core_carries_its_line() -> None:
    guideline = compile_file(FIXTURES / "policies.mmdsl")
    text = render_module(guideline)
    cores = re.split(r"\ndef (table_\w+)_core\(", text)[1:]
    assert len(cores) // 2 == len(guideline.tables)
    seen = 0
    for table, body in zip(guideline.tables, cores[1::2], strict=True):
        body = body.split("\ndef ", 1)[0]
        for line in body.splitlines():
            if "matched.append" in line or "matched.extend" in line or re.search(r"return \d", line):
                found = TAKES.search(line)
                assert found is not None, line
                positions = [int(p) for p in (found[1] or found[2] or found[3]).split(",")]
                lines = [int(n) for n in found[4].split(",")]
                assert lines == [table.rules[p].line for p in positions], line
                seen += 1
    assert seen >= sum(len(t.rules) for t in guideline.tables) // 2


TWO_TABLES = """\
guideline g "G"
input n: integer 0..10 "a number"

table first-step
  output o: one of a, b
  | rule  | n    || o |
  |-------|------||---|
  | small | <= 5 || a |
  | big   | > 5  || b |
"""


def test_the_trace_names_the_line_of_each_rule_the_same_both_ways(tmp_path: Path) -> None:
    guideline = compile_text(TWO_TABLES)
    module = generated(guideline, tmp_path)
    source = TWO_TABLES.splitlines()
    for n, rule in ((2, "small"), (9, "big")):
        expected = [line for line in module.evaluate({"n": n})["trace"] if "rule" in line]
        assert expected == interpret(guideline, {"n": n})["trace"]
        number = int(re.fullmatch(rf"first-step: rule {rule} \(line (\d+)\) matched \(.*\)",
                                  expected[0])[1])  # type: ignore[index]
        assert source[number - 1].lstrip("| ").startswith(rule)


def test_a_traceback_through_a_table_names_the_table(tmp_path: Path) -> None:
    guideline = compile_text(TWO_TABLES)
    module = generated(guideline, tmp_path)
    values = module.read_facts({"n": 1})
    del values["n"]  # a broken value: the core fails on reading it
    with pytest.raises(KeyError) as failure:
        module.TABLES[0][1](values)
    frames = [frame.name for frame in traceback.extract_tb(failure.value.__traceback__)]
    assert frames[-2:] == ["table_1_first_step", "table_1_first_step_core"]
