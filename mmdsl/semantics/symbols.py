"""The symbol table: every declaration of a file by name, with the types of its values.

Building it never fails and reports nothing: it records what was declared (duplicates included)
and leaves the judging to the checks, each of which reads this table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from mmdsl.semantics.arithmetic import Interval, Problem, Typed, Typer
from mmdsl.semantics.policies import HIT_POLICIES, SINGLE_HIT
from mmdsl.semantics.text import TextBuilder, TextFact, text_facts
from mmdsl.semantics.types import (
    BoolT,
    ClockT,
    DateT,
    DurationT,
    EnumInfo,
    EnumT,
    NumberT,
    SetT,
    TextT,
    ValueType,
)
from mmdsl.syntax import ast
from mmdsl.syntax.walk import conditions, quantities, unknown_numbers

ANNOTATION_COLUMNS = ("evidence", "caveats")
RULE_COLUMN = "rule"

SubjectKind = Literal["input", "fact", "interval", "output", "aggregate"]


@dataclass(frozen=True, slots=True)
class ClassInfo:
    decl: ast.ClassDecl
    enum: EnumInfo | None

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(m.text for m in self.decl.members)


@dataclass(frozen=True, slots=True)
class InputInfo:
    decl: ast.InputDecl
    type: ValueType | None


@dataclass(frozen=True, slots=True)
class OutputInfo:
    decl: ast.OutputDecl
    type: ValueType | None


@dataclass(frozen=True, slots=True)
class TableLayout:
    """Where the columns of a table are: rule names, inputs, outputs, annotations."""

    has_rule_column: bool
    inputs: tuple[ast.HeaderCell, ...]
    outputs: tuple[ast.HeaderCell, ...]
    annotations: tuple[ast.HeaderCell, ...]
    valid: bool

    @property
    def width(self) -> int:
        return int(self.has_rule_column) + len(self.inputs) + len(self.outputs) + len(self.annotations)


@dataclass(frozen=True, slots=True)
class TableInfo:
    decl: ast.TableDecl
    index: int
    outputs: dict[str, OutputInfo]
    policy: str | None
    aggregate: str | None
    layout: TableLayout

    @property
    def name(self) -> str:
        return self.decl.name.text

    @property
    def single_hit(self) -> bool:
        return self.policy in SINGLE_HIT


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a subject (a column heading or the left side of a condition) refers to."""

    key: str
    kind: SubjectKind
    type: ValueType
    nullable: bool
    table: str | None = None


@dataclass(frozen=True, slots=True)
class NumericFact:
    """A derived fact that is a number: its arithmetic, its type and range, and what in it
    cannot be computed (reported by check/computed.py)."""

    decl: ast.FactDecl
    expr: ast.NumExpr
    typed: Typed
    problems: tuple[Problem, ...]

    @property
    def type(self) -> NumberT:
        return self.typed.number_type()


@dataclass(frozen=True, slots=True)
class Duplicate:
    kind: str
    first: ast.Name
    second: ast.Name


