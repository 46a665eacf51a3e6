"""Classes of values: each names a declared enumeration, and lists members of it.

A class stands for its members in every cell that names it; a misspelt member would silently
drop a drug from every rule that uses the class.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, suggest
from mmdsl.check.values import enum_phrase
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("unknown-name", "wrong-kind-of-name", "unknown-member")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for decl in context.statements(ast.ClassDecl):
        if decl.enum.text in context.symbols.enums:
            yield from unknown_members(context, decl)
        elif not context.unknown_because_unparsed(decl.enum.text):
            yield unknown_enumeration(context, decl.enum)


def unknown_enumeration(context: CheckContext, name: ast.Name) -> Diagnostic:
    """A name where an enumeration is expected (also used for the types of inputs)."""
    if name.text in context.symbols.classes:
        return context.report("wrong-kind-of-name", name.span,
                              f"`{name.text}` is a class, not an enumeration",
                              "name the enumeration its members come from")
    return context.report("unknown-name", name.span, f"unknown enumeration `{name.text}`",
                          suggest(name.text, context.symbols.enums)
                          or f'declare it: `enum {name.text} = member, member`')


def unknown_members(context: CheckContext, decl: ast.ClassDecl) -> Iterator[Diagnostic]:
    enum = context.symbols.enums[decl.enum.text]
    for member in decl.members:
        if member.text not in enum.members:
            yield context.report("unknown-member", member.span,
                                 f"`{member.text}` is not a member of {enum_phrase(enum)}",
                                 suggest(member.text, enum.members)
                                 or f"add it to `enum {enum.name}` or remove it from the class")
