"""CDS Hooks 2.0: one service per guideline, answering `patient-view` with cards.

The facts come from the prefetched QuestionnaireResponse to the guideline's Questionnaire
(`mmdsl export --to fhir`), given as the resource itself or as the searchset Bundle its
prefetch template asks for (the most recent response first). The answer is always cards, never
an error page: the decision as one card (its options in order, evidence and caveats in the
detail, a link to the review document); an information card for a patient outside the scope
or for whom no answered questionnaire was prefetched (this service does not call the FHIR
server itself); a warning card naming every answer that is missing or invalid, or the
conflict that stopped the decision. Only a request that is not a CDS Hooks request at all (not
JSON, no hook or hookInstance) gets 400.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from mmdsl.backends.review.decision_view import DecisionReading, OptionView, read_decision
from mmdsl.fhir.names import canonical
from mmdsl.fhir.response import RESOURCE_TYPE, facts_from_response
from mmdsl.ir.model import IRGuideline
from mmdsl.runtime.prelude import InputError
from mmdsl.serve.registry import Loaded

HOOK = "patient-view"
PREFETCH_KEY = "questionnaireResponse"
SUMMARY_LIMIT = 139  # CDS Hooks: "<140 characters"
OUTCOMES = ("accepted", "overridden")
SHOWN_PROBLEMS = 20


class BadRequest(ValueError):
    """A body that is not a CDS Hooks request: the service answers 400 with this message."""


def service(service_id: str, guideline: IRGuideline, fhir_base: str) -> dict[str, Any]:
    """The discovery entry of a guideline's service; its id is the name it is served under
    (the table file's name, as in /guidelines/NAME)."""
    questionnaire = canonical(fhir_base, "Questionnaire", guideline.name)
    return {
        "hook": HOOK,
        "id": service_id,
        "title": guideline.title or guideline.name,
        "description": (f"Decision support from guideline {guideline.name} (version "
                        f"{guideline.version or 'none'}), from the patient's answers to its "
                        f"Questionnaire {questionnaire}."),
        "prefetch": {PREFETCH_KEY: (f"QuestionnaireResponse?questionnaire={questionnaire}"
                                    "&subject=Patient/{{context.patientId}}&status=completed"
                                    "&_sort=-authored&_count=1")},
        "usageRequirements": ("Prefetch the patient's latest completed QuestionnaireResponse "
                              "to this Questionnaire; this service does not query the FHIR server."),
    }


def check_request(body: object) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest("a CDS Hooks request is a JSON object")
    problems = [f"`{key}` must be text" for key in ("hook", "hookInstance")
                if not isinstance(body.get(key), str)]
    if "context" in body and not isinstance(body["context"], dict):
        problems.append("`context` must be an object")
    if "prefetch" in body and not isinstance(body["prefetch"], dict | None):
        problems.append("`prefetch` must be an object")
    if problems:
        raise BadRequest("; ".join(problems))
    return body


def cards_for(loaded: Loaded, request: Mapping[str, Any], links: Links) -> dict[str, Any]:
    """The response to one hook call: {"cards": [...]}."""
    guideline = loaded.guideline
    assert guideline is not None
    instance = str(request["hookInstance"])
    response = prefetched_response(request.get("prefetch") or {})
    if response is None:
        card = _card(guideline, links, instance, 0, "info",
                     f"No answered questionnaire for {guideline.title or guideline.name}",
                     "No completed QuestionnaireResponse to this guideline's Questionnaire was "
                     "prefetched for this patient. Answer it, or open the decision page.")
        return {"cards": [card]}
    try:
        decision = loaded.decide(facts_from_response(guideline, response))
    except InputError as error:
        return {"cards": [invalid_card(guideline, links, instance, error)]}
    reading = read_decision(guideline, decision, loaded.words)
    return {"cards": decision_cards(guideline, reading, links, instance)}


def prefetched_response(prefetch: Mapping[str, Any]) -> dict[str, Any] | None:
    """The QuestionnaireResponse prefetched: the resource, or the first of a searchset Bundle."""
    value = prefetch.get(PREFETCH_KEY)
    if isinstance(value, dict) and value.get("resourceType") == "Bundle":
        entries = value.get("entry")
        resources = [e.get("resource") for e in entries if isinstance(e, dict)] \
            if isinstance(entries, list) else []
        value = next((r for r in resources
                      if isinstance(r, dict) and r.get("resourceType") == RESOURCE_TYPE), None)
    if isinstance(value, dict) and value.get("resourceType") == RESOURCE_TYPE:
        return value
    return None


class Links:
    """Absolute URLs of the guideline's pages, from the address the request was made to."""

    def __init__(self, base_url: str, name: str) -> None:
        root = base_url.rstrip("/")
        self.review = f"{root}/guidelines/{name}/review"
        self.page = f"{root}/guidelines/{name}"


def decision_cards(guideline: IRGuideline, reading: DecisionReading, links: Links,
                   instance: str) -> list[dict[str, Any]]:
    title = guideline.title or guideline.name
    if reading.status == "out_of_scope":
        return [_card(guideline, links, instance, 0, "info", f"Outside the scope of {title}",
                      _escape(reading.reason))]
    if reading.status == "error":
        detail = "\n".join(f"- {_escape(c)}" for c in reading.conflicts)
        return [_card(guideline, links, instance, 0, "warning",
                      f"{title}: the tables contradict each other for this patient",
                      f"No safe decision: the guideline's rules conflict.\n\n{detail}")]
    headlines = [o.headline for o in reading.options]
    summary = f"{title}: {', '.join(headlines)}" if headlines else f"{title}: no recommendation"
    return [_card(guideline, links, instance, 0, "info", summary, decision_markdown(reading))]


def decision_markdown(reading: DecisionReading) -> str:
    parts = []
    for table in reading.tables:
        parts.append(f"**{_escape(table.title)}**\n")
        parts += [option_markdown(o) for o in table.options] or [_escape(table.value)]
    if reading.why_not:
        parts.append("\n**Not given, and why**\n")
        parts += [f"- {_escape(w.option)}: {_escape(w.reason)}" for w in reading.why_not]
    return "\n".join(parts)


def option_markdown(option: OptionView) -> str:
    details = "; ".join(f"{name}: {value}" for name, value in option.details)
    lines = [f"{option.number}. **{_escape(option.headline)}**"
             + (f" ({_escape(details)})" if details else "")]
    if option.evidence:
        lines.append(f"    - Evidence: {_escape(option.evidence)}")
    lines += [f"    - Caveat: {_escape(c)}" for c in option.caveats]
    return "\n".join(lines)


def invalid_card(guideline: IRGuideline, links: Links, instance: str, error: InputError) -> dict[str, Any]:
    problems = error.errors
    shown = [f"- `{_code(p['field'])}`: {_escape(p['message'])}" for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"- … and {len(problems) - SHOWN_PROBLEMS} more")
    count = f"{len(problems)} answer{'s' if len(problems) != 1 else ''}"
    return _card(guideline, links, instance, 0, "warning",
                 f"Cannot decide: {count} of the questionnaire missing or invalid",
                 "The patient's QuestionnaireResponse cannot be read as facts for "
                 f"{_escape(guideline.title or guideline.name)}:\n\n" + "\n".join(shown))


def _card(guideline: IRGuideline, links: Links, instance: str, index: int, indicator: str,
          summary: str, detail: str) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{links.page}#{instance}#{index}")),
        "summary": _short(summary),
        "indicator": indicator,
        "detail": f"{detail}\n\n[Review document of the guideline]({links.review})",
        "source": {"label": f"{guideline.title or guideline.name}, version {guideline.version or 'none'}",
                   "url": links.review},
        "links": [{"label": "Review document of the guideline", "url": links.review, "type": "absolute"},
                  {"label": "Decision page", "url": links.page, "type": "absolute"}],
    }


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LIMIT else text[:SUMMARY_LIMIT - 1].rstrip() + "…"


def _escape(text: str) -> str:
    """Authored text inside Markdown: its punctuation never becomes markup or a link."""
    return re.sub(r"([\\`*_\[\]<>|~])", r"\\\1", text)


def _code(text: str) -> str:
    return text.replace("`", "'")


def feedback_records(service_id: str, body: object) -> list[dict[str, Any]]:
    """The feedback entries of a request, checked; BadRequest names what is wrong."""
    if not isinstance(body, dict) or not isinstance(body.get("feedback"), list) or not body["feedback"]:
        raise BadRequest('expected {"feedback": [{"card": UUID, "outcome": "accepted" or '
                         '"overridden", "outcomeTimestamp": ...}, ...]}')
    records = []
    for index, entry in enumerate(body["feedback"]):
        if not isinstance(entry, dict):
            raise BadRequest(f"feedback[{index}] must be an object")
        if not isinstance(entry.get("card"), str):
            raise BadRequest(f"feedback[{index}].card must be the card's uuid")
        if entry.get("outcome") not in OUTCOMES:
            raise BadRequest(f"feedback[{index}].outcome must be accepted or overridden")
        records.append({"service": service_id, **entry})
    return records
