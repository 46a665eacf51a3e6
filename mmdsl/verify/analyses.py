"""The analyses of one table: each returns findings with the rules involved and witness patients.

All work within the in-scope domain: patients whose facts are valid (the domain of the encoding)
and inside the guideline's scope. Findings are plain data; verify/report.py turns them into
diagnostics with positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from mmdsl.ir import model as ir
from mmdsl.verify.bdd import FALSE, TRUE
from mmdsl.verify.boxes import Boxes
from mmdsl.verify.columns import ColumnView
from mmdsl.verify.encode import Encoder, rank
from mmdsl.verify.witness import typical_patient

MAX_REGIONS = 8  # gap regions listed per table; the total is reported too
MAX_COUNTED_REGIONS = 1000
FEW_COVERING = 16  # covering rules made fewest one deletion at a time: each deletion is a walk


@dataclass(frozen=True)
class Finding:
    kind: str  # dead, unreachable, overlap, gap, redundant
    table: str
    rules: tuple[int, ...]  # 0-based indexes of the rules concerned (the subject first)
    others: tuple[int, ...] = ()  # covering or overlapping rules
    witness: dict[str, ir.JsonValue] | None = None
    regions: tuple[str, ...] = ()
    region_total: int = 0
    suggestions: tuple[str, ...] = ()
    cells: tuple[int, ...] = ()  # for a dead rule: the columns whose cells contradict
    extra: dict[str, object] = field(default_factory=dict)


class TableAnalysis:
    """Everything the analyses need about one table, computed once.

    The questions about many rules at once (which rules ever decide, which overlap, where no rule
    applies) are answered on boxes (verify/boxes.py); BDDs of whole rules are built only for the
    few findings that need a witness or a smallest set of cells.
    """

    def __init__(self, encoder: Encoder, table: ir.IRTable, in_scope: int) -> None:
        self.encoder = encoder
        self.bdd = encoder.bdd
        table = encoder.time.table(table)  # durations as the encoder reads them (verify/time.py)
        self.table = table
        self.in_scope = in_scope  # domain and scope
        self.boxes = Boxes(encoder, table, in_scope)
        self.live = [self.boxes.is_live(i) for i in range(len(table.rules))]
        self.live_rules = [i for i, live in enumerate(self.live) if live]
        self._axis_of = {axis.column: k for k, axis in enumerate(self.boxes.axes)}
        self._cell_meanings: dict[ir.Cond, object] = {}

    def witness(self, function: int) -> dict[str, ir.JsonValue]:
        return typical_patient(self.encoder, self.bdd.conjoin(function, self.in_scope))

    # ---- dead and unreachable rules ---------------------------------------------------------------

    def dead_rules(self) -> Iterator[Finding]:
        for index, live in enumerate(self.live):
            if not live:
                yield Finding("dead", self.table.name, (index,), cells=self._contradicting_cells(index))

    def _contradicting_cells(self, index: int) -> tuple[int, ...]:
        """A smallest set of the rule's cells that together can never hold (greedy deletion)."""
        tests = [self.encoder.condition(t) for t in self.table.rules[index].tests]
        kept = [i for i, t in enumerate(self.table.rules[index].tests) if not isinstance(t, ir.Always)]
        for column in list(kept):
            trial = [c for c in kept if c != column]
            if self.bdd.conjoin(self.bdd.all_of([tests[c] for c in trial]), self.in_scope) == FALSE:
                kept = trial
        return tuple(kept)

    def unreachable_rules(self) -> Iterator[Finding]:
        """Under first and priority: live rules whose every patient is taken by other rules."""
        if self.table.hit not in ("first", "priority"):
            return
        deciding = self._deciding()
        for index in self.live_rules:
            if index not in deciding:
                yield Finding("unreachable", self.table.name, (index,), self._winners(index))

    def _deciding(self) -> set[int]:
        """The rules whose row is the table's result for some patient in scope."""
        order = sorted(self.live_rules, key=lambda i: (rank(self.table, self.table.rules[i]), i)
                       if self.table.hit == "priority" else (i,))
        deciding: set[int] = set()
        for rules, left in self.boxes.leaves(order, lambda rules: deciding.issuperset(rules)):
            for rule in rules:  # the earlier rules take what they match; the next gets the rest
                if self.bdd.intersects(self.boxes.residuals[rule], left):
                    deciding.add(rule)
                    left = self.boxes.minus(left, [rule])
                    if left == FALSE:
                        break
        return deciding

    def _winners(self, index: int) -> tuple[int, ...]:
        """A small set of rules that together take every patient of rule `index`."""
        return self._fewest(index, (j for j in self._beating(index) if self.live[j]))

    def _fewest(self, index: int, others: Iterable[int]) -> tuple[int, ...]:
        """Of `others`, which together cover rule `index`: one that covers it alone (the first
        found, read lazily: a table of many copies of a rule finds each copy's twin early), else
        as few as greedy deletion leaves."""
        candidates = []
        for j in others:
            self.bdd.spend(1)
            if self.boxes.meet(index, j):
                if self.boxes.inside(index, j):
                    return (j,)  # one broader rule takes it all: name just that one
                candidates.append(j)
        if len(candidates) > FEW_COVERING:  # a walk that picks a cover, before deleting one by one
            candidates = self.boxes.cover(index, candidates)
        if len(candidates) > FEW_COVERING:
            return tuple(candidates)
        for j in list(candidates):
            rest = [c for c in candidates if c != j]
            if rest and self.boxes.covers(index, rest):
                candidates = rest
        return tuple(candidates)

    def _beating(self, index: int) -> Iterator[int]:
        """The rules that win over rule `index` when both match (in the order they are tried)."""
        if self.table.hit == "first":
            return iter(range(index))
        rules = self.table.rules
        mine = rank(self.table, rules[index])
        return (j for j in range(len(rules)) if j != index
                and (rank(self.table, rules[j]) < mine or (rank(self.table, rules[j]) == mine and j < index)))

    # ---- overlaps ---------------------------------------------------------------------------------------

    def overlaps(self) -> Iterator[Finding]:
        """Under unique (any rules) and any (rules with different outputs): groups of overlapping rules."""
        if self.table.hit not in ("unique", "any"):
            return
        pairs = sorted(self.boxes.overlapping_pairs(self.live_rules, self._conflict),
                       key=lambda pair: (pair[1], pair[0]))
        for group in _groups(pairs):
            first, second = next((i, j) for i, j in pairs if i in group and j in group)
            both = self.bdd.conjoin(self.boxes.rule_function(first), self.boxes.rule_function(second))
            yield Finding("overlap", self.table.name, tuple(sorted(group)), witness=self.witness(both),
                          extra={"pair": (first, second)})

    def _conflict(self, i: int, j: int) -> bool:
        rules = self.table.rules
        return not (self.table.hit == "any" and rules[i].outputs == rules[j].outputs)

    # ---- gaps ---------------------------------------------------------------------------------------------

    def gaps(self) -> Iterator[Finding]:
        pieces = self.boxes.uncovered(self.boxes.everything, self.live_rules, self.boxes.rest)
        if not pieces:
            return
        uncovered = self.bdd.any_of([self.bdd.conjoin(self.boxes.function(region), left)
                                     for region, left in pieces])
        view = ColumnView(self.encoder, self.table)
        cubes = view.regions(uncovered, MAX_COUNTED_REGIONS)
        shown = cubes[:MAX_REGIONS]
        yield Finding(
            "gap", self.table.name, (), witness=self.witness(uncovered),
            regions=tuple(view.describe(cube, uncovered) for cube in shown),
            region_total=len(cubes),
            suggestions=tuple(view.suggested_row(cube, uncovered) for cube in shown),
            extra={"witnesses": [view.witness(cube, uncovered) for cube in shown],
                   "capped": len(cubes) >= MAX_COUNTED_REGIONS},  # counting stopped there
        )

    # ---- the taxonomy: constant cells, columns no rule distinguishes, hit-policy advice -----------

    def constant_cells(self) -> Iterator[Finding]:
        """Cells (not `-`) that every patient in scope passes: they say nothing (MD608). A cell no
        patient passes makes its rule dead (MD600) and is reported there."""
        for index, rule in enumerate(self.table.rules):
            if not self.live[index]:
                continue
            for column, test in enumerate(rule.tests):
                if not isinstance(test, ir.Always) and self._meaning(index, column) == TRUE:
                    yield Finding("constant", self.table.name, (index,), cells=(column,))

    def undistinguished_columns(self) -> Iterator[Finding]:
        """Columns whose cells hold for the same patients in scope in every rule: the column tells
        no rule from another (MD609). Tables of one rule, or of no patient in scope, are left to
        the other findings."""
        if len(self.table.rules) < 2 or self.in_scope == FALSE:
            return
        for column in range(len(self.table.columns)):
            if len({self._meaning(index, column) for index in range(len(self.table.rules))}) == 1:
                yield Finding("undistinguished", self.table.name, (), cells=(column,))

    def _meaning(self, index: int, column: int) -> object:
        """What a cell says about the patients in scope, as a value that is equal for two cells
        exactly when they hold for the same patients in scope (TRUE when it holds for all): on an
        axis its mask of atoms, elsewhere its BDD within the scope seen off the axes (exact for
        the reasons of verify/boxes.py: no axis input is read off its column or by the scope)."""
        boxes = self.boxes
        axis = self._axis_of.get(column)
        if axis is not None:
            mask = boxes.masks[index][axis]
            return TRUE if mask == boxes.everything[axis] else ("mask", mask)
        test = self.table.rules[index].tests[column]
        if test not in self._cell_meanings:
            within = self.bdd.conjoin(self.encoder.condition(test), boxes.rest)
            self._cell_meanings[test] = TRUE if within == boxes.rest else within
        return self._cell_meanings[test]

    def hit_policy_advice(self) -> Iterator[Finding]:
        """A `first` or `priority` table whose rules never overlap: the order decides nothing, and
        `unique` would say so and have mmdsl check it (MD610)."""
        if self.table.hit not in ("first", "priority") or len(self.live_rules) < 2:
            return
        if not self.boxes.overlapping_pairs(self.live_rules, lambda i, j: True):
            yield Finding("advice", self.table.name, ())

    # ---- redundancy ------------------------------------------------------------------------------------

    def redundant_rules(self) -> Iterator[Finding]:
        """Under collect: rules whose every patient already gets the same outputs from other rules."""
        if self.table.result_kind != "list":
            return
        needed = self._needed()
        for index in self.live_rules:
            if index not in needed:
                others = (j for j in self.live_rules if j != index and self._counts_against(j, index))
                yield Finding("redundant", self.table.name, (index,), self._fewest(index, others))

    def _needed(self) -> set[int]:
        """The live rules that give some patient outputs no other rule (that counts) gives him."""
        needed: set[int] = set()
        for rules, part in self.boxes.leaves(self.live_rules, lambda rules: needed.issuperset(rules)):
            self.bdd.spend(len(rules) ** 2)
            for index in (i for i in rules if i not in needed):
                others = [j for j in rules if j != index and self._counts_against(j, index)]
                mine = self.bdd.conjoin(self.boxes.residuals[index], part)
                if self.boxes.minus(mine, others) != FALSE:
                    needed.add(index)
        return needed

    def _counts_against(self, other: int, index: int) -> bool:
        """Same outputs; of two rules that cover each other, only the earlier one counts, so that
        the later one alone is reported."""
        rules = self.table.rules
        return (rules[other].outputs == rules[index].outputs
                and (other < index or not self.boxes.inside(other, index)))


def merge_cubes(cubes: list[dict[int, bool]]) -> list[dict[int, bool]]:
    """Fewer, larger regions: two cubes that differ only in one variable's value become one."""
    merged = True
    while merged and len(cubes) > 1:
        merged = False
        seen: dict[tuple[tuple[int, bool], ...], int] = {}
        for index, cube in enumerate(cubes):
            for var in cube:
                key = tuple(sorted((v, b) for v, b in cube.items() if v != var))
                partner = seen.get((*key, (var, not cube[var])))
                if partner is not None:
                    cubes = _replace_pair(cubes, partner, index, dict(key))
                    merged = True
                    break
                seen[(*key, (var, cube[var]))] = index
            if merged:
                break
    return cubes


def _replace_pair(cubes: list[dict[int, bool]], first: int, second: int,
                  union: dict[int, bool]) -> list[dict[int, bool]]:
    return [c for i, c in enumerate(cubes) if i not in (first, second)] + [union]


def _groups(pairs: list[tuple[int, int]]) -> list[set[int]]:
    """Connected groups of rules, given overlapping pairs (a small union-find)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, set[int]] = {}
    for x in list(parent):
        groups.setdefault(find(x), set()).add(x)
    return sorted(groups.values(), key=min)
