"""Gaps seen through a table's own columns.

A gap found over the raw inputs speaks of drugs and counts; the committee wrote the table in terms
of its columns (derived facts such as "triple-class refractory"). Here each column that is not an
input becomes an atom, a new variable tied to the condition it stands for; the inputs that no
column shows are projected away. Regions are then cubes over the columns, in the table's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from mmdsl.ir import model as ir
from mmdsl.verify.bdd import FALSE
from mmdsl.verify.encode import Dimension, Encoder
from mmdsl.verify.witness import describe_dimension, typical_patient

MAX_COMPARED_REGIONS = 64


@dataclass(frozen=True)
class Atom:
    var: int
    column: int
    label: str  # the fact's name, or "column `cell`" for a cell's test
    is_fact: bool
    cell: str = ""
    test: ir.Cond | None = None  # the cell's test, for the cells of a set
    kleene: str = ""  # a fact that may be unknown: "yes" (it is yes) or "no" (it is no) atom

    def words(self, value: bool) -> str:
        """The atom holding (or not) in the table's words: `refractory has any of (selinexor)`."""
        if self.kleene:  # neither yes nor no is unknown (ColumnView.describe says so)
            return f"{self.label} {'' if value else 'not '}{self.kleene}"
        if isinstance(self.test, ir.SetTest):
            column = self.label.rsplit(" `", 1)[0]
            return f"{column} {self.cell if value else _negated(self.test)}"
        return f"{self.label} {'yes' if value else 'no'}"


def _negated(test: ir.SetTest) -> str:
    """The opposite of a set test, in the words of a cell."""
    members = ", ".join(test.members)
    if test.quantifier == "none":
        return f"has {members}" if len(test.members) == 1 else f"has any of ({members})"
    if test.quantifier == "all" and len(test.members) > 1:
        return f"lacks one of ({members})"
    return f"none of ({members})"


