"""Derived facts: none may depend on itself, directly or through other facts.

A fact defined through itself has no value; the evaluator computes facts in an order where
each comes after those it reads, and a cycle has no such order.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, conditions, quantities
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("fact-cycle",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    reads = {name: facts_read(context, decl) for name, decl in context.symbols.facts.items()}
    on_cycles = facts_on_cycles(reads)
    in_reported_cycle: set[str] = set()
    for name, decl in context.symbols.facts.items():
        if name not in on_cycles or name in in_reported_cycle:
            continue
        cycle = cycle_through(name, reads)
        if cycle:
            in_reported_cycle.update(cycle)
            yield context.report("fact-cycle", decl.name.span,
                                 f"fact `{name}` depends on itself: {' → '.join([*cycle, name])}",
                                 "define one of these facts from inputs only")


def facts_read(context: CheckContext, decl: ast.FactDecl) -> list[str]:
    subjects = [c.subject for c in conditions(decl.expr)] + [q.subject for q in quantities(decl.expr)]
    names = (s.name.text for s in subjects if s.member is None)
    return [name for name in names if name in context.symbols.facts]


def cycle_through(start: str, reads: dict[str, list[str]]) -> list[str]:
    """A path of facts from `start` back to `start`, or [] when there is none (a depth-first
    search that keeps one parent per fact, not one copy of the path per step)."""
    stack = [start]
    parent: dict[str, str] = {}
    while stack:
        fact = stack.pop()
        for name in reads[fact]:
            if name == start:
                return _path_to(fact, start, parent)
            if name not in parent:
                parent[name] = fact
                stack.append(name)
    return []


def _path_to(fact: str, start: str, parent: dict[str, str]) -> list[str]:
    path = [fact]
    while path[-1] != start:
        path.append(parent[path[-1]])
    return path[::-1]


def facts_on_cycles(reads: dict[str, list[str]]) -> set[str]:
    """The facts that lie on some cycle: those of a strongly connected component of more than
    one fact, or reading themselves (Tarjan's algorithm, without recursion: chains of facts can
    be as long as the file)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: list[str] = []
    stacked: set[str] = set()  # the facts of `component`, for a quick test
    on_cycles: set[str] = set()
    for root in reads:
        if root in index:
            continue
        work = [(root, iter(reads[root]))]
        index[root] = low[root] = len(index)
        component.append(root)
        stacked.add(root)
        while work:
            fact, pending = work[-1]
            following = next((n for n in pending if n in reads), None)
            if following is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[fact])
                if low[fact] == index[fact]:
                    on_cycles |= _closed_component(component, stacked, fact, reads)
            elif following not in index:
                index[following] = low[following] = len(index)
                component.append(following)
                stacked.add(following)
                work.append((following, iter(reads[following])))
            elif following in stacked:
                low[fact] = min(low[fact], index[following])
    return on_cycles


def _closed_component(component: list[str], stacked: set[str], root: str,
                      reads: dict[str, list[str]]) -> set[str]:
    """Pop the component rooted at `root`; its facts if they form a cycle, else none."""
    members: list[str] = []
    while not members or members[-1] != root:
        members.append(component.pop())
        stacked.discard(members[-1])
    cyclic = len(members) > 1 or root in reads[root]
    return set(members) if cyclic else set()
