"""Notes and quotes point at things that exist: a rule as `table.rule`, or a table, a derived
fact or an input by its name; a note may also point at one value of an enumeration or set input
as `input.value` (to say why no rule names it, see MD607), or at one value of a table's
enumerated output as `output.value` (to say what the value means: what "preferred" promises a
patient; the review document defines each value by its note).

A note explains to reviewers why a rule is written as it is, and a quote maps a statement of
the clinical source to the rules that carry it out; pointed at a misspelt rule, either would
be shown next to nothing, and the review document could not link it.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, suggest
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.symbols import TableInfo
from mmdsl.semantics.types import EnumT, SetT
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("unknown-name",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for statement in context.module.statements:
        if isinstance(statement, ast.NoteDecl | ast.QuoteDecl):
            for target in statement.targets:
                if not context.unknown_because_unparsed(target.name.text):
                    yield from target_problems(context, target)


def target_problems(context: CheckContext, target: ast.Subject) -> Iterator[Diagnostic]:
    symbols, name, member = context.symbols, target.name.text, target.member
    values = input_values(context, name)
    if member is not None and values is not None:
        if member.text not in values:
            yield context.report("unknown-name", member.span, f"input `{name}` has no value `{member.text}`",
                                 suggest(member.text, list(values)))
        return
    outputs = output_values(context, name)
    if member is not None and outputs is not None and name not in symbols.tables:
        if member.text not in outputs:
            yield context.report("unknown-name", member.span, f"output `{name}` has no value `{member.text}`",
                                 suggest(member.text, list(outputs)))
        return
    table = symbols.tables.get(name)
    if member is None and (table or name in symbols.facts or name in symbols.inputs):
        return
    if table is None:
        yield context.report("unknown-name", target.name.span, f"unknown rule or table `{name}`",
                             suggest(name, _candidates(context)))
    elif member is not None and member.text not in rule_names(table):
        yield context.report("unknown-name", member.span,
                             f"table `{table.name}` has no rule `{member.text}`",
                             suggest(member.text, rule_names(table)))


def input_values(context: CheckContext, name: str) -> tuple[str, ...] | None:
    """The values of an enumeration or set input (None for any other name)."""
    info = context.symbols.inputs.get(name)
    if info is None or not isinstance(info.type, EnumT | SetT):
        return None
    return tuple(info.type.enum.members)


def output_values(context: CheckContext, name: str) -> tuple[str, ...] | None:
    """The values of the enumerated outputs called `name`, of every table (None: no such output)."""
    found: dict[str, None] = {}
    named = False
    for table in context.symbols.tables.values():
        info = table.outputs.get(name)
        if info is not None and isinstance(info.type, EnumT):
            named = True
            found |= dict.fromkeys(info.type.enum.members)
    return tuple(found) if named else None


def _candidates(context: CheckContext) -> list[str]:
    symbols = context.symbols
    rules = [f"{t.name}.{r}" for t in symbols.tables.values() for r in rule_names(t)]
    return [*rules, *symbols.tables, *symbols.facts, *symbols.inputs]


def rule_names(table: TableInfo) -> list[str]:
    """The names rules are known by: the rule column's, else `R1`, `R2`, … by position."""
    rows = table.decl.rows
    if table.layout.has_rule_column:
        return [row.cells[0].text.strip() for row in rows if row.cells]
    return [f"R{index}" for index in range(1, len(rows) + 1)]