@dataclass
class Symbols:
    module: ast.Module
    guideline: ast.GuidelineDecl | None = None
    version: ast.VersionDecl | None = None
    source: ast.SourceDecl | None = None  # the clinical source the quotes come from
    scope: ast.ScopeDecl | None = None
    references: dict[int, ast.ReferenceDecl] = field(default_factory=dict)
    evidence: dict[str, ast.EvidenceDecl] = field(default_factory=dict)
    caveats: dict[str, ast.CaveatDecl] = field(default_factory=dict)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    inputs: dict[str, InputInfo] = field(default_factory=dict)
    facts: dict[str, ast.FactDecl] = field(default_factory=dict)
    intervals: dict[str, ast.IntervalDecl] = field(default_factory=dict)  # durations
    impossible: dict[str, ast.ImpossibleDecl] = field(default_factory=dict)
    tables: dict[str, TableInfo] = field(default_factory=dict)
    examples: dict[str, ast.ExampleDecl] = field(default_factory=dict)
    notes: dict[str, ast.NoteDecl] = field(default_factory=dict)
    quotes: dict[str, ast.QuoteDecl] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    repeated: list[ast.Statement] = field(default_factory=list)
    _numeric: dict[str, NumericFact | None] = field(default_factory=dict, repr=False)
    _typing: set[str] = field(default_factory=set, repr=False)  # facts being typed (cycles)
    _unknown: frozenset[str] | None = field(default=None, repr=False)
    _text_names: set[str] | None = field(default=None, repr=False)
    _text: dict[str, TextFact] = field(default_factory=dict, repr=False)

    # ---- lookups -------------------------------------------------------------------------

    def value_names(self) -> list[str]:
        """Every name a column or condition may read: inputs, facts, table outputs."""
        names = list(self.inputs) + list(self.facts) + list(self.intervals)
        for table in self.tables.values():
            names += [f"{table.name}.{o}" for o in table.outputs] + [table.name]
        return names

    def enum_of_member(self, member: str) -> list[EnumInfo]:
        return [e for e in self.enums.values() if member in e.members]

    def resolve(self, subject: ast.Subject) -> Resolved | None:
        """The input, fact or table output a subject names, or None if it names nothing usable."""
        if subject.member is None:
            return self._resolve_plain(subject.name.text)
        table = self.tables.get(subject.name.text)
        if table is None:
            return None
        return _resolve_output(table, subject.member.text)

    def may_be_unknown(self, name: str) -> bool:
        """Whether the value of an input or a derived fact may be unknown: an input declared
        `or unknown`, a fact that reads one (Kleene's logic decides when it is known anyway), a
        duration from or to one (unknown when an end is)."""
        if self._unknown is None:
            self._unknown = self._unknown_names()
        return name in self._unknown

    def _unknown_names(self) -> frozenset[str]:
        """The inputs declared `or unknown` and every fact reading one, directly or through other
        facts: a walk from the inputs to their readers (no recursion: chains may be long)."""
        readers: dict[str, list[str]] = {}
        for fact, decl in self.facts.items():
            subjects = [c.subject for c in conditions(decl.expr)]
            subjects += [q.subject for q in quantities(decl.expr)]
            for subject in subjects:
                if subject.member is None:
                    readers.setdefault(subject.name.text, []).append(fact)
        found = {name for name, info in self.inputs.items() if info.decl.unknown is not None}
        found |= {fact for fact, decl in self.facts.items()
                  if next(unknown_numbers(decl.expr), None) is not None}  # `10 + unknown`
        found |= {name for name, decl in self.intervals.items()
                  if decl.start.text in found or decl.end.text in found}  # an unknown end
        stack = list(found)
        while stack:
            for reader in readers.get(stack.pop(), ()):
                if reader not in found:
                    found.add(reader)
                    stack.append(reader)
        return frozenset(found)

    def _resolve_plain(self, name: str) -> Resolved | None:
        if name in self.inputs:
            input_type = self.inputs[name].type
            return None if input_type is None else Resolved(name, "input", input_type,
                                                            self.may_be_unknown(name))
        if name in self.facts:
            if self.is_text_fact(name):
                return Resolved(name, "fact", TextT(), self.may_be_unknown(name))
            numeric = self.numeric_fact(name)
            return Resolved(name, "fact", BoolT() if numeric is None else numeric.type,
                            self.may_be_unknown(name))
        if name in self.intervals:
            interval = self.intervals[name]
            return Resolved(name, "interval", self.duration_type(interval),
                            self.may_be_unknown(name))
        table = self.tables.get(name)
        if table is None:
            return None
        if table.aggregate is not None:
            return _resolve_aggregate(table)
        if len(table.outputs) == 1:
            return _resolve_output(table, next(iter(table.outputs)))
        return None


    # ---- text facts ------------------------------------------------------------------------------

    def is_text_fact(self, name: str) -> bool:
        """Whether the fact `name` is text (semantics/text.py): classified once, all together."""
        if self._text_names is None:
            self._text_names = text_facts(self.facts, self._input_type)
        return name in self._text_names

    def text_fact(self, name: str) -> TextFact | None:
        """The fact `name` if it is text, with its parts and what in it is not text."""
        if not self.is_text_fact(name):
            return None
        if name not in self._text:
            decl = self.facts[name]
            builder = TextBuilder(self._kind_of)
            expr = builder.build(decl.expr)
            self._text[name] = TextFact(decl, expr, tuple(builder.problems))
        return self._text[name]

    def _input_type(self, name: str) -> ValueType | None:
        info = self.inputs.get(name)
        return None if info is None else info.type

    def _kind_of(self, name: str) -> tuple[str, ValueType | None]:
        if name in self.inputs:
            return "input", self.inputs[name].type
        if name in self.facts:
            if self.is_text_fact(name):
                return "text fact", TextT()
            resolved = self._resolve_plain(name)
            return "fact", None if resolved is None else resolved.type
        if name in self.intervals:
            return "fact", self.duration_type(self.intervals[name])
        return ("other" if name in self.tables else "unknown"), None

    def duration_type(self, interval: ast.IntervalDecl) -> DurationT:
        """A duration, counted in seconds when both its ends are dates and times."""
        ends = [self.inputs.get(n.text) for n in (interval.start, interval.end)]
        timed = all(e is not None and isinstance(e.type, DateT) and e.type.time for e in ends)
        return DurationT(interval.start.text, interval.end.text, timed)

    # ---- computed numbers ------------------------------------------------------------------------

    def numeric_fact(self, name: str) -> NumericFact | None:
        """The fact `name` if it is a number (its arithmetic typed once), None if it is yes/no.

        A fact that reads itself is typed as an unbounded decimal while it is being typed; the
        cycle is reported by check/facts.py."""
        if name in self._numeric:
            return self._numeric[name]
        if self.is_text_fact(name):
            return None
        self._type_what_it_reads_first(name)
        return self._numeric_fact(name)

    def _type_what_it_reads_first(self, name: str) -> None:
        """Type the facts `name` reads, deepest first, with a stack of our own: typing one fact
        types the facts it reads, and a chain of facts can be as long as the file (10,000 facts
        each reading the one before), far deeper than Python's recursion allows."""
        stack, seen = [(name, False)], {name}
        while stack:
            fact, read_first = stack.pop()
            if read_first:
                if fact != name and fact not in self._numeric:
                    self._numeric_fact(fact)
                continue
            stack.append((fact, True))
            for read in self._facts_read(fact):
                if read not in seen and read not in self._numeric:
                    seen.add(read)
                    stack.append((read, False))

    def _facts_read(self, name: str) -> list[str]:
        expr = self.facts[name].expr
        subjects = [c.subject for c in conditions(expr)] + [q.subject for q in quantities(expr)]
        return [s.name.text for s in subjects if s.member is None and s.name.text in self.facts]

    def _numeric_fact(self, name: str) -> NumericFact | None:
        if name in self._numeric:
            return self._numeric[name]
        decl = self.facts[name]
        if self.is_text_fact(name):
            self._numeric[name] = None
            return None
        if name in self._typing:  # on a cycle: a number if written as arithmetic, else yes/no
            if isinstance(decl.expr, ast.NUMERIC_NODES):
                return NumericFact(decl, decl.expr, _UNBOUNDED_DECIMAL, ())
            return None
        self._typing.add(name)
        try:
            expr = self._numeric_expr(decl)
            info = None
            if expr is not None:
                typer = Typer(self._number_of)
                typed = typer.type_of(expr)
                info = NumericFact(decl, expr, typed, tuple(typer.problems))
        finally:
            self._typing.discard(name)
        self._numeric[name] = info
        return info

    def _numeric_expr(self, decl: ast.FactDecl) -> ast.NumExpr | None:
        """The arithmetic of a fact; a name alone (`fact x = y`) is a number when y is one."""
        expr = decl.expr
        if isinstance(expr, ast.NUMERIC_NODES):
            return expr
        if isinstance(expr, ast.Condition) and expr.test is None and expr.subject.member is None:
            name = expr.subject.name.text
            numeric = (name in self.inputs and isinstance(self.inputs[name].type, NumberT)) or (
                name in self.facts and self.numeric_fact(name) is not None)
            if numeric:
                return ast.Quantity(expr.subject, expr.span)
        return None

    def _number_of(self, subject: ast.Subject) -> ValueType | None:
        """What a name read in arithmetic holds (None for what `names` reports: unknown names,
        tables)."""
        resolved = self.resolve(subject) if subject.member is None else None
        if resolved is None or resolved.kind not in ("input", "fact", "interval"):
            return None
        return resolved.type


