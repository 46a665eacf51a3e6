"""Every name written in a file, with what it names: the ground of go to definition, find
references, rename, hover and highlighting of the same name.

A name's key says what it names, so that two things with the same spelling stay apart (the rule
`isapd` and the regimen `IsaPd`, the member `none` of two enumerations):
("input", name), ("fact", name), ("table", name), ("output", table, name), ("rule", table, name),
("enum", name), ("member", enumeration, name), ("class", name), ("evidence", name),
("caveat", name), ("example", name), ("note", name), ("quote", name).
Names that resolve to nothing (misspelt ones: the diagnostics name them) are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from mmdsl.semantics.symbols import ANNOTATION_COLUMNS, RULE_COLUMN, Symbols, TableInfo
from mmdsl.semantics.types import EnumInfo, EnumT, SetT, ValueType
from mmdsl.syntax import ast

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Occurrence:
    key: Key
    start: int
    end: int
    definition: bool


@dataclass
class NameIndex:
    occurrences: list[Occurrence] = field(default_factory=list)

    def at(self, offset: int) -> Occurrence | None:
        """The name under the cursor (a cursor just after a name is on it, as editors expect)."""
        found = [o for o in self.occurrences if o.start <= offset <= o.end]
        return min(found, key=lambda o: o.end - o.start) if found else None

    def definition(self, key: Key) -> Occurrence | None:
        return next((o for o in self.occurrences if o.key == key and o.definition), None)

    def of(self, key: Key) -> list[Occurrence]:
        return sorted((o for o in self.occurrences if o.key == key), key=lambda o: o.start)


def build_index(symbols: Symbols) -> NameIndex:
    index = NameIndex()
    indexer = _Indexer(symbols, index)
    for statement in symbols.module.statements:
        indexer.statement(statement)
    return index


def enum_of(value_type: ValueType | None) -> EnumInfo | None:
    if isinstance(value_type, EnumT | SetT):
        return value_type.enum
    return None


class _Indexer:
    def __init__(self, symbols: Symbols, index: NameIndex) -> None:
        self.symbols = symbols
        self.index = index

    def add(self, key: Key, name: ast.Name, definition: bool = False) -> None:
        self.index.occurrences.append(Occurrence(key, name.span.start, name.span.end, definition))

    # ---- statements --------------------------------------------------------------------------

    def statement(self, statement: ast.Statement) -> None:
        match statement:
            case ast.EvidenceDecl() | ast.CaveatDecl() | ast.ExampleDecl() | ast.NoteDecl() | ast.QuoteDecl():
                kind = type(statement).__name__.removesuffix("Decl").lower()
                self.add((kind, statement.name.text), statement.name, definition=True)
        match statement:
            case ast.EnumDecl():
                self.add(("enum", statement.name.text), statement.name, definition=True)
                for member in statement.members:
                    self.add(("member", statement.name.text, member.name.text), member.name, True)
            case ast.ClassDecl():
                self.add(("class", statement.name.text), statement.name, definition=True)
                self.add(("enum", statement.enum.text), statement.enum)
                for name in statement.members:
                    self.add(("member", statement.enum.text, name.text), name)
            case ast.InputDecl():
                self.add(("input", statement.name.text), statement.name, definition=True)
                self.type_names(statement.type, statement.name.text)
                if statement.includes is not None:
                    self.add(("input", statement.includes.text), statement.includes)
                info = self.symbols.inputs.get(statement.name.text)
                if statement.default is not None and info is not None:
                    self.value(statement.default, info.type)
            case ast.FactDecl():
                self.add(("fact", statement.name.text), statement.name, definition=True)
                self.expr(statement.expr)
            case ast.IntervalDecl():  # a duration: a fact, between two date inputs
                self.add(("fact", statement.name.text), statement.name, definition=True)
                for end in (statement.start, statement.end):
                    self.add(("input", end.text), end)
            case ast.ScopeDecl():
                self.expr(statement.expr)
            case ast.TableDecl():
                self.table(statement)
            case ast.ExampleDecl():
                self.example(statement)
            case ast.NoteDecl() | ast.QuoteDecl():
                for target in statement.targets:
                    self.subject(target, rules=True)

    def type_names(self, type_expr: ast.TypeExpr, owner: str) -> None:
        """`one of ENUM`, `set of ENUM`, or members written in place (which it defines)."""
        match type_expr:
            case ast.SetType():
                self.add(("enum", type_expr.enum.text), type_expr.enum)
            case ast.EnumType() if self.names_an_enum(type_expr):
                self.add(("enum", type_expr.names[0].text), type_expr.names[0])
            case ast.EnumType():
                for name in type_expr.names:
                    self.add(("member", owner, name.text), name, definition=True)

    def names_an_enum(self, type_expr: ast.EnumType) -> bool:
        """`one of drug` (a declared enumeration), not members written in place."""
        return len(type_expr.names) == 1 and type_expr.names[0].text in self.symbols.enums

    # ---- tables ------------------------------------------------------------------------------

    def table(self, decl: ast.TableDecl) -> None:
        table_name = decl.name.text
        self.add(("table", table_name), decl.name, definition=True)
        for output in decl.outputs:
            self.add(("output", table_name, output.name.text), output.name, definition=True)
            self.type_names(output.type, f"{table_name}.{output.name.text}")
        for name in (*decl.order_by, *decl.distinct_by):
            self.add(("output", table_name, name.text), name)
        info = self.symbols.tables.get(table_name)
        if info is None or info.decl is not decl:
            return
        columns = list(column_kinds(self.symbols, info))
        for header, (kind, _) in zip(decl.header, columns, strict=False):
            if kind in ("input", "output"):
                self.subject(header.subject, table=info if kind == "output" else None)
        for row in decl.rows:
            for cell, (kind, value_type) in zip(row.cells, columns, strict=False):
                self.cell(info, cell, kind, value_type)

    def cell(self, table: TableInfo, cell: ast.Cell, kind: str, value_type: ValueType | None) -> None:
        if cell.test is None:
            return
        if kind == "rule":
            for name in names_in(cell.test):
                self.add(("rule", table.name, name.text), name, definition=True)
        elif kind in ANNOTATION_COLUMNS:
            singular = "evidence" if kind == "evidence" else "caveat"
            for name in names_in(cell.test):
                self.add((singular, name.text), name)
        else:
            self.test(cell.test, value_type)

    # ---- conditions, tests, values -----------------------------------------------------------

    def expr(self, expr: ast.Expr | ast.NumExpr) -> None:
        match expr:
            case ast.Condition():
                resolved = self.subject(expr.subject)
                if expr.test is not None:
                    self.test(expr.test, resolved)
            case ast.And() | ast.Or():
                for item in expr.items:
                    self.expr(item)
            case ast.Not() | ast.Negate():
                self.expr(expr.item)
            case ast.Quantity():  # a name read as a number in a numeric fact
                self.subject(expr.subject)
            case ast.Arithmetic():
                self.expr(expr.left)
                self.expr(expr.right)
            case ast.Choice():
                for part in (expr.condition, expr.then, expr.otherwise):
                    self.expr(part)

    def subject(self, subject: ast.Subject, *, rules: bool = False,
                table: TableInfo | None = None) -> ValueType | None:
        """Index a subject; its type (to resolve the values tested against it)."""
        name = subject.name.text
        if subject.member is None and table is not None and name in table.outputs:
            self.add(("output", table.name, name), subject.name)
            return table.outputs[name].type
        if subject.member is None:
            kind = next((k for k, names in (("input", self.symbols.inputs), ("fact", self.symbols.facts),
                                            ("fact", self.symbols.intervals),
                                            ("table", self.symbols.tables)) if name in names), None)
            if kind is not None:
                self.add((kind, name), subject.name)
            resolved = self.symbols.resolve(subject)
            return resolved.type if resolved else None
        if name not in self.symbols.tables:
            return None
        self.add(("table", name), subject.name)
        member = subject.member.text
        if rules and member not in self.symbols.tables[name].outputs:
            self.add(("rule", name, member), subject.member)
            return None
        self.add(("output", name, member), subject.member)
        resolved = self.symbols.resolve(subject)
        return resolved.type if resolved else None

    def test(self, test: ast.Test, value_type: ValueType | None) -> None:
        enum = enum_of(value_type)
        match test:
            case ast.HasTest() if enum is not None:
                self.add(("member", enum.name, test.member.text), test.member)
            case ast.QuantifiedTest() if test.is_class:
                for name in test.members:
                    self.add(("class", name.text), name)
            case ast.QuantifiedTest() if enum is not None:
                for name in test.members:
                    self.add(("member", enum.name, name.text), name)
            case ast.ValueTest():
                self.value(test.value, value_type)
            case ast.NotTest() | ast.OneOfTest():
                for inner in test.tests:
                    self.test(inner, value_type)

    def value(self, value: ast.Value, value_type: ValueType | None) -> None:
        enum = enum_of(value_type)
        if isinstance(value, ast.NameValue) and enum is not None and value.name.text in enum.members:
            self.add(("member", enum.name, value.name.text), value.name)

    def example(self, decl: ast.ExampleDecl) -> None:
        for given in decl.givens:
            info = self.symbols.inputs.get(given.name.text)
            if info is None:
                continue
            self.add(("input", given.name.text), given.name)
            for value in given.values:
                self.value(value, info.type)
        for expect in decl.expects:
            value_type = self.subject(expect.subject)
            for value in expect.values:
                self.value(value, value_type)


def column_kinds(symbols: Symbols, table: TableInfo) -> Iterator[tuple[str, ValueType | None]]:
    """Each column of the table in order: its kind ("rule", "input", "output", "evidence",
    "caveats") and the type of its values."""
    if table.layout.has_rule_column:
        yield RULE_COLUMN, None
    for header in table.layout.inputs:
        resolved = symbols.resolve(header.subject)
        yield "input", resolved.type if resolved else None
    for header in table.layout.outputs:
        info = table.outputs.get(header.subject.text)
        yield "output", info.type if info else None
    for header in table.layout.annotations:
        yield header.subject.text, None


def names_in(test: ast.Test) -> Iterator[ast.Name]:
    """The plain names of a cell's test (a rule name, evidence names, caveat names)."""
    match test:
        case ast.ValueTest(value=ast.NameValue(name=name)):
            yield name
        case ast.OneOfTest():
            for inner in test.tests:
                yield from names_in(inner)
