"""Syntax errors that are habits of people who write guidelines, each named with its fix.

The parser reports where the grammar broke; here the text around that place is read to recognise
a known habit: a range written `65-74`, quoted text opened on the next line, a unit after a number,
`=>` for `>=`. Each hint carries its fix as a concrete replacement (`data["fix"]`: file offsets
`start`, `end` and the `text` to put there), which an editor offers as a quick fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lark import Token, UnexpectedToken

from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import lookup
from mmdsl.source import Source, Span
from mmdsl.syntax import ast

SpanOf = Callable[[int, int], Span]
"""The span of the file's characters `start` to `end`."""

_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
_DASHED_RANGE = re.compile(rf"({_NUMBER})[ \t]*[-–—][ \t]*([0-9]+(?:\.[0-9]+)?)")
_UNIT = re.compile(r"[^\s|,()\[\]\"#]+")
_UNIT_KEYWORDS = frozenset({"unit", "default", "includes", "and", "or", "not"})


def fix(start: int, end: int, text: str) -> dict[str, object]:
    """A replacement of the file's characters `start` to `end` by `text`."""
    return {"start": start, "end": end, "text": text}


def hint_for_token(source: Source, base: int, text: str, error: UnexpectedToken,
                   span_of: SpanOf) -> Diagnostic | None:
    """A specific diagnostic for the unexpected token of `error`, in the statement `text` that
    starts at offset `base` of the file; None when no known habit explains it."""
    token: Token = error.token
    position = token.start_pos
    if position is None or token.type == "$END":
        position = len(text)
    expected = set(error.expected)
    hints = [_dashed_range, _date_time_with_space, _unit_after_number, _reversed_comparison]
    if token.type == "PLUS" and "PLUS" not in expected:  # `2+` in a cell (arithmetic has `+`)
        hints.append(_number_plus)
    for hint in hints:
        found = hint(source, base, text, position, span_of)
        if found is not None:
            return found
    if token.type in ("_NL", "$END") and "STRING" in expected:
        return _text_on_next_line(source, base, text, position, span_of)
    return None


def hint_for_character(source: Source, base: int, text: str, position: int,
                       span_of: SpanOf) -> Diagnostic | None:
    """A specific diagnostic for an unexpected character at `position` of the statement."""
    for hint in (_dashed_range, _number_plus, _unit_after_number):
        found = hint(source, base, text, position, span_of)
        if found is not None:
            return found
    return None