_UNBOUNDED_DECIMAL = Typed("decimal", Interval(None, None))


def _resolve_output(table: TableInfo, output: str) -> Resolved | None:
    info = table.outputs.get(output)
    if info is None or info.type is None or table.aggregate is not None:
        return None
    key = f"{table.name}.{output}"
    if table.single_hit:
        return Resolved(key, "output", info.type, True, table.name)
    if isinstance(info.type, EnumT):
        return Resolved(key, "output", SetT(info.type.enum), False, table.name)
    return None


def _resolve_aggregate(table: TableInfo) -> Resolved | None:
    if table.aggregate == "count":
        return Resolved(table.name, "aggregate", NumberT("integer"), False, table.name)
    info = next(iter(table.outputs.values()), None)
    if info is None or not isinstance(info.type, NumberT):
        return None
    return Resolved(table.name, "aggregate", info.type, True, table.name)


# ---- building -------------------------------------------------------------------------------------


def build_symbols(module: ast.Module) -> Symbols:
    symbols = Symbols(module)
    for statement in module.statements:
        if isinstance(statement, ast.EnumDecl):
            _declare(symbols, symbols.enums, statement.name, "enumeration", _enum_info(statement))
    for statement in module.statements:
        _collect(symbols, statement)
    return symbols


def _declare(symbols: Symbols, table: dict[str, Any], name: ast.Name, kind: str,
             value: object) -> None:
    if name.text in table:
        symbols.duplicates.append(Duplicate(kind, _name_of(table[name.text]), name))
        return
    table[name.text] = value


