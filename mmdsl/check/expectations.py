"""The expectations of worked examples: each names something a decision contains (`status`,
a derived fact, a table or `table.output`) and values that it could hold.

An expectation that names nothing real, or a value the guideline cannot produce, would fail
for a reason that has nothing to do with the rules it was written to check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mmdsl.check.context import CheckContext, suggest
from mmdsl.check.values import value_problems
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.symbols import TableInfo
from mmdsl.semantics.types import BoolT, EnumInfo, EnumT, NumberT, TextT, ValueType
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("bad-expectation",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""

STATUS = EnumT(EnumInfo("status", "", ("ok", "out_of_scope", "error")))


@dataclass(frozen=True, slots=True)
class Expected:
    """What an expectation may hold: values of `type` (None when unknown), several or one."""

    type: ValueType | None
    several: bool
    optional: bool = True  # `none` allowed (a table that gives no result)
    output_hint: str | None = None  # a table of several outputs: only `none`, else name one


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for example in context.statements(ast.ExampleDecl):
        yield from repeated_expectations(context, example)
        for expect in example.expects:
            if context.unknown_because_unparsed(expect.subject.name.text):
                continue
            expected = expected_of(context, expect.subject)
            if isinstance(expected, Diagnostic):
                yield expected
            else:
                yield from expectation_values(context, expect, expected)


def expected_of(context: CheckContext, subject: ast.Subject) -> Expected | Diagnostic:
    symbols, name = context.symbols, subject.name.text
    if subject.member is None and name == "status":
        return Expected(STATUS, several=False, optional=False)
    if subject.member is None and name in symbols.facts:
        if symbols.is_text_fact(name):  # a text fact: expected as its words
            return Expected(TextT(), several=False, optional=False)
        numeric = symbols.numeric_fact(name)  # a computed number: expected as a number
        return Expected(BoolT() if numeric is None else numeric.type, several=False, optional=False)
    table = symbols.tables.get(name)
    if table is None:
        return unknown_subject(context, subject)
    if subject.member is None:
        return whole_table(table)
    return table_output(context, table, subject.member)


def whole_table(table: TableInfo) -> Expected:
    """A table alone: its number (aggregates), its one output, or no result at all."""
    if table.aggregate == "count":
        return Expected(NumberT("integer"), several=False)
    outputs = list(table.outputs.values())
    if table.aggregate is not None:
        return Expected(outputs[0].type if len(outputs) == 1 else None, several=False)
    if len(outputs) <= 1:
        return Expected(outputs[0].type if outputs else None, several=not table.single_hit)
    return Expected(None, several=True, output_hint=f"{table.name}.{next(iter(table.outputs), '')}")


def table_output(context: CheckContext, table: TableInfo, member: ast.Name) -> Expected | Diagnostic:
    info = table.outputs.get(member.text)
    if info is None:
        return context.report("bad-expectation", member.span,
                              f"table `{table.name}` has no output `{member.text}`",
                              suggest(member.text, table.outputs))
    if table.aggregate is not None:
        return context.report("bad-expectation", member.span,
                              f"table `{table.name}` gives one number ({table.aggregate})",
                              f"write `expect {table.name}: …`")
    return Expected(info.type, several=not table.single_hit)


def unknown_subject(context: CheckContext, subject: ast.Subject) -> Diagnostic:
    symbols = context.symbols
    if subject.text in symbols.inputs:
        return context.report("bad-expectation", subject.span,
                              f"`{subject.text}` is an input; an example gives it, and expects "
                              "results", f"write `{subject.text}: …` without `expect`")
    candidates = ["status", *symbols.facts, *symbols.tables,
                  *(f"{t.name}.{o}" for t in symbols.tables.values() for o in t.outputs)]
    return context.report("bad-expectation", subject.span, f"unknown result `{subject.text}`",
                          suggest(subject.text, candidates)
                          or "expect `status`, a derived fact, a table or `table.output`")


def expectation_values(context: CheckContext, expect: ast.Expect,
                       expected: Expected) -> Iterator[Diagnostic]:
    values, subject = expect.values, expect.subject.text
    if expect.unknown:  # a fact that may be unknown (check/unknown.py: MD320 for the others)
        if expect.subject.member is None and subject in context.symbols.facts:
            return
        yield context.report("bad-expectation", expect.subject.span,
                             f"only a derived fact can be unknown, not `{subject}`",
                             "expect `none` for a result that is not given")
        return
    if values and expected.output_hint:
        yield context.report("bad-expectation", expect.subject.span,
                             f"table `{subject}` has several outputs; name the one expected",
                             f"write `expect {expected.output_hint}: …` (a table alone may "
                             "only be expected to give `none`)")
        return
    if not values and not expected.optional:
        yield context.report("bad-expectation", expect.subject.span,
                             f"`{subject}` always has a value; `none` cannot be expected",
                             "write the value you expect")
    elif len(values) > 1 and not expected.several:
        yield context.report("bad-expectation", values[1].span.to(values[-1].span),
                             f"`{subject}` has one value", "keep one of the values")
    for value in values:
        yield from expected_value(context, value, expected.type, subject)


def expected_value(context: CheckContext, value: ast.Value, value_type: ValueType | None,
                   subject: str) -> Iterator[Diagnostic]:
    if value_type is None:
        return  # an output of unknown type: reported with the output
    for problem in value_problems(context, value, value_type, f"`{subject}`", classes=False):
        yield context.report("bad-expectation", problem.span, problem.message, problem.help)


def repeated_expectations(context: CheckContext, example: ast.ExampleDecl) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for expect in example.expects:
        if expect.subject.text in seen:
            yield context.report("bad-expectation", expect.subject.span,
                                 f"this example already expects `{expect.subject.text}`",
                                 "keep one of the lines")
        seen.add(expect.subject.text)
