"""Hints for the habits of guideline authors: what the language already accepts as they write it,
and that the fix each hint carries, applied, leaves a file without that error."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmdsl.diagnostics import Diagnostic, has_errors
from mmdsl.pipeline import compile_source
from mmdsl.source import Source

FIXTURES = Path(__file__).parent.parent / "fixtures" / "diagnostics"

TABLE = """guideline anticoagulation "Anticoagulation"

input age: integer 18..120 "age in years"

table dose "Apixaban dose"
  hit first
  output dose: one of reduced, standard
  | age   || dose     |
  | {cell} || reduced  |
  | -     || standard |
"""


@pytest.mark.parametrize("cell", ["≥ 80", "≥80", ">=80", "≤ 30", "<=30", "≠ 50"])
def test_comparisons_as_guidelines_write_them_are_accepted(cell: str) -> None:
    compilation = compile_source(Source("t.mmdsl", TABLE.format(cell=cell)))
    assert not has_errors(compilation.diagnostics), compilation.diagnostics


def apply_fix(text: str, diagnostic: Diagnostic) -> str:
    fix = diagnostic.data["fix"]
    return text[:fix["start"]] + fix["text"] + text[fix["end"]:]


HINTS_WITH_FIXES = ["MD115-range-with-dash", "MD116-text-on-next-line", "MD117-unit-after-number",
                    "MD118-reversed-comparison", "MD119-number-plus", "MD103-row-cell-count.trailing-bar"]


@pytest.mark.parametrize("name", HINTS_WITH_FIXES)
def test_the_fix_of_a_hint_removes_its_error(name: str) -> None:
    text = (FIXTURES / f"{name}.mmdsl").read_text(encoding="utf-8")
    [diagnostic] = compile_source(Source("f.mmdsl", text)).diagnostics
    fixed = apply_fix(text, diagnostic)
    assert fixed != text
    assert compile_source(Source("f.mmdsl", fixed)).diagnostics == []


@pytest.mark.parametrize(("written", "meant"), [("65-74", "65..74"), ("65 - 74", "65..74"),
                                                ("65–74", "65..74"), ("0.5-1.5", "0.5..1.5")])
def test_a_dashed_range_in_any_spelling_is_named(written: str, meant: str) -> None:
    text = TABLE.format(cell=written)
    [diagnostic] = compile_source(Source("t.mmdsl", text)).diagnostics
    assert diagnostic.code == "MD115"
    assert diagnostic.help == f"write a range as {meant}"


def test_a_misspelt_keyword_before_quoted_text_is_not_called_a_unit() -> None:
    text = 'guideline g "G"\n\ninput w: decimal 0..300 unitt "kg" "weight"\n'
    [diagnostic] = compile_source(Source("t.mmdsl", text)).diagnostics
    assert diagnostic.code == "MD100"
