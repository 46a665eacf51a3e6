"""The rows of a table, read without the general grammar: the fast path of the parser.

A table of 10,000 rows is 10,000 lines of cells that repeat (`-`, `yes`, `18..64`). The general
grammar parses every token of every row and builds a parse tree and then an AST node by node;
here the table's head (its title, clauses, header and divider) is still parsed by the general
grammar, but each row line is cut into cells by a small scanner that knows quoted text, escapes
and comments, and each *distinct* cell text is parsed once, by the grammar's own `cell` rule
(`mmdsl/mmdsl.lark` stays the one definition of what a cell can be). The AST of a cell is then
rebuilt at each place the text is written, its spans moved by offset.

The fast path only ever accepts what the general grammar accepts, with the same tree: whenever
a line is not a plain row (a cell that does not parse, a row continued on the next line, quoted
text left open, a stray divider), it gives up and the whole table goes to the general grammar,
which then reports the mistake with its usual diagnostic and span. tests/syntax/test_rows.py
compares both paths on many tables, valid and broken.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lark import Lark, Token, UnexpectedInput

from mmdsl.source import Source, Span
from mmdsl.syntax import ast
from mmdsl.syntax.build import AstBuilder

CellBuilder = Callable[[int, int, int], ast.Cell]
"""A cell's AST at (line, column shift, offset shift): its template moved to where it is written."""

_BLANK_LINE = re.compile(r"[\t ]*(?:#[^\n]*)?\r?")
"""A line the parser's line-break token folds between two rows: blanks, a comment."""
_ROW_END = re.compile(r"[\t \f]*(?:#[^\n]*)?\r?")
"""What may follow a row's last bar: blanks the parser ignores, a comment."""
_CELL_BLANKS = " \t\f"  # the blanks the grammar ignores (`%ignore /[\t \f]+/`)


def cell_parser(grammar: str) -> Lark:
    """The grammar's `cell` rule as a parser of its own (its own parse table: adding a start to
    the statement parser would merge states and change the tokens its syntax errors expect)."""
    return _cell_parser(grammar)


@functools.cache
def _cell_parser(grammar: str) -> Lark:
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=False, cache=True, start="cell")


