"""DMN types to mmdsl types.

| DMN                                             | mmdsl                                      |
|-------------------------------------------------|--------------------------------------------|
| boolean                                         | yes/no                                     |
| number                                          | decimal (DMN numbers are decimals: an age  |
|                                                 | of 18.5 is valid DMN input; `integer` only |
|                                                 | when an mmdsl export says so)              |
| integer, long / double (Camunda 7 typeRefs)     | integer / decimal                          |
| number with allowedValues `[a..b]`              | decimal a..b                               |
| string with a list of allowed/input/output values | one of the values                        |
| string                                          | text                                       |
| collection of strings with allowed values       | set of the values                          |
| context of such values (an input)              | one input per component (`translate.py`)   |
| time, duration, other lists                     | not supported (MD704)                      |

A value list comes from the item definition's allowedValues, or else from the clause's
inputValues / outputValues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from mmdsl.dmn import model as m
from mmdsl.frontends.dmn import feel

Kind = Literal["bool", "decimal", "integer", "text", "enum", "set", "date", "datetime", "time"]
# FEEL's number, and the Java-style names that Camunda 7 models use for typeRef.
NUMBER_TYPES = ("number", "integer", "long", "double")
WHOLE_NUMBER_TYPES = ("integer", "long")


@dataclass(frozen=True, slots=True)
class DmnType:
    """A typeRef resolved through the item definitions."""

    base: str  # a FEEL built-in type name, or "" when unknown
    allowed: m.Text | None = None
    collection: bool = False
    components: tuple[tuple[str, DmnType], ...] = ()
    item: m.ItemDefinition | None = None
    values_item: str = ""  # the item definition whose allowedValues list the values


@dataclass(frozen=True, slots=True)
class ValueType:
    """An mmdsl type, with the DMN strings of its members (enum and set) in declared order."""

    kind: Kind
    values: tuple[str, ...] = ()  # the DMN strings, in order
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    enum: str | None = None  # a declared enumeration (from an mmdsl export), else inline
    members: dict[str, str] = field(default_factory=dict, compare=False)  # DMN string -> member
    # The classes of a declared enumeration (name, members): a cell that lists exactly a
    # class's members is written with the class's name, as its author wrote it.
    classes: tuple[tuple[str, frozenset[str]], ...] = ()

    def class_of(self, members: list[str]) -> str | None:
        wanted = frozenset(members)
        return next((name for name, listed in self.classes if listed == wanted), None)


class TypeProblem(Exception):
    """A DMN type that mmdsl cannot hold, with what to say about it."""


def resolve(type_ref: str | None, items: dict[str, m.ItemDefinition], depth: int = 0) -> DmnType:
    """What a typeRef names: a built-in type or an item definition (followed to its base)."""
    if not type_ref:
        return DmnType("")
    name = type_ref.strip()
    if name.startswith("feel:"):
        name = name[len("feel:"):]
    item = items.get(name) or items.get(name.partition(":")[2])
    if item is None or depth > 20:
        return DmnType(name)
    return _from_item(item, items, depth)


def _from_item(item: m.ItemDefinition, items: dict[str, m.ItemDefinition], depth: int) -> DmnType:
    if item.components:
        parts = tuple((c.name, _from_item(c, items, depth + 1)) for c in item.components)
        return DmnType("context", collection=item.is_collection, components=parts, item=item)
    inner = resolve(item.type_ref, items, depth + 1)
    return DmnType(inner.base, item.allowed or inner.allowed, item.is_collection or inner.collection,
                   inner.components, item, item.name if item.allowed else inner.values_item)


def element_type(dmn_type: DmnType) -> DmnType:
    """The type of one element of a collection type (for the rows of a collecting table)."""
    return DmnType(dmn_type.base, dmn_type.allowed, False, dmn_type.components, dmn_type.item,
                   dmn_type.values_item)


def value_type(dmn_type: DmnType, clause_values: m.Text | None = None) -> ValueType:
    """The mmdsl type of a single value of `dmn_type`; raises TypeProblem or feel.FeelError."""
    values_text = dmn_type.allowed or clause_values
    extras = dict(dmn_type.item.extras) if dmn_type.item else {}
    if dmn_type.base == "string":
        values = string_values(values_text) if values_text else ()
        kind: Kind = "set" if dmn_type.collection else "enum" if values else "text"
        if dmn_type.collection and not values:
            raise TypeProblem("a list of strings without a list of allowed values")
        return ValueType(kind, values, enum=extras.get("enum"))
    if dmn_type.collection:
        raise TypeProblem(f"a list of {dmn_type.base or 'values'}: mmdsl has sets of an "
                          "enumeration's values only")
    if dmn_type.base == "boolean":
        return ValueType("bool")
    if dmn_type.base == "date":  # tested through durations (`time from A to B`), never alone
        return ValueType("date")
    if dmn_type.base in ("date and time", "dateTime"):  # fixed dates and times, durations
        return ValueType("datetime")
    if dmn_type.base == "time":  # a time of day: fixed times of day, in clock order
        return ValueType("time")
    if dmn_type.base in NUMBER_TYPES:
        low, high = number_bounds(dmn_type.allowed)
        whole = extras.get("type") == "integer" or dmn_type.base in WHOLE_NUMBER_TYPES
        return ValueType("integer" if whole else "decimal", low=low, high=high,
                         unit=extras.get("unit"))
    raise TypeProblem(_unsupported(dmn_type.base))


def _unsupported(base: str) -> str:
    if base in ("date", "time", "date and time", "dateTime"):
        return f"`{base}`: mmdsl has no dates or times"
    if "duration" in base:
        return f"`{base}`: mmdsl has no durations"
    if base == "context":
        return "a structure (context) of several values"
    return f"`{base or 'no type'}`" if base else "no type given"


def string_values(text: m.Text) -> tuple[str, ...]:
    """The strings of a value list such as `"High", "Low"`; raises FeelError for anything else."""
    tests = feel.parse_unary_tests(text.value)
    values: list[str] = []
    for test in tests.tests:
        if tests.negated or not isinstance(test, feel.Comparison) or test.op != "=" \
                or not isinstance(test.value.value, str):
            raise feel.FeelError("a list of values must be strings separated by commas", 0)
        values.append(test.value.value)
    return tuple(dict.fromkeys(values))


def number_bounds(text: m.Text | None) -> tuple[Decimal | None, Decimal | None]:
    """The bounds of a numeric range `[a..b]`; other constraints give no bounds."""
    if text is None:
        return None, None
    try:
        tests = feel.parse_unary_tests(text.value)
    except feel.FeelError:
        return None, None
    if len(tests.tests) != 1 or tests.negated:
        return None, None
    test = tests.tests[0]
    if isinstance(test, feel.Interval) and test.low_closed and test.high_closed \
            and isinstance(test.low.value, Decimal) and isinstance(test.high.value, Decimal):
        from mmdsl.frontends.dmn.mmdsltext import number_text
        from mmdsl.syntax.parser import MAX_DIGITS, digit_count

        if any(digit_count(number_text(v)) > MAX_DIGITS
               for v in (test.low.value, test.high.value)):
            raise TypeProblem(f"a bound has more than {MAX_DIGITS} digits")
        return test.low.value, test.high.value
    return None, None


def infer_from_outputs(literals: list[feel.Literal]) -> ValueType | None:
    """The type of an output without a declared type, from the values its rules give."""
    kinds = {literal.kind for literal in literals}
    if kinds == {"boolean"}:
        return ValueType("bool")
    if kinds == {"number"}:
        return ValueType("decimal")
    if kinds == {"string"}:
        return ValueType("text")
    return None
