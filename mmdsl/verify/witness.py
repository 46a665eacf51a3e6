"""Turning assignments of BDD variables back into patients and readable regions."""

from __future__ import annotations

import weakref
from typing import Any

from mmdsl import interpreter
from mmdsl.ir import model as ir
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.prelude import validate_facts
from mmdsl.verify.bdd import FALSE
from mmdsl.verify.classes import realised_inputs
from mmdsl.verify.days import clock_cell, day_cell, is_clock, is_day
from mmdsl.verify.encode import OTHER_TEXT, Dimension, Encoder, Unverifiable
from mmdsl.verify.moments import is_moment, is_seconds, moment_cell, seconds_cell

NEAREST_TRIED = 6  # atoms tried per number, nearest to the typical value first


def typical_patient(encoder: Encoder, function: int) -> dict[str, ir.JsonValue]:
    """A patient of `function` (not FALSE, within the domain) whose numbers are, as far as the
    function allows, like those of the guideline's own worked examples: a reviewer reads
    "prior_lines 3" more easily than the smallest value of every range."""
    bdd = encoder.bdd
    if encoder.decimal_classes:  # a witness only where a point reaches the classes it says
        certain = bdd.conjoin(function, encoder.certain)
        if certain == FALSE:
            undecided = next(f.name for f in encoder.decimal_classes.values() if f.unknown)
            raise Unverifiable(undecided, "a computed number for which the analysis could not "
                               "decide, within its budget, which values some patients give it")
        function = certain
    typical: dict[str, ir.JsonValue] = {}
    for dimension, value in _typical_numbers(encoder):
        for atom, nearest in _atoms_nearest(dimension, value, NEAREST_TRIED):
            narrowed = bdd.conjoin(function, bdd.cube(atom))
            if narrowed != FALSE:
                function = narrowed
                if nearest is not None:  # values between two thresholds pass the same tests
                    typical[dimension.input.name] = nearest
                break
    assignment = bdd.one_assignment(function)
    assert assignment is not None
    realised = {n for f in encoder.decimal_classes.values() for n in f.inputs}
    facts = witness_facts(encoder, assignment)
    return {**facts, **{n: v for n, v in typical.items()  # not where the witness is null
                        if n not in realised and facts.get(n) is not None}}


_TYPICAL: weakref.WeakKeyDictionary[Encoder, list[tuple[Dimension, float]]] = weakref.WeakKeyDictionary()


def _typical_numbers(encoder: Encoder) -> list[tuple[Dimension, float]]:
    """For each number with thresholds, the median of the values the worked examples give it
    (once per encoder: every witness of every table asks)."""
    if encoder not in _TYPICAL:
        _TYPICAL[encoder] = _medians(encoder)
    return _TYPICAL[encoder]


