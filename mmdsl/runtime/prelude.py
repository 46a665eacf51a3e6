# ---- mmdsl prelude: checking patient facts, reading and writing JSON ------------------------
# This file is shared, text for text, by the reference interpreter (which imports it) and by
# every generated evaluator (which embeds it right after its docstring), so both check facts
# the same way by construction. It holds no decision logic. Rules for editing it:
#   - standard library only, and no module docstring (it would land in the middle of a module);
#   - generated code after it uses these names it imports: Any, Callable, NamedTuple, math, sys,
#     datetime.

import datetime
import difflib
import json
import math
import os
import re
import sys
from collections.abc import Callable
from typing import Any, NamedTuple, TypeGuard

MAX_JSON_NESTING = 64
"""Facts are flat; deeper JSON is refused before parsing so it can never exhaust the stack."""
MAX_FACTS_SIZE = 1_000_000
"""Bytes (or characters) of facts JSON read at most: one patient's facts take a few hundred, and
a bound on the input bounds the time and memory that reading and checking it take."""
MAX_LISTED = 20
"""Problems listed one by one per input (items of a list), and unknown or repeated keys; the
rest are counted in one more problem, so that a huge input gives a short answer, quickly."""


class InputError(ValueError):
    """Patient facts that cannot be evaluated; `.errors` lists every problem found."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__(self.__str__())

    def __reduce__(self) -> tuple[type["InputError"], tuple[list[dict[str, str]]]]:
        return InputError, (self.errors,)  # so that it survives pickling (multiprocessing)

    def __str__(self) -> str:
        return "\n".join(f"{_printable(e['field'])}: {_printable(e['message'])}"
                         for e in self.errors)


class InputField(NamedTuple):
    """One input of a guideline, as validation needs it."""

    name: str
    kind: str  # "bool", "integer", "decimal", "text", "enum", "set", "date", "datetime" or "time"
    required: bool
    default: Any  # the value of an optional input left out (a tuple of members for a set)
    members: tuple[str, ...] = ()  # enum and set: the allowed members, in declared order
    low: int | float | None = None  # integer and decimal: inclusive bounds
    high: int | float | None = None
    includes: str | None = None  # set: another set input whose members this one contains
    unknown: bool = False  # declared `or unknown`: null is accepted, and the value is None
    offset_with: tuple[str, ...] = ()  # datetime: the other ends of its durations, which must
    # carry an offset (`Z`, `+01:00`) when this one does, and none when it has none


def _problem(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def _printable(text: str) -> str:
    """Text on one line: control characters escaped, so each problem prints as one line."""
    return text if text.isprintable() else json.dumps(text)[1:-1]


def _listed(problems: list[dict[str, str]], field: str, more: str) -> list[dict[str, str]]:
    """The first MAX_LISTED problems, then one that counts the others (`more` names them)."""
    if len(problems) <= MAX_LISTED:
        return problems
    return [*problems[:MAX_LISTED],
            _problem(field, f"... and {len(problems) - MAX_LISTED} more {more}")]


def _key_text(key: str) -> str:
    """A key as a problem names it: long keys cut short (a key can be as long as the input)."""
    return key if len(key) <= 100 else f"{key[:60]}... ({len(key)} characters)"


# ---- validation -------------------------------------------------------------------------------


def validate_facts(facts: object, spec: tuple[InputField, ...]) -> dict[str, Any]:
    """The checked values of the facts (sets as frozensets, defaults filled in), or InputError.

    Problems come in a fixed order: the object as a whole, then the inputs in declared order,
    then unknown keys sorted.
    """
    if not isinstance(facts, dict):
        raise InputError([_problem("$", f"expected an object of facts, got {describe(facts)}")])
    errors = _listed([_problem("$", f"every key must be text, got {describe(key)}")
                      for key in sorted((k for k in facts if not isinstance(k, str)), key=repr)],
                     "$", "keys that are not text")
    values: dict[str, Any] = {}
    for field in spec:
        errors += _check_field(field, facts, values)
    errors += _unknown_keys(facts, spec)
    errors += _offset_problems(values, spec)
    if errors:
        raise InputError(errors)
    _add_included_members(values, spec)
    return values


def reject_impossible(found: list[tuple[str, str]]) -> None:
    """Facts that fall in combinations declared impossible (`impossible NAME "..." = ...`) are
    refused: one problem per declaration, named by it, with its description."""
    if found:
        raise InputError([_problem(name, f"the facts are an impossible combination: {description}")
                          for name, description in found])


def _check_field(field: InputField, facts: dict[Any, Any], values: dict[str, Any]
                 ) -> list[dict[str, str]]:
    """Store the value of one input in `values`; return its problems."""
    if field.name not in facts:
        if field.required:
            return [_problem(field.name, "required field is missing")]
        values[field.name] = _default(field)
        return []
    if facts[field.name] is None and field.unknown:  # JSON null: the value is not known
        values[field.name] = None
        return []
    value, problems = CHECKS[field.kind](field, facts[field.name])
    values[field.name] = value
    return problems


def _default(field: InputField) -> Any:
    return frozenset(field.default) if field.kind == "set" else field.default


def _unknown_keys(facts: dict[Any, Any], spec: tuple[InputField, ...]) -> list[dict[str, str]]:
    names = [field.name for field in spec]
    unknown = sorted(k for k in facts if isinstance(k, str) and k not in names)
    problems = [_problem(_key_text(key), "unknown field" + _did_you_mean(key, names))
                for key in unknown[:MAX_LISTED]]
    if len(unknown) > MAX_LISTED:
        problems.append(_problem("$", f"... and {len(unknown) - MAX_LISTED} more unknown fields"))
    return problems


def _did_you_mean(text: str, candidates: list[str]) -> str:
    if len(text) > 100:  # no name is that long, and comparing long text takes long
        return ""
    close = difflib.get_close_matches(text, candidates, n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def _add_included_members(values: dict[str, Any], spec: tuple[InputField, ...]) -> None:
    """A set input that includes another gets its members (exposed includes refractory)."""
    included = {field.name: field.includes for field in spec if field.includes}
    for name in included:
        seen = {name}
        source = included.get(name)
        while source is not None and source not in seen:
            if values[name] is None or values[source] is None:  # unknown: nothing to add
                break
            values[name] = values[name] | values[source]
            seen.add(source)
            source = included.get(source)


Checked = tuple[Any, list[dict[str, str]]]


def _check_bool(field: InputField, value: object) -> Checked:
    if type(value) is bool:
        return value, []
    return None, [_problem(field.name, f"expected true or false, got {describe(value)}")]


def _check_integer(field: InputField, value: object) -> Checked:
    wanted = "a whole number" + _range_text(field)
    if type(value) is not int or not _within(field, value):
        return None, [_problem(field.name, f"expected {wanted}, got {describe(value)}")]
    return value, []


def _check_decimal(field: InputField, value: object) -> Checked:
    if _is_number(value) and _within(field, value) and _finite(value):  # bounds: exact value
        return float(value), []
    wanted = "a number" + _range_text(field)
    return None, [_problem(field.name, f"expected {wanted}, got {describe(value)}")]


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(number: int | float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float
        return False


def _within(field: InputField, value: int | float) -> bool:
    return ((field.low is None or value >= field.low)
            and (field.high is None or value <= field.high))


def _range_text(field: InputField) -> str:
    low, high = field.low, field.high
    if low is not None and high is not None:
        return f" from {_number_text(low)} to {_number_text(high)}"
    if low is not None:
        return f" of at least {_number_text(low)}"
    if high is not None:
        return f" of at most {_number_text(high)}"
    return ""


def _number_text(number: int | float) -> str:
    text = repr(number)
    return text[:-2] if text.endswith(".0") else text


def _check_text(field: InputField, value: object) -> Checked:
    if isinstance(value, str):
        return value, []
    return None, [_problem(field.name, f"expected text, got {describe(value)}")]


def _check_enum(field: InputField, value: object) -> Checked:
    problem = _member_problem(field, field.name, value)
    return (None, [problem]) if problem else (value, [])


def _member_problem(field: InputField, where: str, value: object) -> dict[str, str] | None:
    if isinstance(value, str) and value in field.members:
        return None
    hint = _did_you_mean(value, list(field.members)) if isinstance(value, str) else ""
    return _problem(where, f"expected one of {', '.join(field.members)}, "
                           f"got {describe(value)}{hint}")


def _check_set(field: InputField, value: object) -> Checked:
    if not isinstance(value, list):
        return None, [_problem(field.name, f"expected a list, got {describe(value)}")]
    problems: list[dict[str, str]] = []
    seen: set[str] = set()
    wrong = 0
    for index, item in enumerate(value):
        if isinstance(item, str) and item in field.members and item not in seen:
            seen.add(item)
            continue
        wrong += 1
        if wrong <= MAX_LISTED:  # the others are only counted: a long list is answered quickly
            problems.append(_item_problem(field, f"{field.name}[{index}]", item))
    if wrong > MAX_LISTED:
        problems.append(_problem(field.name, f"... and {wrong - MAX_LISTED} more wrong items"))
    return (None, problems) if problems else (frozenset(value), [])


def _item_problem(field: InputField, where: str, item: object) -> dict[str, str]:
    """Why an item of a list is wrong: not a member, or a member listed before."""
    problem = _member_problem(field, where, item)
    return problem or _problem(where, f"{describe(item)} is listed more than once")


DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _check_date(field: InputField, value: object) -> Checked:
    """A date is written as JSON text, year-month-day (`"2024-03-01"`), and must exist."""
    if isinstance(value, str) and DATE_PATTERN.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value), []
        except ValueError:
            return None, [_problem(field.name, f"{describe(value)} is not a date that exists")]
    return None, [_problem(field.name, "expected a date written year-month-day, such as "
                                       f'"2024-03-01", got {describe(value)}')]


DATE_TIME_PATTERN = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"
    r"(Z|([+-])([0-9]{2}):([0-9]{2}))?")


def parse_date_time(text: object) -> datetime.datetime | None:
    """`2024-03-01T14:30`, with seconds (`T14:30:05`) and an offset (`Z`, `+01:00`) if given, as
    a datetime (aware when an offset is written); None when it is written another way or does
    not exist (`2024-02-30T10:00`, `25:00`, an offset of 24 hours or more)."""
    match = DATE_TIME_PATTERN.fullmatch(text) if type(text) is str else None
    if match is None:
        return None
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    zone = None
    if match.group(7) == "Z":
        zone = datetime.UTC
    elif match.group(7):
        hours, minutes = int(match.group(9)), int(match.group(10))
        if hours > 23 or minutes > 59:
            return None
        sign = -1 if match.group(8) == "-" else 1
        zone = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
    try:
        return datetime.datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None


def _check_date_time(field: InputField, value: object) -> Checked:
    """A date and time is JSON text, `"2024-03-01T14:30"` (seconds and an offset may follow),
    and must exist."""
    if isinstance(value, str) and DATE_TIME_PATTERN.fullmatch(value):
        parsed = parse_date_time(value)
        if parsed is not None:
            return parsed, []
        return None, [_problem(field.name, f"{describe(value)} is not a date and time that exists")]
    return None, [_problem(field.name, "expected a date and time written year-month-dayThour:"
                                       'minute, such as "2024-03-01T14:30" or '
                                       f'"2024-03-01T14:30+01:00", got {describe(value)}')]


def _offset_problems(values: dict[str, Any], spec: tuple[InputField, ...]) -> list[dict[str, str]]:
    """The two ends of a duration between dates and times both carry an offset, or neither does
    (the time between a moment and a clock reading of unknown zone is not known)."""
    problems = []
    for field in spec:
        for other in field.offset_with:
            start, end = values.get(field.name), values.get(other)
            if not isinstance(start, datetime.datetime) or not isinstance(end, datetime.datetime):
                continue
            if (start.tzinfo is None) != (end.tzinfo is None):
                given, missing = (field.name, other) if end.tzinfo is None else (other, field.name)
                problems.append(_problem(missing, f"given without an offset, but {given} has one "
                                         "(such as Z or +01:00): the time between them needs both "
                                         "with an offset, or both without"))
    return problems


TIME_OF_DAY_PATTERN = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
TIME_WITH_OFFSET = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:[0-9]{2})")


def parse_time_of_day(text: object) -> datetime.time | None:
    """`14:30` (seconds may follow after a colon), a clock reading of any day, as a time; None
    when it is written another way (an offset included: a clock reading has none) or does not
    exist (`25:00`)."""
    match = TIME_OF_DAY_PATTERN.fullmatch(text) if type(text) is str else None
    if match is None:
        return None
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return datetime.time(hour, minute, second)


def _check_time_of_day(field: InputField, value: object) -> Checked:
    """A time of day is JSON text, `"14:30"` (seconds may follow), without an offset, and must
    exist."""
    parsed = parse_time_of_day(value)
    if parsed is not None:
        return parsed, []
    if isinstance(value, str) and TIME_OF_DAY_PATTERN.fullmatch(value):
        return None, [_problem(field.name, f"{describe(value)} is not a time of day that exists")]
    if isinstance(value, str) and TIME_WITH_OFFSET.fullmatch(value):
        return None, [_problem(field.name, f"{describe(value)} has an offset, but a time of day "
                                           "is a clock reading, which has none: write it as "
                                           "read, such as \"14:30\"")]
    return None, [_problem(field.name, "expected a time of day written hour:minute, such as "
                                       f'"14:30" (seconds may follow after a colon), got {describe(value)}')]


CHECKS: dict[str, Callable[[InputField, object], Checked]] = {
    "bool": _check_bool,
    "integer": _check_integer,
    "decimal": _check_decimal,
    "text": _check_text,
    "enum": _check_enum,
    "set": _check_set,
    "date": _check_date,
    "datetime": _check_date_time,
    "time": _check_time_of_day,
}


def describe(value: object) -> str:
    """A value as a message shows it: JSON where it is short, else what kind of thing it is."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 128 else "a very large number"
    if isinstance(value, float):
        return json.dumps(value)  # NaN, Infinity and -Infinity as JSON writers spell them
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a value of type {type(value).__name__}"


