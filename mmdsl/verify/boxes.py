"""A table as boxes: how the analyses stay fast on tables with hundreds or thousands of rules.

Most columns of a clinical table test one input that nothing else reads: an age range, a stage, a
yes/no. Along such a column the table's cells cut the input's values into a few atoms (the
intervals between the thresholds the cells use, the members of an enumeration, yes and no), and
each cell is a set of atoms: a bit mask. Such a column is an axis. A rule is then a box, one mask
per axis, and a residual: the BDD of its other cells (derived facts, sets, results of earlier
tables), which speak of other inputs only.

Questions about many rules are answered by splitting the space of the axes, as a decision tree
does, until every rule left in a part either covers the part along every axis or has been left
out; there the residuals alone decide, and they are small BDDs over few variables, with their
answers memoised. The union of a thousand boxes is never built as one BDD (that is what made the
plain BDD analysis run out of nodes), and a split is chosen where it cuts the fewest boxes, so a
table shaped like a decision tree is split along its own tree.

Why this is exact: every atom is a nonempty set of values and every cell is constant on each atom
(each threshold a cell uses is an atom boundary); an axis's input is read by no residual and not by
the scope, and its own domain constraints (threshold order, exactly one member) hold in every atom.
A part of the space is therefore a product of nonempty sets of values, and whether a residual or
the scope holds never depends on where in the part a patient lies.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mmdsl.ir import model as ir
from mmdsl.verify.bdd import BDD, FALSE, TRUE
from mmdsl.verify.encode import Dimension, Encoder

Region = tuple[int, ...]  # one mask of atoms per axis
AXIS_KINDS = ("integer", "decimal", "enum", "text", "bool")
MAX_UNORDERED_CANDIDATES = 8  # ways to split an enumeration tried at one node


@dataclass(frozen=True)
class Axis:
    """A column whose cells are sets of atoms of its input's values."""

    column: int
    dimension: Dimension
    ordered: bool  # numbers: atom i is the values meeting the first i thresholds of `variables`
    variables: tuple[int, ...]  # thresholds in order (numbers), or one variable per atom
    positions: dict[int, int] = field(init=False, repr=False, compare=False)  # variable -> index

    def __post_init__(self) -> None:  # once per axis, not once per cell (10,000 rules)
        object.__setattr__(self, "positions", {var: i for i, var in enumerate(self.variables)})

    @property
    def size(self) -> int:
        if self.ordered:
            return len(self.variables) + 1
        return 2 if self.dimension.flag is not None else len(self.variables)  # a flag: no, yes


