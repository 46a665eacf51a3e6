"""Derived facts: none may depend on itself, directly or through other facts.

A fact defined through itself has no value; the evaluator computes facts in an order where
each comes after those it reads, and a cycle has no such order.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, conditions
from mmdsl.diagnostics import Diagnostic
from mmdsl.syntax import ast


def check(context: CheckContext) -> Iterator[Diagnostic]:
    reads = {name: facts_read(context, decl) for name, decl in context.symbols.facts.items()}
    in_reported_cycle: set[str] = set()
    for name, decl in context.symbols.facts.items():
        cycle = cycle_through(name, reads)
        if cycle and name not in in_reported_cycle:
            in_reported_cycle.update(cycle)
            yield context.report("fact-cycle", decl.name.span,
                                 f"fact `{name}` depends on itself: {' → '.join([*cycle, name])}",
                                 "define one of these facts from inputs only")


def facts_read(context: CheckContext, decl: ast.FactDecl) -> list[str]:
    names = (c.subject.name.text for c in conditions(decl.expr) if c.subject.member is None)
    return [name for name in names if name in context.symbols.facts]


def cycle_through(start: str, reads: dict[str, list[str]]) -> list[str]:
    """A path of facts from `start` back to `start`, or [] when there is none."""
    paths = [[start]]
    seen: set[str] = set()
    while paths:
        path = paths.pop()
        for name in reads[path[-1]]:
            if name == start:
                return path
            if name not in seen:
                seen.add(name)
                paths.append([*path, name])
    return []
