"""The parts of a DMN model that the import reads, as plain values with their XML positions.

The reader fills these from the XML and reports what it cannot read; the translation to mmdsl
works on them alone. FEEL texts are kept as written (with the position of their first character)
and parsed where their meaning is known: a cell's unary tests need its column's type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DMN_NAMESPACES = {
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3",
    "https://www.omg.org/spec/DMN/20211108/MODEL/": "1.4",
    "https://www.omg.org/spec/DMN/20230324/MODEL/": "1.5",
}
DMN15 = "https://www.omg.org/spec/DMN/20230324/MODEL/"
FEEL15 = "https://www.omg.org/spec/DMN/20230324/FEEL/"
# What mmdsl keeps in DMN extension elements and attributes, so that its own import restores
# what DMN cannot say (integer inputs, units, scope, order by, the bibliography, ...).
MMDSL_NAMESPACE = "urn:x-mmdsl:dmn:1"


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Text:
    """A text of the model (a FEEL expression, a name) and where its first character is."""

    value: str
    where: Position


@dataclass(frozen=True, slots=True)
class ItemDefinition:
    name: str
    type_ref: str | None
    allowed: Text | None  # allowedValues: unary tests
    is_collection: bool
    components: tuple[ItemDefinition, ...]
    where: Position
    extras: tuple[tuple[str, str], ...] = ()  # mmdsl extension attributes


@dataclass(frozen=True, slots=True)
class InputData:
    id: str
    name: str
    description: str
    type_ref: str | None
    where: Position
    extras: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class InputClause:
    expression: Text
    type_ref: str | None
    values: Text | None  # inputValues
    where: Position


@dataclass(frozen=True, slots=True)
class OutputClause:
    name: str | None
    type_ref: str | None
    values: Text | None  # outputValues
    default: Text | None  # defaultOutputEntry
    description: str
    where: Position


@dataclass(frozen=True, slots=True)
class Rule:
    inputs: tuple[Text, ...]
    outputs: tuple[Text, ...]
    annotations: tuple[str, ...]  # one per annotation column
    description: str
    where: Position


@dataclass(frozen=True, slots=True)
class DecisionTable:
    hit_policy: str  # as in the XML: UNIQUE, FIRST, ..., RULE ORDER
    aggregation: str | None  # SUM, COUNT, MIN, MAX
    inputs: tuple[InputClause, ...]
    outputs: tuple[OutputClause, ...]
    annotation_names: tuple[str, ...]
    rules: tuple[Rule, ...]
    type_ref: str | None
    where: Position
    extras: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class LiteralExpression:
    text: Text
    where: Position


@dataclass(frozen=True, slots=True)
class Formula:
    """A business knowledge model whose logic is a literal expression over its parameters."""

    id: str
    name: str
    parameters: tuple[str, ...]
    body: Text


@dataclass(frozen=True, slots=True)
class Decision:
    id: str
    name: str
    description: str
    type_ref: str | None  # the variable's typeRef
    logic: DecisionTable | LiteralExpression | None
    where: Position
    extras: tuple[tuple[str, str], ...] = ()
    label: str = ""
    invokes_knowledge: bool = False  # has a knowledgeRequirement (a BKM it invokes)


@dataclass(frozen=True, slots=True)
class Evidence:
    name: str
    title: str
    refs: tuple[int, ...]
    design: tuple[str, ...]
    population: tuple[str, ...]
    findings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Caveat:
    name: str
    text: str
    refs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Enumeration:
    """An mmdsl enumeration as the export records it: members, labels, and its classes."""

    name: str
    description: str
    members: tuple[tuple[str, str], ...]  # (member, label or "")
    classes: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (name, description, members)


ExampleScalar = bool | int | float | str


@dataclass(frozen=True, slots=True)
class ExampleLine:
    """A line of a worked example: `subject: values` or `expect subject: values`; strings are
    quoted text when `quoted`, else names (enumeration members, `ok`)."""

    expect: bool
    subject: str
    values: tuple[ExampleScalar, ...]  # empty: `none`
    quoted: bool
    unknown: bool = False  # JSON null: `unknown` (an input that may be unknown, a fact over one)


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    description: str
    lines: tuple[ExampleLine, ...]


@dataclass(frozen=True, slots=True)
class Remark:
    """A note or a quote of the clinical source, and the rules (`table.rule`) it is on."""

    kind: str  # "note" or "quote"
    name: str
    targets: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Guideline:
    """What the mmdsl export keeps in the model's extension elements."""

    name: str = ""
    title: str = ""
    version: str = ""
    scope_decision: str = ""  # the id of the decision that is the guideline's scope
    scope_description: str = ""
    references: tuple[tuple[int, str], ...] = ()
    evidence: tuple[Evidence, ...] = ()
    caveats: tuple[Caveat, ...] = ()
    enumerations: tuple[Enumeration, ...] = ()
    examples: tuple[Example, ...] = ()
    remarks: tuple[Remark, ...] = ()


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    namespace: str  # the DMN version's namespace
    items: dict[str, ItemDefinition]
    inputs: tuple[InputData, ...]
    decisions: tuple[Decision, ...]
    guideline: Guideline | None = None  # present in files that mmdsl exported
    where: Position = Position(1, 1)
    # Business knowledge models whose logic is a literal expression, by name: a decision's
    # FEEL that calls one (`PMT(a, b, c)`) reads it inlined, its parameters bound to the arguments.
    formulas: dict[str, Formula] = field(default_factory=dict)