def _medians(encoder: Encoder) -> list[tuple[Dimension, float]]:
    found = []
    for name, dimension in encoder.dimensions.items():
        values = sorted(float(v) for example in encoder.guideline.examples
                        if isinstance(v := example.facts.get(name), int | float) and not isinstance(v, bool))
        if values and dimension.thresholds:
            found.append((dimension, values[(len(values) - 1) // 2]))
    return found


def _atoms_nearest(dimension: Dimension, value: float,
                   count: int) -> list[tuple[dict[int, bool], ir.JsonValue]]:
    """The `count` intervals between neighbouring thresholds nearest to `value`, nearest first,
    as cubes over the thresholds; with each, its value nearest to `value` when that is easy to
    name (`value` itself, or the top of an interval of whole numbers below it), else None (the
    smallest)."""
    chain = dimension.thresholds
    keys = [key for key, _ in chain]
    home = sum(value > t or (value == t and not strict) for t, strict in keys)  # thresholds met
    order = sorted(range(len(chain) + 1), key=lambda i: (abs(i - home), i))[:count]
    whole = dimension.kind == "integer"
    atoms: list[tuple[dict[int, bool], ir.JsonValue]] = []
    for i in order:
        cube = {var: position < i for position, (_, var) in enumerate(chain)}
        if i == home:
            atoms.append((cube, int(value) if whole else value))
        else:
            atoms.append((cube, int(keys[i][0]) - 1 if whole and i < home else None))
    return atoms


def witness_facts(encoder: Encoder, assignment: dict[int, bool]) -> dict[str, ir.JsonValue]:
    """A concrete patient, as facts valid for `mmdsl eval`, inside the given assignment.

    Free variables are false, which the domain allows: the assignment is a path to TRUE of a
    function that includes the domain, so every completion of it satisfies the domain.
    """
    facts = {name: _value(d, assignment) for name, d in encoder.dimensions.items()}
    if encoder.decimal_classes:
        realised = realised_inputs(encoder, assignment)
        if realised is None:
            undecided = next(iter(encoder.decimal_classes))
            raise Unverifiable(undecided, "a computed number for which the analysis found no "
                               "patient with the values it needs")
        facts.update({name: float(value) for name, value in realised.items()})
    return encoder.time.concrete(facts)  # the dates behind each duration


def matching_rules(guideline: ir.IRGuideline, table: ir.IRTable,
                   facts: dict[str, ir.JsonValue]) -> list[bool] | None:
    """Which rules of a table the reference interpreter finds a patient matches (None: the
    patient is outside the scope): a finding's witness is checked with it."""
    values: dict[str, Any] = validate_facts(facts, input_fields(guideline.inputs))
    interpreter.derive(guideline, values)
    if guideline.scope is not None and not interpreter.holds(guideline.scope.condition, values):
        return None
    if any(interpreter.holds(i.condition, values) for i in guideline.impossible):
        return None
    for earlier in guideline.tables:  # the results a table's cells may read
        if earlier.name == table.name:
            break
        outcomes = interpreter.Outcomes()
        outcomes.add(earlier, interpreter.judge(earlier, values), [])
        interpreter.publish(earlier, outcomes.results[earlier.name], values)
    return [all(interpreter.holds(t, values) for t in rule.tests) for rule in table.rules]


def _value(dimension: Dimension, assignment: dict[int, bool]) -> ir.JsonValue:
    if dimension.known is not None and not assignment.get(dimension.known, False):
        return None  # declared `or unknown`, and unknown: null
    kind = dimension.kind
    if kind == "bool":
        return assignment.get(dimension.flag, False) if dimension.flag is not None else False
    if kind == "set":
        return [m for m, v in dimension.members.items() if assignment.get(v, False)]
    if kind in ("enum", "text"):
        chosen = next((m for m, v in dimension.members.items() if assignment.get(v, False)),
                      next(iter(dimension.members)))
        return _unused_text(dimension) if chosen == OTHER_TEXT else chosen
    if kind == "date":  # a date no condition reads: any day will do
        return "2000-01-01"
    if kind == "datetime":  # a date and time no condition reads (or one not analysed)
        return "2000-01-01T00:00"
    return _number(dimension, assignment)


def _unused_text(dimension: Dimension) -> str:
    candidate = "other"
    while candidate in dimension.members:
        candidate += "_"
    return candidate


def _number(dimension: Dimension, assignment: dict[int, bool]) -> int | float:
    """The smallest allowed value (or a value just inside) of the interval the thresholds leave."""
    value_type = dimension.input.type
    lower = [key for key, v in dimension.thresholds if assignment.get(v, False)]
    upper = [key for key, v in dimension.thresholds if not assignment.get(v, False)]
    low = max(lower) if lower else None
    high = min(upper) if upper else None
    if value_type.kind == "integer":
        start = int(low[0]) if low else (int(value_type.low) if value_type.low is not None else 0)
        return start
    return _decimal_inside(low, high, value_type)


def _decimal_inside(low: tuple[float, bool] | None, high: tuple[float, bool] | None,
                    value_type: ir.IRType) -> float:
    floor = low[0] if low else (float(value_type.low) if value_type.low is not None else None)
    ceiling = high[0] if high else (float(value_type.high) if value_type.high is not None else None)
    if low is None or not low[1]:
        return floor if floor is not None else (ceiling - 1 if ceiling is not None else 0.0)
    if ceiling is None:
        return floor + 1 if floor is not None else 0.0
    return ceiling if high is not None and high[1] else (floor + ceiling) / 2  # type: ignore[operator]


# ---- regions in words ----------------------------------------------------------------------------


def describe_region(encoder: Encoder, cube: dict[int, bool]) -> str:
    """A region of patients in words: `prior_lines 0-3, t11_14 no, refractory has bortezomib`."""
    # What the scope already says of every patient (the disease is refractory to daratumumab)
    # would repeat in every region: leave it out.
    cube = {v: b for v, b in cube.items() if encoder.fixed_by_scope.get(v) is not b}
    parts = [text for d in encoder.dimensions.values() if (text := describe_dimension(d, cube))]
    return ", ".join(parts) if parts else "every patient"


def describe_dimension(dimension: Dimension, cube: dict[int, bool], known: bool = False) -> str:
    """An input's part of a region; `known`: every patient in scope has it known."""
    name = dimension.input.name
    if dimension.known is not None and cube.get(dimension.known) is False:
        return f"{name} unknown"
    value = _describe_value(dimension, {v: b for v, b in cube.items() if v != dimension.known})
    if dimension.known is not None and cube.get(dimension.known) is True:
        return value or f"{name} not unknown"
    if value and not known and may_be_null(dimension, cube):  # an unknown value has its variables all false
        return f"{value} or unknown"
    return value


def may_be_null(dimension: Dimension, cube: dict[int, bool]) -> bool:
    """Does a cube that does not say whether an input that may be unknown is known hold for it
    unknown (null)? Yes when the cube asks none of its value's variables to be true."""
    return dimension.known is not None and dimension.known not in cube \
        and not any(cube.get(v) for v in dimension.values())


def _describe_value(dimension: Dimension, cube: dict[int, bool]) -> str:
    name = dimension.input.name
    kind = dimension.kind
    if kind == "bool":
        if dimension.flag is None or dimension.flag not in cube:
            return ""
        return f"{name} {'yes' if cube[dimension.flag] else 'no'}"
    if kind == "set":
        return _describe_set(name, dimension, cube)
    if kind in ("enum", "text"):
        return _describe_member(name, dimension, cube)
    return _describe_interval(name, dimension, cube)


def _describe_set(name: str, dimension: Dimension, cube: dict[int, bool]) -> str:
    has = [m for m, v in dimension.members.items() if cube.get(v) is True]
    lacks = [m for m, v in dimension.members.items() if cube.get(v) is False]
    if has and lacks:
        return f"{name} has {', '.join(has)} but none of {', '.join(lacks)}"
    if has:
        return f"{name} has {', '.join(has)}"
    return f"{name} has none of {', '.join(lacks)}" if lacks else ""


def _describe_member(name: str, dimension: Dimension, cube: dict[int, bool]) -> str:
    shown = {m: ("another value" if m == OTHER_TEXT else m) for m in dimension.members}
    chosen = [shown[m] for m, v in dimension.members.items() if cube.get(v) is True]
    if chosen:
        return f"{name} {chosen[0]}"
    excluded = [shown[m] for m, v in dimension.members.items() if cube.get(v) is False]
    return f"{name} not {', '.join(excluded)}" if excluded else ""


def _describe_interval(name: str, dimension: Dimension, cube: dict[int, bool]) -> str:
    lower = [key for key, v in dimension.thresholds if cube.get(v) is True]
    upper = [key for key, v in dimension.thresholds if cube.get(v) is False]
    if not lower and not upper:
        return ""
    value_type = dimension.input.type
    if is_day(value_type):  # a date, read as its day number (verify/days.py)
        days = day_cell(int(max(lower)[0]) if lower else None,
                        int(min(upper)[0]) - 1 if upper else None)
        return f"{name} {days}"
    if is_clock(value_type):  # a time of day, read as its seconds (verify/days.py)
        clocks = clock_cell(int(max(lower)[0]) if lower else None,
                            int(min(upper)[0]) - 1 if upper else None)
        return f"{name} {clocks}"
    if is_moment(value_type) or is_seconds(value_type):  # dates and times (verify/moments.py)
        cell = moment_cell if is_moment(value_type) else seconds_cell
        return f"{name} {cell(int(max(lower)[0]) if lower else None, int(min(upper)[0]) if upper else None)}"
    if value_type.kind == "integer":
        low = int(max(lower)[0]) if lower else value_type.low
        high = int(min(upper)[0]) - 1 if upper else value_type.high
        return f"{name} {_integer_range(low, high)}"
    return f"{name} {_decimal_range(max(lower) if lower else None, min(upper) if upper else None)}"


def _integer_range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low}" if low == high else f"{low}-{high}"
    return f">= {low}" if low is not None else f"<= {high}"


def _decimal_range(low: tuple[float, bool] | None, high: tuple[float, bool] | None) -> str:
    if low is not None and high is not None and low == (high[0], False) and high[1]:
        return f"{low[0]:g}"  # at least v and at most v: exactly the boundary both sides leave out
    parts = []
    if low is not None:
        parts.append(f"> {low[0]:g}" if low[1] else f">= {low[0]:g}")
    if high is not None:
        parts.append(f"<= {high[0]:g}" if high[1] else f"< {high[0]:g}")
    return " and ".join(parts)
