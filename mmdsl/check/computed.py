"""Computed numbers: the arithmetic of a numeric fact can be computed, exactly, for every patient.

A name that holds no number (a yes/no, a duration) has nothing to add; a divisor whose range,
from the declared ranges of the inputs, includes 0 would leave the fact undefined for some
patient, which no decision may be; an exponent that is not a small whole number written in the
fact can give a number that is not exact. The semantics (semantics/arithmetic.py) finds them while
it types the fact; this check reports them.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.source import Span

EMITS: tuple[CodeName, ...] = ("not-a-number", "division-by-zero", "bad-exponent")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for name in context.symbols.facts:
        numeric = context.symbols.numeric_fact(name)
        if numeric is None:
            continue
        for problem in numeric.problems:
            assert isinstance(problem.span, Span)
            yield context.report(problem.kind, problem.span, problem.message, problem.help)
