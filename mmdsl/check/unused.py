"""Declarations nothing uses: inputs no rule or fact reads, evidence no rule cites, caveats no
rule attaches, classes no cell names. Warnings: the file still compiles.

An unused declaration is often a rule the author meant to write. To stay useful and not noisy,
a declaration counts as used when a misspelling of it is written somewhere: that misspelling
is already an error whose help names the declaration.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from mmdsl.check.context import CheckContext, conditions, names_in_test, quantities
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.types import EnumT, SetT
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("unused-declaration",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    if context.unparsed.keywords:
        return  # a statement that did not parse may be the one that uses them
    symbols = context.symbols
    in_cells, known = cell_names(context), known_names(context)
    kinds = [
        ("input", "is never read", {n: i.decl.name for n, i in symbols.inputs.items()},
         read_names(context)),
        ("evidence", "is never cited", {n: e.name for n, e in symbols.evidence.items()}, in_cells),
        ("caveat", "is never attached to a rule", {n: c.name for n, c in symbols.caveats.items()},
         in_cells),
        ("class", "is never used", {n: c.decl.name for n, c in symbols.classes.items()},
         in_cells | condition_names(context)),
    ]
    for kind, what, declared, written in kinds:
        used = written | misspelt(written - known, declared)
        for name, decl_name in declared.items():
            if name not in used:
                yield context.report("unused-declaration", decl_name.span, f"{kind} `{name}` {what}",
                                     "use it in a rule, or remove it")


def read_names(context: CheckContext) -> set[str]:
    """Inputs read by a column, a condition, or another input's `includes`."""
    headers = [h.subject for t in context.symbols.tables.values() for h in t.decl.header]
    tested = [c.subject for e in context.expressions() for c in conditions(e)] + [
        q.subject for e in context.expressions() for q in quantities(e)]
    included = [d.includes.text for d in context.statements(ast.InputDecl) if d.includes]
    dated = [n.text for d in context.statements(ast.IntervalDecl) for n in (d.start, d.end)]
    return {s.name.text for s in headers + tested if s.member is None} | set(included) | set(dated)


def cell_names(context: CheckContext) -> set[str]:
    """The words written in the cells of every table (members, classes, evidence, caveats)."""
    cells = (c for t in context.symbols.tables.values() for row in t.decl.rows for c in row.cells)
    texts = {cell.text: cell.test for cell in cells if cell.test}  # each distinct text read once
    return {name.text for test in texts.values() for name in names_in_test(test)}


def condition_names(context: CheckContext) -> set[str]:
    tests = (c.test for e in context.expressions() for c in conditions(e) if c.test)
    return {name.text for test in tests for name in names_in_test(test)}


def known_names(context: CheckContext) -> set[str]:
    """Every name that means something: declarations, members of every type, rule names."""
    symbols = context.symbols
    types = [i.type for i in symbols.inputs.values()] + [
        o.type for t in symbols.tables.values() for o in t.outputs.values()]
    members = {m for e in symbols.enums.values() for m in e.members} | {
        m for t in types if isinstance(t, EnumT | SetT) for m in t.enum.members}
    rules = {row.cells[0].text.strip() for t in symbols.tables.values() if t.layout.has_rule_column
             for row in t.decl.rows if row.cells}
    declared = [symbols.value_names(), symbols.evidence, symbols.caveats, symbols.classes,
                symbols.enums]
    return members | rules | {name for names in declared for name in names}


def misspelt(unknown: Iterable[str], declared: Iterable[str]) -> set[str]:
    """The declared names that some unknown name is a likely misspelling of."""
    candidates = sorted(declared)
    return {match for name in unknown
            for match in difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)}
