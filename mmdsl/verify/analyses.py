"""The analyses of one table: each returns findings with the rules involved and witness patients.

All work within the in-scope domain: patients whose facts are valid (the domain of the encoding)
and inside the guideline's scope. Findings are plain data; verify/report.py turns them into
diagnostics with positions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from mmdsl.ir import model as ir
from mmdsl.verify.bdd import FALSE, TRUE
from mmdsl.verify.boxes import AXIS_KINDS, Boxes, axis_of_cells, mask_of_cell, runs
from mmdsl.verify.columns import ColumnView
from mmdsl.verify.encode import Encoder, Unverifiable, rank
from mmdsl.verify.witness import matching_rules, typical_patient

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
        self.original_table = table  # as the interpreter reads it, to check witnesses
        table = encoder.time.table(table)  # durations as the encoder reads them (verify/time.py)
        self.table = table
        self.in_scope = in_scope  # domain and scope
        self.boxes = Boxes(encoder, table, in_scope)
        self.live = [self.boxes.is_live(i) for i in range(len(table.rules))]
        self.live_rules = [i for i, live in enumerate(self.live) if live]
        self._axis_of = {axis.column: k for k, axis in enumerate(self.boxes.axes)}
        self._cell_meanings: dict[ir.Cond, object] = {}
        self._own_domains: dict[str, int] = {}

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
            witness = self.witness(both)
            self._confirm(witness, _both(first, second))
            yield Finding("overlap", self.table.name, tuple(sorted(group)), witness=witness,
                          extra={"pair": (first, second)})

    def _confirm(self, witness: dict[str, ir.JsonValue], holds: Callable[[list[bool]], bool]) -> None:
        """A witness of a decimal fact's classes, checked with the reference interpreter: a
        finding is reported only with a patient that has it (`holds` of the rules it matches)."""
        if not self.encoder.decimal_classes:
            return  # witnesses of the other encodings are exact by construction
        matched = matching_rules(self.encoder.original, self.original_table, witness)
        if matched is None or not holds(matched):
            raise Unverifiable(next(iter(self.encoder.decimal_classes)),
                               "a computed number whose witness patient the interpreter does not "
                               "confirm")

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
        witness = self.witness(uncovered)
        witnesses = [view.witness(cube, uncovered) for cube in shown]
        for patient in (witness, *witnesses):
            self._confirm(patient, lambda matched: not any(matched))
        yield Finding(
            "gap", self.table.name, (), witness=witness,
            regions=tuple(view.describe(cube, uncovered) for cube in shown),
            region_total=len(cubes),
            suggestions=tuple(view.suggested_row(cube, uncovered) for cube in shown),
            extra={"witnesses": witnesses,
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
        """The hit policy the rules imply (MD610): a `first` or `priority` table whose rules never
        overlap (its order decides nothing: `unique`), or whose overlapping rules always agree
        (`any`); an `any` table whose rules never overlap (`unique`); a collect table into a list
        whose rules never overlap, so that it never gives more than one result (`unique`)."""
        if not advice_applies(self.table) or len(self.live_rules) < 2:
            return
        rules = self.table.rules
        disagreeing = self.boxes.overlapping_pairs(self.live_rules,
                                                   lambda i, j: rules[i].outputs != rules[j].outputs)
        if disagreeing:
            return
        if not self.boxes.overlapping_pairs(self.live_rules, lambda i, j: True):
            yield Finding("advice", self.table.name, (), extra={"advice": "unique"})
        elif self.table.hit in ("first", "priority"):
            yield Finding("advice", self.table.name, (), extra={"advice": "any"})

    # ---- subsumed and mergeable rules ---------------------------------------------------------------

    def subsumed_rules(self) -> Iterator[Finding]:
        """A rule whose every patient in scope one other rule with the same outputs matches: under
        unique, any and collect count/min/max, removing it changes no result (MD611). Under
        collect into a list MD605 says it (also when several rules cover one); under collect sum
        the smaller rule adds its points a second time; under first and priority a broader rule
        that wins takes it (MD601)."""
        if not subsumption_applies(self.table):
            return
        rules = self.table.rules
        wider = self._wider_boxes()
        outputs: dict[object, int] = {}
        for index in self.live_rules:
            outputs[rules[index].outputs] = outputs.get(rules[index].outputs, 0) | 1 << index
        for index in self.live_rules:
            candidates = outputs[rules[index].outputs] & wider(index) & ~(1 << index)
            self.bdd.spend(1 + candidates.bit_count())
            # of two rules that match the same patients, only the later one is reported
            broader = next((j for j in _bits(candidates) if self.boxes.inside(index, j)
                            and (j < index or not self.boxes.inside(j, index))), None)
            if broader is not None:
                yield Finding("subsumed", self.table.name, (index,), (broader,))

    def _wider_boxes(self) -> Callable[[int], int]:
        """For a rule, the live rules whose box contains its box, as a bit set: per axis and atom,
        the rules whose cell holds on the atom, intersected over the rule's atoms (a few
        operations on integers of one bit per rule, where comparing every pair of a table of
        5,000 rules took seconds)."""
        boxes = self.boxes
        holding = [[0] * axis.size for axis in boxes.axes]
        for index in self.live_rules:
            for k, mask in enumerate(boxes.masks[index]):
                for atom in _bits(mask):
                    holding[k][atom] |= 1 << index
        live = sum(1 << i for i in self.live_rules)

        def wider(index: int) -> int:
            found = live
            for k, mask in enumerate(boxes.masks[index]):
                for atom in _bits(mask):
                    found &= holding[k][atom]
            return found
        return wider

    def mergeable_rules(self) -> Iterator[Finding]:
        """Two rules with the same outputs, evidence and caveats (one merged rule cites one set)
        whose cells hold for the same patients in scope in every column but one, where their cells
        share no value of an input (or no patient, in other columns) and together make one cell:
        one rule says it (MD612). Under first and priority, and collect into a list, no rule
        between the two may match a patient of the later one, so that the merged rule (in the
        place of the earlier) gives every patient the same result."""
        rules, columns = self.table.rules, range(len(self.table.columns))
        meanings = {index: [self._meaning(index, c) for c in columns] for index in self.live_rules}
        for column in columns:
            groups: dict[object, list[int]] = {}
            for index in self.live_rules:
                key = (_said(rules[index]), *meanings[index][:column], *meanings[index][column + 1:])
                groups.setdefault(key, []).append(index)
            for group in groups.values():
                self.bdd.spend(len(group) ** 2)
                for position, first in enumerate(group):
                    for second in group[position + 1:]:
                        if meanings[first][column] == meanings[second][column]:
                            continue  # equal rules: MD611 or MD605 says it
                        merged = self._merged_cell(first, second, column)
                        if merged is not None and self._order_allows_merge(first, second):
                            yield Finding("mergeable", self.table.name, (first, second), cells=(column,),
                                          extra={"cell": merged})

    def _merged_cell(self, first: int, second: int, column: int) -> str | None:
        """The one cell that says what the two rules' cells of `column` say together, if they share
        no value (of an input) or no patient in scope (of a fact, a set, an earlier table)."""
        encoder, bdd = self.encoder, self.bdd
        tests = [self.table.rules[i].tests[column] for i in (first, second)]
        cells = [encoder.condition(t) for t in tests]
        ref = self.table.columns[column].ref
        dimension = encoder.dimensions.get(ref)
        support = bdd.support(cells[0]) | bdd.support(cells[1])
        if (dimension is not None and dimension.kind in AXIS_KINDS and dimension.known is None
                and support <= set(dimension.variables())):
            axis = axis_of_cells(column, dimension, support)
            masks = [mask_of_cell(bdd, axis, cell) for cell in cells]
            if masks[0] & masks[1] or (axis.ordered and len(list(runs(masks[0] | masks[1]))) != 1):
                return None  # a shared value, or a hole between the two ranges
            if masks[0] | masks[1] == (1 << axis.size) - 1:
                return "-"
            region = bdd.conjoin(bdd.disjoin(*cells), self._own_domain(ref))  # thresholds in order
            return encoder.cell_for_region(self.table.columns[column], region)
        within = [bdd.conjoin(cell, self.in_scope) for cell in cells]
        if bdd.conjoin(*within) == FALSE and bdd.disjoin(*within) == self.in_scope:
            return "-"
        return None

    def _own_domain(self, ref: str) -> int:
        """The domain's constraints on one input alone (its thresholds in order, one member):
        small, where the whole domain makes every question about a region slow."""
        if ref not in self._own_domains:
            own = set(self.encoder.dimensions[ref].variables())
            others = set(range(self.encoder.variable_count)) - own
            self._own_domains[ref] = self.bdd.exists(self.encoder.domain, others)
        return self._own_domains[ref]

    def _order_allows_merge(self, first: int, second: int) -> bool:
        if self.table.hit in ("unique", "any") or self.table.aggregate is not None:
            return True  # the result does not depend on the order of the rules
        return not any(self.boxes.meet(between, second) for between in range(first + 1, second)
                       if self.live[between])

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


def _both(first: int, second: int) -> Callable[[list[bool]], bool]:
    return lambda matched: matched[first] and matched[second]


def _bits(mask: int) -> Iterator[int]:
    """The positions of the set bits, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _said(rule: ir.IRRule) -> tuple[object, ...]:
    """What a rule says besides its cells: its outputs, the evidence it cites, its caveats."""
    return rule.outputs, rule.evidence_names, rule.evidence, rule.caveat_names, rule.caveats


def advice_applies(table: ir.IRTable) -> bool:
    return table.hit in ("first", "priority", "any") or table.result_kind == "list"


def subsumption_applies(table: ir.IRTable) -> bool:
    return table.hit in ("unique", "any") or table.aggregate in ("count", "min", "max")


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
