"""The abstract syntax tree: frozen dataclasses, every node with the span it was written at.

The tree records what the author wrote, in the author's order; it resolves nothing. Names are
kept as `Name` nodes (text plus span) so that every later diagnostic can point at the exact word.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeAlias

from mmdsl.source import Span

# ---- leaves ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Name:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Text:
    """Quoted text, with escapes decoded and runs of white space (line breaks too) folded."""

    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Subject:
    """What a test is about: an input, a fact, or `table.output`."""

    name: Name
    member: Name | None
    span: Span

    @property
    def text(self) -> str:
        return self.name.text if self.member is None else f"{self.name.text}.{self.member.text}"


# ---- values -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberValue:
    value: int | Decimal
    span: Span


@dataclass(frozen=True, slots=True)
class BoolValue:
    value: bool
    span: Span


@dataclass(frozen=True, slots=True)
class TextValue:
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class NameValue:
    """A bare word: an enumeration member, a class, or another declared name."""

    name: Name
    span: Span


@dataclass(frozen=True, slots=True)
class DateValue:
    """A calendar date written `2024-03-01` (checked to exist by the checks, not the parser)."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class DateTimeValue:
    """A date and a clock time written `2024-03-01T14:30` (seconds and an offset, `Z` or
    `+01:00`, may follow; checked to exist by the checks, not the parser)."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class TimeOfDayValue:
    """A clock time of any day written `14:30` or `14:30:05` (an offset may be written, which the
    checks refuse; checked to exist by the checks, not the parser)."""

    text: str
    span: Span


DAY_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
MONTH_UNITS = {"month": 1, "months": 1, "year": 12, "years": 12}
DURATION_UNITS = (*DAY_UNITS, *MONTH_UNITS)
"""The units of a duration: days and weeks count days; months and years count completed calendar
months (semantics/calendar.py)."""


@dataclass(frozen=True, slots=True)
class DurationValue:
    """`6 weeks`: a whole number and a unit as written (the checks hold it to days, weeks,
    months or years)."""

    amount: int
    unit: Name
    span: Span


TIME_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400,
              "days": 86400, "week": 604800, "weeks": 604800}
"""The units of a duration between two dates and times, in seconds: a day is 24 hours."""


Value: TypeAlias = (NumberValue | BoolValue | TextValue | NameValue | DateValue | DateTimeValue
                   | TimeOfDayValue)

# ---- tests: what a table cell (or a condition) checks about its subject ---------------------

CompareOp = Literal[">=", "<=", ">", "<", "=", "!="]
Quantifier = Literal["any", "none", "all"]


@dataclass(frozen=True, slots=True)
class AnyTest:
    """`-`: matches every value."""

    span: Span


@dataclass(frozen=True, slots=True)
class CompareTest:
    op: CompareOp
    # a date: a fixed calendar day (`>= 2019-09-01`); a date and time: a fixed moment
    value: NumberValue | DurationValue | DateValue | DateTimeValue | TimeOfDayValue
    span: Span


@dataclass(frozen=True, slots=True)
class RangeTest:
    low: NumberValue | DurationValue | DateValue | DateTimeValue | TimeOfDayValue
    high: NumberValue | DurationValue | DateValue | DateTimeValue | TimeOfDayValue
    low_closed: bool
    high_closed: bool
    span: Span


@dataclass(frozen=True, slots=True)
class ValueTest:
    """Equality with a value; a class name in an enumeration column means 'one of the class'."""

    value: Value
    span: Span


@dataclass(frozen=True, slots=True)
class HasTest:
    """`has m`: the set contains the member `m`."""

    member: Name
    span: Span


@dataclass(frozen=True, slots=True)
class QuantifiedTest:
    """`has any of PI`, `none of (a, b)`, `all of C`: the set against a group of members."""

    quantifier: Quantifier
    members: tuple[Name, ...]
    is_class: bool
    span: Span


@dataclass(frozen=True, slots=True)
class UnknownTest:
    """`unknown`: the value is not known (the caller gave null for an input declared
    `or unknown`); `not unknown` is a NotTest of it."""

    span: Span


@dataclass(frozen=True, slots=True)
class NotTest:
    """`not t` or `not (t1, t2)`: none of the inner tests holds."""

    tests: tuple[Test, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class OneOfTest:
    """`t1, t2`: at least one of the tests holds."""

    tests: tuple[Test, ...]
    span: Span


Test: TypeAlias = (
    AnyTest | CompareTest | RangeTest | ValueTest | HasTest | QuantifiedTest | NotTest | OneOfTest
    | UnknownTest
)

# ---- expressions: derived facts and the scope -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Condition:
    """A subject and a test; with no test, a yes/no subject that must be yes."""

    subject: Subject
    test: Test | None
    span: Span


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Not:
    item: Expr
    span: Span


Expr: TypeAlias = Condition | And | Or | Not

# ---- computed numbers: the arithmetic of a numeric fact -------------------------------------

ArithmeticOp = Literal["+", "-", "*", "/", "**"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A name read as a number inside arithmetic: a numeric input or another numeric fact.

    A name alone as the whole of a fact (`fact x = y`) stays a `Condition` without a test: what
    it is (yes/no or a number) is decided by its type, in the semantics."""

    subject: Subject
    span: Span


