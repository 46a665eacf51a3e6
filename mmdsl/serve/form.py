"""The patient form of the decision page: its fields from the guideline's inputs, and facts from
what the browser posts.

Each input becomes one field: a checklist for a set, a yes/no choice, a number with its unit
and range, a list for an enumeration, a text box for text; each with its description. What was
entered is kept (a page with errors shows the form as it was filled in) and each problem is
shown at its field. Reading the form is lenient about the form's own encoding (a number arrives
as text) and strict about the facts: the facts read go through the guideline's own validation,
the same as the JSON API's and the generated module's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mmdsl.backends.review.build import number_range
from mmdsl.ir.model import IRGuideline, IRInput, JsonValue
from mmdsl.ir.verbalize import Vocabulary, member_words, vocabulary_of
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.prelude import InputError, validate_facts

Entered = dict[str, list[str]]  # a field's name -> the values posted for it, in order

WIDGETS = {"set": "checklist", "bool": "yesno", "integer": "number", "decimal": "number",
           "enum": "select", "text": "text", "date": "date",
           "datetime": "text"}  # a date and time: typed, as a browser's picker has no offset


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    checked: bool
    id: str


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    widget: str  # checklist, yesno, number, select, text, date
    label: str
    hint: str  # unit and range, whether required
    choices: tuple[Choice, ...]
    value: str  # number and text fields
    unit: str
    low: str
    high: str
    step: str
    errors: tuple[str, ...]
    id: str


def form_fields(guideline: IRGuideline, entered: Entered,
                problems: Sequence[Mapping[str, str]] = ()) -> tuple[Field, ...]:
    words = vocabulary_of(guideline)
    at_field: dict[str, list[str]] = {}
    for problem in problems:
        name = problem["field"].partition("[")[0]
        at_field.setdefault(name, []).append(problem["message"])
    return tuple(field_view(item, entered.get(item.name, []), at_field.get(item.name, []), words)
                 for item in guideline.inputs)


def field_view(item: IRInput, values: list[str], errors: list[str], words: Vocabulary) -> Field:
    kind = item.type.kind
    choices: tuple[Choice, ...] = ()
    if kind in ("set", "enum"):
        choices = tuple(Choice(m, member_words(m, item.type, words), m in values, f"{item.name}-{m}")
                        for m in item.type.members)
    elif kind == "bool":
        choices = tuple(Choice(v, v, v in values, f"{item.name}-{v}") for v in ("yes", "no"))
    low, high = item.type.low, item.type.high
    return Field(
        name=item.name, widget=WIDGETS[kind], label=item.description or item.name,
        hint=hint(item), choices=choices, value=values[0] if values else "",
        unit=item.type.unit or "", low="" if low is None else str(low),
        high="" if high is None else str(high), step="1" if kind == "integer" else "any",
        errors=tuple(errors), id=f"field-{item.name}")


def hint(item: IRInput) -> str:
    parts = []
    if item.type.kind in ("integer", "decimal"):
        parts.append(("whole number, " if item.type.kind == "integer" else "") + number_range(item.type))
    if item.type.kind == "set":
        parts.append("tick every one that applies; none ticked means none")
    if item.type.kind == "date":
        parts.append("a date, year-month-day")
    if item.type.kind == "datetime":
        parts.append("a date and time, such as 2024-03-01T14:30 (an offset such as Z or +01:00 "
                     "may follow)")
    if not item.required:
        parts.append("optional")
    return "; ".join(parts)


def entered_from_facts(guideline: IRGuideline, facts: Mapping[str, JsonValue]) -> Entered:
    """A worked example's facts as the form shows them (the presets)."""
    entered: Entered = {}
    for item in guideline.inputs:
        value = facts.get(item.name, item.default)
        if value is None:
            continue
        if isinstance(value, list):
            entered[item.name] = [str(v) for v in value]
        elif isinstance(value, bool):
            entered[item.name] = ["yes" if value else "no"]
        else:
            entered[item.name] = [str(value)]
    return entered


def facts_from_form(guideline: IRGuideline, entered: Entered) -> dict[str, JsonValue]:
    """The facts a posted form gives; InputError naming each field that is wrong."""
    facts: dict[str, JsonValue] = {}
    problems: list[dict[str, str]] = []
    for item in guideline.inputs:
        values = [v for v in entered.get(item.name, []) if v != ""]
        value, problem = field_value(item, values)
        if problem:
            problems.append({"field": item.name, "message": problem})
        elif value is not None:
            facts[item.name] = value
    try:
        validate_facts(facts, input_fields(guideline.inputs))
    except InputError as error:
        wrong = {p["field"] for p in problems}
        problems += [e for e in error.errors if e["field"].partition("[")[0] not in wrong]
    if problems:
        raise InputError(problems)
    return facts


def field_value(item: IRInput, values: list[str]) -> tuple[JsonValue, str]:
    """One field's fact (None when left empty) or what is wrong with it."""
    kind = item.type.kind
    if kind == "set":
        return list(values), ""
    if not values:
        return None, ""
    if len(values) > 1:
        return None, f"expected one value, got {len(values)}"
    text = values[0].strip()
    if kind == "bool":
        return ({"yes": True, "no": False}[text], "") if text in ("yes", "no") else \
            (None, f"expected yes or no, got {text!r}")
    if kind == "integer":
        return (int(text), "") if _is_whole(text) else (None, f"expected a whole number, got {text!r}")
    if kind == "decimal":
        try:
            return float(text), ""
        except ValueError:
            return None, f"expected a number, got {text!r}"
    return text, ""


def _is_whole(text: str) -> bool:
    digits = text[1:] if text[:1] in "+-" else text
    return digits.isascii() and digits.isdigit() and len(digits) <= 100
