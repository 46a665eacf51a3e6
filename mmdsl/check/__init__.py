"""The checks: each module owns one kind of mistake and reports it as diagnostics.

A check is a function `check(context) -> Iterable[Diagnostic]`. It reads the syntax tree and the
symbol table and never changes them; the order of CHECKS is the order of the documentation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic

Check = Callable[[CheckContext], Iterable[Diagnostic]]


def all_checks() -> list[Check]:
    from mmdsl.check import registry

    return registry.CHECKS


def run_checks(context: CheckContext) -> list[Diagnostic]:
    return [diagnostic for check in all_checks() for diagnostic in check(context)]