@dataclass(frozen=True, slots=True)
class Arithmetic:
    """`left op right`; a chain `a + b - c` is folded to the left, as it is computed."""

    op: ArithmeticOp
    left: NumExpr
    right: NumExpr
    span: Span


@dataclass(frozen=True, slots=True)
class Negate:
    item: NumExpr
    span: Span


@dataclass(frozen=True, slots=True)
class Choice:
    """`if CONDITION then E1 else E2`: a number chosen by a condition (points in a score)."""

    condition: Expr
    then: NumExpr
    otherwise: NumExpr
    span: Span


@dataclass(frozen=True, slots=True)
class TextLiteral:
    """Quoted text in a derived fact: it makes the fact a text fact, joined with `+` to other
    text (semantics/text.py), shown in the decision and never tested."""

    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class UnknownNumber:
    """`unknown` in arithmetic: a number that has no value (DMN's null), and makes the arithmetic
    over it unknown (`10 + unknown` is unknown)."""

    span: Span


NumExpr: TypeAlias = (NumberValue | Quantity | Arithmetic | Negate | Choice | TextLiteral
                      | UnknownNumber)
NUMERIC_NODES = (NumberValue, Quantity, Arithmetic, Negate, Choice, TextLiteral, UnknownNumber)
"""The nodes of a value (a number, or text): the operands of `+` and the branches of `if`."""

# ---- types --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoolType:
    span: Span


@dataclass(frozen=True, slots=True)
class NumberType:
    kind: Literal["integer", "decimal"]
    low: NumberValue | None
    high: NumberValue | None
    unit: Text | None
    span: Span


@dataclass(frozen=True, slots=True)
class TextType:
    span: Span