def _name_of(value: object) -> ast.Name:
    decl = getattr(value, "decl", value)
    name = getattr(decl, "name", None)
    assert isinstance(name, ast.Name)
    return name


def _collect(symbols: Symbols, statement: ast.Statement) -> None:
    match statement:
        case ast.GuidelineDecl():
            _set_once(symbols, "guideline", statement)
        case ast.VersionDecl():
            _set_once(symbols, "version", statement)
        case ast.SourceDecl():
            _set_once(symbols, "source", statement)
        case ast.ScopeDecl():
            _set_once(symbols, "scope", statement)
        case ast.ReferenceDecl():
            number = int(statement.number.value)
            if number in symbols.references:
                symbols.repeated.append(statement)
            else:
                symbols.references[number] = statement
        case ast.EvidenceDecl():
            _declare(symbols, symbols.evidence, statement.name, "evidence", statement)
        case ast.CaveatDecl():
            _declare(symbols, symbols.caveats, statement.name, "caveat", statement)
        case ast.ClassDecl():
            info = ClassInfo(statement, symbols.enums.get(statement.enum.text))
            _declare_vocabulary(symbols, statement.name, info)
        case ast.InputDecl():
            value_type = resolve_type(symbols, statement.type, statement.name.text,
                                      single_member=False)
            info_in = InputInfo(statement, value_type)
            _declare_value(symbols, statement.name, "input", info_in)
        case ast.FactDecl():
            _declare_value(symbols, statement.name, "fact", statement)
        case ast.IntervalDecl():
            _declare_value(symbols, statement.name, "interval", statement)
        case ast.ImpossibleDecl():
            _declare(symbols, symbols.impossible, statement.name, "impossible combination", statement)
        case ast.TableDecl():
            _declare_value(symbols, statement.name, "table", _table_info(symbols, statement))
        case ast.ExampleDecl():
            _declare(symbols, symbols.examples, statement.name, "example", statement)
        case ast.NoteDecl():
            _declare(symbols, symbols.notes, statement.name, "note", statement)
        case ast.QuoteDecl():
            _declare(symbols, symbols.quotes, statement.name, "quote", statement)
        case ast.EnumDecl():
            pass


def _set_once(symbols: Symbols, attribute: str, statement: ast.Statement) -> None:
    if getattr(symbols, attribute) is None:
        setattr(symbols, attribute, statement)
    else:
        symbols.repeated.append(statement)


def _declare_vocabulary(symbols: Symbols, name: ast.Name, info: ClassInfo) -> None:
    """Enumerations and classes share one namespace: both may be named in a cell."""
    if name.text in symbols.enums:
        symbols.duplicates.append(Duplicate("class", _name_of(symbols.enums[name.text]), name))
        return
    _declare(symbols, symbols.classes, name, "class", info)


