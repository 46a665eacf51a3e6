"""A small reduced ordered binary decision diagram (BDD) engine.

Conditions of rules become BDDs over boolean variables (see encode.py); questions such as "can
this rule ever fire?" or "which patients does no rule cover?" become operations on them. Nodes are
hash-consed integers, so equal functions are equal numbers: `f == FALSE` decides emptiness.
"""

from __future__ import annotations

from collections.abc import Iterator

FALSE = 0
TRUE = 1

MAX_NODES = 1_000_000
"""Nodes a guideline's analysis may build: with the caches, about 300 MB."""
MAX_STEPS = 20_000_000
"""Operations (conjunctions, negations, disjointness tests) one table's analysis may perform:
about 20 seconds. Past either limit the analysis gives up on the table and says so (MD606)."""


class TooComplex(Exception):
    """The analysis would need more operations or nodes than its budget allows."""


class BDD:
    """A manager: the node store and the caches of the operations. Variables are 0..n-1, in order."""

    def __init__(self) -> None:
        self._var: list[int] = [1 << 30, 1 << 30]  # terminals sort after every variable
        self._low: list[int] = [0, 1]
        self._high: list[int] = [0, 1]
        self._unique: dict[tuple[int, int, int], int] = {}
        self._and: dict[tuple[int, int], int] = {}
        self._or: dict[tuple[int, int], int] = {}
        self._not: dict[int, int] = {FALSE: TRUE, TRUE: FALSE}
        self._count: dict[int, int] = {}
        self._disjoint: dict[tuple[int, int], bool] = {}
        self.max_nodes = MAX_NODES
        self.steps_left = MAX_STEPS

    # ---- the budget ----------------------------------------------------------------------------

    def allow(self, steps: int) -> None:
        """Allow `steps` more operations (each analysis of a table gets its own allowance)."""
        self.steps_left = steps

    def _spend(self) -> None:
        self.steps_left -= 1
        if self.steps_left < 0:
            raise TooComplex(f"more than {MAX_STEPS:,} operations")

    def spend(self, steps: int) -> None:
        """Charge work done outside the BDD (the box search of verify/boxes.py) to the budget."""
        self.steps_left -= steps
        if self.steps_left < 0:
            self._spend()

    # ---- building ------------------------------------------------------------------------------

    def node(self, var: int, low: int, high: int) -> int:
        """The node testing `var`: `low` when it is false, `high` when true (reduced, shared)."""
        if low == high:
            return low
        key = (var, low, high)
        found = self._unique.get(key)
        if found is None:
            found = len(self._var)
            if found > self.max_nodes:
                raise TooComplex(f"more than {self.max_nodes:,} nodes")
            self._var.append(var)
            self._low.append(low)
            self._high.append(high)
            self._unique[key] = found
        return found

    def variable(self, var: int) -> int:
        return self.node(var, FALSE, TRUE)

    def negate(self, f: int) -> int:
        found = self._not.get(f)
        if found is None:
            self._spend()
            found = self.node(self._var[f], self.negate(self._low[f]), self.negate(self._high[f]))
            self._not[f] = found
        return found

    def conjoin(self, f: int, g: int) -> int:
        self.steps_left -= 1  # self._spend(), inlined: the hottest call of the analysis
        if self.steps_left < 0:
            self._spend()
        if f == FALSE or g == FALSE:
            return FALSE
        if f in (TRUE, g):
            return g
        if g == TRUE:
            return f
        key = (f, g) if f < g else (g, f)
        found = self._and.get(key)
        if found is None:
            found = self._conjoin_split(f, g)
            self._and[key] = found
        return found

    def _conjoin_split(self, f: int, g: int) -> int:
        var = min(self._var[f], self._var[g])
        f0, f1 = self._cofactors(f, var)
        g0, g1 = self._cofactors(g, var)
        return self.node(var, self.conjoin(f0, g0), self.conjoin(f1, g1))

    def _cofactors(self, f: int, var: int) -> tuple[int, int]:
        if self._var[f] != var:
            return f, f
        return self._low[f], self._high[f]

    def disjoin(self, f: int, g: int) -> int:
        """f or g, by its own walk (through negations it would copy both functions twice)."""
        self.steps_left -= 1
        if self.steps_left < 0:
            self._spend()
        if f == TRUE or g == TRUE:
            return TRUE
        if f in (FALSE, g):
            return g
        if g == FALSE:
            return f
        key = (f, g) if f < g else (g, f)
        found = self._or.get(key)
        if found is None:
            var = min(self._var[f], self._var[g])
            f0, f1 = self._cofactors(f, var)
            g0, g1 = self._cofactors(g, var)
            found = self.node(var, self.disjoin(f0, g0), self.disjoin(f1, g1))
            self._or[key] = found
        return found

    def all_of(self, items: list[int]) -> int:
        result = TRUE
        for item in items:
            result = self.conjoin(result, item)
            if result == FALSE:
                break
        return result

    def any_of(self, items: list[int]) -> int:
        result = FALSE
        for item in items:
            result = self.disjoin(result, item)
            if result == TRUE:
                break
        return result

    def exists(self, f: int, variables: set[int]) -> int:
        """f with the given variables projected away: true where some value of them makes f true."""
        memo: dict[int, int] = {}

        def project(node: int) -> int:
            if node in (FALSE, TRUE):
                return node
            found = memo.get(node)
            if found is None:
                self._spend()
                low, high = project(self._low[node]), project(self._high[node])
                var = self._var[node]
                found = self.disjoin(low, high) if var in variables else self.node(var, low, high)
                memo[node] = found
            return found

        return project(f)

    def implies(self, f: int, g: int) -> bool:
        """Does every assignment satisfying f satisfy g?"""
        return self.disjoint(f, self.negate(g))

    def intersects(self, f: int, g: int) -> bool:
        return not self.disjoint(f, g)

    def disjoint(self, f: int, g: int) -> bool:
        """Is f ∧ g unsatisfiable? Decided by walking both, without building f ∧ g."""
        self.steps_left -= 1
        if self.steps_left < 0:
            self._spend()
        if f == FALSE or g == FALSE:
            return True
        if TRUE in (f, g) or f == g:
            return False  # f ∧ TRUE = f, which is not FALSE here
        key = (f, g) if f < g else (g, f)
        found = self._disjoint.get(key)
        if found is None:
            var = min(self._var[f], self._var[g])
            f0, f1 = self._cofactors(f, var)
            g0, g1 = self._cofactors(g, var)
            found = self.disjoint(f0, g0) and self.disjoint(f1, g1)
            self._disjoint[key] = found
        return found

    def restrict(self, f: int, var: int, value: bool) -> int:
        """f with `var` fixed to `value` (a cofactor)."""
        memo: dict[int, int] = {}

        def walk(node: int) -> int:
            if node in (FALSE, TRUE) or self._var[node] > var:
                return node
            found = memo.get(node)
            if found is None:
                self._spend()
                if self._var[node] == var:
                    found = self._high[node] if value else self._low[node]
                else:
                    found = self.node(self._var[node], walk(self._low[node]), walk(self._high[node]))
                memo[node] = found
            return found

        return walk(f)

    # ---- reading -----------------------------------------------------------------------------------

    def support(self, f: int) -> set[int]:
        """The variables f depends on."""
        found: set[int] = set()
        seen: set[int] = set()
        stack = [f]
        while stack:
            node = stack.pop()
            if node in (FALSE, TRUE) or node in seen:
                continue
            seen.add(node)
            found.add(self._var[node])
            stack += (self._low[node], self._high[node])
        return found

    def forced(self, f: int, variables: int) -> dict[int, bool]:
        """The variables among 0..variables-1 that have one and the same value in every assignment
        satisfying f (f not FALSE). One walk: a variable is free when some path to TRUE skips it
        or some node of it has two satisfiable branches."""
        nodes = self._reachable(f)
        skipped = [0] * (variables + 1)  # a difference array: +1 where a skipped run starts

        def skip(first: int, last: int) -> None:  # variables first..last-1
            if first < last:
                skipped[first] += 1
                skipped[last] -= 1

        skip(0, min(self._var[f], variables))
        values: dict[int, set[bool]] = {}
        for node in nodes:
            var = self._var[node]
            for child, value in ((self._low[node], False), (self._high[node], True)):
                if child != FALSE:
                    values.setdefault(var, set()).add(value)
                    skip(var + 1, min(self._var[child], variables))
        forced: dict[int, bool] = {}
        running = 0
        for var in range(variables):
            running += skipped[var]
            taken = values.get(var, set())
            if not running and len(taken) == 1:
                forced[var] = next(iter(taken))
        return forced

    def _reachable(self, f: int) -> list[int]:
        seen: set[int] = set()
        stack = [f]
        while stack:
            node = stack.pop()
            if node in (FALSE, TRUE) or node in seen:
                continue
            seen.add(node)
            stack += (self._low[node], self._high[node])
        return list(seen)

    def cube(self, literals: dict[int, bool]) -> int:
        """The conjunction of the literals, built bottom-up in as many nodes as literals."""
        f = TRUE
        for var in sorted(literals, reverse=True):
            f = self.node(var, FALSE, f) if literals[var] else self.node(var, f, FALSE)
        return f

    def chain(self, variables: list[int]) -> int:
        """Each variable implies the one before it (they come in variable order): x >= 4 implies
        x >= 2. Built bottom-up in as many nodes as variables."""
        all_false, prefix = TRUE, TRUE
        for var in reversed(variables):
            prefix = self.node(var, all_false, prefix)
            all_false = self.node(var, all_false, FALSE)
        return prefix

    def holds(self, f: int, assignment: dict[int, bool]) -> bool:
        """The value of f when each variable has its value in `assignment` (missing: false)."""
        while f not in (FALSE, TRUE):
            f = self._high[f] if assignment.get(self._var[f], False) else self._low[f]
        return f == TRUE

    def top_var(self, f: int) -> int:
        return self._var[f]

    def low(self, f: int) -> int:
        return self._low[f]

    def high(self, f: int) -> int:
        return self._high[f]

    def one_assignment(self, f: int) -> dict[int, bool] | None:
        """Values for the variables on one path to TRUE (others are free), or None if f is FALSE."""
        if f == FALSE:
            return None
        path: dict[int, bool] = {}
        while f != TRUE:
            if self._low[f] != FALSE:
                path[self._var[f]] = False
                f = self._low[f]
            else:
                path[self._var[f]] = True
                f = self._high[f]
        return path

    def cubes(self, f: int) -> Iterator[dict[int, bool]]:
        """The paths to TRUE: disjoint partial assignments whose union is f."""
        stack: list[tuple[int, dict[int, bool]]] = [(f, {})]
        while stack:
            node, path = stack.pop()
            if node == TRUE:
                yield path
            elif node != FALSE:
                stack.append((self._high[node], {**path, self._var[node]: True}))
                stack.append((self._low[node], {**path, self._var[node]: False}))

    def count(self, f: int, variables: int) -> int:
        """How many assignments of the variables 0..variables-1 satisfy f."""
        return self._count_from(f, variables) << self._level(f, variables)

    def _level(self, f: int, variables: int) -> int:
        return min(self._var[f], variables)

    def _count_from(self, f: int, variables: int) -> int:
        if f in (FALSE, TRUE):
            return f
        found = self._count.get(f)
        if found is None:
            self._spend()
            var = self._var[f]
            low, high = self._low[f], self._high[f]
            found = (self._count_from(low, variables) << (self._level(low, variables) - var - 1)) + (
                self._count_from(high, variables) << (self._level(high, variables) - var - 1))
            self._count[f] = found
        return found

    @property
    def size(self) -> int:
        return len(self._var)