class Boxes:
    """The rules of one table as boxes over its axes and residual BDDs over everything else."""

    def __init__(self, encoder: Encoder, table: ir.IRTable, in_scope: int) -> None:
        self.encoder = encoder
        self.bdd = encoder.bdd
        cells = [[encoder.condition(test) for test in rule.tests] for rule in table.rules]
        self.axes = _axes(encoder, table, cells)
        on_axis = {axis.column for axis in self.axes}
        self.masks: list[Region] = [
            tuple(mask_of_cell(self.bdd, axis, row[axis.column]) for axis in self.axes) for row in cells]
        self.residuals = [self.bdd.all_of([f for c, f in enumerate(row) if c not in on_axis])
                          for row in cells]
        axis_variables = {v for axis in self.axes for v in axis.dimension.variables()}
        self.rest = self.bdd.exists(in_scope, axis_variables)  # the scope, seen off the axes
        self.everything: Region = tuple((1 << axis.size) - 1 for axis in self.axes)
        # the axes each rule narrows (a `-` cell leaves an axis whole): only those can be cut
        self.narrowed = [tuple(i for i, (mask, whole) in enumerate(zip(row, self.everything,
                                                                        strict=True))
                               if mask != whole) for row in self.masks]
        self._without: dict[tuple[int, tuple[int, ...]], int] = {}
        self._both: dict[tuple[int, int, int], bool] = {}
        self._inside: dict[tuple[int, int], bool] = {}

    # ---- single rules -----------------------------------------------------------------------------

    def is_live(self, rule: int) -> bool:
        return all(self.masks[rule]) and self.bdd.intersects(self.residuals[rule], self.rest)

    def target(self, rule: int) -> int:
        """What the rule asks of the inputs off the axes, within the scope: in any part of its box,
        the patients it matches are those of this BDD."""
        return self.bdd.conjoin(self.residuals[rule], self.rest)

    def meet(self, first: int, second: int) -> bool:
        """Is there a patient in scope that both rules match?"""
        return (all(a & b for a, b in zip(self.masks[first], self.masks[second], strict=True))
                and self._residuals_meet(first, second, self.rest))

    def inside(self, small: int, big: int) -> bool:
        """Does rule `big` match every patient in scope that rule `small` matches?"""
        return (all(a & b == a for a, b in zip(self.masks[small], self.masks[big], strict=True))
                and self._residual_inside(self.residuals[small], self.residuals[big]))

    def function(self, region: Region) -> int:
        """The BDD of the patients in a region of the axes (the domain makes it exact)."""
        self.bdd.spend(len(self.axes))  # a gap of 65,000 pieces is 65,000 conjunctions
        return self.bdd.all_of([_mask_function(self.bdd, axis, mask)
                                for axis, mask, whole in zip(self.axes, region, self.everything,
                                                             strict=True) if mask != whole])

    def rule_function(self, rule: int) -> int:
        return self.bdd.conjoin(self.function(self.masks[rule]), self.residuals[rule])

    # ---- many rules ------------------------------------------------------------------------------------

    def uncovered(self, region: Region, rules: list[int], target: int,
                  first_only: bool = False) -> list[tuple[Region, int]]:
        """The parts of `region` x `target` that none of `rules` matches: (part, residual) pairs."""
        pieces: list[tuple[Region, int]] = []
        rules = [r for r in rules if all(a & b for a, b in zip(self.masks[r], region, strict=True))]
        stack = [(region, rules, target)]
        while stack:
            region, rules, target = stack.pop()
            self.bdd.spend(1 + len(rules))
            full, partial = self._classify(region, rules)
            if full:
                target = self._minus(target, [self.residuals[r] for r in full])
            if target == FALSE:  # nobody left here (or nobody in scope at all)
                continue
            partial = [r for r in partial if self.bdd.intersects(self.residuals[r], target)]
            if not partial:
                pieces.append((region, target))
                if first_only:
                    break
                continue
            stack += self._pieces(region, target, partial)
        return pieces

    def cover(self, rule: int, others: list[int]) -> list[int]:
        """Some of `others` that together match every patient in scope `rule` matches (all of
        them do): in each part of the space, the first rules that take what is left of it. One
        walk, where deleting rules one at a time from a thousand would take a thousand walks."""
        used: set[int] = set()
        region = self.masks[rule]
        rules = [r for r in others if all(a & b for a, b in zip(self.masks[r], region, strict=True))]
        stack = [(region, rules, self.target(rule))]
        while stack:
            region, rules, target = stack.pop()
            self.bdd.spend(1 + len(rules))
            full, partial = self._classify(region, rules)
            for wide in full:
                if target == FALSE:
                    break
                if self.bdd.intersects(self.residuals[wide], target):
                    used.add(wide)
                    target = self._minus(target, [self.residuals[wide]])
            partial = [r for r in partial if self.bdd.intersects(self.residuals[r], target)]
            if target != FALSE and partial:
                stack += self._pieces(region, target, partial)
        return sorted(used)

    def covers(self, rule: int, others: list[int]) -> bool:
        """Do `others` together match every patient in scope that `rule` matches?"""
        return not self.uncovered(self.masks[rule], others, self.target(rule), first_only=True)

    def overlapping_pairs(self, rules: list[int],
                          conflict: Callable[[int, int], bool]) -> set[tuple[int, int]]:
        """Pairs of rules (in conflict) that some patient in scope matches both."""
        pairs: set[tuple[int, int]] = set()
        stack = [(self.everything, rules, self.rest)]
        while stack:
            region, rules, target = stack.pop()
            self.bdd.spend(1 + len(rules))
            if pairs and self._all_found(rules, pairs, conflict):
                continue  # nothing new to find here: the pieces would only find these pairs again
            full, partial = self._classify(region, rules)
            self.bdd.spend(len(full) * len(rules))  # every pair of a wide rule and another
            for wide in full:  # it meets every rule here wherever the residuals meet
                pairs |= {(min(wide, other), max(wide, other)) for other in rules
                          if other != wide and conflict(wide, other)
                          and self._residuals_meet(wide, other, target)}
            if len(partial) > 1:
                stack += self._pieces(region, target, partial)

        return pairs

    def _all_found(self, rules: list[int], pairs: set[tuple[int, int]],
                   conflict: Callable[[int, int], bool]) -> bool:
        """Whether every pair of `rules` in conflict is among `pairs` already."""
        self.bdd.spend(len(rules) * len(rules) // 2)
        ordered = sorted(rules)
        return all((first, second) in pairs or not conflict(first, second)
                   for index, first in enumerate(ordered) for second in ordered[index + 1:])

    def leaves(self, rules: list[int],
               settled: Callable[[list[int]], bool]) -> Iterator[tuple[list[int], int]]:
        """The rules (in their given order) of each part of the space where all of them cover the
        whole part along the axes, with the part's patients off the axes (a BDD within the scope);
        parts whose rules are `settled` are not split further."""
        stack = [(self.everything, rules, self.rest)]
        while stack:
            region, rules, target = stack.pop()
            self.bdd.spend(1 + len(rules))
            if settled(rules):
                continue
            _, partial = self._classify(region, rules)
            if not partial:
                yield rules, target
                continue
            stack += self._pieces(region, target, partial, rules)

    def minus(self, target: int, rules: list[int]) -> int:
        """What of `target` the residuals of `rules` leave."""
        return self._minus(target, [self.residuals[r] for r in rules])

    # ---- the pieces ---------------------------------------------------------------------------------------

    def _classify(self, region: Region, rules: list[int]) -> tuple[list[int], list[int]]:
        """The rules that cover the region along every axis, and the others."""
        full, partial = [], []
        masks = self.masks
        for rule in rules:  # along an axis the rule leaves whole, it covers every region
            if all(masks[rule][i] & region[i] == region[i] for i in self.narrowed[rule]):
                full.append(rule)
            else:
                partial.append(rule)
        return full, partial

    def _best_cut(self, region: Region, partial: list[int]) -> tuple[tuple[int, int], int, int] | None:
        best: tuple[tuple[int, int], int, int] | None = None
        # only an axis that some partial rule narrows can be cut (along the others every rule
        # covers the region); the search looks at each such axis for each partial rule, and is
        # charged for it before it starts, or a table whose pieces multiply (16 pairs of
        # `yes | yes` columns) spends a minute on searches the budget counted as a step each
        candidates = sorted({index for rule in partial for index in self.narrowed[rule]})
        self.bdd.spend(len(partial) * (1 + len(candidates)))
        for index in candidates:
            axis, whole = self.axes[index], region[index]
            masks = [self.masks[r][index] & whole for r in partial]
            if masks.count(whole) == len(masks):
                continue  # every rule covers the region along this axis: nothing to cut
            found = (_ordered_cut if axis.ordered else _unordered_cut)(whole, masks)
            if found is not None and (best is None or found[0] < best[0]):
                best = (found[0], index, found[1])
        return best

    def _cut(self, region: Region, index: int, part: int,
             rules: list[int]) -> list[tuple[Region, list[int]]]:
        parts = []
        for piece in (part, region[index] & ~part):
            cut = (*region[:index], piece, *region[index + 1:])
            parts.append((cut, [r for r in rules if self.masks[r][index] & piece]))
        return parts

    def _pieces(self, region: Region, target: int, partial: list[int],
                rules: list[int] | None = None) -> list[tuple[Region, list[int], int]]:
        """The region (and its target) cut in two where the fewest `partial` rules lie on both
        sides, each part with those of `rules` (default: `partial`) that reach into it, in their
        order. A cut is along an axis, or along a residual: the patients of the target for whom
        a rule's residual holds, and the others; rules whose residual misses a part's target drop
        out of it. So rules that differ in a set or a fact are parted without cutting the axes
        into the pieces of both."""
        rules = partial if rules is None else rules
        best = self._best_cut(region, partial)
        residual = self._best_residual(target, partial)
        if residual is not None and (best is None or residual[0] < best[0]):
            inside = self.bdd.conjoin(target, residual[1])
            outside = self.bdd.conjoin(target, self.bdd.negate(residual[1]))
            return [(region, [r for r in rules if self.bdd.intersects(self.residuals[r], part)], part)
                    for part in (inside, outside)]
        assert best is not None, "a rule that does not cover a region differs from it somewhere"
        return [(part, kept, target) for part, kept in self._cut(region, best[1], best[2], rules)]

    def _best_residual(self, target: int, partial: list[int]) -> tuple[tuple[int, int], int] | None:
        shapes = Counter(self.residuals[r] for r in partial)
        best: tuple[tuple[int, int], int] | None = None
        for residual, _ in shapes.most_common(MAX_UNORDERED_CANDIDATES):
            if residual == TRUE:
                continue
            inside = self.bdd.conjoin(target, residual)
            outside = self.bdd.conjoin(target, self.bdd.negate(residual))
            if inside == FALSE or outside == FALSE:
                continue
            below = above = 0
            for shape, count in shapes.items():
                meets_inside = self.bdd.intersects(shape, inside)
                meets_outside = self.bdd.intersects(shape, outside)
                below += count if not meets_outside else 0
                above += count if not meets_inside else 0
            score = (len(partial) - below - above, -min(below, above))
            if best is None or score < best[0]:
                best = (score, residual)
        return best

    def _minus(self, target: int, residuals: list[int]) -> int:
        key = (target, tuple(sorted(set(residuals))))
        found = self._without.get(key)
        if found is None:
            found = self.bdd.conjoin(target, self.bdd.negate(self.bdd.any_of(list(key[1]))))
            self._without[key] = found
        return found

    def _residuals_meet(self, first: int, second: int, target: int) -> bool:
        f, g = sorted((self.residuals[first], self.residuals[second]))
        found = self._both.get((f, g, target))
        if found is None:
            found = self.bdd.intersects(self.bdd.conjoin(f, g), target)
            self._both[(f, g, target)] = found
        return found

    def _residual_inside(self, small: int, big: int) -> bool:
        found = self._inside.get((small, big))
        if found is None:
            found = self.bdd.implies(self.bdd.conjoin(small, self.rest), big)
            self._inside[(small, big)] = found
        return found


# ---- choosing the axes --------------------------------------------------------------------------------


def _axes(encoder: Encoder, table: ir.IRTable, cells: list[list[int]]) -> list[Axis]:
    """The columns that can be axes: each tests an input that no other column, no residual cell
    and not the scope reads."""
    bdd = encoder.bdd
    refs = Counter(column.ref for column in table.columns)
    candidates = {index for index, column in enumerate(table.columns)
                  if refs[column.ref] == 1 and column.ref in encoder.dimensions
                  and encoder.dimensions[column.ref].kind in AXIS_KINDS
                  and encoder.dimensions[column.ref].known is None}  # null is no atom of an axis
    supports = [set().union(*(bdd.support(f) for f in {row[c] for row in cells}))
                for c in range(len(table.columns))]
    for index in sorted(candidates):
        own = set(encoder.dimensions[table.columns[index].ref].variables())
        if not supports[index] <= own:
            candidates.discard(index)
    # the domain ties the inputs a decimal fact reads (and its `if`s test) to the fact's classes
    # (verify/classes.py): such an input is read off its column too
    read_elsewhere = bdd.support(encoder.scope).union(encoder.linked,
        *(supports[c] for c in range(len(table.columns)) if c not in candidates))
    axes = []
    for index in sorted(candidates):
        dimension = encoder.dimensions[table.columns[index].ref]
        if read_elsewhere & set(dimension.variables()):
            continue
        axes.append(axis_of_cells(index, dimension, supports[index]))
    return axes


def axis_of_cells(column: int, dimension: Dimension, support: set[int]) -> Axis:
    if dimension.kind in ("integer", "decimal"):
        chain = tuple(v for _, v in dimension.thresholds if v in support)  # in threshold order
        return Axis(column, dimension, True, chain)
    if dimension.flag is not None:
        return Axis(column, dimension, False, (dimension.flag,))
    return Axis(column, dimension, False, tuple(dimension.members.values()))


# ---- cells as masks, masks as BDDs ----------------------------------------------------------------------


def mask_of_cell(bdd: BDD, axis: Axis, function: int) -> int:
    """The atoms of `axis` where the cell's BDD holds."""
    if function in (FALSE, TRUE):
        return (1 << axis.size) - 1 if function == TRUE else 0
    if not axis.ordered:
        if axis.dimension.flag is not None:  # atom 0 is no, atom 1 is yes
            return int(bdd.holds(function, {})) | int(bdd.holds(function, {axis.variables[0]: True})) << 1
        return sum(1 << i for i, var in enumerate(axis.variables) if bdd.holds(function, {var: True}))
    position = axis.positions
    own = sorted(bdd.support(function), key=position.__getitem__)
    mask = 0
    for local in range(len(own) + 1):  # the cell is constant between two of its own thresholds
        if bdd.holds(function, dict.fromkeys(own[:local], True)):
            first = position[own[local - 1]] + 1 if local else 0
            last = position[own[local]] if local < len(own) else len(axis.variables)
            mask |= (1 << (last + 1)) - (1 << first)
    return mask


def _mask_function(bdd: BDD, axis: Axis, mask: int) -> int:
    if mask == (1 << axis.size) - 1:
        return TRUE
    if not axis.ordered:
        if axis.dimension.flag is not None:
            flag = bdd.variable(axis.variables[0])
            return {0: FALSE, 1: bdd.negate(flag), 2: flag}[mask]
        return bdd.any_of([bdd.variable(v) for i, v in enumerate(axis.variables) if mask >> i & 1])
    pieces = []
    for first, last in runs(mask):
        above = bdd.variable(axis.variables[first - 1]) if first else TRUE
        below = bdd.negate(bdd.variable(axis.variables[last])) if last < len(axis.variables) else TRUE
        pieces.append(bdd.conjoin(above, below))
    return bdd.any_of(pieces)


def runs(mask: int) -> Iterator[tuple[int, int]]:
    """The maximal runs of set bits: (first, last) atom indexes."""
    index = 0
    while mask:
        skip = (mask & -mask).bit_length() - 1
        mask >>= skip
        index += skip
        length = (~mask & (mask + 1)).bit_length() - 1
        yield index, index + length - 1
        mask >>= length
        index += length


# ---- where to cut -------------------------------------------------------------------------------------


def _ordered_cut(region: int, masks: list[int]) -> tuple[tuple[int, int], int] | None:
    """The cut between two neighbouring atoms of an interval region that the fewest masks cross;
    among those, the most even one. Returns ((crossing, -smaller side), atoms below the cut)."""
    low = (region & -region).bit_length() - 1
    high = region.bit_length() - 1
    inner = ((1 << high) - 1) & ~((1 << low) - 1)  # bit p-1 stands for the cut before atom p
    cuts: set[int] = set()
    starts, ends = [], []
    for mask in masks:
        starts.append((mask & -mask).bit_length() - 1)
        ends.append(mask.bit_length() - 1)
        changes = (mask ^ (mask >> 1)) & inner
        while changes:
            bit = changes & -changes
            cuts.add(bit.bit_length())
            changes ^= bit
    if not cuts:
        return None
    starts.sort()
    ends.sort()
    count = len(masks)
    best: tuple[tuple[int, int], int] | None = None
    for cut in cuts:
        below, above = bisect.bisect_left(ends, cut), count - bisect.bisect_left(starts, cut)
        crossing = count - below - above
        score = (crossing, -min(below, above))
        if best is None or score < best[0]:
            best = (score, cut)
    assert best is not None
    return best[0], region & ((1 << best[1]) - 1)


def _unordered_cut(region: int, masks: list[int]) -> tuple[tuple[int, int], int] | None:
    """A set of atoms to split off an enumeration's region: one of the masks, chosen as above."""
    shapes = Counter(min(m, region & ~m) for m in masks if m != region)
    if not shapes:
        return None
    best: tuple[tuple[int, int], int] | None = None
    for part, _ in shapes.most_common(MAX_UNORDERED_CANDIDATES):
        rest = region & ~part
        below = sum(1 for m in masks if not m & rest)
        above = sum(1 for m in masks if not m & part)
        score = (len(masks) - below - above, -min(below, above))
        if best is None or score < best[0]:
            best = (score, part)
    assert best is not None
    return best
