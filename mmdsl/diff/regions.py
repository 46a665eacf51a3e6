"""A set of patients as a few regions (cubes over the inputs' variables) that a reader can take in."""

from __future__ import annotations

from dataclasses import replace

from mmdsl.ir import model as ir
from mmdsl.verify.bdd import FALSE
from mmdsl.verify.columns import ColumnView
from mmdsl.verify.encode import OTHER_TEXT, Encoder


def grow_regions(encoder: Encoder, patients: int, limit: int) -> list[dict[int, bool]]:
    """At most `limit` regions that together hold every valid patient of `patients` and nothing
    else (impossible patients aside). Each starts from one patient not yet held and drops every
    condition it can do without; regions may overlap."""
    bdd = encoder.bdd
    remaining = bdd.conjoin(patients, encoder.domain)
    allowed = bdd.disjoin(patients, bdd.negate(encoder.domain))
    regions: list[dict[int, bool]] = []
    while remaining != FALSE and len(regions) < limit:
        start = bdd.one_assignment(remaining)
        assert start is not None
        region = _grown(encoder, start, allowed)
        regions.append(region)
        remaining = bdd.conjoin(remaining, bdd.negate(bdd.cube(region)))
    return regions


def _grown(encoder: Encoder, cube: dict[int, bool], allowed: int) -> dict[int, bool]:
    bdd = encoder.bdd
    grown = encoder.with_implied_thresholds(cube)
    for var in sorted(grown):
        smaller = {v: b for v, b in grown.items() if v != var}
        if bdd.implies(bdd.cube(smaller), allowed):
            grown = smaller
    return grown


def patient_assignment(encoder: Encoder, patient: dict[str, object]) -> dict[int, bool]:
    """The value of every input variable for a concrete patient (its facts as JSON values)."""
    assignment: dict[int, bool] = {}
    for name, dimension in encoder.dimensions.items():
        value = patient.get(name)
        if dimension.flag is not None:
            assignment[dimension.flag] = bool(value)
        for member, var in dimension.members.items():
            chosen = set(value) if isinstance(value, list) else {value}
            unnamed = member == OTHER_TEXT and not chosen & set(dimension.members)
            assignment[var] = member in chosen or unnamed
        for (threshold, strict), var in dimension.thresholds:
            number = float(value)  # type: ignore[arg-type]
            assignment[var] = number > threshold if strict else number >= threshold
    return assignment


def table_regions(encoder: Encoder, old: ir.IRTable | None, new: ir.IRTable | None, patients: int,
                  limit: int) -> list[str] | None:
    """The patients of a change to one table's result in that table's words (its columns: derived
    facts such as "triple-class refractory", cells of sets), over the columns of both versions of
    the table; None when the change cannot be said exactly in those words (it depends on
    something else, such as the scope), so that the caller falls back to the inputs' words."""
    found = table_cubes(encoder, old, new, patients, limit)
    if found is None:
        return None
    view, cubes = found
    return [view.describe(cube) for cube in cubes]


def table_cubes(encoder: Encoder, old: ir.IRTable | None, new: ir.IRTable | None, patients: int,
                limit: int) -> tuple[ColumnView, list[dict[int, bool]]] | None:
    """The regions of `table_regions` as cubes over the columns of both versions of the table
    (the view tells what each variable is), or None when they do not say the change exactly."""
    table = _both_versions(encoder, old, new)
    if table is None:
        return None
    view = ColumnView(encoder, table)
    bdd = encoder.bdd
    cubes = view.regions(patients, limit)
    within = bdd.conjoin(view.links, encoder.in_scope)
    shown = bdd.any_of([bdd.cube(c) for c in cubes])
    exact = all(bdd.implies(bdd.conjoin(within, bdd.cube(c)), patients) for c in cubes)
    if not exact or not bdd.implies(bdd.conjoin(patients, within), shown):
        return None
    return view, cubes


