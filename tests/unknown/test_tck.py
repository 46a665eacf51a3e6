"""The TCK's ternary-logic folders (null inputs) pass with inputs imported `or unknown`."""

from __future__ import annotations

import pytest

from tests.dmn.tck import cases_in, outcome_of, tck_folder


@pytest.mark.parametrize("folder", ["0106-feel-ternary-logic", "0107-feel-ternary-logic-not"])
def test_ternary_logic_folders_pass(folder: str) -> None:
    cases = cases_in(tck_folder() / "compliance-level-2" / folder)
    assert cases and any(None in case.inputs.values() for case in cases)
    outcomes = {case.id: outcome_of(case) for case in cases}
    assert all(o.status == "passed" for o in outcomes.values()), outcomes
