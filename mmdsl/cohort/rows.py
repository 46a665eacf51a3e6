"""Rows checked by the evaluator's own validation: the rows SQL did not find plain, and JSON Lines.

The checks are those of the module the Python back end generates for the guideline (its
`read_facts`, which gives the values of `validate_facts` in the prelude), so a row is accepted or
refused here exactly as `mmdsl eval` and the generated module would, with the same messages.
Accepted rows come back as columns of typed values, ready to join the plain rows.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

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
    """Rows that passed the checks, as columns: row numbers, each input's values (a set as its
    bit mask, as the decision query reads it: bit i for the i-th member), the ids."""

    rows: list[int] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=dict)
    ids: list[Any] = field(default_factory=list)
    bits: dict[str, dict[str, int]] = field(default_factory=dict)  # set input -> member -> bit

    def add(self, row: int, values: dict[str, Any], identity: Any = None) -> None:
        self.rows.append(row)
        for name, column in self.values.items():
            value = values[name]
            if isinstance(value, frozenset):
                bits = self.bits[name]
                value = sum(bits[member] for member in value)
            column.append(value)
        self.ids.append(identity)


def evaluator(guideline: ir.IRGuideline) -> types.ModuleType:
    """The generated module of the guideline, compiled in memory."""
    from mmdsl.backends.python import render_module

    module = types.ModuleType(f"mmdsl_cohort_{guideline.name}")
    exec(compile(render_module(guideline), f"<mmdsl {guideline.name}>", "exec"), module.__dict__)
    return module


class RowChecker:
    """Checks facts one row at a time, collecting accepted values and problems."""

    def __init__(self, guideline: ir.IRGuideline, module: types.ModuleType) -> None:
        self.module = module
        self.names = [item.name for item in guideline.inputs]
        self.accepted = Accepted(values={name: [] for name in self.names}, bits={
            item.name: {member: 1 << i for i, member in enumerate(item.type.members)}
            for item in guideline.inputs if item.type.kind == "set"})
        self.problems: list[Problem] = []
        self.invalid_rows = 0

    def check(self, row: int, facts: object, identity: Any = None) -> None:
        try:
            values = self.module.read_facts(facts)
        except ValueError as error:  # the module's InputError
            self.invalid_rows += 1
            self.problems += [Problem(row, p["field"], p["message"])
                              for p in getattr(error, "errors", [])]
            return
        self.accepted.add(row, values, identity)

    def check_json_line(self, row: int, line: bytes, id_key: str | None) -> None:
        try:
            facts = self.module.parse_facts_json(line)
        except ValueError as error:
            self.invalid_rows += 1
            self.problems += [Problem(row, p["field"], p["message"])
                              for p in getattr(error, "errors", [])]
            return
        identity = None
        if id_key is not None and isinstance(facts, dict):
            identity = facts.pop(id_key, None)
        self.check(row, facts, identity)


def json_lines(data: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for every line; a last line without its newline counts too."""
    for number, line in enumerate(data, start=1):
        yield number, line.rstrip(b"\r\n")


def facts_from_cells(names: list[str], kinds: Mapping[str, str], cells: tuple[Any, ...],
                     text_cells: bool, parse: Any) -> dict[str, Any]:
    """The facts a row spells: a NULL or empty cell is "not given"; in CSV, cells of types other
    than text and members are read as JSON (`true`, `4`, `["a"]`), or kept as text when they
    are not JSON (the checks then say what was expected and what was given)."""
    facts: dict[str, Any] = {}
    for name, cell in zip(names, cells, strict=True):
        if cell is None:
            continue
        if text_cells and kinds[name] not in ("text", "enum"):
            with contextlib.suppress(ValueError):
                cell = parse(cell)
        facts[name] = cell
    return facts
