"""TCK compliance-level-3/0072-feel-in: `LITERAL in TESTS` through mmdsl.

Every decision of 0072 is a literal expression `e1 in e2`. The cases in scope are those where e1
is a literal mmdsl has a type for (a number, a string, true or false) and e2 is FEEL *simple*
unary tests (DMN 1.5 grammar rules 7-21: comparisons, intervals, literals, lists of those in
parentheses) that mmdsl can state; each is run as a DMN model of its own, with e1 turned into an
input called `value` and the decision `value in e2` (a boolean literal expression, which the
import reads as a derived fact), evaluated with value = e1.

A duration of whole days (`duration("P8D")`, `@"P5D"`) is in scope too: in mmdsl a duration is
always the time between two dates, so e1 becomes two date inputs `start` and `end`, e1 days
apart, and the decision `end - start in e2` (FEEL's difference of two dates is that
days-and-time duration), which the import reads as `fact … = time from start to end` tested in
days. A years-and-months duration (`duration("P5Y")`, `@"P1Y2M"`) is in scope too: e1 becomes
the same two date inputs, that many months apart, and the decision `years and months
duration(start, end) in e2`, which the import reads as the same fact tested in completed months
(`>= 60 months`; MD710 warns that FEEL engines count months as Java's Period does). The two
countings differ only when the later date is the last day of a month shorter than the earlier
date's day of the month; `start` is the 1st of a month (START), and so is `end`, so they agree
and the case tests FEEL's total-months comparison itself. A calendar date (`date("2017-01-01")`,
`@"2017-01-01"`) is in scope too: e1 becomes a date input `value`, tested against calendar days
as mmdsl's fixed days; so is a date and time without an offset (`date and time("2018-12-08T10:30:05")`,
`@"2018-12-08T10:30:05"`): e1 becomes a `date and time` input `value`, tested against fixed
dates and times; so is a time of day without an offset (`time("10:30:05")`, `@"10:30:05"`): e1
becomes a `time` input `value`, tested against fixed times of day. Times of day and dates and
times with an offset, durations that are not whole days, and a
date or a duration tested against a value of another kind (a years-and-months duration against
days, say: FEEL never matches those) are out of scope, each with its own reason. `null in e2` is
in scope when e2 names a number, string or boolean to give `value` a type: `value` is declared
`or unknown` and given null, and FEEL's answer (null for a test other than `null`: `null in
[1..10]` is null) must be mmdsl's (unknown, Kleene's logic).

This classification is made here, from the text, independently of the import: a case in scope
that the import refuses fails; it is not moved out of scope.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from mmdsl.dmn.model import DMN15
from mmdsl.frontends.dmn import feel
from mmdsl.frontends.dmn.safexml import parse
from mmdsl.semantics.calendar import add_months

TEMPORAL = re.compile(r"^\s*(@|date\s*\(|time\s*\(|date and time\s*\(|duration\s*\()")
START = date(2000, 1, 1)  # the start date of a duration given as two dates
WHY_NOT = {  # what a temporal literal is (feel.temporal_kind), and why mmdsl cannot test it
    "the time of day": "a time of day with an offset, a time zone or a fraction of a second "
                       "(mmdsl's times of day are clock readings in whole seconds)",
    "the date and time": "a date and time with an offset, a time zone or a fraction of a second "
                         "(mmdsl's fixed dates and times are clock times in whole seconds)",
    "the duration": "a duration that is not a whole number of days (mmdsl counts whole days)",
}


@dataclass(frozen=True)
class InCase:
    """An in-scope case: the tested literal and the unary tests."""

    decision: str
    expression: str
    value: feel.Literal  # a duration: its number of days, with `duration` set
    tests: str
    null: bool = False  # e1 is `null`: the input `value`, of the type of `value` (the tests'
    # first literal), is declared `or unknown` and given null

    @property
    def unknown_inputs(self) -> frozenset[str]:
        """The inputs the import is to declare `or unknown` (`import_dmn(..., unknown=...)`)."""
        return frozenset({"value"}) if self.null else frozenset()

    def facts(self) -> dict[str, Any]:
        """The facts the model of `model_for` is evaluated with."""
        if self.null:
            return {"value": None}
        value = self.value.value
        if self.value.day or self.value.moment or self.value.clock_time:
            return {"value": value}
        if self.value.duration:
            assert isinstance(value, Decimal)
            end = START + timedelta(days=int(value))
            return {"start": START.isoformat(), "end": end.isoformat()}
        if self.value.months:  # both on the 1st: Java's Period and mmdsl count alike
            assert isinstance(value, Decimal)
            return {"start": START.isoformat(), "end": add_months(START, int(value)).isoformat()}
        return {"value": float(value) if isinstance(value, Decimal) else value}


def expressions(model: Path) -> dict[str, str]:
    """The literal expression of each decision of the model, by decision name."""
    root = parse(model.read_bytes())
    found = {}
    for decision in (c for c in root.children if c.tag == "decision"):
        literal = next(c for c in decision.children if c.tag == "literalExpression")
        text = next(c for c in literal.children if c.tag == "text")
        found[decision.attributes["name"]] = text.text.strip()
    return found


def classify(decision: str, expression: str) -> InCase | str:
    """The case when it is in scope, else the reason it is not."""
    split = split_at_in(expression)
    if split is None:
        return "not of the form `e1 in e2`"
    left, right = split
    if left == "null":  # an input that may be unknown, of the type the tests compare it with
        typed = first_literal(right)
        # text tests are checked as for a string tested (mmdsl orders no text)
        reason = right_reason(right, '""' if typed and typed.kind == "string" else left)
        if reason or typed is None:
            return reason or "the tested value is null and the tests name no value to type it"
        return InCase(decision, expression, typed, right, null=True)
    reason = left_reason(left) or right_reason(right, left)
    if reason:
        return reason
    value = temporal(left) if TEMPORAL.match(left) else feel.parse_literal(left)
    assert isinstance(value, feel.Literal)
    return InCase(decision, expression, value, right)


def first_literal(tests: str) -> feel.Literal | None:
    """The first number, string, true or false of the tests (they are not temporal)."""
    token = next((t for t in feel.tokenize(tests)
                  if t.kind in ("number", "string") or t.text in ("true", "false")), None)
    return None if token is None else feel.parse_literal(token.text)


def temporal(text: str) -> feel.Literal | str:
    """A duration of whole days, a calendar day or a date and time, or the reason a temporal
    literal is out of scope."""
    parser = feel._Parser(feel.tokenize(text), durations=True, days=True)
    try:
        literal = parser.literal()
        parser.expect_end()
    except feel.FeelError as error:
        if error.message.startswith("the date and time"):
            return _moment(text)
        if error.message.startswith("the time of day"):
            return _clock(text)
        kind = next((k for k in sorted(WHY_NOT, key=len, reverse=True)
                     if error.message.startswith(k)), None)
        return WHY_NOT[kind] if kind else f"not a FEEL literal: {error.message}"
    return literal


def _moment(text: str) -> feel.Literal | str:
    """A date and time (`date and time("2018-12-08T10:30:05")`, `@"…"`) as mmdsl's fixed dates
    and times, or the reason it is out of scope."""
    parser = feel._Parser(feel.tokenize(text))
    parser.clock = True
    try:
        literal = parser.literal()
        parser.expect_end()
    except feel.FeelError as error:
        kind = next((k for k in sorted(WHY_NOT, key=len, reverse=True)
                     if error.message.startswith(k)), None)
        return WHY_NOT[kind] if kind else f"not a FEEL literal: {error.message}"
    return literal


def _clock(text: str) -> feel.Literal | str:
    """A time of day (`time("10:30:05")`, `@"10:30:05"`) as mmdsl's fixed times of day, or the
    reason it is out of scope."""
    parser = feel._Parser(feel.tokenize(text))
    parser.times = True
    try:
        literal = parser.literal()
        parser.expect_end()
    except feel.FeelError:
        return WHY_NOT["the time of day"]
    return literal


def split_at_in(text: str) -> tuple[str, str] | None:
    """`e1`, `e2` around the first `in` outside quotes and brackets."""
    depth, quoted = 0, False
    for index, char in enumerate(text):
        if char == '"' and text[index - 1:index] != "\\":
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}":
            depth -= 1
        elif not quoted and depth == 0 and re.match(r"\bin\b", text[index:]) \
                and (index == 0 or not text[index - 1].isalnum()):
            return text[:index].strip(), text[index + 2:].strip()
    return None


def left_reason(left: str) -> str | None:
    if TEMPORAL.match(left):
        found = temporal(left)
        return found if isinstance(found, str) else None
    if left.startswith("["):
        return "the tested value is a list (mmdsl tests single values and sets of names)"
    if left.startswith("{"):
        return "the tested value is a context (mmdsl has no structured values)"
    try:
        return None if feel.parse_literal(left) is not None else "not a literal"
    except feel.FeelError:
        return "the tested value is not a literal"


def right_reason(right: str, left: str) -> str | None:
    try:
        tokens = feel.tokenize(right)
    except feel.FeelError:
        return "not FEEL simple unary tests"
    tested = temporal(left) if TEMPORAL.match(left) else None  # left_reason found it in scope
    left_kind = "other" if not isinstance(tested, feel.Literal) else \
        "day" if tested.day else "moment" if tested.moment else "clock" if tested.clock_time \
        else "months" if tested.months else "duration"
    inside = 0  # where the temporal literal read last ends (its string is no value of its own)
    for index, token in enumerate(tokens):
        function = token.kind == "name" and token.text in feel.TEMPORAL_FUNCTIONS \
            and tokens[index + 1].text in ("(", "and")
        if token.offset < inside:
            continue
        if token.kind == "temporal" or function:
            inside = _literal_end(right, token.offset)
            found = temporal(right[token.offset:inside])
            if isinstance(found, str):
                return found
            if found.duration and left_kind != "duration":
                return "a duration tested against a value that is not one (FEEL never matches)"
            if found.months and left_kind != "months":
                return ("a years and months duration tested against a value that is not one "
                        "(FEEL never matches)")
            if found.day and left_kind != "day":
                return "a calendar date tested against a value that is not one (FEEL never matches)"
            if found.moment and left_kind != "moment":
                return "a date and time tested against a value that is not one (FEEL never matches)"
            if found.clock_time and left_kind != "clock":
                return "a time of day tested against a value that is not one (FEEL never matches)"
        elif left_kind == "day" and (token.kind in ("number", "string")
                                     or token.text in ("true", "false")):
            return "a calendar date tested against a value that is not one (FEEL never matches)"
        elif left_kind == "moment" and (token.kind in ("number", "string")
                                        or token.text in ("true", "false")):
            return "a date and time tested against a value that is not one (FEEL never matches)"
        elif left_kind == "clock" and (token.kind in ("number", "string")
                                       or token.text in ("true", "false")):
            return "a time of day tested against a value that is not one (FEEL never matches)"
    if any(t.kind == "name" and t.text == "null" for t in tokens):
        return "a range with a null end (null is not a simple literal)"
    if tokens[0].text == "[" and not is_single_interval(tokens):
        return "e2 is a FEEL list, an expression rather than simple unary tests"
    ordering = {"<", "<=", ">", ">=", ".."}
    if left.startswith('"') and any(t.kind == "op" and t.text in ordering for t in tokens):
        return "text compared by order (simple unary tests, but mmdsl compares text for equality only)"
    return None


def _literal_end(text: str, start: int) -> int:
    """Where the temporal literal at `start` ends: after its string's closing quote (and `)`)."""
    quote = text.index('"', start)
    end = text.index('"', quote + 1) + 1
    return end + 1 if text[start] != "@" else end


