"""The IR: plain values only (strings, numbers, tuples), no syntax and no spans but line numbers.

Values at run time: yes/no is bool, integer is int, decimal is float, text and enumeration
members are str, a set is a frozenset of str, a date is a datetime.date, a date and time is a
datetime.datetime (aware when the caller gave an offset, naive when not), a time of day a
naive datetime.time. A value that a table
did not produce is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from mmdsl.semantics.policies import SINGLE_HIT, Aggregate, HitPolicy

Scalar: TypeAlias = bool | int | float | str
JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None

# ---- types ------------------------------------------------------------------------------------

TypeKind = Literal["bool", "integer", "decimal", "text", "enum", "set", "date", "duration",
                   "datetime",  # datetime: `date and time` (and `evaluation date and time`)
                   "time"]  # time: `time of day`, a clock reading of any day


@dataclass(frozen=True, slots=True)
class IRType:
    kind: TypeKind
    members: tuple[str, ...] = ()  # enum and set: the members in declared order
    low: int | float | None = None  # integer and decimal: inclusive bounds
    high: int | float | None = None
    unit: str | None = None
    enum_name: str | None = None


@dataclass(frozen=True, slots=True)
class IRInput:
    name: str
    type: IRType
    required: bool
    default: JsonValue  # the JSON form of the default (a list for sets); None when required
    includes: str | None  # a set input that this set input contains (added at validation)
    description: str
    unknown: bool = False  # declared `or unknown`: the caller may give null (None: not known)
    offset_with: tuple[str, ...] = ()  # a date and time: the other ends of its durations (later
    # in declared order), which must carry an offset when this one does (runtime/prelude.py)


# ---- conditions -----------------------------------------------------------------------------------
# `ref` is the key of a value: an input or fact by name, a table output as "table.output", an
# aggregated table by its name. Every test on a missing value (None) is false, except IsSet's
# negation; lowering guards nullable refs with IsSet so `not` never turns a missing value true.
# An unknown value (an input declared `or unknown` given null, a fact reading one) is None too:
# `unknown` is Not(IsSet), and lowering writes Kleene's logic with IsSet guards.


@dataclass(frozen=True, slots=True)
class Always:
    pass


@dataclass(frozen=True, slots=True)
class IsSet:
    ref: str


@dataclass(frozen=True, slots=True)
class Compare:
    ref: str
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    value: int | float


@dataclass(frozen=True, slots=True)
class OneOf:
    """The value equals one of `values` (yes/no, numbers, text, enumeration members)."""

    ref: str
    values: tuple[Scalar, ...]


@dataclass(frozen=True, slots=True)
class SetTest:
    """A set value against members: contains any of them, none of them, or all of them."""

    ref: str
    quantifier: Literal["any", "none", "all"]
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Cond


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Elapsed:
    """The time from one date input to another against an amount (`since_dose < 60 days`): in
    whole days, or in completed calendar months (semantics/calendar.py); weeks are counted as 7
    days and years as 12 months. Between two dates and times (`since_onset < 4 hours`) the
    unit is "seconds": the exact elapsed time (semantics/clock.py), minutes, hours, days (24
    hours) and weeks converted. Never true when an end is unknown (an input declared `or
    unknown`): lowering guards it with `IsSet` of the duration fact, unknown when an end is."""

    ref: str  # the duration fact (`fact since_dose = time from last_dose to evaluation_date`)
    start: str
    end: str
    unit: Literal["days", "months", "seconds"]
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    amount: int
    written: str  # the amount as the author wrote it: `6 weeks`


@dataclass(frozen=True, slots=True)
class OnDay:
    """A date input against a fixed calendar day (`>= 2019-09-01`): dates compare in calendar
    order, as their day numbers (mmdsl/ir/days.py)."""

    ref: str  # a date input
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    day: str  # the day, written year-month-day: "2019-09-01"


@dataclass(frozen=True, slots=True)
class AtTime:
    """A date-and-time input against a fixed date and time (`>= 2024-03-01T08:00`): compared
    with the clock time as written on the value, its offset ignored (semantics/clock.py)."""

    ref: str  # a date-and-time input
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    moment: str  # as written in the table, without an offset: "2024-03-01T08:00" or "…T08:00:30"


@dataclass(frozen=True, slots=True)
class AtClock:
    """A time-of-day input against a fixed time of day (`>= 17:00`): compared in clock order
    within one day, 00:00 to 23:59:59 (semantics/clock.py: seconds since midnight)."""

    ref: str  # a time-of-day input
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    clock: str  # as written in the table: "17:00" or "17:00:30"


Cond: TypeAlias = (
    Always | IsSet | Compare | OneOf | SetTest | Not | AllOf | AnyOf | Elapsed | OnDay | AtTime
    | AtClock
)

# ---- facts, scope, tables --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IRFact:
    """A yes/no fact: yes when `condition` holds. A fact reading a value that may be unknown
    follows Kleene's logic: it is no when `false_when` holds, and unknown (None) when neither
    does (lowering writes both as ordinary two-valued conditions: docs/language.md)."""

    name: str
    description: str
    condition: Cond
    text: str  # the condition as written, for documents
    false_when: Cond | None = None  # None: the fact is always known (no when not yes)


# ---- computed numbers ----------------------------------------------------------------------------
# A numeric fact's arithmetic. Numbers are exact: a literal keeps its decimal text, and the
# evaluators compute with fractions (Python's Fraction; DECIMAL in SQL), never floats.


@dataclass(frozen=True, slots=True)
class Num:
    text: str  # the number as written: "12", "-0.872"


@dataclass(frozen=True, slots=True)
class Read:
    ref: str  # a numeric input or another numeric fact (never missing: facts read no tables)


@dataclass(frozen=True, slots=True)
class Calc:
    op: Literal["+", "-", "*", "/", "**"]
    left: NumExpr
    right: NumExpr  # for "**", a Num holding a whole number from 0 to 10


@dataclass(frozen=True, slots=True)
class Neg:
    item: NumExpr


@dataclass(frozen=True, slots=True)
class Pick:
    """`if condition then then else otherwise`."""

    condition: Cond
    then: NumExpr
    otherwise: NumExpr


@dataclass(frozen=True, slots=True)
class NoNumber:
    """`unknown` written in arithmetic (DMN's null): never computed, as the fact's
    `unknown_when` holds wherever it would be."""


NumExpr: TypeAlias = Num | Read | Calc | Neg | Pick | NoNumber


@dataclass(frozen=True, slots=True)
class IRComputed:
    """A numeric fact: its arithmetic and its type (integer or decimal, with the range computed
    from the inputs' ranges; bounds widened outward when they are no terminating decimal)."""

    name: str
    description: str
    type: IRType
    expr: NumExpr
    text: str  # the arithmetic as written, for documents
    # a number reading values that may be unknown is unknown (None) when this holds: an operand
    # read is unknown, or an `if`'s condition is (None: the number always has a value)
    unknown_when: Cond | None = None


# ---- text facts ----------------------------------------------------------------------------------
# A text fact's words: quoted text, text and enumeration inputs (a member's name) and other text
# facts, joined; shown in the decision, never tested.


@dataclass(frozen=True, slots=True)
class Quoted:
    text: str  # the text as written, decoded (it may hold quotes, backslashes, line breaks)


@dataclass(frozen=True, slots=True)
class Part:
    ref: str  # a text input, an enumeration input (its member's name) or another text fact


@dataclass(frozen=True, slots=True)
class Join:
    parts: tuple[TextExpr, ...]


@dataclass(frozen=True, slots=True)
class PickText:
    """`if condition then then else otherwise`, choosing words."""

    condition: Cond
    then: TextExpr
    otherwise: TextExpr


TextExpr: TypeAlias = Quoted | Part | Join | PickText


@dataclass(frozen=True, slots=True)
class IRLabel:
    """A text fact: words for the reader of the decision, computed after the facts it reads."""

    name: str
    description: str
    expr: TextExpr
    text: str  # the expression as written, for documents
    # text over values that may be unknown is unknown (None) when this holds: a part it joins is
    # unknown, or an `if`'s condition is (None: the text always has words), as a computed number
    unknown_when: Cond | None = None


@dataclass(frozen=True, slots=True)
class IRInterval:
    """A duration fact: the time from the date input `start` to the date input `end`."""

    name: str
    description: str
    start: str
    end: str
    time: bool = False  # between two dates and times: counted in seconds


@dataclass(frozen=True, slots=True)
class IRScope:
    description: str
    condition: Cond
    text: str


@dataclass(frozen=True, slots=True)
class IRImpossible:
    """Facts that cannot occur together: the verifier reports nothing inside them, and the
    evaluators refuse such facts naming the declaration."""

    name: str
    description: str
    condition: Cond
    text: str


@dataclass(frozen=True, slots=True)
class IRColumn:
    ref: str
    label: str  # the heading as written
    type: IRType
    nullable: bool


@dataclass(frozen=True, slots=True)
class IROutput:
    name: str
    type: IRType
    description: str


@dataclass(frozen=True, slots=True)
class IRRule:
    index: int  # 1-based position in the table
    name: str  # the author's name, or "R<index>"
    tests: tuple[Cond, ...]  # one per input column, Always for "-"
    cells: tuple[str, ...]  # the input cells as written
    outputs: tuple[Scalar | None, ...]  # one per output column, None for "-"
    evidence: tuple[str, ...]  # titles of the cited evidence
    refs: tuple[int, ...]  # sorted reference numbers of the evidence and caveats
    caveats: tuple[str, ...]  # caveat texts
    why: str  # the matched conditions in words, for the trace
    line: int
    evidence_names: tuple[str, ...] = ()  # the names of the cited evidence, in the order cited
    caveat_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IRTable:
    name: str
    title: str
    hit: HitPolicy
    aggregate: Aggregate | None
    columns: tuple[IRColumn, ...]
    outputs: tuple[IROutput, ...]
    rules: tuple[IRRule, ...]
    order_by: tuple[str, ...]  # outputs whose value order sorts a collect result
    distinct_by: tuple[str, ...]  # outputs whose first occurrence alone is kept
    complete: bool
    written: str  # the table as authored, for review documents

    @property
    def result_kind(self) -> Literal["single", "list", "number"]:
        if self.aggregate is not None:
            return "number"
        return "single" if self.hit in SINGLE_HIT else "list"


# ---- documentation and examples ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IRReference:
    number: int
    citation: str


@dataclass(frozen=True, slots=True)
class IREvidence:
    name: str
    title: str
    refs: tuple[int, ...]
    design: tuple[str, ...]
    population: tuple[str, ...]
    findings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IRCaveat:
    name: str
    text: str
    refs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class IRExpectation:
    subject: str  # "status", a fact, a table, or "table.output"
    expected: JsonValue
    line: int


@dataclass(frozen=True, slots=True)
class IRExample:
    name: str
    description: str
    facts: dict[str, JsonValue]
    expectations: tuple[IRExpectation, ...]
    line: int


@dataclass(frozen=True, slots=True)
class IRNote:
    name: str
    targets: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class IRQuote:
    """A statement of the clinical source and the rules (`table.rule`) that carry it out."""

    name: str
    targets: tuple[str, ...]
    text: str
    lines: tuple[int, ...] = ()  # the lines of the declared source it was found on


@dataclass(frozen=True, slots=True)
class IRPassage:
    """One non-blank line of the clinical source, and the quotes found on it."""

    line: int
    text: str
    heading: bool  # no full stop, colon or reference number at its end
    quotes: tuple[str, ...]  # names of the quotes found on this line, in file order


@dataclass(frozen=True, slots=True)
class IRClinicalSource:
    """The clinical source the guideline declares: the file as the table names it."""

    path: str  # relative to the table file, as declared
    title: str
    date: str
    sha256: str  # of the file's bytes
    passages: tuple[IRPassage, ...]


@dataclass(frozen=True, slots=True)
class IREnum:
    name: str
    description: str
    members: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class IRClass:
    name: str
    enum: str
    description: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IRGuideline:
    name: str
    title: str
    version: str
    source_path: str
    source_sha256: str
    mmdsl_version: str
    inputs: tuple[IRInput, ...]
    facts: tuple[IRFact, ...]  # in an order where each fact comes after those it reads
    scope: IRScope | None
    tables: tuple[IRTable, ...]
    enums: tuple[IREnum, ...]
    classes: tuple[IRClass, ...]
    references: tuple[IRReference, ...]
    evidence: tuple[IREvidence, ...]
    caveats: tuple[IRCaveat, ...]
    examples: tuple[IRExample, ...]
    notes: tuple[IRNote, ...]
    quotes: tuple[IRQuote, ...]
    clinical_source: IRClinicalSource | None = None
    impossible: tuple[IRImpossible, ...] = ()  # combinations of facts that cannot occur
    intervals: tuple[IRInterval, ...] = ()  # durations between date inputs
    evaluation_date: str | None = None  # the input declared `evaluation date` (or `evaluation
    # date and time`: its type's kind is then "datetime"), if any
    computed: tuple[IRComputed, ...] = ()  # numeric facts, in the order of `derived_order`
    derived_order: tuple[str, ...] = ()  # every derived fact, yes/no, numeric and text, each
    # after those it reads (the order the evaluators compute them in); empty when there is no
    # numeric or text fact (then `facts` is in that order)
    labels: tuple[IRLabel, ...] = ()  # text facts, in the order of `derived_order`
