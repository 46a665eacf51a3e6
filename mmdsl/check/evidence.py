"""Evidence is first class: what a rule cites exists, the bibliography has every reference
number, and a table that `requires evidence` has no rule without it.

A citation that leads nowhere, or a recommendation without its evidence, cannot be reviewed;
a caveat with an unknown name would never be shown to the clinician it warns.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext, RowCells, suggest
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.symbols import TableInfo
from mmdsl.syntax import ast
from mmdsl.syntax.walk import names_in_cell

EMITS: tuple[CodeName, ...] = (
    "unknown-evidence", "unknown-reference", "unknown-caveat", "missing-evidence", "type-mismatch",
)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    yield from unknown_references(context)
    for table in context.tables():
        yield from no_evidence_column(context, table)
        for row in context.rows(table):
            yield from annotation_cells(context, row)
            yield from missing_evidence(context, table, row)


def unknown_references(context: CheckContext) -> Iterator[Diagnostic]:
    cited = [number for statement in context.module.statements
             if isinstance(statement, ast.EvidenceDecl | ast.CaveatDecl) for number in statement.refs]
    for number in cited:
        if int(number.value) not in context.symbols.references \
                and not context.unknown_because_unparsed(str(number.value)):
            yield context.report("unknown-reference", number.span,
                                 f"reference {number.value} is not in the bibliography",
                                 f'declare it: `reference {number.value} "citation"`')


def annotation_cells(context: CheckContext, row: RowCells) -> Iterator[Diagnostic]:
    for header, cell in row.annotations:
        yield from names_only(context, cell)
        for name in names_in_cell(cell):
            yield from unknown_citation(context, header.subject.text, name)


def names_only(context: CheckContext, cell: ast.Cell) -> Iterator[Diagnostic]:
    """Annotation cells list names (`STORM, BOSTON`) or `-`; a test there would be lost."""
    test = cell.test
    if test is None or isinstance(test, ast.AnyTest):
        return
    for item in test.tests if isinstance(test, ast.OneOfTest) else (test,):
        if not (isinstance(item, ast.ValueTest) and isinstance(item.value, ast.NameValue)):
            yield context.report("type-mismatch", item.span,
                                 f"`{context.written(item.span)}` is not a name",
                                 "list names separated by commas, or write `-` for none")


# Each annotation column: its diagnostic code, the keyword that declares its names, and the
# column where a name of the other kind belongs.
CITATIONS: dict[str, tuple[CodeName, str, str]] = {"evidence": ("unknown-evidence", "evidence", "caveats"),
             "caveats": ("unknown-caveat", "caveat", "evidence")}


def unknown_citation(context: CheckContext, column: str, name: ast.Name) -> Iterator[Diagnostic]:
    if context.unknown_because_unparsed(name.text):
        return
    if column in CITATIONS and name.text not in _declared(context, column):
        code, keyword, _ = CITATIONS[column]
        yield context.report(code, name.span, f"unknown {keyword} `{name.text}`",
                             _citation_help(context, column, name.text))


def _declared(context: CheckContext, column: str) -> dict[str, object]:
    symbols = context.symbols
    return dict(symbols.evidence) if column == "evidence" else dict(symbols.caveats)


def _citation_help(context: CheckContext, column: str, name: str) -> str:
    """A name cited in the wrong column, a misspelling, or a declaration to add."""
    _, keyword, other_column = CITATIONS[column]
    if name in _declared(context, other_column):
        return f"`{name}` is declared with `{CITATIONS[other_column][1]}`; list it under `{other_column}`"
    return suggest(name, _declared(context, column)) or f'declare it: `{keyword} {name} "…"`'


def no_evidence_column(context: CheckContext, table: TableInfo) -> Iterator[Diagnostic]:
    columns = [h.subject.text for h in table.layout.annotations]
    if table.decl.requires_evidence and "evidence" not in columns:
        yield context.report("missing-evidence", table.decl.name.span,
                             f"table `{table.name}` requires evidence but has no `evidence` column",
                             "add `|| evidence |` after the outputs and cite each rule's evidence")


def missing_evidence(context: CheckContext, table: TableInfo, row: RowCells) -> Iterator[Diagnostic]:
    cell = row.annotation("evidence")
    if table.decl.requires_evidence and cell is not None and cell.test is not None \
            and not names_in_cell(cell):
        yield context.report("missing-evidence", cell.span, "this rule cites no evidence",
                             f"table `{table.name}` requires evidence: name the trial or "
                             "reference that supports the rule")
