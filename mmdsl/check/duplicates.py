"""Names that must identify one thing: declarations, enumeration members, rule names.

A name declared twice makes every use of it ambiguous; a rule name appears in decisions and
traces, so two rules of a table with one name could not be told apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("duplicate-name", "duplicate-rule")
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""

# Keys of the decision that the evaluator writes next to each table's result: a table of that
# name would overwrite them (and an example's `expect status` would become ambiguous).
DECISION_KEYS = ("guideline", "version", "source_sha256", "clinical_source_sha256", "status",
                 "reason", "errors", "why_not", "derived", "trace")


def check(context: CheckContext) -> Iterator[Diagnostic]:
    yield from duplicate_declarations(context)
    yield from duplicate_members(context)
    yield from reserved_names(context)
    yield from duplicate_rule_names(context)


def duplicate_declarations(context: CheckContext) -> Iterator[Diagnostic]:
    for duplicate in context.symbols.duplicates:
        first = duplicate.first
        yield context.report("duplicate-name", duplicate.second.span,
                             f"`{first.text}` is already declared on line {first.span.line}",
                             "rename or remove one of them")


def duplicate_members(context: CheckContext) -> Iterator[Diagnostic]:
    for enum in context.statements(ast.EnumDecl):
        yield from _repeated(context, (m.name for m in enum.members),
                             f"is listed twice in `{enum.name.text}`", "remove one of them")


def reserved_names(context: CheckContext) -> Iterator[Diagnostic]:
    for statement in context.module.statements:
        reserved = DECISION_KEYS if isinstance(statement, ast.TableDecl) else ("status",)
        if not isinstance(statement, ast.TableDecl | ast.FactDecl):
            continue
        name = statement.name.text
        # Case-insensitively: SQL engines take `Status` for the decision's `status` column.
        key = next((key for key in reserved if key == name.casefold()), None)
        if key is not None:
            same = "" if key == name else f" (as `{key}`: SQL engines ignore case)"
            yield context.report("duplicate-name", statement.name.span,
                                 f"`{name}` is a name the decision already uses{same}",
                                 "choose another name")


def duplicate_rule_names(context: CheckContext) -> Iterator[Diagnostic]:
    for table in context.tables():
        if table.layout.has_rule_column:
            cells = [row.cells[0] for row in table.decl.rows if row.cells]
            names = [ast.Name(cell.text.strip(), cell.span) for cell in cells if cell.text.strip()]
            yield from _repeated(context, names, f"names two rules of `{table.name}`",
                                 "give each rule its own name", code="duplicate-rule")


def _repeated(context: CheckContext, names: Iterable[ast.Name], what: str, fix: str,
              code: CodeName = "duplicate-name") -> Iterator[Diagnostic]:
    """Every name after the first with the same text."""
    seen: dict[str, ast.Name] = {}
    for name in names:
        if name.text in seen:
            yield context.report(code, name.span, f"`{name.text}` {what}",
                                 f"{fix} (the first is on line {seen[name.text].span.line})")
        seen.setdefault(name.text, name)
