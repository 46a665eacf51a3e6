"""Hit policies and the clauses that shape a table's result (`order by`, `distinct by`).

Aggregations add up one number per rule; `priority` and `output order` rank rules by the
declared order of their output values, so those outputs must be enumerations; `order by` and
`distinct by` work on the outputs of a table that gives several results.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, quoted, suggest
from mmdsl.check.values import type_phrase
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.policies import HIT_POLICIES, RANKED_POLICIES
from mmdsl.semantics.symbols import TableInfo
from mmdsl.semantics.types import EnumT, NumberT
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("hit-policy", "bad-clause")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""



def check(context: CheckContext) -> Iterator[Diagnostic]:
    for table in context.symbols.tables.values():
        yield from unknown_policy(context, table)
        yield from aggregate_output(context, table)
        yield from ranked_outputs(context, table)
        yield from result_clauses(context, table)


def unknown_policy(context: CheckContext, table: TableInfo) -> Iterator[Diagnostic]:
    hit = table.decl.hit
    if hit is not None and table.policy is None:
        yield context.report("hit-policy", hit.span, f"unknown hit policy `{hit.text}`",
                             f"write one of {quoted((' '.join(w) for w in HIT_POLICIES), 20)}")


def aggregate_output(context: CheckContext, table: TableInfo) -> Iterator[Diagnostic]:
    """`collect sum`, `min` and `max` need one numeric output (`count` counts rules)."""
    hit = table.decl.hit
    if hit is None or table.aggregate in (None, "count"):
        return
    outputs = list(table.outputs.values())
    if len(outputs) != 1:
        yield context.report("hit-policy", hit.span,
                             f"`{hit.text}` adds up one output, but the table has {len(outputs)}",
                             "keep one numeric output, or use `collect`")
    elif outputs[0].type is not None and not isinstance(outputs[0].type, NumberT):
        yield context.report("hit-policy", outputs[0].decl.type.span,
                             f"`{hit.text}` adds up numbers, but `{outputs[0].decl.name.text}` is "
                             f"{type_phrase(outputs[0].type)}", "make the output an integer or a decimal")


def ranked_outputs(context: CheckContext, table: TableInfo) -> Iterator[Diagnostic]:
    """The ranking reads the outputs that list their values (`one of …`); it needs one."""
    hit, types = table.decl.hit, [info.type for info in table.outputs.values()]
    if hit is None or table.policy not in RANKED_POLICIES or None in types:
        return
    if not any(isinstance(value_type, EnumT) for value_type in types):
        yield context.report("hit-policy", hit.span,
                             f"`{table.policy}` ranks rules by the order of their output values, "
                             "but no output lists its values",
                             "declare an output as `one of …` in the order of preference, "
                             "or use `first` or `collect`")


def result_clauses(context: CheckContext, table: TableInfo) -> Iterator[Diagnostic]:
    decl = table.decl
    for clause, names in (("order by", decl.order_by), ("distinct by", decl.distinct_by)):
        if names and (table.single_hit or table.aggregate is not None):
            yield context.report("bad-clause", names[0].span,
                                 f"`{clause}` works on a table with several results, and this "
                                 f"table gives {'one number' if table.aggregate else 'one result'}",
                                 f"remove `{clause}`, or make the table `collect`")
        for name in names:
            yield from clause_output(context, table, name)


def clause_output(context: CheckContext, table: TableInfo, name: ast.Name) -> Iterator[Diagnostic]:
    """`order by` and `distinct by` name outputs (a list of values sorts in its declared order,
    numbers and text ascending)."""
    if name.text not in table.outputs:
        yield context.report("bad-clause", name.span,
                             f"`{name.text}` is not an output of `{table.name}`",
                             suggest(name.text, table.outputs)
                             or f"name one of the outputs: {quoted(table.outputs)}")
