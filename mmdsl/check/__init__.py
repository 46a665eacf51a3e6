"""The checks: each module owns one kind of mistake and reports it as diagnostics.

A check is a function `check(context) -> Iterator[Diagnostic]`. It reads the syntax tree and the
symbol table and never changes them; the order of CHECKS is the order of the documentation.
A check that fails is a bug in the compiler: it becomes an internal-error diagnostic (MD900)
and the other checks still run, so the author never sees a traceback.
"""

from __future__ import annotations

from mmdsl.check.context import Check, CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import internal_error

__all__ = ["Check", "CheckContext", "all_checks", "run_checks"]


def all_checks() -> list[Check]:
    from mmdsl.check import registry

    return registry.CHECKS


def run_checks(context: CheckContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for check in all_checks():
        try:
            found.extend(check(context))
        except Exception as error:  # any failure here is a compiler bug
            found.append(internal_error(context.path, f"the check `{check.__module__}`", error))
    return found