class RowReader:
    """Reads the rows of the tables of one grammar; remembers each distinct cell text it parsed
    (for the tables of one run: a cell text means the same in every table)."""

    def __init__(self, grammar: str, divider: re.Pattern[str],
                 too_deep_or_long: Callable[[Source, Any], bool]) -> None:
        self._parser = cell_parser(grammar)
        self._divider = divider
        self._beyond_limits = too_deep_or_long
        self._cells: dict[str, CellBuilder | None] = {}
        self._shapes: dict[str, Any] = {}
        self._written: dict[str, tuple[CellBuilder | None, int]] = {}  # by the text with blanks

    # ---- a table's layout ----------------------------------------------------------------------

    def head_end(self, text: str) -> int | None:
        """The offset after the table's header row and its divider (with the blank and comment
        lines between them); None when the table has no such layout or no row after it."""
        header = re.search(r"\n[\t \f]*\|", text)
        if header is None:
            return None
        end = _line_end(text, header.end())
        after = end
        while after < len(text):
            line_end = _line_end(text, after)
            line = text[after:line_end - 1 if text[line_end - 1:line_end] == "\n" else line_end]
            if _BLANK_LINE.fullmatch(line):
                after = line_end
                continue
            divider = self._divider.match(line.lstrip(_CELL_BLANKS))
            if divider is not None:
                rest = line.lstrip(_CELL_BLANKS)[divider.end():]
                return line_end if _ROW_END.fullmatch(rest) else None
            return end
        return None  # no row: the general grammar reads such a table quickly

    def rows(self, text: str, start: int, base: int, line: int) -> list[ast.Row] | None:
        """The rows of `text` from `start` (a line start) to its end; `base` and `line`: the
        offset and 0-based line of `text` in the file. None when some line is not a plain row."""
        rows: list[ast.Row] = []
        position = start
        line += text.count("\n", 0, start)
        while position < len(text):
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            content = text[position:end]
            if not _BLANK_LINE.fullmatch(content):
                row = self.row(content, base + position, line + 1)
                if row is None:
                    return None
                rows.append(row)
            position, line = end + 1, line + 1
        return rows

    # ---- one row -------------------------------------------------------------------------------

    def row(self, content: str, offset: int, line: int) -> ast.Row | None:
        """The row written on the line `content` (at file `offset`, 1-based `line`)."""
        bar = len(content) - len(content.lstrip(_CELL_BLANKS))
        if content[bar:bar + 1] != "|" or self._divider.match(content, bar):
            return None
        bounds = _cell_bounds(content, bar)
        if bounds is None:
            return None
        cells_at, separators = bounds
        cells = []
        for cell_start, cell_end in cells_at:
            cell = self.cell(content, cell_start, cell_end, offset, line)
            if cell is None:
                return None
            cells.append(cell)
        end = len(content.rstrip())
        span = Span(line, bar + 1, line, end + 1, offset + bar, offset + end)
        return ast.Row(tuple(cells), tuple(separators), span)

    def cell(self, content: str, start: int, end: int, offset: int, line: int) -> ast.Cell | None:
        """The cell between the bars at `start` and `end` of the line."""
        raw = content[start:end]
        known = self._written.get(raw)
        if known is None:
            known = self._written[raw] = self._read(raw)
        builder, lead = known
        if builder is None:
            return None
        built: ast.Cell = builder(line, start + lead, offset + start + lead)
        return built

    def _read(self, raw: str) -> tuple[CellBuilder | None, int]:
        """The builder of a cell written `raw` between its bars, and the blanks before its text."""
        text = raw.strip(_CELL_BLANKS)
        if not text:
            return functools.partial(_empty_cell, width=len(raw)), 0
        builder = self._cells.get(text, _UNREAD)
        if builder is _UNREAD:
            try:
                builder = self._template(text)
            except RecursionError:  # a cell nested past any limit: the general grammar reports it
                builder = None
            self._cells[text] = builder
        return builder, len(raw) - len(raw.lstrip(_CELL_BLANKS))

    def _template(self, text: str) -> CellBuilder | None:
        """A builder of the cell `text` anywhere; None when the text is not a cell the parser
        accepts. Texts that differ only in their digits (`18..64` and `65..74`, `r1` and `r7`)
        share one parse: their shape (every digit written `1`) is parsed once, and each text's
        numbers and names are read into the shape's AST."""
        shape = text.translate(_ONES)
        if shape == text:
            return self._parsed(text)
        template = self._shapes.get(shape, _UNREAD)
        if template is _UNREAD:
            template = self._shapes[shape] = self._shape_template(shape)
        if template is None:
            return self._parsed(text)
        build, derived = template
        values = tuple(convert(text[start:end]) for convert, start, end in derived)
        return functools.partial(build, v=values)

    def _parsed(self, text: str) -> CellBuilder | None:
        """The cell `text` parsed on its own (a text without numbers, or an unusual one)."""
        cell = self._cell_ast(text)
        return None if cell is None else compile_builder(cell, text, set())[0]

    def _shape_template(self, shape: str) -> tuple[Callable[..., ast.Cell],
                                                   list[Derived]] | None:
        """The builder of a shape, with the values it reads from each text; None when the shape's
        numbers are not exactly its number tokens (a number inside quoted text, say)."""
        try:
            tree = self._parser.parse(shape)
        except UnexpectedInput:
            return None
        if self._beyond_limits(Source("", shape), tree):
            return None  # too deep or too long: the general grammar names it (and walks it safely)
        runs = {(t.start_pos or 0, t.end_pos or 0)
                for t in tree.scan_values(lambda v: isinstance(v, Token)) if t.type in _DIGITS_ALIKE}
        covered = {index for start, end in runs for index in range(start, end)}
        if any(char == "1" and index not in covered for index, char in enumerate(shape)) \
                or self._beyond_limits(Source("", shape), tree):
            return None  # a digit outside a number or a name (in quoted text, say)
        cell = AstBuilder(shape).transform(tree)
        if not isinstance(cell, ast.Cell):
            return None
        try:
            return compile_builder(cell, shape, runs)
        except _NotDerivable:
            return None

    def _cell_ast(self, text: str) -> ast.Cell | None:
        try:
            tree = self._parser.parse(text)
        except UnexpectedInput:
            return None
        if self._beyond_limits(Source("", text), tree):
            return None
        cell = AstBuilder(text).transform(tree)
        return cell if isinstance(cell, ast.Cell) else None


