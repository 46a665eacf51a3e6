"""Guidelines with their JSON Schema and their generated module, and the two ways of judging facts."""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from mmdsl.backends.schema.facts import render_schema
from mmdsl.ir import model as ir
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from tests.backend.support import load_module, write_module
from tests.docs.test_language_examples import is_whole_file, mmdsl_blocks

ROOT = Path(__file__).resolve().parents[2]

ALL_TYPES = '''guideline all_types "Every type of input"
enum drug "drugs" = a "drug A", b, c
input flag: yes/no "a flag"
input count: integer "a count with no bounds"
input lines: integer 0..30 unit "lines" "prior lines"
input level: decimal 0.5..2.5 unit "mg/dL" "a level"
input ratio: decimal "a ratio with no bounds"
input note: text default "" "a note"
input stage: one of I, II, III "a stage written in place"
input drug: one of drug default a
input taken: set of drug default none "drugs taken"
input refractory: set of drug "drugs refractory"
input exposed: set of drug includes refractory "drugs received"
input bold: yes/no default yes
'''


@dataclass(frozen=True)
class Guideline:
    name: str
    ir: ir.IRGuideline
    schema: dict[str, Any]
    validator: Draft202012Validator


def compiled(path: str, text: str) -> ir.IRGuideline | None:
    return compile_source(Source(path, text)).guideline


def guideline(path: str, text: str) -> Guideline:
    compilation = compile_source(Source(path, text))
    result = compilation.guideline
    assert result is not None, f"{path} has errors: {[d.message for d in compilation.diagnostics]}"
    schema = json.loads(render_schema(result))
    # formats asserted, as a validator asked to check them does (dates: `"format": "date"`)
    return Guideline(path, result, schema,
                     Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER))


def shipped_guidelines() -> list[Guideline]:
    return [guideline(p.relative_to(ROOT).as_posix(), p.read_text("utf-8"))
            for p in sorted((ROOT / "tables").glob("*.mmdsl"))]


def other_guidelines() -> list[Guideline]:
    """A guideline with every type, and the examples of docs/language.md that declare inputs."""
    docs = [(f"docs/language.md:{line}", body) for line, body in mmdsl_blocks()
            if is_whole_file(body)]
    usable = [(name, text) for name, text in docs if (g := compiled(name, text)) and g.inputs]
    return [guideline("all_types.mmdsl", ALL_TYPES), *(guideline(n, t) for n, t in usable)]


class Modules:
    """The generated module of each guideline, written and imported once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.loaded: dict[str, ModuleType] = {}

    def __getitem__(self, guideline: Guideline) -> ModuleType:
        if guideline.name not in self.loaded:
            place = self.folder / f"m{len(self.loaded)}"
            place.mkdir()
            self.loaded[guideline.name] = load_module(write_module(guideline.ir, place))
        return self.loaded[guideline.name]


def module_accepts(module: ModuleType, facts: object) -> bool:
    """Whether the generated module's own validation accepts the facts."""
    try:
        module.validate(facts)
    except module.InputError:
        return False
    return True


def module_accepts_json(module: ModuleType, text: str) -> bool:
    try:
        module.validate(module.parse_facts_json(text))
    except module.InputError:
        return False
    return True


# ---- random facts ---------------------------------------------------------------------------


def valid_value(value_type: ir.IRType, offset: str = "") -> st.SearchStrategy[Any]:
    low, high = value_type.low, value_type.high
    match value_type.kind:
        case "bool":
            return st.booleans()
        case "integer":
            return st.integers(None if low is None else int(low), None if high is None else int(high))
        case "decimal":
            return st.floats(low, high, allow_nan=False, allow_infinity=False) | st.integers(
                None if low is None else math.ceil(low), None if high is None else math.floor(high))
        case "text":
            return st.text(max_size=8)
        case "enum":
            return st.sampled_from(value_type.members)
        case "date":  # ISO dates as the facts give them (h18's date inputs)
            return st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)).map(
                datetime.date.isoformat)
        case "datetime":  # as the facts give them: seconds when wanted, and `offset`
            return st.builds(_date_time, st.datetimes(datetime.datetime(1900, 1, 1),
                                                      datetime.datetime(2100, 12, 31)),
                             st.booleans(), st.just(offset))
        case "time":  # a time of day as the facts give it, seconds optional, no offset
            return st.times().map(lambda clock: clock.isoformat(
                timespec="seconds" if clock.second else "minutes"))
        case _:
            return st.lists(st.sampled_from(value_type.members), unique=True)