def _quoted(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    quoted = json.dumps(shown, ensure_ascii=False)
    try:
        quoted.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot be printed as they are
        return json.dumps(shown)
    return quoted


# ---- JSON in and out --------------------------------------------------------------------------


def parse_facts_json(text: str | bytes) -> object:
    """Strict JSON: UTF-8, no NaN or Infinity, no repeated key, no deep nesting; else InputError."""
    if len(text) > MAX_FACTS_SIZE:
        unit = "bytes" if isinstance(text, bytes) else "characters"
        raise InputError([_problem("$", f"the facts are longer than {MAX_FACTS_SIZE} {unit}; "
                                        "one patient's facts take a few hundred")])
    if isinstance(text, bytes):
        text = _utf8(text)
    if not text.strip():
        raise InputError([_problem("$", "no facts given: the input is empty")])
    if _nesting_exceeds(text, MAX_JSON_NESTING):
        raise InputError([_problem("$", f"JSON nested deeper than {MAX_JSON_NESTING} levels")])
    repeated: list[dict[str, str]] = []
    try:
        facts = json.loads(text, object_pairs_hook=_refusing_repeats(repeated),
                           parse_constant=_refuse_constant, parse_float=_finite_json_float,
                           parse_int=_json_int)
    except InputError:
        raise
    except ValueError as error:  # JSONDecodeError and int conversion limits
        raise InputError([_problem("$", f"not valid JSON: {error}")]) from None
    if repeated:
        raise InputError(_listed(repeated, "$", "repeated keys"))
    return facts


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise InputError([_problem("$", f"not UTF-8 text: byte 0x{byte:02x} at offset "
                                        f"{error.start}")]) from None


_STRUCTURE = re.compile(r'["\[\]{}]')
_STRING_STOP = re.compile(r'["\\]')


def _nesting_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit`, in one linear scan."""
    depth, position = 0, 0
    while (match := _STRUCTURE.search(text, position)) is not None:
        position = match.end()
        char = match.group()
        if char == '"':
            position = _string_end(text, position)
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _string_end(text: str, position: int) -> int:
    while (match := _STRING_STOP.search(text, position)) is not None:
        if match.group() == '"':
            return match.end()
        position = match.end() + 1  # skip the escaped character
    return len(text)


def _refusing_repeats(repeated: list[dict[str, str]]
                      ) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """An object hook that keeps the first value of a repeated key and records the repeat."""
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                repeated.append(_problem(_key_text(key),
                                         "given more than once in the same JSON object"))
            else:
                result[key] = value
        return result
    return build


def _refuse_constant(name: str) -> float:
    raise InputError([_problem("$", f"not valid JSON: {name} is not a number in JSON")])


def _finite_json_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise InputError([_problem("$", f"not valid JSON: the number {text[:40]} is too large")])
    return number


def _json_int(text: str) -> int:
    if len(text) > 100:  # no fact needs it, and huge ints are slow to convert
        raise InputError([_problem("$", "not valid JSON: a whole number with more than "
                                        "100 digits")])
    return int(text)


def decision_json(decision: dict[str, Any]) -> str:
    """The decision as every way of evaluating prints it, byte for byte."""
    return json.dumps(decision, indent=2, ensure_ascii=False)


def run_as_script(evaluate_json: Callable[[bytes], dict[str, Any]], about: str = "") -> int:
    """Facts JSON on stdin, the decision on stdout (exit 0); invalid facts on stderr (exit 2).
    `--help` prints the usage (exit 0); any other argument is a usage error (exit 2)."""
    arguments = sys.argv[1:]
    if arguments in (["-h"], ["--help"]):
        sys.stdout.write(script_usage(about))
        return 0
    if arguments:
        sys.stderr.write(f"error: unexpected argument {arguments[0]!r}: the facts are read from "
                         f"standard input\n\n{script_usage(about)}")
        return 2
    if sys.stdin is None or sys.stdout is None:  # started with the descriptor closed
        return _script_error(f"standard {'input' if sys.stdin is None else 'output'} is closed")
    try:
        decision = evaluate_json(sys.stdin.buffer.read(MAX_FACTS_SIZE + 1))
    except InputError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    except OSError as error:
        return _script_error(f"cannot read the facts: {error.strerror or error}")
    try:
        sys.stdout.buffer.write((decision_json(decision) + "\n").encode("utf-8"))
        sys.stdout.flush()
    except OSError as error:  # a full disk (/dev/full), a closed pipe
        _discard_stdout()
        return _script_error(f"cannot write the decision: {error.strerror or error}")
    return 0


def _script_error(message: str) -> int:
    """An input/output failure of the script: one line on standard error (if open), exit 1."""
    if sys.stderr is not None:
        sys.stderr.write(f"error: {message}\n")
    return 1


def _discard_stdout() -> None:
    """What is left in standard output's buffer goes nowhere, so that Python's flush at exit
    does not fail a second time with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def script_usage(about: str) -> str:
    """The usage of a generated module run as a script, then its docstring (what it does)."""
    program = sys.argv[0].replace("\\", "/").rsplit("/", 1)[-1] or "module.py"
    return f"usage: python {program} < facts.json\n\n{about.strip()}\n"