_DAY_BEFORE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})([ \t]+)$")
_CLOCK = re.compile(r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?")


def _date_time_with_space(source: Source, base: int, text: str, position: int,
                          span_of: SpanOf) -> Diagnostic | None:
    """`2024-03-01 14:30`: a date and time is written with a `T` between the day and the time."""
    day = _DAY_BEFORE.search(text, 0, position)
    clock = _CLOCK.match(text, position)
    if day is None or clock is None or day.end() != position:
        return None
    start, end = base + day.start(), base + clock.end()
    written = f"{day.group(1)}T{clock.group()}"
    return lookup("invalid-date-time").at(
        source.path, span_of(start, end),
        f"`{text[day.start():clock.end()]}`: a date and time is written with a T between the day "
        "and the time", help=f"write `{written}`", fix=fix(start, end, written))


def _dashed_range(source: Source, base: int, text: str, position: int,
                  span_of: SpanOf) -> Diagnostic | None:
    """`65-74`, `65 - 74` or `65–74` (an en dash) where the error falls on the dash or the second
    number."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = _line_end(text, position)
    for match in _DASHED_RANGE.finditer(text, line_start, line_end):
        dash_to_end = range(match.end(1), match.end())
        if position in dash_to_end:
            low, high = match.group(1), match.group(2)
            start, end = base + match.start(), base + match.end()
            written = text[match.start():match.end()]
            return lookup("range-with-dash").at(
                source.path, span_of(start, end),
                f"`{written}` is not a range: a range is written with two dots",
                help=f"write a range as {low}..{high}", fix=fix(start, end, f"{low}..{high}"))
    return None


def _unit_after_number(source: Source, base: int, text: str, position: int,
                       span_of: SpanOf) -> Diagnostic | None:
    """`>= 60 kg`, `60 mg/dL`, `65 years`, `30%`: a word or a unit sign right after a number."""
    before = text[text.rfind("\n", 0, position) + 1:position]
    number = re.search(rf"({_NUMBER})[ \t]*$", before)
    unit = _UNIT.match(text, position)
    if number is None or unit is None or unit.group() in _UNIT_KEYWORDS:
        return None
    word = unit.group()
    if not (word[0].isalpha() or word[0] in "%‰°µ") or text[unit.end():].lstrip(" \t").startswith('"'):
        return None  # not a unit, or a keyword misspelt before its quoted text
    number_end = position - (len(before) - len(before.rstrip(" \t")))
    start, end = base + position, base + unit.end()
    if word in ast.DURATION_UNITS and not re.fullmatch(r"-?[0-9]+", number.group(1)):
        return lookup("unit-after-number").at(
            source.path, span_of(start, end),
            f"`{number.group(1)} {word}`: a duration is a whole number of days, weeks, months "
            "or years", help="write it in a smaller unit, such as `45 days` for 1.5 months")
    if word in ast.TIME_UNITS and not re.fullmatch(r"-?[0-9]+", number.group(1)):
        return lookup("unit-after-number").at(
            source.path, span_of(start, end),
            f"`{number.group(1)} {word}`: a duration is a whole number of minutes, hours, days "
            "or weeks", help="write it in a smaller unit, such as `270 minutes` for 4.5 hours")
    return lookup("unit-after-number").at(
        source.path, span_of(start, end),
        f"`{word}` after the number {number.group(1)}: a number is written without its unit",
        help=f'write {number.group(1)} alone; a unit is declared once, with its input: unit "{word}"',
        fix=fix(base + number_end, end, ""))


def _number_plus(source: Source, base: int, text: str, position: int,
                 span_of: SpanOf) -> Diagnostic | None:
    """`2+` for "2 or more"."""
    if text[position:position + 1] != "+":
        return None
    number = re.search(rf"({_NUMBER})$", text[:position])
    if number is None:
        return None
    start, end = base + number.start(), base + position + 1
    return lookup("number-plus").at(
        source.path, span_of(start, end), f"`{number.group()}+` is written `>= {number.group()}`",
        help=f"write `>= {number.group()}` for {number.group()} or more",
        fix=fix(start, end, f">= {number.group()}"))


def _reversed_comparison(source: Source, base: int, text: str, position: int,
                         span_of: SpanOf) -> Diagnostic | None:
    """`=>` and `=<`: the error falls on the `>` or `<` right after `=`."""
    if position == 0 or text[position - 1] != "=" or text[position:position + 1] not in (">", "<"):
        return None
    meant = text[position] + "="
    start = base + position - 1
    return lookup("reversed-comparison").at(
        source.path, span_of(start, start + 2),
        f"`={text[position]}` is written `{meant}`",
        help=f"write `{meant}`", fix=fix(start, start + 2, meant))


def _text_on_next_line(source: Source, base: int, text: str, position: int,
                       span_of: SpanOf) -> Diagnostic | None:
    """A statement whose line ends where its quoted text should start, and whose next line
    starts with that text."""
    end_of_words = len(text[:position].rstrip(" \t"))
    rest = text[end_of_words:]
    following = re.match(r"[ \t]*\r?\n[ \t\r\n]*\"", rest)
    if following is None:
        return None
    quote = end_of_words + following.end() - 1
    start = base + end_of_words
    return lookup("text-on-next-line").at(
        source.path, span_of(start, start),
        "the quoted text must start on this line",
        help='move the opening `"` up to the end of this line; the text may then go on over the '
             "next lines", fix=fix(start, base + quote, " "))


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end
