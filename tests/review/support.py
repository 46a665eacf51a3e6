"""Shared helpers of the review-document tests: the fixture guideline, compiled and run."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from mmdsl.backends.review import run_examples
from mmdsl.examples import ExampleOutcome
from mmdsl.ir.model import IRGuideline
from mmdsl.pipeline import compile_path, compile_source
from mmdsl.source import Source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "review"
DEMO = FIXTURES / "anticoagulation_demo.mmdsl"
DEMO_SHOWN = "tests/fixtures/review/anticoagulation_demo.mmdsl"  # the same on every machine
HOSTILE = FIXTURES / "hostile.mmdsl"


def compiled(path: Path, shown: str | None = None) -> IRGuideline:
    compilation = compile_path(path, shown or path.name)
    assert compilation.guideline is not None, compilation.diagnostics
    return compilation.guideline


def compiled_text(text: str, path: str = "inline.mmdsl") -> IRGuideline:
    compilation = compile_source(Source(path, text))
    assert compilation.guideline is not None, compilation.diagnostics
    return compilation.guideline


@cache
def demo() -> IRGuideline:
    return compiled(DEMO, DEMO_SHOWN)


@cache
def demo_results() -> tuple[ExampleOutcome, ...]:
    return tuple(run_examples(demo()))
