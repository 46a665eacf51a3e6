"""The issue-14 fuzz campaigns, small, inside `make test` (`make fuzz` runs them at scale)."""

from __future__ import annotations

import pytest

from tests.reliability.hostile_campaigns import case_names, special_outputs


def test_names_differing_in_case_are_always_refused() -> None:
    outcome = case_names(seed=14, count=150)
    assert outcome.tried == 150 and not outcome.failures, outcome.failures[:3]


def test_every_command_refuses_every_special_output() -> None:
    pytest.importorskip("duckdb")
    outcome = special_outputs()
    assert outcome.tried == 24 and not outcome.failures, outcome.failures[:3]
