"""Subjects: every column heading and every condition of a fact or the scope names something
that holds a value of the kind it is used as.

A misspelt input would otherwise never match; a derived fact that read a table's result would
depend on the order of the tables, which facts (computed before any table) cannot.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, conditions, quantities, suggest
from mmdsl.check.values import type_phrase
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.symbols import RULE_COLUMN, TableInfo
from mmdsl.semantics.types import BoolT, DateT, DurationT, EnumT, NumberT, SetT, TextT, ValueType
from mmdsl.source import Span
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("unknown-name", "wrong-kind-of-name")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for table in context.tables():
        for header in table.layout.inputs:
            if header.subject.text != RULE_COLUMN:  # a misplaced rule column: see layout
                yield from unresolved(context, header.subject)
    numeric_names = {id(d.expr) for n, d in context.symbols.facts.items()
                     if context.symbols.numeric_fact(n) is not None  # `fact x = y`, y a number
                     or context.symbols.is_text_fact(n)}  # or text
    for expr in context.expressions():
        for condition in conditions(expr):
            if id(condition) not in numeric_names:
                yield from condition_subject(context, condition)
        for quantity in quantities(expr):
            yield from quantity_subject(context, quantity.subject)


def quantity_subject(context: CheckContext, subject: ast.Subject) -> Iterator[Diagnostic]:
    """A name read as a number: an input or a fact (what it holds: check/computed.py)."""
    if subject.name.text in context.symbols.tables:
        yield context.report("wrong-kind-of-name", subject.span,
                             f"`{subject.text}` is a table's result; facts read only inputs and "
                             "other facts", "test the table's result in a column of a later table")
    elif context.symbols.resolve(subject) is None:
        yield from unresolved(context, subject)


def condition_subject(context: CheckContext, condition: ast.Condition) -> Iterator[Diagnostic]:
    subject = condition.subject
    resolved = context.symbols.resolve(subject)
    if subject.name.text in context.symbols.tables:
        yield context.report("wrong-kind-of-name", subject.span,
                             f"`{subject.text}` is a table's result; facts and the scope read "
                             "only inputs and other facts",
                             "test the table's result in a column of a later table")
    elif resolved is None:
        yield from unresolved(context, subject)
    elif condition.test is None and not isinstance(resolved.type, BoolT) \
            and not (resolved.kind == "fact" and isinstance(resolved.type, TextT)):  # MD323
        yield context.report("wrong-kind-of-name", subject.span,
                             f"`{subject.text}` is {type_phrase(resolved.type)}, not yes/no",
                             bare_condition_help(subject.text, resolved.type))


def bare_condition_help(name: str, value_type: ValueType) -> str:
    """A name alone is a yes/no test; other values need a test written after them."""
    match value_type:
        case SetT():
            return f"test what it holds, such as `{name} has {value_type.enum.members[0]}`"
        case EnumT():
            return f"test its value, such as `{name} is {value_type.enum.members[0]}`"
        case NumberT():
            return f"compare it, such as `{name} >= 1`"
        case DurationT():
            return f"compare it with a duration, such as `{name} >= 6 weeks`"
        case DateT():
            return (f"count the time since it with a fact, `fact since_{name} = time from {name} "
                    "to evaluation_date`, and compare that, such as `>= 6 weeks`")
    return f'compare it, such as `{name} is "…"`'


def unresolved(context: CheckContext, subject: ast.Subject) -> Iterator[Diagnostic]:
    """Why a subject does not resolve, unless another check already says so."""
    symbols, name = context.symbols, subject.name.text
    if symbols.resolve(subject) is not None or context.unknown_because_unparsed(name):
        return
    if subject.member is None and name in symbols.inputs:
        return  # a declared input with an unknown type: reported with the input
    table = symbols.tables.get(name)
    if table is None:
        yield _unknown(context, subject)
    elif subject.member is None:
        yield from _whole_table(context, table, subject)
    else:
        yield from _table_output(context, table, subject.member.text, subject.member.span)


def _unknown(context: CheckContext, subject: ast.Subject) -> Diagnostic:
    symbols, name = context.symbols, subject.name
    if subject.member is None:
        return context.report("unknown-name", name.span, f"unknown name `{name.text}`",
                              suggest(name.text, symbols.value_names())
                              or "declare it as an input or a fact")
    if name.text in symbols.inputs or name.text in symbols.facts:
        return context.report("wrong-kind-of-name", name.span,
                              f"`{name.text}` is not a table, so it has no `{subject.member.text}`",
                              f"write `{name.text}` alone")
    return context.report("unknown-name", name.span, f"unknown table `{name.text}`",
                          suggest(name.text, symbols.tables))


def _whole_table(context: CheckContext, table: TableInfo,
                 subject: ast.Subject) -> Iterator[Diagnostic]:
    """A table named alone gives its sum/min/max/count, or its one output."""
    if table.aggregate is not None or table.policy is None or not table.outputs:
        return  # a bad hit policy or output, reported with the table
    if len(table.outputs) == 1:
        yield from _table_output(context, table, next(iter(table.outputs)), subject.span)
        return
    yield context.report("wrong-kind-of-name", subject.span,
                         f"table `{table.name}` has {len(table.outputs)} outputs; "
                         "name the one this column reads",
                         f"write `{table.name}.{next(iter(table.outputs), 'output')}`")


def _table_output(context: CheckContext, table: TableInfo, member: str,
                  span: Span) -> Iterator[Diagnostic]:
    output = table.outputs.get(member)
    if output is None:
        yield context.report("unknown-name", span, f"table `{table.name}` has no output `{member}`",
                             suggest(member, table.outputs))
    elif table.aggregate is not None:
        yield context.report("wrong-kind-of-name", span,
                             f"table `{table.name}` gives one number ({table.aggregate}), "
                             "not its outputs", f"write `{table.name}` alone")
    elif output.type is not None and table.policy is not None and not table.single_hit:
        yield context.report("wrong-kind-of-name", span,
                             f"`{table.name}` gives several results, so only its outputs that are "
                             f"`one of …` can be read; `{member}` is {type_phrase(output.type)}",
                             f"read an output declared `one of …`, or make `{table.name}` give one "
                             "result (`first`, `unique`, `any` or `priority`)")
