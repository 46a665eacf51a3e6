"""What every check reads: the source, its syntax tree and its symbol table, and small helpers
that let each check stay a few lines long (reporting, walking tables, rows and conditions)."""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from mmdsl.clinical_source import ClinicalText
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import lookup
from mmdsl.diagnostics.names import CodeName
from mmdsl.semantics.symbols import Symbols, TableInfo
from mmdsl.source import Source, Span
from mmdsl.syntax import ast
from mmdsl.syntax.parser import split_statements
from mmdsl.syntax.walk import conditions as conditions  # the AST walkers, re-exported for the checks
from mmdsl.syntax.walk import inner_tests as inner_tests
from mmdsl.syntax.walk import names_in_test as names_in_test
from mmdsl.syntax.walk import quantities as quantities
from mmdsl.syntax.walk import walk as walk

StatementT = TypeVar("StatementT", bound=ast.Statement)


@dataclass(frozen=True, slots=True)
class RowCells:
    """One row of a well-formed table, its cells paired with the column headings above them."""

    row: ast.Row
    rule: ast.Cell | None
    inputs: tuple[tuple[ast.HeaderCell, ast.Cell], ...]
    outputs: tuple[tuple[ast.HeaderCell, ast.Cell], ...]
    annotations: tuple[tuple[ast.HeaderCell, ast.Cell], ...]

    def annotation(self, column: str) -> ast.Cell | None:
        return next((cell for head, cell in self.annotations if head.subject.text == column), None)


@dataclass(frozen=True, slots=True)
class Unparsed:
    """Statements that did not parse: their keywords and the names they would have declared.

    The syntax error is reported once; every use of such a name would otherwise be reported
    again as unknown, burying the one real mistake under errors that are not.
    """

    keywords: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()


# The word after a statement's keyword: the name it declares (a number for `reference`).
_DECLARED_NAME = re.compile(r"\s*\w+\s+([^\W\d][\w]*(?:-[\w]+)*|\d+)")


def unparsed_statements(source: Source, syntax_errors: Iterable[Diagnostic]) -> Unparsed:
    """The statements (chunks of the file) in which the syntax errors were found."""
    offsets = sorted(d.span.start for d in syntax_errors)
    if not offsets:
        return Unparsed()
    failed = [c for c in split_statements(source.text)
              if _any_between(offsets, c.char_offset, c.char_offset + len(c.text))]
    names = (_DECLARED_NAME.match(c.text) for c in failed if c.keyword)
    return Unparsed(frozenset(c.keyword for c in failed if c.keyword),
                    frozenset(m.group(1) for m in names if m))


def _any_between(offsets: list[int], start: int, end: int) -> bool:
    """Whether a sorted list holds an offset from `start` to `end` (a search, not a scan: a file
    of thousands of broken statements must not take the square of that)."""
    index = bisect.bisect_left(offsets, start)
    return index < len(offsets) and offsets[index] <= end


@dataclass(frozen=True)
class CheckContext:
    source: Source
    module: ast.Module
    symbols: Symbols
    unparsed: Unparsed = Unparsed()
    clinical: ClinicalText | str | None = None  # the declared source, or why it cannot be read

    @property
    def path(self) -> str:
        return self.source.path

    # ---- reporting ------------------------------------------------------------------------

    def unknown_because_unparsed(self, name: str) -> bool:
        """Whether a name is unknown only because its declaration did not parse."""
        return name in self.unparsed.names

    def report(self, code: CodeName, span: Span, message: str, help: str | None = None,
               **data: Any) -> Diagnostic:
        """A diagnostic of `code` (a code such as `MD200` or its name) in this file."""
        return lookup(code).at(self.path, span, message, help=help, **data)

    def written(self, span: Span) -> str:
        """The source text of a span, on one line (for quoting it in a message)."""
        return " ".join(self.source.text[span.start:span.end].split())

    def span_of(self, start: int, end: int) -> Span:
        """The span of the characters `start` to `end` (offsets) of the file."""
        return Span(*self._line_column(start), *self._line_column(end), start, end)

    def _line_column(self, offset: int) -> tuple[int, int]:
        """By a binary search in the line starts: many diagnostics in a big file stay cheap."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [match.end() for match in re.finditer("\n", self.source.text)]

    # ---- walking the file -----------------------------------------------------------------

    def statements(self, kind: type[StatementT]) -> Iterator[StatementT]:
        """Every statement of one kind, in file order (repeated and duplicate ones included)."""
        return (s for s in self.module.statements if isinstance(s, kind))

    def tables(self) -> Iterator[TableInfo]:
        """The tables whose header is laid out right; the others get only layout diagnostics."""
        return (t for t in self.symbols.tables.values() if t.layout.valid)

    def rows(self, table: TableInfo) -> Iterator[RowCells]:
        """The rows of a table that have one cell per column (the others are reported by layout);
        split once for all the checks that read them (a table may have 10,000 rows)."""
        found = self._split_rows.get(id(table.decl))
        if found is None:
            found = self._split_rows[id(table.decl)] = [
                split_row(table, row) for row in table.decl.rows
                if len(row.cells) == table.layout.width]
        return iter(found)

    @functools.cached_property
    def _split_rows(self) -> dict[int, list[RowCells]]:
        return {}  # by the identity of the table's declaration, which the module keeps alive

    def expressions(self) -> Iterator[ast.Expr | ast.NumExpr]:
        """The conditions (or arithmetic) of every derived fact, of the scope and of the impossible
        combinations."""
        for statement in self.module.statements:
            if isinstance(statement, ast.FactDecl | ast.ScopeDecl | ast.ImpossibleDecl):
                yield statement.expr


Check = Callable[[CheckContext], Iterable[Diagnostic]]
"""A check: the diagnostics of one kind of mistake in a file."""


def split_row(table: TableInfo, row: ast.Row) -> RowCells:
    layout = table.layout
    cells = list(row.cells)
    rule = cells.pop(0) if layout.has_rule_column else None
    n_in, n_out = len(layout.inputs), len(layout.outputs)
    return RowCells(
        row, rule,
        tuple(zip(layout.inputs, cells[:n_in], strict=True)),
        tuple(zip(layout.outputs, cells[n_in:n_in + n_out], strict=True)),
        tuple(zip(layout.annotations, cells[n_in + n_out:], strict=True)),
    )


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """A `did you mean` help line naming the closest candidate, if one is close enough."""
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean `{matches[0]}`?" if matches else None


def quoted(names: Iterable[str], limit: int = 6) -> str:
    """Names as a readable list: `a`, `b`, `c`, … (at most `limit` of them)."""
    items = list(names)
    shown = ", ".join(f"`{n}`" for n in items[:limit])
    return shown + (", …" if len(items) > limit else "")
