"""The DMN TCK through `mmdsl import` and the interpreter (see tests/dmn/tck.py for how a case
runs). The pass counts per folder are printed at the end of the session (tests/conftest.py).

- compliance-level-2: the 17 decision-table folders, 51 test cases, every one must pass;
- compliance-level-3/0072-feel-in: every case whose expression is a literal tested against simple
  unary tests that mmdsl can state must pass; the others are recorded as out of scope with their
  reason (tests/dmn/feel_in.py).
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

import pytest

from mmdsl.dmn.importer import import_dmn
from mmdsl.interpreter import evaluate
from tests.dmn import feel_in
from tests.dmn.tck import (
    Case,
    cases_in,
    imported,
    problems_of,
    record,
    record_out_of_scope,
    run_case,
    tck_folder,
)

LEVEL_2 = tck_folder() / "compliance-level-2"
FEEL_IN = tck_folder() / "compliance-level-3" / "0072-feel-in"

if not LEVEL_2.is_dir():
    if os.environ.get("CI"):
        raise RuntimeError(f"the DMN TCK is missing at {tck_folder()}: set MMDSL_DMN_TCK")
    pytest.skip(f"the DMN TCK is not at {tck_folder()} (set MMDSL_DMN_TCK)", allow_module_level=True)


def level_2_cases() -> list[Case]:
    return [case for folder in sorted(LEVEL_2.iterdir()) if folder.is_dir()
            for case in cases_in(folder)]


@pytest.mark.parametrize("case", level_2_cases(), ids=lambda case: case.label)
def test_level_2(case: Case) -> None:
    problem = run_case(case, imported(case.model))
    record(case, problem is None)
    assert problem is None, problem


def test_level_2_is_all_there() -> None:
    """The 51 cases of 17 folders, each folder's model imported with no error at all."""
    cases = level_2_cases()
    assert len({case.folder for case in cases}) == 17
    assert len(cases) == 51
    for model in sorted({case.model for case in cases}):
        assert imported(model).ok, problems_of(imported(model))


# ---- compliance-level-3/0072-feel-in ------------------------------------------------------------------


def feel_in_expressions() -> dict[str, str]:
    return feel_in.expressions(FEEL_IN / "0072-feel-in.dmn")


def feel_in_cases() -> list[Any]:
    expressions = feel_in_expressions()
    found = []
    for case in cases_in(FEEL_IN):
        classified = feel_in.classify(case.id, expressions[case.expected[0].decision])
        if isinstance(classified, feel_in.InCase):
            found.append(pytest.param(case, classified, id=case.label))
    return found


@pytest.mark.parametrize("case, in_case", feel_in_cases())
def test_feel_in(case: Case, in_case: feel_in.InCase) -> None:
    result = import_dmn(feel_in.model_for(in_case), f"{case.id}.dmn", f"{case.id}.mmdsl")
    guideline = result.compilation.guideline if result.compilation else None
    if guideline is None:
        record(case, False)
        pytest.fail(f"`{in_case.expression}` does not import:\n{problems_of(result)}")
    value = in_case.value.value
    facts = {"value": float(value) if isinstance(value, Decimal) else value}
    actual = evaluate(guideline, facts)["derived"][result.translation.decisions[case.id].name]
    expected = case.expected[0].value
    record(case, actual is expected)
    assert actual is expected, f"`{in_case.expression}`: expected {expected}, got {actual}"


def test_feel_in_out_of_scope_cases_have_reasons() -> None:
    """Every case not run is recorded with the reason, and the in-scope ones are most of the
    number, string equality and boolean cases."""
    expressions = feel_in_expressions()
    cases = cases_in(FEEL_IN)
    in_scope = 0
    for case in cases:
        classified = feel_in.classify(case.id, expressions[case.expected[0].decision])
        if isinstance(classified, str):
            record_out_of_scope(case, classified)
        else:
            in_scope += 1
    assert len(cases) == 327  # 331 in the file, 4 of them commented out
    assert in_scope >= 50