@dataclass(frozen=True, slots=True)
class EnumType:
    """`one of drug` (a declared enumeration) or `one of a, b, c` (members written in place)."""

    names: tuple[Name, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class SetType:
    enum: Name
    span: Span


@dataclass(frozen=True, slots=True)
class DateType:
    """`date`, or `evaluation date`: the day the decision is made, which the caller supplies
    (never the wall clock) and the decision's provenance records; with `time` (`date and time`,
    `evaluation date and time`), a date and a clock time."""

    evaluation: bool
    span: Span
    time: bool = False


@dataclass(frozen=True, slots=True)
class TimeOfDayType:
    """`time of day`: a clock reading of any day (`14:30`), compared in clock order within one
    day, 00:00 to 23:59:59."""

    span: Span


TypeExpr: TypeAlias = (BoolType | NumberType | TextType | EnumType | SetType | DateType
                       | TimeOfDayType)

# ---- declarations -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GuidelineDecl:
    name: Name
    title: Text
    span: Span


@dataclass(frozen=True, slots=True)
class VersionDecl:
    version: Text
    span: Span


@dataclass(frozen=True, slots=True)
class SourceDecl:
    """The clinical source the quotes come from: a file, by its path relative to the table."""

    path: Text
    title: Text
    date: Text
    span: Span


@dataclass(frozen=True, slots=True)
class ReferenceDecl:
    number: NumberValue
    citation: Text
    span: Span


@dataclass(frozen=True, slots=True)
class EvidenceDecl:
    name: Name
    title: Text | None
    refs: tuple[NumberValue, ...]
    design: tuple[Text, ...]
    population: tuple[Text, ...]
    findings: tuple[Text, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class CaveatDecl:
    name: Name
    text: Text
    refs: tuple[NumberValue, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Member:
    name: Name
    description: Text | None
    span: Span


@dataclass(frozen=True, slots=True)
class EnumDecl:
    name: Name
    description: Text | None
    members: tuple[Member, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ClassDecl:
    name: Name
    enum: Name
    description: Text | None
    members: tuple[Name, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class InputDecl:
    name: Name
    type: TypeExpr
    includes: Name | None
    default: Value | None
    description: Text | None
    span: Span
    unknown: Span | None = None  # `or unknown`: the caller may give null (the value not known)


@dataclass(frozen=True, slots=True)
class FactDecl:
    """A derived fact: a condition (a yes/no fact) or arithmetic (a numeric fact); a name alone
    is either, by the type of what it names."""

    name: Name
    description: Text | None
    expr: Expr | NumExpr
    span: Span


@dataclass(frozen=True, slots=True)
class IntervalDecl:
    """`fact since_dose = time from last_dose to evaluation_date`: a duration between two date
    inputs, which cells test in days, weeks, months or years (`< 60 days`, `>= 18 years`)."""

    name: Name
    description: Text | None
    start: Name
    end: Name
    span: Span


@dataclass(frozen=True, slots=True)
class ScopeDecl:
    description: Text
    expr: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class ImpossibleDecl:
    """A combination of facts that cannot occur (`impossible man_pregnant "..." = ...`)."""

    name: Name
    description: Text
    expr: Expr
    span: Span


# ---- tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HitPolicy:
    """`unique`, `any`, `first`, `priority`, `collect` (+ `sum`/`min`/`max`/`count`),
    `rule order`, `output order`."""

    words: tuple[str, ...]
    span: Span

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class OutputDecl:
    name: Name
    type: TypeExpr
    description: Text | None
    span: Span


@dataclass(frozen=True, slots=True)
class HeaderCell:
    subject: Subject
    span: Span


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a row: its test (None when the cell is empty) and the text as written."""

    test: Test | None
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Row:
    """A row as written: its cells and, between them, the separators (`|` or `||`)."""

    cells: tuple[Cell, ...]
    separators: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class TableDecl:
    name: Name
    title: Text | None
    hit: HitPolicy | None
    outputs: tuple[OutputDecl, ...]
    order_by: tuple[Name, ...]
    distinct_by: tuple[Name, ...]
    complete: bool
    requires_evidence: bool
    header: tuple[HeaderCell, ...]
    header_separators: tuple[str, ...]
    rows: tuple[Row, ...]
    span: Span


# ---- examples and notes ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Given:
    """One fact of a worked example; an empty tuple of values is `none` (an empty set)."""

    name: Name
    values: tuple[Value, ...]
    span: Span
    unknown: bool = False  # `ldh: unknown` (the values are then empty)


@dataclass(frozen=True, slots=True)
class Expect:
    subject: Subject
    values: tuple[Value, ...]
    span: Span
    unknown: bool = False  # `expect fact: unknown` (the values are then empty)


@dataclass(frozen=True, slots=True)
class ExampleDecl:
    name: Name
    description: Text
    givens: tuple[Given, ...]
    expects: tuple[Expect, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class NoteDecl:
    """An authoring decision: why a rule is written as it is (shown in the review document)."""

    name: Name
    targets: tuple[Subject, ...]
    text: Text
    span: Span


@dataclass(frozen=True, slots=True)
class QuoteDecl:
    """A statement of the clinical source, word for word, and the rules that carry it out."""

    name: Name
    targets: tuple[Subject, ...]
    text: Text
    span: Span


Statement: TypeAlias = (
    GuidelineDecl | VersionDecl | SourceDecl | ReferenceDecl | EvidenceDecl | CaveatDecl | EnumDecl
    | ClassDecl | InputDecl | FactDecl | IntervalDecl | ScopeDecl | ImpossibleDecl | TableDecl | ExampleDecl
    | NoteDecl | QuoteDecl
)


@dataclass(frozen=True, slots=True)
class Module:
    """One table file: its statements in the order written."""

    path: str
    statements: tuple[Statement, ...]
    span: Span