def _declare_value(symbols: Symbols, name: ast.Name, kind: str, value: object) -> None:
    """Inputs, facts and tables share one namespace: each may head a column."""
    for other in (symbols.inputs, symbols.facts, symbols.intervals, symbols.tables):
        if name.text in other:
            symbols.duplicates.append(Duplicate(kind, _name_of(other[name.text]), name))
            return
    targets: dict[str, dict[str, Any]] = {"input": symbols.inputs, "fact": symbols.facts,
                                          "interval": symbols.intervals, "table": symbols.tables}
    targets[kind][name.text] = value


def _enum_info(decl: ast.EnumDecl) -> EnumInfo:
    members = tuple(dict.fromkeys(m.name.text for m in decl.members))
    labels = {m.name.text: m.description.value for m in decl.members if m.description}
    return EnumInfo(decl.name.text, decl.description.value if decl.description else "", members,
                    labels, decl)


def resolve_type(symbols: Symbols, type_expr: ast.TypeExpr, owner: str | None, *,
                 single_member: bool = True) -> ValueType | None:
    """The type a type expression denotes, or None when it names an unknown enumeration.

    Members written in place (`one of a, b`) form an enumeration named after `owner`. With
    `single_member` false (inputs), `one of x` where x is no enumeration is an unknown
    enumeration rather than a list of one member.
    """
    match type_expr:
        case ast.BoolType():
            return BoolT()
        case ast.TextType():
            return TextT()
        case ast.DateType():
            return DateT(type_expr.evaluation, type_expr.time)
        case ast.TimeOfDayType():
            return ClockT()
        case ast.NumberType():
            low = type_expr.low.value if type_expr.low else None
            high = type_expr.high.value if type_expr.high else None
            unit = type_expr.unit.value if type_expr.unit else None
            return NumberT(type_expr.kind, low, high, unit)
        case ast.SetType():
            enum = symbols.enums.get(type_expr.enum.text)
            return SetT(enum) if enum else None
        case ast.EnumType():
            return _enum_type(symbols, type_expr, owner, single_member)
    return None


def _enum_type(symbols: Symbols, type_expr: ast.EnumType, owner: str | None,
               single_member: bool) -> ValueType | None:
    names = type_expr.names
    if len(names) == 1 and names[0].text in symbols.enums:
        return EnumT(symbols.enums[names[0].text])
    if len(names) == 1 and (owner is None or not single_member):
        return None
    members = tuple(dict.fromkeys(n.text for n in names))
    return EnumT(EnumInfo(owner or "", "", members, {}, type_expr))


def _table_info(symbols: Symbols, decl: ast.TableDecl) -> TableInfo:
    outputs: dict[str, OutputInfo] = {}
    for output in decl.outputs:
        owner = f"{decl.name.text}.{output.name.text}"
        info = OutputInfo(output, resolve_type(symbols, output.type, owner))
        if output.name.text in outputs:
            symbols.duplicates.append(Duplicate("output", outputs[output.name.text].decl.name,
                                                output.name))
        else:
            outputs[output.name.text] = info
    words = decl.hit.words if decl.hit else ("unique",)
    policy, aggregate = HIT_POLICIES.get(words, (None, None))
    return TableInfo(decl, len(symbols.tables), outputs, policy, aggregate, table_layout(decl))


def table_layout(decl: ast.TableDecl) -> TableLayout:
    """Split the header into rule, input, output and annotation columns at the `||` bars."""
    sections = _sections(decl.header, decl.header_separators)
    valid = 2 <= len(sections) <= 3 and bool(sections[1])
    inputs = sections[0] if sections else []
    has_rule = bool(inputs) and inputs[0].subject.text == RULE_COLUMN
    if has_rule:
        inputs = inputs[1:]
    outputs = sections[1] if len(sections) > 1 else []
    annotations = sections[2] if len(sections) > 2 else []
    return TableLayout(has_rule, tuple(inputs), tuple(outputs), tuple(annotations), valid)


def _sections(cells: Iterable[ast.HeaderCell], separators: tuple[str, ...]) -> list[list[ast.HeaderCell]]:
    sections: list[list[ast.HeaderCell]] = [[]]
    for cell, separator in zip(cells, separators, strict=False):
        sections[-1].append(cell)
        if separator == "||":
            sections.append([])
    return [s for s in sections if s]
