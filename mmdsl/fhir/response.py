"""Patient facts from a FHIR QuestionnaireResponse to the guideline's Questionnaire.

The response is read item by item (by `linkId`, which is the input's name; groups are looked
into), each answer by the value type its question asks for. Every problem is reported at once,
each naming its item: an item the Questionnaire does not have, an answer of the wrong type,
several answers to a question that takes one, and then whatever the guideline's own validation
finds in the answers (a number out of range, a code that is no member, a required question not
answered). A checklist (a set input) left unanswered means "none of these".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mmdsl.fhir.names import questionnaire_tail
from mmdsl.ir.model import IRGuideline, IRInput, JsonValue
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.prelude import InputError, validate_facts

RESOURCE_TYPE = "QuestionnaireResponse"
ANSWER_KEYS = {"bool": ("valueBoolean",), "integer": ("valueInteger",),
               "decimal": ("valueDecimal", "valueInteger"), "text": ("valueString",),
               "enum": ("valueCoding", "valueString"), "set": ("valueCoding", "valueString"),
               "date": ("valueDate",),  # FHIR's date is the facts' text: "2024-03-01"
               "datetime": ("valueDateTime",),  # "2024-03-01T14:30:00+01:00" likewise
               "time": ("valueTime",)}  # FHIR's time is the facts' text: "14:30:00"
NOT_ANSWERED = "required item is not answered"

Problems = list[dict[str, str]]


def is_response(value: object, guideline: IRGuideline) -> bool:
    """Whether parsed facts are a QuestionnaireResponse rather than the plain facts object."""
    return (isinstance(value, dict) and value.get("resourceType") == RESOURCE_TYPE
            and not any(item.name == "resourceType" for item in guideline.inputs))


def facts_from_any(guideline: IRGuideline, value: object) -> object:
    """Plain facts as they are; a QuestionnaireResponse read into facts (InputError if bad)."""
    if isinstance(value, dict) and is_response(value, guideline):
        return facts_from_response(guideline, value)
    return value


def facts_from_response(guideline: IRGuideline, response: dict[str, Any]) -> dict[str, JsonValue]:
    """The facts a QuestionnaireResponse gives; InputError naming every item that is wrong."""
    problems = header_problems(guideline, response)
    answers, item_problems = answered_items(response.get("item", []))
    problems += item_problems
    facts: dict[str, JsonValue] = {}
    inputs = {item.name: item for item in guideline.inputs}
    for link_id, values in answers.items():
        item = inputs.get(link_id)
        if item is None:
            problems.append(_problem(link_id, "this item is not in the guideline's Questionnaire"))
            continue
        value, problem = answer_value(item, values)
        if problem:
            problems.append(_problem(link_id, problem))
        else:
            facts[link_id] = value
    for item in guideline.inputs:  # an empty checklist is an answer: none of these
        if item.type.kind == "set" and item.name not in answers and item.required:
            facts[item.name] = []
        elif item.unknown and item.name not in answers:  # declared `or unknown`: unanswered is
            facts[item.name] = None  # unknown (its default, if any, is the form's initial answer)
    problems += validation_problems(guideline, facts, {p["field"].partition("[")[0] for p in problems})
    if problems:
        raise InputError(problems)
    return facts


def header_problems(guideline: IRGuideline, response: dict[str, Any]) -> Problems:
    problems: Problems = []
    answered = response.get("questionnaire")
    if answered is not None:
        url, _, version = str(answered).partition("|")
        if not isinstance(answered, str) or not url.endswith(questionnaire_tail(guideline.name)):
            problems.append(_problem("questionnaire", f"the response answers {str(answered)!r}, not "
                                     f"the Questionnaire of guideline {guideline.name} "
                                     f"(…{questionnaire_tail(guideline.name)})"))
        elif version and version != (guideline.version or "0"):
            problems.append(_problem("questionnaire", f"the response answers version {version} of "
                                     f"the Questionnaire; this guideline is version "
                                     f"{guideline.version or '0'}"))
    if response.get("status") == "entered-in-error":
        problems.append(_problem("status", "the response was entered in error"))
    if not isinstance(response.get("item", []), list):
        problems.append(_problem("item", "expected a list of items"))
    return problems


def answered_items(items: object) -> tuple[dict[str, list[Any]], Problems]:
    """Each question's answers by linkId (groups looked into); repeated or unnamed items."""
    answers: dict[str, list[Any]] = {}
    problems: Problems = []
    for position, item in _walk(items, "item"):
        link_id = item.get("linkId") if isinstance(item, dict) else None
        if not isinstance(link_id, str):
            problems.append(_problem(position, "expected an item with a linkId (text)"))
            continue
        given = item.get("answer", [])
        if not isinstance(given, list):
            problems.append(_problem(link_id, "expected a list of answers"))
        elif link_id in answers:
            problems.append(_problem(link_id, "this item appears more than once"))
        elif given:
            answers[link_id] = given
    return answers, problems


def _walk(items: object, where: str) -> Iterator[tuple[str, Any]]:
    """Every item with its position, depth first; an item without answers is looked into."""
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        position = f"{where}[{index}]"
        if isinstance(item, dict) and "answer" not in item and isinstance(item.get("item"), list):
            yield from _walk(item["item"], f"{position}.item")
        elif not _is_note(item):
            yield position, item


def _is_note(item: object) -> bool:
    """The display text the Questionnaire puts under a question (never answered)."""
    if not isinstance(item, dict) or "answer" in item:
        return False
    link_id = item.get("linkId")
    return isinstance(link_id, str) and link_id.endswith(".note")


def answer_value(item: IRInput, answers: list[Any]) -> tuple[JsonValue, str]:
    """The fact an item's answers give, or the problem with them."""
    kind = item.type.kind
    if kind != "set" and len(answers) > 1:
        return None, f"expected one answer, got {len(answers)}"
    values: list[JsonValue] = []
    for answer in answers:
        value, problem = _one_answer(kind, answer)
        if problem:
            return None, problem
        values.append(value)
    return (values if kind == "set" else values[0]), ""


def _one_answer(kind: str, answer: object) -> tuple[JsonValue, str]:
    wanted = ANSWER_KEYS[kind]
    keys = [k for k in answer if k.startswith("value")] if isinstance(answer, dict) else []
    if not isinstance(answer, dict) or len(keys) != 1 or keys[0] not in wanted:
        given = ", ".join(keys) or "no value"
        return None, f"expected an answer with {' or '.join(wanted)}, got {given}"
    value = answer[keys[0]]
    if keys[0] == "valueCoding":
        code = value.get("code") if isinstance(value, dict) else None
        return (code, "") if isinstance(code, str) else (None, "expected a valueCoding with a code")
    return value, ""


def validation_problems(guideline: IRGuideline, facts: dict[str, JsonValue],
                        already: set[str]) -> Problems:
    """The guideline's own checks of the answers, for the items not already found wrong."""
    try:
        validate_facts(facts, input_fields(guideline.inputs))
    except InputError as error:
        return [_problem(e["field"], NOT_ANSWERED if e["message"] == "required field is missing"
                         else e["message"])
                for e in error.errors if e["field"].partition("[")[0] not in already]
    return []


def _problem(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}