def _both_versions(encoder: Encoder, old: ir.IRTable | None, new: ir.IRTable | None) -> ir.IRTable | None:
    """One table with the columns of both versions of a table and the rules of both: a column
    both versions read alike (an input, or a fact that means the same in both) appears once; a
    fact whose meaning changed appears twice, the old one labelled so."""
    tables = [t for t in (new, old) if t is not None]
    if not tables:
        return None
    columns: list[ir.IRColumn] = []
    position: dict[tuple[int, int], int] = {}  # (which table, its column) -> column of the union
    for which, table in enumerate(tables):
        for index, column in enumerate(table.columns):
            same = next((i for i, c in enumerate(columns) if _alike(encoder, c, column)), None)
            if same is None:
                label = column.label if which == 0 or len(tables) == 1 else _old_label(columns, column)
                columns.append(replace(column, label=label))
                same = len(columns) - 1
            position[(which, index)] = same
    rules = [_spread(rule, which, position, len(columns)) for which, table in enumerate(tables)
             for rule in table.rules]
    changed = {c.label.removesuffix(" (before)") for c in columns if c.label.endswith(" (before)")}
    columns = [replace(c, label=f"{c.label} (now)") if c.label in changed else c for c in columns]
    return replace(tables[0], columns=tuple(columns), rules=tuple(rules))


def _alike(encoder: Encoder, mine: ir.IRColumn, other: ir.IRColumn) -> bool:
    if mine.ref == other.ref:
        return True
    if mine.label != other.label:
        return False
    try:
        return encoder.fact(mine.ref) == encoder.fact(other.ref)  # one BDD node: one meaning
    except KeyError:
        return False


def _old_label(columns: list[ir.IRColumn], column: ir.IRColumn) -> str:
    return f"{column.label} (before)" if any(c.label == column.label for c in columns) else column.label


def _spread(rule: ir.IRRule, which: int, position: dict[tuple[int, int], int], width: int) -> ir.IRRule:
    tests: list[ir.Cond] = [ir.Always()] * width
    cells = ["-"] * width
    for (table, index), at in position.items():
        if table == which:
            tests[at], cells[at] = rule.tests[index], rule.cells[index]
    return replace(rule, tests=tuple(tests), cells=tuple(cells))


def input_condition(encoder: Encoder, cube: dict[int, bool]) -> ir.Cond | None:
    """A region over the inputs' variables as a condition on the inputs, for putting it in the
    guideline's own words; None where a variable has no such condition (then the region is shown
    as `describe_region` words it). What the scope says of every patient is left out."""
    held = {v: b for v, b in cube.items() if encoder.fixed_by_scope.get(v) is not b}
    parts: list[ir.Cond] = []
    for dimension in encoder.dimensions.values():
        name, kind = dimension.input.name, dimension.kind
        if kind == "bool":
            if dimension.flag in held:
                parts.append(ir.OneOf(name, (held[dimension.flag],)))
        elif kind in ("enum", "text", "set"):
            for member, var in dimension.members.items():
                if var not in held:
                    continue
                if member == OTHER_TEXT:
                    return None
                test: ir.Cond = ir.SetTest(name, "any", (member,)) if kind == "set" \
                    else ir.OneOf(name, (member,))
                parts.append(test if held[var] else ir.Not(test))
        elif kind in ("integer", "decimal"):
            parts += [_threshold(name, kind, key, held[var])
                      for key, var in dimension.thresholds if var in held]
        elif any(var in held for var in dimension.variables()):
            return None  # a kind of value this wording does not know
    return ir.AllOf(tuple(parts))


def _threshold(name: str, kind: str, key: tuple[float, bool], above: bool) -> ir.Compare:
    """A threshold variable as a comparison: the value is at least `key` (above it when strict)."""
    value: int | float = int(key[0]) if kind == "integer" and float(key[0]).is_integer() else key[0]
    if above:
        return ir.Compare(name, ">" if key[1] else ">=", value)
    return ir.Compare(name, "<=" if key[1] else "<", value)