def _date_time(value: datetime.datetime, seconds: bool, offset: str) -> str:
    return value.isoformat(timespec="seconds" if seconds else "minutes") + offset


def valid_facts(guideline: ir.IRGuideline) -> st.SearchStrategy[dict[str, Any]]:
    """Valid facts; the dates and times all with one offset, or all without (the ends of a
    duration must agree)."""
    def with_offset(offset: str) -> st.SearchStrategy[dict[str, Any]]:
        required = {i.name: valid_value(i.type, offset) for i in guideline.inputs if i.required}
        optional = {i.name: valid_value(i.type, offset) for i in guideline.inputs
                    if not i.required}
        return st.fixed_dictionaries(required, optional=optional)
    return st.sampled_from(["", "Z", "+01:00", "-05:30"]).flatmap(with_offset)


JSON_SCALARS = (st.none() | st.booleans() | st.integers(-50, 50) | st.floats(allow_nan=False,
                allow_infinity=False) | st.text(max_size=4))
ANY_JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=3), inner, max_size=2), max_leaves=4)


def any_value(value_type: ir.IRType) -> st.SearchStrategy[Any]:
    """A value that is often right, often near a boundary, and often any JSON at all."""
    near: list[Any] = [v + step for v in (value_type.low, value_type.high) if v is not None
                       for step in (-1, -0.5, 0, 0.5, 1)]
    members = [*value_type.members, "not_a_member", ""]
    lists = st.lists(st.sampled_from(members), max_size=4)
    dates = ["2024-02-30", "2024-2-3", "20240203", "2024-02-03T00:00"] if value_type.kind == "date" \
        else ["2024-02-30T10:00", "2024-03-01T24:00", "2024-03-01T10:00+24:00", "2024-03-01",
              "2024-03-01T10:00:00.5", "2024-03-01T10:00Z", "2024-03-01T10:00"] \
        if value_type.kind == "datetime" else []
    if value_type.kind == "time":
        dates = ["24:00", "10:60", "9:30", "14:30Z", "14:30+01:00", "14:30:05.5"]
    return (valid_value(value_type) | ANY_JSON | lists
            | st.sampled_from([*near, *members, *dates, 3.0, -0.0, 1e300]))


@st.composite
def facts_with_one_field_changed(draw: Any, guideline: ir.IRGuideline) -> dict[str, Any]:
    """Valid facts with one input given any value (often a wrong one), left out, or with a key
    added: one thing at a time, so that every check of either side decides the outcome."""
    facts: dict[str, Any] = draw(valid_facts(guideline))
    choice = draw(st.integers(0, len(guideline.inputs)))
    if choice == len(guideline.inputs):
        return {**facts, draw(st.sampled_from(["unknown", "prior_line", ""])): draw(ANY_JSON)}
    item = guideline.inputs[choice]
    if draw(st.booleans()) and draw(st.booleans()):
        return {k: v for k, v in facts.items() if k != item.name}
    return {**facts, item.name: draw(any_value(item.type))}


def integral_floats_for_integers(guideline: ir.IRGuideline, facts: dict[str, Any]) -> list[str]:
    """The integer inputs given a number with a zero fraction written as a float (`3.0`)."""
    return [i.name for i in guideline.inputs
            if i.type.kind == "integer" and isinstance(facts.get(i.name), float)
            and facts[i.name].is_integer()]