_ONES = str.maketrans("0123456789", "1111111111")
_DIGITS_ALIKE = frozenset({"INT", "DECIMAL", "NAME"})
"""The tokens in which any digit may stand for any other: the parser reads `18` and `11`, `r7`
and `r1` alike (tests/syntax/test_rows.py holds the grammar's terminals to that)."""


_UNREAD: Any = object()


def _empty_cell(line: int, column_shift: int, offset: int, width: int) -> ast.Cell:
    """An empty cell: the blanks between its bars (none, when the bars touch)."""
    return ast.Cell(None, "", Span(line, column_shift + 1, line, column_shift + width + 1, offset,
                                   offset + width))


def _line_end(text: str, position: int) -> int:
    """The offset after the line break that ends the line at `position` (or the text's end)."""
    end = text.find("\n", position)
    return len(text) if end < 0 else end + 1


def _cell_bounds(content: str, bar: int) -> tuple[list[tuple[int, int]], list[str]] | None:
    """The (start, end) of each cell of a row line whose first bar is at `bar`, and the
    separators after them; None when quoted text stays open or words follow the last bar."""
    if '"' not in content and "#" not in content:
        return _plain_cell_bounds(content, bar)
    cells: list[tuple[int, int]] = []
    separators: list[str] = []
    index, cell_start, length = bar + 1, bar + 1, len(content)
    quoted = False
    while index < length:
        char = content[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "|":
            separator = "||" if content.startswith("||", index) else "|"
            cells.append((cell_start, index))
            separators.append(separator)
            index += len(separator)
            cell_start = index
            continue
        elif char == "#":
            break
        index += 1
    if quoted or not cells or not _ROW_END.fullmatch(content, cell_start):
        return None
    return cells, separators


def _plain_cell_bounds(content: str, bar: int) -> tuple[list[tuple[int, int]], list[str]] | None:
    """`_cell_bounds` of a line without quoted text or comments: the bars found by a search."""
    cells: list[tuple[int, int]] = []
    separators: list[str] = []
    cell_start = bar + 1
    for match in _BARS.finditer(content, cell_start):
        cells.append((cell_start, match.start()))
        separators.append(match.group())
        cell_start = match.end()
    if not cells or not _ROW_END.fullmatch(content, cell_start):
        return None
    return cells, separators


_BARS = re.compile(r"\|\|?")


# ---- a cell's AST, moved ----------------------------------------------------------------------


Derived = tuple[Callable[[str], Any], int, int]
"""A value of a cell read from its text: (conversion, start, end)."""


class _NotDerivable(Exception):
    """A value of a shape's AST that depends on its numbers in a way the builder cannot redo."""


def compile_builder(cell: ast.Cell, text: str,
                    numbers: set[tuple[int, int]]) -> tuple[Callable[..., ast.Cell], list[Derived]]:
    """A function that builds `cell` (parsed from `text` at line 1, offset 0) at another place:
    spans on line L, columns and offsets shifted by dc and do; the values that come from the
    `numbers` of the text (their start and end) read from a text of the same shape, given as `v`.
    It is Python written for the one cell and compiled, so that building a cell is a few
    assignments; authored values reach it only as constants of its namespace or in `v`, never
    as code. Builders are shared by every cell that writes the same code."""
    writer = _BuilderWriter(text, numbers)
    result = writer.node(cell, None)
    body = "".join(f"    {line}\n" for line in writer.lines)
    code = f"def build(L, dc, do, v=()):\n{body}    return {result}\n"
    key = (code, tuple(map(_identity, writer.constants.values())))
    built = _COMPILED.get(key)
    if built is None:
        namespace: dict[str, Any] = {"new": object.__new__, **writer.constants}
        exec(compile(code, "<mmdsl cell>", "exec"), namespace)  # code made above: no authored text
        built = _COMPILED[key] = namespace["build"]
    return built, writer.derived


_COMPILED: dict[Any, Callable[..., ast.Cell]] = {}


def _identity(value: Any) -> Any:
    """A constant as a key: its type and value (1 and True and 1.0 are equal, yet not alike)."""
    return (type(value), value)


class _BuilderWriter:
    """Writes the statements that build a node: each node made by `object.__new__` and its fields
    set through their slots, as the frozen dataclass's own `__init__` would set them (the AST's
    classes have no `__post_init__`: tests/syntax/test_rows.py holds them to that), a third of the
    time of calling it."""

    def __init__(self, text: str, numbers: set[tuple[int, int]]) -> None:
        self.lines: list[str] = []
        self._span_names: dict[Span, str] = {}
        self.constants: dict[str, Any] = {}
        self.derived: list[Derived] = []
        self._text = text
        self._numbers = numbers

    def node(self, node: Any, owner: Span | None) -> str:
        if isinstance(node, Span):
            return self._span(node)
        if isinstance(node, tuple):
            return "(" + "".join(f"{self.node(item, owner)}, " for item in node) + ")"
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            span = getattr(node, "span", owner)
            values = [(f.name, self.node(getattr(node, f.name), span))
                      for f in dataclasses.fields(node)]
            return self._made(type(node), values)
        return self._leaf(node, owner)

    def _made(self, kind: type, values: list[tuple[str, str]]) -> str:
        name = f"n{len(self.lines)}"
        self.lines.append(f"{name} = new({self._constant(kind)})")
        for field, value in values:
            setter = self._constant(kind.__dict__[field].__set__)
            self.lines.append(f"{setter}({name}, {value})")
        return name

    def _leaf(self, value: Any, owner: Span | None) -> str:
        """A value of the AST: a constant, or (when it comes from the numbers) read from `v`."""
        if not self._numbers or value is None or isinstance(value, bool | type):
            return self._constant(value)
        where = (owner.start, owner.end) if owner is not None else None
        numbers_inside = where is not None and any(
            where[0] <= start and end <= where[1] for start, end in self._numbers)
        if isinstance(value, int | Decimal) and where in self._numbers:
            return self._derive(type(value), where)  # int(text) or Decimal(text), as the builder
        if isinstance(value, str) and where is not None and value == self._text[slice(*where)] \
                and numbers_inside:
            return self._derive(str, where)  # the text as written (a cell's text)
        if isinstance(value, int | Decimal | str) and "1" in str(value) and (numbers_inside or
                                                                         owner is None):
            raise _NotDerivable(value)
        return self._constant(value)

    def _derive(self, convert: Callable[[str], Any], where: tuple[int, int]) -> str:
        self.derived.append((convert, *where))
        return f"v[{len(self.derived) - 1}]"

    def _span(self, span: Span) -> str:
        if span.line != 1 or span.end_line != 1:
            raise ValueError("a cell spans one line")
        if span not in self._span_names:
            self._span_names[span] = self._made(Span, [
                ("line", "L"), ("column", f"{span.column} + dc"), ("end_line", "L"),
                ("end_column", f"{span.end_column} + dc"), ("start", f"{span.start} + do"),
                ("end", f"{span.end} + do")])
        return self._span_names[span]

    def _constant(self, value: Any) -> str:
        name = f"k{len(self.constants)}"
        self.constants[name] = value
        return name
