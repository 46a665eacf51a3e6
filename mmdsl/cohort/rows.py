"""Rows checked by the evaluator's own validation: the rows SQL did not find plain, and JSON Lines.

The checks are those of the module the Python back end generates for the guideline (its
`read_facts`, which gives the values of `validate_facts` in the prelude), so a row is accepted or
refused here exactly as `mmdsl eval` and the generated module would, with the same messages.
Accepted rows come back as columns of typed values, ready to join the plain rows.
"""

from __future__ import annotations

import contextlib
import datetime
import types
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mmdsl.backends.sql import clock_code, masked, moment_code
from mmdsl.ir import model as ir


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one row was not evaluated: the row number, the field, what is wrong."""

    row: int
    field: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class Accepted:
    """Rows that passed the checks, as columns: row numbers, each input's values (a set as the
    decision query reads it: its bit mask, bit i for the i-th member, or past 63 members its
    sorted list of names), the ids."""

    rows: list[int] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=dict)
    ids: list[Any] = field(default_factory=list)
    bits: dict[str, dict[str, int]] = field(default_factory=dict)  # set input -> member -> bit

    def add(self, row: int, values: dict[str, Any], identity: Any = None) -> None:
        self.rows.append(row)
        for name, column in self.values.items():
            value = values[name]
            if isinstance(value, frozenset):
                bits = self.bits.get(name)
                value = sorted(value) if bits is None else sum(bits[member] for member in value)
            elif isinstance(value, datetime.datetime):  # a date and time: its code in SQL
                value = moment_code(value)
            elif isinstance(value, datetime.time):  # a time of day: its seconds in SQL
                value = clock_code(value)
            column.append(value)
        self.ids.append(identity)


def evaluator(guideline: ir.IRGuideline) -> types.ModuleType:
    """The generated module of the guideline, compiled in memory."""
    from mmdsl.backends.python import load_module

    return load_module(guideline, f"mmdsl_cohort_{guideline.name}", f"<mmdsl {guideline.name}>")


class RowChecker:
    """Checks facts one row at a time, collecting accepted values and problems."""

    def __init__(self, guideline: ir.IRGuideline, module: types.ModuleType) -> None:
        self.module = module
        self.names = [item.name for item in guideline.inputs]
        self.kinds = {item.name: item.type.kind for item in guideline.inputs}
        self.accepted = Accepted(values={name: [] for name in self.names}, bits={
            item.name: {member: 1 << i for i, member in enumerate(item.type.members)}
            for item in guideline.inputs if masked(item)})
        self.problems: list[Problem] = []
        self.invalid_rows = 0

    def check(self, row: int, facts: object, identity: Any = None) -> None:
        try:
            values = self.module.read_facts(facts)
        except ValueError as error:  # the module's InputError
            self.refuse(row, error)
            return
        beyond = [Problem(row, name, message) for name, value in values.items()
                  if (message := beyond_the_engine(self.kinds.get(name, ""), value))]
        if beyond:
            self.invalid_rows += 1
            self.problems += beyond
            return
        self.accepted.add(row, values, identity)

    def refuse(self, row: int, error: ValueError) -> None:
        self.invalid_rows += 1
        self.problems += [Problem(row, shown(p["field"]), shown(p["message"]))
                          for p in getattr(error, "errors", [])]

    def check_json_line(self, row: int, line: bytes, id_key: str | None) -> None:
        try:
            facts = self.module.parse_facts_json(line)
        except ValueError as error:
            self.refuse(row, error)
            return
        identity = None
        if id_key is not None and isinstance(facts, dict):
            identity = facts.pop(id_key, None)
            if isinstance(identity, str) and not _is_unicode(identity):
                self.invalid_rows += 1
                self.problems.append(Problem(row, id_key, f"the identifier \"{shown(identity)}\" "
                                             "holds a lone surrogate, which is not Unicode text"))
                return
        self.check(row, facts, identity)


INT64 = range(-2 ** 63, 2 ** 63)
EXACT_IN_DOUBLE = 2 ** 53


def beyond_the_engine(kind: str, value: Any) -> str | None:
    """Why a value the evaluator accepts cannot be decided by the SQL engine, or None.

    Python's integers have no bound and its strings may hold lone surrogates; DuckDB computes
    with 64-bit integers and doubles and stores UTF-8. Such a value is refused with its field
    (exit status 4) rather than changed or allowed to stop the whole cohort.
    """
    if kind == "integer" and isinstance(value, int) and value not in INT64:
        return (f"{value} is beyond the 64-bit integers the cohort engine computes with "
                f"(-2^63 to 2^63 - 1); decide this patient with `mmdsl eval`")
    if kind == "decimal" and isinstance(value, int) and abs(value) > EXACT_IN_DOUBLE:
        return (f"{value} is beyond the numbers the cohort engine holds exactly (up to 2^53 in "
                "size); decide this patient with `mmdsl eval`")
    if kind == "text" and isinstance(value, str) and not _is_unicode(value):
        return (f"\"{shown(value)}\" holds a lone surrogate, which is not Unicode text and cannot "
                "be stored; correct the text at its source")
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(text: str) -> str:
    """`text` with lone surrogates written as escapes (`\\ud800`), so that it can be printed and
    written as UTF-8 in the list of invalid rows."""
    return text if _is_unicode(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")


def json_lines(data: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for every line; a last line without its newline counts too."""
    for number, line in enumerate(data, start=1):
        yield number, line.rstrip(b"\r\n")


def facts_from_cells(names: list[str], kinds: Mapping[str, str], cells: tuple[Any, ...],
                     text_cells: bool, parse: Any,
                     unknown: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The facts a row spells: a NULL or empty cell is "not given", or `null` (the unknown value)
    for the inputs in `unknown` (declared `or unknown`); in CSV, cells of types other than text
    and members are read as JSON (`true`, `4`, `["a"]`), or kept as text when they are not JSON
    (the checks then say what was expected and what was given)."""
    facts: dict[str, Any] = {}
    for name, cell in zip(names, cells, strict=True):
        if cell is None:
            if name in unknown:
                facts[name] = None
            continue
        if isinstance(cell, datetime.datetime):  # a TIMESTAMP column: the facts' text (a
            # fraction of a second is refused); a TIMESTAMPTZ, an instant, written in UTC
            cell = (cell if cell.tzinfo is None else cell.astimezone(datetime.UTC)).isoformat()
        elif isinstance(cell, datetime.date | datetime.time):  # a DATE or TIME column: the
            cell = cell.isoformat()  # facts write dates and times of day as text
        # JSON allows white space around a value, a CSV cell does not: `" 5"` is text, not 5
        # (the plain-row check in SQL refuses it too, and both paths must agree)
        if text_cells and kinds[name] not in ("text", "enum", "date", "datetime", "time") \
                and cell == cell.strip():
            with contextlib.suppress(ValueError):
                cell = parse(cell)
        facts[name] = cell
    return facts
