"""The analyses of one table: each returns findings with the rules involved and witness patients.

All work within the in-scope domain: patients whose facts are valid (the domain of the encoding)
and inside the guideline's scope. Findings are plain data; verify/report.py turns them into
diagnostics with positions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from mmdsl.ir import model as ir
from mmdsl.verify.bdd import FALSE
from mmdsl.verify.columns import ColumnView
from mmdsl.verify.encode import Encoder, rank
from mmdsl.verify.witness import witness_facts

MAX_REGIONS = 8  # gap regions listed per table; the total is reported too
MAX_COUNTED_REGIONS = 1000


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
    """Everything the analyses need about one table, computed once."""

    def __init__(self, encoder: Encoder, table: ir.IRTable, in_scope: int) -> None:
        self.encoder = encoder
        self.bdd = encoder.bdd
        self.table = table
        self.in_scope = in_scope  # domain and scope
        self.matches = encoder.matches(table)
        self.live = [self.bdd.conjoin(m, in_scope) for m in self.matches]

    def witness(self, function: int) -> dict[str, ir.JsonValue]:
        assignment = self.bdd.one_assignment(self.bdd.conjoin(function, self.in_scope))
        assert assignment is not None
        return witness_facts(self.encoder, assignment)

    # ---- dead and unreachable rules ---------------------------------------------------------------

    def dead_rules(self) -> Iterator[Finding]:
        for index, live in enumerate(self.live):
            if live == FALSE:
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
        selections = self.encoder.selections(self.table)
        for index, live in enumerate(self.live):
            if live != FALSE and self.bdd.conjoin(selections[index], self.in_scope) == FALSE:
                yield Finding("unreachable", self.table.name, (index,), self._winners(index))

    def _winners(self, index: int) -> tuple[int, ...]:
        """A small set of rules that together take every patient of rule `index`."""
        candidates = [j for j in self._beating(index)
                      if self.bdd.intersects(self.live[index], self.live[j])]
        alone = next((j for j in candidates if self.bdd.implies(self.live[index], self.live[j])), None)
        if alone is not None:  # one broader rule takes it all: name just that one
            return (alone,)
        for j in list(candidates):
            rest = [c for c in candidates if c != j]
            if self.bdd.implies(self.live[index], self.bdd.any_of([self.live[c] for c in rest])):
                candidates = rest
        return tuple(candidates)

    def _beating(self, index: int) -> list[int]:
        if self.table.hit == "first":
            return list(range(index))
        rules = self.table.rules
        mine = rank(self.table, rules[index])
        return [j for j in range(len(rules)) if j != index
                and (rank(self.table, rules[j]) < mine or (rank(self.table, rules[j]) == mine and j < index))]

    # ---- overlaps ---------------------------------------------------------------------------------------

    def overlaps(self) -> Iterator[Finding]:
        """Under unique (any rules) and any (rules with different outputs): groups of overlapping rules."""
        if self.table.hit not in ("unique", "any"):
            return
        pairs = self._overlapping_pairs()
        for group in _groups(pairs):
            first, second = next((i, j) for i, j in pairs if i in group and j in group)
            witness = self.witness(self.bdd.conjoin(self.live[first], self.live[second]))
            yield Finding("overlap", self.table.name, tuple(sorted(group)), witness=witness,
                          extra={"pair": (first, second)})

    def _overlapping_pairs(self) -> list[tuple[int, int]]:
        pairs = []
        earlier = FALSE
        for j, live in enumerate(self.live):
            if self.bdd.conjoin(live, earlier) != FALSE:
                pairs += [(i, j) for i in range(j) if self._conflict(i, j)]
            earlier = self.bdd.disjoin(earlier, live)
        return pairs

    def _conflict(self, i: int, j: int) -> bool:
        rules = self.table.rules
        if self.table.hit == "any" and rules[i].outputs == rules[j].outputs:
            return False
        return self.bdd.conjoin(self.live[i], self.live[j]) != FALSE

    # ---- gaps ---------------------------------------------------------------------------------------------

    def gaps(self) -> Iterator[Finding]:
        uncovered = self.bdd.negate(self.bdd.any_of(self.matches))
        if self.bdd.conjoin(uncovered, self.in_scope) == FALSE:
            return
        view = ColumnView(self.encoder, self.table)
        cubes = view.regions(uncovered, MAX_COUNTED_REGIONS)
        shown = cubes[:MAX_REGIONS]
        yield Finding(
            "gap", self.table.name, (), witness=self.witness(uncovered),
            regions=tuple(view.describe(cube) for cube in shown),
            region_total=len(cubes),
            suggestions=tuple(view.suggested_row(cube, uncovered) for cube in shown),
            extra={"witnesses": [view.witness(cube, uncovered) for cube in shown]},
        )

    # ---- redundancy ------------------------------------------------------------------------------------

    def redundant_rules(self) -> Iterator[Finding]:
        """Under collect: rules whose every patient already gets the same outputs from other rules."""
        if self.table.result_kind != "list":
            return
        for index, live in enumerate(self.live):
            others = self._same_outputs(index)
            if live != FALSE and others and self.bdd.implies(live, self.bdd.any_of(
                    [self.live[j] for j in others])):
                yield Finding("redundant", self.table.name, (index,), self._covering(index, others))

    def _same_outputs(self, index: int) -> list[int]:
        """Other live rules with the same outputs; of two rules that cover each other, only the
        earlier one counts, so that the later one alone is reported."""
        rules = self.table.rules
        return [j for j in range(len(rules)) if j != index and self.live[j] != FALSE
                and rules[j].outputs == rules[index].outputs
                and (j < index or not self.bdd.implies(self.live[j], self.live[index]))]

    def _covering(self, index: int, same: list[int]) -> tuple[int, ...]:
        alone = next((j for j in same if self.bdd.implies(self.live[index], self.live[j])), None)
        if alone is not None:
            return (alone,)
        chosen = list(same)
        for j in list(chosen):
            rest = [c for c in chosen if c != j]
            if rest and self.bdd.implies(self.live[index], self.bdd.any_of([self.live[c] for c in rest])):
                chosen = rest
        return tuple(chosen)


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
