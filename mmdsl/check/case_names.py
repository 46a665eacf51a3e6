"""Names that differ only in case (`A` and `a`, `PI` and `pi`).

mmdsl tells them apart, but much of where names go does not: SQL engines (DuckDB, Spark) read
column names without regard to case, so two inputs `A` and `a` would become one column and a
cohort would decide on the wrong value; JSON keys folded by other tools, HTML ids and file names
on case-insensitive file systems collide the same way. Two such names are almost always a
mistake, so this check refuses them where they are written: among the names a cell can read
(inputs, facts and tables: one namespace, and the columns of SQL), among the declarations of
each other kind (enumerations, classes, evidence, caveats, examples, …), among the outputs of
one table and among the members of one enumeration.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("names-differ-in-case",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    groups: dict[str, list[ast.Name]] = {}
    for statement in context.module.statements:
        name = getattr(statement, "name", None)
        if isinstance(name, ast.Name):
            groups.setdefault(_namespace(statement), []).append(name)
    for names in groups.values():
        yield from _folded_clashes(context, names, "is declared")
    for table in context.statements(ast.TableDecl):
        yield from _folded_clashes(context, (o.name for o in table.outputs),
                                   f"is an output of `{table.name.text}`")
    for enum in context.statements(ast.EnumDecl):
        yield from _folded_clashes(context, (m.name for m in enum.members),
                                   f"is listed in `{enum.name.text}`")


VALUE_DECLARATIONS = (ast.InputDecl, ast.FactDecl, ast.TableDecl, ast.ImpossibleDecl)


def _namespace(statement: ast.Statement) -> str:
    """Inputs, facts and tables share one namespace (and become SQL columns); the other kinds
    each have their own (evidence `E1` and example `e1` never meet)."""
    return "value" if isinstance(statement, VALUE_DECLARATIONS) else type(statement).__name__


def fold(name: str) -> str:
    """The form under which case-insensitive readers (SQL, HTML ids) compare names."""
    return name.casefold()


def _folded_clashes(context: CheckContext, names: Iterable[ast.Name],
                    what: str) -> Iterator[Diagnostic]:
    """Each name whose case-folded form an earlier, different name already has (the exact
    repeats are duplicate-name's)."""
    first: dict[str, ast.Name] = {}
    for name in names:
        earlier = first.setdefault(fold(name.text), name)
        if earlier.text != name.text:
            yield context.report(
                "names-differ-in-case", name.span,
                f"`{name.text}` differs only in case from `{earlier.text}`, which {what} on "
                f"line {earlier.span.line}; SQL engines and other readers take them as one name",
                "rename one of them so that the two differ in more than case, "
                "or use one name if they mean the same thing")
