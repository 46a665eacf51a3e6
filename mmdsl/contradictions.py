"""Worked examples that contradict the tables: each failing expectation is an error (MD503).

`mmdsl test` reports the same failures in its own format; here they become diagnostics, so that
`mmdsl check` and an editor show them at the line of the expectation. A pipeline step above the
verifier and the examples runner (the verifier proves; it does not run examples).
"""

from __future__ import annotations

from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import lookup
from mmdsl.examples import check_example, failures_of
from mmdsl.ir.model import IRGuideline
from mmdsl.semantics.symbols import Symbols
from mmdsl.source import Span
from mmdsl.syntax import ast


def contradicting_examples(path: str, symbols: Symbols, guideline: IRGuideline) -> list[Diagnostic]:
    diagnostics = []
    for example in guideline.examples:
        decl = symbols.examples[example.name]
        for failure in failures_of(path, check_example(guideline, example)):
            diagnostics.append(lookup("example-fails").at(
                path, _line_span(decl, failure.line), f"example `{example.name}`: {failure.problem}",
                help="fix the table or the expectation; `mmdsl test` runs every example"))
    return diagnostics


def _line_span(decl: ast.ExampleDecl, line: int) -> Span:
    """The expectation on `line`, or the example's name when the facts themselves are wrong."""
    expect = next((e for e in decl.expects if e.span.line == line), None)
    return expect.span if expect is not None else decl.name.span
