"""Walkers over the AST that several stages share (the checks and the lowerer): they live in the
syntax layer, so that a check never imports a later stage to read a cell."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from typing import Any

from mmdsl.source import Span
from mmdsl.syntax import ast


def names_in_cell(cell: ast.Cell | None) -> list[ast.Name]:
    """The names listed in an annotation cell (`-` or empty lists none)."""
    if cell is None or cell.test is None:
        return []
    tests = cell.test.tests if isinstance(cell.test, ast.OneOfTest) else (cell.test,)
    return [t.value.name for t in tests
            if isinstance(t, ast.ValueTest) and isinstance(t.value, ast.NameValue)]


def conditions(expr: ast.Expr | ast.NumExpr) -> Iterator[ast.Condition]:
    """The conditions (subject and test) inside an expression, left to right; in arithmetic,
    those of each `if` (the names it reads as numbers are `quantities`)."""
    match expr:
        case ast.Condition():
            yield expr
        case ast.And() | ast.Or():
            for item in expr.items:
                yield from conditions(item)
        case ast.Not():
            yield from conditions(expr.item)
        case ast.Negate():
            yield from conditions(expr.item)
        case ast.Arithmetic():
            yield from conditions(expr.left)
            yield from conditions(expr.right)
        case ast.Choice():
            yield from conditions(expr.condition)
            yield from conditions(expr.then)
            yield from conditions(expr.otherwise)


def _operands(expr: ast.Expr | ast.NumExpr) -> Iterator[ast.Expr | ast.NumExpr]:
    """The leaves of arithmetic, left to right: what `+ - * / **`, a minus sign and the branches
    of an `if` (not its condition) take their values from."""
    match expr:
        case ast.Negate():
            yield from _operands(expr.item)
        case ast.Arithmetic():
            yield from _operands(expr.left)
            yield from _operands(expr.right)
        case ast.Choice():
            yield from _operands(expr.then)
            yield from _operands(expr.otherwise)
        case _:
            yield expr


def unknown_numbers(expr: ast.Expr | ast.NumExpr) -> Iterator[ast.UnknownNumber]:
    """`unknown` written in arithmetic (DMN's null), left to right."""
    return (leaf for leaf in _operands(expr) if isinstance(leaf, ast.UnknownNumber))


def quantities(expr: ast.Expr | ast.NumExpr) -> Iterator[ast.Quantity]:
    """The names an expression reads as numbers (operands of arithmetic), left to right."""
    return (leaf for leaf in _operands(expr) if isinstance(leaf, ast.Quantity))


def inner_tests(test: ast.Test) -> Iterator[ast.Test]:
    """A test and every test nested in it (`not (…)`, lists of alternatives)."""
    yield test
    if isinstance(test, ast.NotTest | ast.OneOfTest):
        for inner in test.tests:
            yield from inner_tests(inner)


def walk(node: Any) -> Iterator[Any]:
    """Every syntax node below `node` (itself included), depth first in field order."""
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, tuple):
            stack.extend(reversed(item))
        else:
            stack.extend(getattr(item, name) for name in reversed(_field_names(item.__class__)))


@functools.cache
def _field_names(node_type: Any) -> tuple[str, ...]:
    """The fields of a syntax node's class (none for spans, text and numbers)."""
    if node_type is Span or not dataclasses.is_dataclass(node_type):
        return ()
    return tuple(field.name for field in dataclasses.fields(node_type))


def names_in_test(test: ast.Test) -> Iterator[ast.Name]:
    """The names a test mentions: members, classes, values written as words."""
    for inner in inner_tests(test):
        if isinstance(inner, ast.ValueTest) and isinstance(inner.value, ast.NameValue):
            yield inner.value.name
        elif isinstance(inner, ast.HasTest):
            yield inner.member
        elif isinstance(inner, ast.QuantifiedTest):
            yield from inner.members
