"""Inputs: their types name real enumerations, their bounds hold values, their defaults fit,
and a set includes only another set of the same values.

An input is the contract with the program that calls the evaluator; every fact a patient
record gives is validated against it, so the declaration itself must be sound.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, suggest
from mmdsl.check.values import CELL_CODES, bounds_problems, type_phrase, value_problems
from mmdsl.check.vocabulary import unknown_enumeration
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.types import SetT
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = (
    "unknown-name", "bad-default", "bad-set-reference", "type-mismatch", "unknown-member",
    "out-of-range", "empty-range", "bad-integer",
)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for decl in context.statements(ast.InputDecl):
        yield from unknown_type(context, decl)
        yield from bad_bounds(context, decl.type)
        yield from bad_default(context, decl)
        yield from bad_includes(context, decl)


def unknown_type(context: CheckContext, decl: ast.InputDecl) -> Iterator[Diagnostic]:
    """`set of X` and `one of X` (a single name) must name a declared enumeration."""
    type_expr = decl.type
    if isinstance(type_expr, ast.SetType):
        names = (type_expr.enum,)
    elif isinstance(type_expr, ast.EnumType) and len(type_expr.names) == 1:
        names = type_expr.names
    else:
        return
    name = names[0].text
    if name not in context.symbols.enums and not context.unknown_because_unparsed(name):
        yield unknown_enumeration(context, names[0])


def bad_bounds(context: CheckContext, type_expr: ast.TypeExpr) -> Iterator[Diagnostic]:
    """Bounds `30..0` or `0..2.5` on an integer (shared with table outputs)."""
    for problem in bounds_problems(context, type_expr):
        yield context.report(CELL_CODES[problem.kind], problem.span, problem.message, problem.help)


def bad_default(context: CheckContext, decl: ast.InputDecl) -> Iterator[Diagnostic]:
    info = context.symbols.inputs.get(decl.name.text)
    if decl.default is None or info is None or info.decl is not decl or info.type is None:
        return
    if isinstance(info.type, SetT) and is_none_word(decl.default):
        return  # `default none`: the empty set
    subject = f"`{decl.name.text}`"
    for problem in value_problems(context, decl.default, info.type, subject, classes=False):
        yield context.report("bad-default", problem.span, problem.message, problem.help)


def is_none_word(value: ast.Value) -> bool:
    return isinstance(value, ast.NameValue) and value.name.text == "none"


def bad_includes(context: CheckContext, decl: ast.InputDecl) -> Iterator[Diagnostic]:
    target, inputs = decl.includes, context.symbols.inputs
    info = inputs.get(decl.name.text)
    if target is None or info is None or info.decl is not decl:
        return  # nothing included, or a duplicate input (reported as such)
    if context.unknown_because_unparsed(target.text):
        return
    if target.text not in inputs:
        yield context.report("unknown-name", target.span, f"unknown input `{target.text}`",
                             suggest(target.text, inputs))
        return
    own, other = info.type, inputs[target.text].type
    if target.text == decl.name.text:
        yield context.report("bad-set-reference", target.span, "a set cannot include itself",
                             "name another set input, or remove `includes`")
    elif not _same_sets(own, other) and own is not None and other is not None:
        yield context.report("bad-set-reference", target.span,
                             f"`{decl.name.text}` can include only a set input of the same values",
                             f"`{target.text}` is {type_phrase(other)}, `{decl.name.text}` is "
                             f"{type_phrase(own)}")


def _same_sets(own: object, other: object) -> bool:
    return isinstance(own, SetT) and isinstance(other, SetT) and own.enum.name == other.enum.name
