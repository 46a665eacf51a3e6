"""Worked examples: each is a patient the evaluator would accept, and each expectation names
something the guideline produces, with values it could produce.

An example is run by `mmdsl test`; one that gives an unknown input or a value the evaluator
rejects would test nothing, and an expectation on a misspelt table would never be compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, quoted, suggest
from mmdsl.check.values import value_problems
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.types import SetT
from mmdsl.source import Span
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("bad-example-fact", "incomplete-example", "invalid-date",
                               "invalid-date-time", "invalid-time-of-day")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for example in context.statements(ast.ExampleDecl):
        yield from repeated_givens(context, example)
        for given in example.givens:
            yield from given_problems(context, given)
        yield from missing_inputs(context, example)


def given_problems(context: CheckContext, given: ast.Given) -> Iterator[Diagnostic]:
    info = context.symbols.inputs.get(given.name.text)
    if info is None and context.unknown_because_unparsed(given.name.text):
        return
    if info is None:
        yield unknown_input(context, given.name)
    elif given.unknown:
        return  # `ldh: unknown`: check/unknown.py holds it to inputs that may be unknown
    elif info.type is not None and not isinstance(info.type, SetT) and len(given.values) != 1:
        yield one_value(context, given)
    elif info.type is not None:
        for value in given.values:
            for problem in value_problems(context, value, info.type, f"`{given.name.text}`",
                                          classes=False):
                code: CodeName = "invalid-date" if problem.kind == "invalid-date" \
                    else "invalid-date-time" if problem.kind == "invalid-date-time" \
                    else "invalid-time-of-day" if problem.kind == "invalid-time-of-day" \
                    else "bad-example-fact"
                yield context.report(code, problem.span, problem.message, problem.help)


def unknown_input(context: CheckContext, name: ast.Name) -> Diagnostic:
    if name.text in context.symbols.facts:
        return context.report("bad-example-fact", name.span,
                              f"`{name.text}` is a derived fact; an example gives inputs only",
                              "give the inputs it is derived from; to check it, "
                              f"write `expect {name.text}: yes`")
    return context.report("bad-example-fact", name.span, f"unknown input `{name.text}`",
                          suggest(name.text, context.symbols.inputs))


def one_value(context: CheckContext, given: ast.Given) -> Diagnostic:
    """Only a set input takes a list of values, or `none` for the empty set."""
    if not given.values:
        return context.report("bad-example-fact", _after_colon(context, given),
                              f"`{given.name.text}` needs a value; `none` is for sets only",
                              "give its value, or leave the line out if it has a default")
    extra = given.values[1].span.to(given.values[-1].span)
    return context.report("bad-example-fact", extra, f"`{given.name.text}` takes one value",
                          "keep one of the values")


def _after_colon(context: CheckContext, given: ast.Given) -> Span:
    """The word `none` of `name: none` (the given itself if it cannot be found)."""
    start = context.source.text.find("none", given.name.span.end, given.span.end)
    return given.span if start < 0 else context.span_of(start, start + len("none"))


def repeated_givens(context: CheckContext, example: ast.ExampleDecl) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for given in example.givens:
        if given.name.text in seen:
            yield context.report("bad-example-fact", given.name.span,
                                 f"`{given.name.text}` is given twice in this example",
                                 "keep one of the lines")
        seen.add(given.name.text)


def missing_inputs(context: CheckContext, example: ast.ExampleDecl) -> Iterator[Diagnostic]:
    given = {g.name.text for g in example.givens}
    missing = [name for name, info in context.symbols.inputs.items()
               if info.decl.default is None and info.type is not None and name not in given]
    if missing:
        yield context.report("incomplete-example", example.name.span,
                             f"example `{example.name.text}` does not give {quoted(missing)}",
                             "give every input that has no default (`none` for an empty set)")