class ColumnView:
    """One table's columns as variables: atoms for facts and results, the inputs themselves."""

    def __init__(self, encoder: Encoder, table: ir.IRTable) -> None:
        self.encoder = encoder
        self.bdd = encoder.bdd
        self.table = encoder.time.table(table)  # durations as the encoder reads them
        self.atoms: list[Atom] = []
        self._gap_patients: tuple[int, int] | None = None
        self.visible: dict[int, Dimension] = {}  # column index -> input dimension
        links = [self._column(index, column) for index, column in enumerate(table.columns)]
        self.links = self.bdd.all_of([link for group in links for link in group])
        shown = {v for d in self.visible.values() for v in d.variables()}
        self.hidden = {v for v in range(encoder.input_variable_count) if v not in shown}

    def _column(self, index: int, column: ir.IRColumn) -> list[int]:
        dimension = self.encoder.dimensions.get(column.ref)
        if column.ref in self.encoder.decimal_classes:  # a decimal fact: its classes, as an input's
            dimension = self.encoder.decimal_classes[column.ref].dimension
        if dimension is not None and dimension.kind != "set":  # sets: one atom per test below
            self.visible[index] = dimension
            return []
        fact = next((f for f in self.encoder.guideline.facts if f.name == column.ref), None)
        if fact is not None and fact.false_when is not None:  # yes, no, or neither: unknown
            return [self._atom(index, column.label, self.encoder.fact(column.ref), True,
                               test=ir.OneOf(column.ref, (True,)), kleene="yes"),
                    self._atom(index, column.label, self.encoder.fact_false(column.ref), True,
                               test=ir.OneOf(column.ref, (False,)), kleene="no")]
        if fact is not None:
            return [self._atom(index, column.label, self.encoder.fact(column.ref), True)]
        tests = {rule.cells[index]: rule.tests[index] for rule in self.table.rules
                 if not isinstance(rule.tests[index], ir.Always)}
        return [self._atom(index, f"{column.label} `{cell}`", self.encoder.condition(test), False, cell,
                           test) for cell, test in tests.items()]

    def _atom(self, column: int, label: str, meaning: int, is_fact: bool, cell: str = "",
              test: ir.Cond | None = None, kleene: str = "") -> int:
        """A new variable that equals `meaning`; returns the constraint that ties them."""
        var = self.encoder.new_free_variable()
        self.atoms.append(Atom(var, column, label, is_fact, cell, test, kleene))
        atom = self.bdd.variable(var)
        both = self.bdd.conjoin(atom, meaning)
        neither = self.bdd.conjoin(self.bdd.negate(atom), self.bdd.negate(meaning))
        return self.bdd.disjoin(both, neither)

    # ---- regions ----------------------------------------------------------------------------------

    def regions(self, uncovered: int, limit: int) -> list[dict[int, bool]]:
        """Few, large regions over the columns that together hold every uncovered patient in scope.

        Each region is grown from one uncovered combination of column values by dropping every
        condition it can do without while it still holds uncovered (or impossible) combinations
        only; then the next region starts from what is not yet covered. Regions may overlap.
        """
        bdd = self.bdd
        in_scope = self.encoder.in_scope
        gap = bdd.exists(bdd.all_of([self.links, uncovered, in_scope]), self.hidden)
        possible = bdd.exists(bdd.conjoin(self.links, in_scope), self.hidden)
        allowed = bdd.disjoin(gap, bdd.negate(possible))
        regions: list[dict[int, bool]] = []
        remaining = gap
        while remaining != FALSE and len(regions) < limit:
            start = bdd.one_assignment(remaining)
            assert start is not None
            region = self._grown(self._bounds_only(start), allowed)
            regions.append(region)
            remaining = bdd.conjoin(remaining, bdd.negate(self.cube_function(region)))
        return self._largest_first(self._without_contained(regions), uncovered)

    def _without_contained(self, regions: list[dict[int, bool]]) -> list[dict[int, bool]]:
        """The regions less those inside another (a later region may grow over an earlier one).
        Pair by pair, so only for a readable number of regions; beyond it they are counted as
        found (a table with hundreds of gaps has bigger problems than a region counted twice)."""
        if len(regions) > MAX_COMPARED_REGIONS:
            return regions
        functions = [self.cube_function(region) for region in regions]
        patients = [self.bdd.conjoin(f, self.encoder.in_scope) for f in functions]
        kept = []
        for index, mine in enumerate(patients):
            inside = any(self.bdd.implies(mine, other) and (mine != theirs or later < index)
                         for later, (other, theirs) in enumerate(zip(functions, patients, strict=True))
                         if later != index)
            if not inside:
                kept.append(regions[index])
        return kept

    def _largest_first(self, regions: list[dict[int, bool]], uncovered: int) -> list[dict[int, bool]]:
        """The regions holding the most uncovered cases first (cases: combinations of the values
        the tables tell apart), so that the few shown are the ones that matter most."""
        size = {index: self.bdd.count(self.patients(region, uncovered), self.encoder.variable_count)
                for index, region in enumerate(regions)}
        return [regions[i] for i in sorted(size, key=lambda i: (-size[i], i))]

    def _bounds_only(self, cube: dict[int, bool]) -> dict[int, bool]:
        """The cube with each number's thresholds reduced to the two that bound it (the others
        follow from the order of thresholds, which the domain holds)."""
        complete = self.encoder.with_implied_thresholds(cube)
        kept = dict(complete)
        for dimension in self.encoder.dimensions.values():
            chain = [v for _, v in dimension.thresholds]
            above = [v for v in chain if complete.get(v) is True]
            below = [v for v in chain if complete.get(v) is False]
            for var in above[:-1] + below[1:]:
                del kept[var]
        return kept

    def _grown(self, cube: dict[int, bool], allowed: int) -> dict[int, bool]:
        """The cube with every condition dropped that `allowed` does not need, and each bound of a
        number moved as far out as `allowed` lets it (a prime implicant)."""
        grown = dict(cube)
        for var in sorted(cube, reverse=True):  # the table's later columns go first
            trial = {v: b for v, b in grown.items() if v != var}
            if self.bdd.implies(self.cube_function(trial), allowed):
                grown = trial
                continue
            outward = self._outward(var, grown[var])
            # the regions only grow as the bound moves out: find the farthest allowed one by halving
            low, high = 0, len(outward)
            while low < high:
                middle = (low + high + 1) // 2
                if self.bdd.implies(self.cube_function({**trial, outward[middle - 1]: grown[var]}), allowed):
                    low = middle
                else:
                    high = middle - 1
            if low:
                grown = {**trial, outward[low - 1]: grown[var]}
        return grown

    def _outward(self, var: int, value: bool) -> list[int]:
        """The weaker bounds of the same number, nearest first: for `x >= 40`, `x >= 30`, ..."""
        dimension = self.encoder.owner.get(var)
        chain = [v for _, v in dimension.thresholds] if dimension is not None else []
        if var not in chain:
            return []
        at = chain.index(var)
        return chain[:at][::-1] if value else chain[at + 1:]

    def patients(self, cube: dict[int, bool], uncovered: int) -> int:
        """The uncovered patients in scope that a region stands for."""
        if self._gap_patients is None or self._gap_patients[0] != uncovered:
            every = self.bdd.all_of([self.links, uncovered, self.encoder.in_scope])
            self._gap_patients = (uncovered, every)
        return self.bdd.conjoin(self.cube_function(cube), self._gap_patients[1])

    def witness(self, cube: dict[int, bool], uncovered: int) -> dict[str, ir.JsonValue]:
        return typical_patient(self.encoder, self.patients(cube, uncovered))

    def cube_function(self, cube: dict[int, bool]) -> int:
        return self.bdd.cube(cube)

    def describe(self, cube: dict[int, bool], uncovered: int | None = None) -> str:
        """A region in the table's words: `triple_class_refractory no, prior_lines 0-3`; a column
        that reads a score by the score's values in the region: `cha2ds2_vasc 1`."""
        fixed = self.encoder.fixed_by_scope
        parts: list[str] = []
        for index, column in enumerate(self.table.columns):
            number = self._number_table(column)
            if number is not None and uncovered is not None:
                parts.append(f"{column.label} {self._values_in(number, cube, uncovered)}")
                continue
            words = [a.words(cube[a.var]) for a in self.atoms if a.column == index and a.var in cube]
            if len(words) == 2 and all(a.kleene for a in self.atoms if a.column == index) \
                    and all(" not " in w for w in words):
                words = [f"{column.label} unknown"]  # neither yes nor no
            parts += words
            if index in self.visible:
                visible = {v: b for v, b in cube.items() if fixed.get(v) is not b}
                known = self.visible[index].known  # known by the scope: no "or unknown"
                by_scope = known is not None and fixed.get(known) is True
                text = describe_dimension(self.visible[index], visible, by_scope)
                if self.unknown_duration(column.ref, self.visible[index], cube):
                    text = f"{column.label} unknown"  # rather than the atoms it is not
                parts += [text] if text else []
        return ", ".join(parts) if parts else "every patient in scope"

    def unknown_duration(self, ref: str, dimension: Dimension, cube: dict[int, bool]) -> bool:
        """Whether a region leaves a duration (verify/time.py) only its unknown atoms."""
        if ref not in self.encoder.time.known:
            return False
        own = {v: b for v, b in cube.items() if v in dimension.variables()}
        known = self.encoder.condition(self.encoder.time.condition(ir.IsSet(ref)))
        region = self.bdd.conjoin(self.bdd.cube(own), self.encoder.domain)
        return self.bdd.implies(region, self.bdd.negate(known))

    def _number_table(self, column: ir.IRColumn) -> ir.IRTable | None:
        return next((t for t in self.encoder.guideline.tables
                     if t.name == column.ref and t.result_kind == "number"), None)

    def _values_in(self, table: ir.IRTable, cube: dict[int, bool], uncovered: int) -> str:
        """The values the score takes for the patients of a region: `1`, `1, 3`, `no value`."""
        region = self.patients(cube, uncovered)
        found = [value for value, patients in self.encoder.numbers(table).items()
                 if self.bdd.intersects(patients, region)]
        numbers = sorted(float(v) for v in found if isinstance(v, int | float))
        words = [f"{v:g}" for v in numbers] + (["no value"] if None in found else [])
        return ", ".join(words)

    def _number_cell(self, table: ir.IRTable, region: int) -> str:
        """A cell for the values a score takes in a region: `1`, or a run of whole numbers `1..3`."""
        found = [value for value, patients in self.encoder.numbers(table).items()
                 if self.bdd.intersects(patients, region)]
        numbers = sorted(float(v) for v in found if isinstance(v, int | float))
        if len(numbers) != len(found) or not found:  # no value for some: no cell says "missing"
            return "-"
        if len(numbers) == 1:
            return f"{float(numbers[0]):g}"
        whole = all(v.is_integer() for v in numbers)
        if whole and numbers == [float(n) for n in range(int(numbers[0]), int(numbers[-1]) + 1)]:
            return f"{numbers[0]:g}..{numbers[-1]:g}"
        return "-"

    def suggested_row(self, cube: dict[int, bool], uncovered: int) -> str:
        """A row whose cells hold for every patient of the region: adding it closes the gap."""
        region = self.patients(cube, uncovered)
        cells = [self._cell(index, column, region) for index, column in enumerate(self.table.columns)]
        outputs = ["?" for _ in self.table.outputs]
        return "| " + " | ".join(cells) + " || " + " | ".join(outputs) + " |"

    def _cell(self, index: int, column: ir.IRColumn, region: int) -> str:
        number = self._number_table(column)
        if number is not None:
            return self._number_cell(number, region)
        tests = [a for a in self.atoms if a.column == index and not a.is_fact]
        if not tests:
            return self.encoder.cell_for_region(column, region)
        holding = [a.cell for a in tests if self.bdd.implies(region, self.bdd.variable(a.var))]
        return holding[0] if holding else "-"


def is_empty(bdd_function: int) -> bool:
    return bdd_function == FALSE
