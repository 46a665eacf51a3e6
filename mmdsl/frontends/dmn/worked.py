"""Worked examples, notes and quotes that an mmdsl export kept in its extension elements, written
back as mmdsl statements by `mmdsl import`.

The extension is untrusted text like the rest of the file: a name is written only when it is a
plain mmdsl name that the imported model declares (under the name the import gave it), a value
only as yes/no, a number, a plain name or exactly quoted text. A statement that does not pass is
left out whole, with a warning (MD440); so is the lot when the compiler refuses them
(`mmdsl.frontends.dmn.importer`), for instance after a DMN modeller changed a table they refer to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from mmdsl.dmn import model as m
from mmdsl.dmn.names import is_plain_name
from mmdsl.frontends.dmn.mmdsltext import number_text, quote_exact, quote_loose

if TYPE_CHECKING:  # a type for annotations only: translate.py calls this module
    from mmdsl.frontends.dmn.translate import Translation


class LeftOut(Exception):
    """Why a statement of the extension is not written back."""


def statements(guideline: m.Guideline | None, translation: Translation,
               problems: list[str]) -> Iterator[str]:
    """The mmdsl text of each example, note and quote; `problems` gets one line per one left out."""
    if guideline is None:
        return
    for example in guideline.examples:
        try:
            yield example_text(example, translation)
        except LeftOut as why:
            problems.append(f"worked example `{example.name}`: {why}")
    for remark in guideline.remarks:
        try:
            yield remark_text(remark, translation)
        except LeftOut as why:
            problems.append(f"{remark.kind} `{remark.name}`: {why}")


def example_text(example: m.Example, translation: Translation) -> str:
    _plain(example.name)
    lines = [f"example {example.name} {quote_loose(example.description)[0]}"]
    for line in example.lines:
        if line.expect:
            lines.append(f"  expect {_subject(line.subject, translation)}: {_values(line)}")
        else:
            lines.append(f"  {_input(line.subject, translation)}: {_values(line)}")
    if not example.lines:  # one that only expects is whole: a guideline may need no facts
        raise LeftOut("it gives no facts and expects nothing")
    return "\n".join(lines)


def remark_text(remark: m.Remark, translation: Translation) -> str:
    _plain(remark.name)
    targets = ", ".join(_subject(target, translation) for target in remark.targets)
    if remark.kind == "quote" and not targets:
        raise LeftOut("a quote names the rules it is on")
    on = f" on {targets}" if targets else ""
    return f"{remark.kind} {remark.name}{on}: {quote_loose(remark.text)[0]}"


def _plain(name: str) -> str:
    if not is_plain_name(name):
        raise LeftOut(f"`{name}` is not an mmdsl name")
    return name


def _input(name: str, translation: Translation) -> str:
    mapping = translation.inputs.get(name)
    if mapping is None:
        raise LeftOut(f"the model has no input `{name}`")
    return mapping.name


def _subject(subject: str, translation: Translation) -> str:
    """`status`, an input or `input.member`, a fact, a table, `table.output`, `table.rule` or
    `output.value` (a note defining an output's value), under the imported names."""
    if subject == "status":
        return subject
    table, _, part = subject.partition(".")
    if table in translation.inputs:  # an input, or a member of a set input
        return translation.inputs[table].name + (f".{_plain(part)}" if part else "")
    decision = translation.decisions.get(table)
    if decision is None and part:  # a value of a decision's output: a note defining it
        named = [o.name for d in translation.decisions.values() for o in d.outputs
                 if table in (o.dmn_name, o.name)]
        if named:
            return f"{named[0]}.{_plain(part)}"
    if decision is None:
        raise LeftOut(f"the model has no decision `{table}`")
    if not part:
        return decision.name
    outputs = {o.dmn_name: o.name for o in decision.outputs if o.dmn_name}
    return f"{decision.name}.{outputs.get(part) or _plain(part)}"


DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
                  r"(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?"  # or a date
                  r"|[0-9]{2}:[0-9]{2}(:[0-9]{2})?")  # and time, with or without seconds and
# an offset, or a time of day; the compiler checks that it exists


def _values(line: m.ExampleLine) -> str:
    if line.unknown:
        return "unknown"
    return ", ".join(_value(v, line.quoted) for v in line.values) or "none"


def _value(value: m.ExampleScalar, quoted: bool) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise LeftOut("a value is not a number, a name or text")
        return number_text(Decimal(repr(value)))
    if not quoted and DATE.fullmatch(value):
        return value  # a date (or a date and time), written as a worked example writes it
    text = quote_exact(value) if quoted else value if is_plain_name(value) else None
    if text is None:
        raise LeftOut(f"the value {value!r} cannot be written exactly")
    return text
