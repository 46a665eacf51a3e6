"""Values of an enumeration named with a word of the language: `any`, `all`, `none`, `not`,
`has`, `yes`, `no`, `unknown`.

docs/language.md asks authors not to (a drug called `all` could not be told apart from
`all of`), but nothing said so: the declaration was accepted and the first cell that named the
value failed to parse (`| all |`: "expected `of`"), far from the cause. Reported here, at the
value, with the name the DMN importer gives such a value (`all_`, mmdsl/dmn/names.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, walk
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("keyword-value",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""

# The words a cell or a condition reads as its own before any value: a value so named cannot be
# written there. (`is`, `in`, `of`, `and`, `or` can: they never open a test.)
CELL_WORDS = frozenset({"any", "all", "none", "not", "has", "yes", "no", "unknown"})


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for node in walk(context.module.statements):
        for name in _member_names(node):
            if name.text in CELL_WORDS:
                yield context.report(
                    "keyword-value", name.span,
                    f"the value `{name.text}` is a word of the language: a cell or a condition "
                    f"reads `{name.text}` as its own, never as this value",
                    f"rename it, for example `{name.text}_` or `{name.text.upper()}` "
                    "(capitalised words are other words)")


def _member_names(node: object) -> tuple[ast.Name, ...]:
    if isinstance(node, ast.EnumDecl):
        return tuple(member.name for member in node.members)
    if isinstance(node, ast.EnumType) and len(node.names) > 1:  # one name: a declared enumeration
        return node.names
    return ()
