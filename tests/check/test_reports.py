"""`reports(diagnostic, code)`: the typed way to ask a diagnostic's code (a misspelt code fails at
type check, see mmdsl/diagnostics/names.py), by code or by name."""

from __future__ import annotations

import pytest

from mmdsl.diagnostics.codes import lookup, reports
from mmdsl.source import NO_SPAN


def test_a_diagnostic_reports_its_code_by_code_and_by_name() -> None:
    dead = lookup("dead-rule").at("t.mmdsl", NO_SPAN, "never applies")
    assert reports(dead, "MD600") and reports(dead, "dead-rule")
    assert not reports(dead, "MD900") and not reports(dead, "internal-error")


def test_an_unregistered_code_is_no_silent_false() -> None:
    dead = lookup("MD600").at("t.mmdsl", NO_SPAN, "never applies")
    with pytest.raises(KeyError):
        reports(dead, "MD9OO")  # type: ignore[arg-type]
