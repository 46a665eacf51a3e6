"""A failure inside the compiler reaches the author as MD900, never as a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmdsl import pipeline
from mmdsl.check import registry
from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.ir import model as ir
from mmdsl.semantics.symbols import Symbols
from mmdsl.source import Source

SAMPLE = (Path(__file__).parent.parent / "fixtures" / "check" / "small.mmdsl").read_text("utf-8")


def test_an_exception_in_lowering_becomes_md900(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_lower(source: Source, symbols: Symbols, clinical: object = None) -> ir.IRGuideline:
        raise KeyError("tier")

    monkeypatch.setattr(pipeline, "lower", broken_lower)
    compilation = pipeline.compile_source(Source("sample.mmdsl", SAMPLE), verify=False)
    assert [d.code for d in compilation.diagnostics] == ["MD900"]
    assert compilation.diagnostics[0].message == "internal compiler error in lowering: KeyError: 'tier'"
    assert compilation.guideline is None
    assert not compilation.ok


def test_an_exception_in_a_check_becomes_md900_and_the_other_checks_still_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_check(context: CheckContext) -> list[Diagnostic]:
        raise ValueError("boom")

    monkeypatch.setattr(registry, "CHECKS", [broken_check, *registry.CHECKS])
    text = SAMPLE.replace("| r1   | yes |", "| r1   | 3   |")
    compilation = pipeline.compile_source(Source("sample.mmdsl", text), verify=False)
    codes = [d.code for d in compilation.diagnostics]
    assert codes == ["MD900", "MD300"]
    assert "ValueError: boom" in compilation.diagnostics[0].message
    assert compilation.guideline is None


def test_lowering_runs_on_a_clean_file_without_internal_errors() -> None:
    compilation = pipeline.compile_source(Source("sample.mmdsl", SAMPLE), verify=False)
    assert compilation.diagnostics == []
    assert compilation.guideline is not None
