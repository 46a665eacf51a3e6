"""Session-wide pytest hooks."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The DMN TCK pass counts per folder (tests/dmn/test_tck.py), whatever `-q` or `-s` say."""
    tck = sys.modules.get("tests.dmn.tck")
    lines = tck.summary_lines() if tck is not None else []
    if lines:
        terminalreporter.section("DMN TCK")
        for line in lines:
            terminalreporter.write_line(line)
