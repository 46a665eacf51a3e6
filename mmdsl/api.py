"""The Python API, for programs that hold tables in memory.

    import mmdsl

    guideline = mmdsl.load("tables/myeloma_post_daratumumab.mmdsl")
    decision = guideline.evaluate({"prior_lines": 5, "exposed": [], ...})

Tables with errors raise `CompileError` at load time, never a wrong evaluator later; invalid
facts raise `InputError` (a `ValueError` whose `.errors` name every bad field), exactly as the
generated module and `mmdsl eval` do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mmdsl.diagnostics import Diagnostic, Severity
from mmdsl.diagnostics.render import render_text
from mmdsl.ir.model import IRGuideline
from mmdsl.pipeline import Compilation, compile_path, compile_source, shown_path
from mmdsl.source import Source


class CompileError(Exception):
    """The tables have errors. `.diagnostics` lists every problem; the message shows them as
    `mmdsl check` does."""

    def __init__(self, compilation: Compilation) -> None:
        self.diagnostics = list(compilation.diagnostics)
        errors = sum(d.severity is Severity.ERROR for d in self.diagnostics)
        rendered = render_text(self.diagnostics, {compilation.source.path: compilation.source.text})
        super().__init__(f"{compilation.source.path} has errors ({errors}):\n{rendered}")


@dataclass(frozen=True, slots=True)
class Guideline:
    """A compiled guideline: evaluate patients' facts with it."""

    ir: IRGuideline
    diagnostics: tuple[Diagnostic, ...]  # warnings and notes; a guideline with errors never loads

    @property
    def name(self) -> str:
        return self.ir.name

    def evaluate(self, facts: object) -> dict[str, Any]:
        """The decision for facts given as Python values (a dict like the JSON input)."""
        from mmdsl.interpreter import evaluate

        return evaluate(self.ir, facts)

    def evaluate_json(self, text: str | bytes) -> dict[str, Any]:
        """The decision for facts given as JSON text, read as strictly as `mmdsl eval` reads it."""
        from mmdsl.runtime.prelude import parse_facts_json

        return self.evaluate(parse_facts_json(text))


def load(path_or_text: str | Path) -> Guideline:
    """A guideline from a table file, or from the text of one (a string holding a line break)."""
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return compile_text(path_or_text)
    return _guideline(compile_path(path_or_text, shown_path(path_or_text)))


def compile_text(text: str, path: str = "<memory>", directory: str | Path | None = None) -> Guideline:
    """A guideline from table text; `path` names it in diagnostics and in its decisions;
    `directory` is where a clinical source it declares is read from (by default the folder of
    `path`)."""
    folder = None if directory is None else Path(directory)
    return _guideline(compile_source(Source(path, text), directory=folder))


def _guideline(compilation: Compilation) -> Guideline:
    if compilation.guideline is None:
        raise CompileError(compilation)
    return Guideline(compilation.guideline, tuple(compilation.diagnostics))