def is_single_interval(tokens: list[feel.Token]) -> bool:
    """`[1..5]`, `[1..5)`: an interval, as opposed to a list such as `[1, 2]` or `[[1..2]]`."""
    texts = [t.text for t in tokens if t.kind != "end"]
    return len(texts) >= 5 and ".." in texts and texts[1] not in ("[", "(") \
        and texts[-1] in ("]", ")", "[")


def model_for(case: InCase) -> bytes:
    """A DMN 1.5 model: input `value` of the literal's type, decision `value in TESTS`; for a
    duration, date inputs `start` and `end` and the decision `end - start in TESTS`, or
    `years and months duration(start, end) in TESTS` for a years-and-months one."""
    ET.register_namespace("", DMN15)
    root = ET.Element(f"{{{DMN15}}}definitions", id="feel_in", name="feel in",
                      namespace="urn:x-mmdsl:tck")
    between = case.value.duration or case.value.months
    inputs = {"start": "date", "end": "date"} if between else {"value": case.value.kind}
    for name, type_ref in inputs.items():
        data = ET.SubElement(root, f"{{{DMN15}}}inputData", id=name, name=name)
        ET.SubElement(data, f"{{{DMN15}}}variable", name=name, typeRef=type_ref)
    decision = ET.SubElement(root, f"{{{DMN15}}}decision", id="test", name=case.decision)
    ET.SubElement(decision, f"{{{DMN15}}}variable", name=case.decision, typeRef="boolean")
    for name in inputs:
        requirement = ET.SubElement(decision, f"{{{DMN15}}}informationRequirement")
        ET.SubElement(requirement, f"{{{DMN15}}}requiredInput", href=f"#{name}")
    literal = ET.SubElement(decision, f"{{{DMN15}}}literalExpression")
    subject = "end - start" if case.value.duration else \
        "years and months duration(start, end)" if case.value.months else "value"
    ET.SubElement(literal, f"{{{DMN15}}}text").text = f"{subject} in {case.tests}"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
