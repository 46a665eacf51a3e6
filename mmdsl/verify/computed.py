"""Numeric facts for the verifier: every value a computed number can take, with the patients who
get it, exact.

A test on a numeric fact (`score >= 2`) is the union of the patients of the values that pass it,
as for an aggregating table's number. The values are enumerated: an `if` splits the patients by
its condition (a BDD), a whole-number input with a declared range gives one value per number of
the range (its thresholds are added to the input's variables, so `x == v` is exact), and
arithmetic combines values pairwise with exact fractions. What cannot be enumerated (a decimal
input, an unbounded or too large range, too many values) is `Unverifiable`: the tables that read
it are reported as not checked, never as proved.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, numbers_read, parts
from mmdsl.verify.bdd import BDD, FALSE, TRUE
from mmdsl.verify.realise import Expr

MAX_VALUES = 1_024
"""Distinct values a numeric fact (or an input it reads, or a step of its arithmetic) may take
for the analysis to reason about it value by value."""

Values = dict[Fraction, int]  # value -> the patients (a BDD) who get it
Pieces = dict[Expr, int]  # arithmetic over decimal inputs -> the patients (a BDD) who get it


class NotEnumerable(Exception):
    """The values of a numeric fact cannot be listed; `why` says why in plain words."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def number(text: str | int | float) -> Fraction:
    """A number of the IR exactly (a float through its shortest decimal spelling)."""
    return Fraction(repr(text)) if isinstance(text, float) else Fraction(text)


def enumerated_inputs(guideline: ir.IRGuideline) -> dict[str, tuple[int, ...]]:
    """The whole-number inputs whose every value the analysis distinguishes: those read as
    numbers by a numeric fact that some condition tests (directly or through other facts). An
    input whose range is too large, or a decimal, is left out (`values` then refuses)."""
    computed = {c.name: c for c in guideline.computed}
    tested = {p.ref for c in conditions(guideline) for p in parts(c)  # type: ignore[union-attr]
              if getattr(p, "ref", None) in computed}
    reached: set[str] = set()
    stack = list(tested)
    while stack:
        name = stack.pop()
        if name in reached:
            continue
        reached.add(name)
        stack += [r for r in numbers_read(computed[name].expr) if r in computed]
    types = {i.name: i.type for i in guideline.inputs}
    found: dict[str, tuple[int, ...]] = {}
    for name in reached:
        for ref in numbers_read(computed[name].expr):
            value_type = types.get(ref)
            if value_type is not None and _enumerable(value_type):
                assert value_type.low is not None and value_type.high is not None
                found[ref] = tuple(range(int(value_type.low), int(value_type.high) + 1))
    return found


def _enumerable(value_type: ir.IRType) -> bool:
    return (value_type.kind == "integer" and value_type.low is not None
            and value_type.high is not None
            and int(value_type.high) - int(value_type.low) < MAX_VALUES)


class ComputedValues:
    """The values of each numeric fact; `condition` encodes an IR condition, `equals` the
    patients with a given value of an enumerated input."""

    def __init__(self, bdd: BDD, guideline: ir.IRGuideline, condition: Callable[[ir.Cond], int],
                 equals: Callable[[str, int], int]) -> None:
        self.bdd = bdd
        self.computed = {c.name: c for c in guideline.computed}
        self.types = {i.name: i.type for i in guideline.inputs}
        self.condition = condition
        self.equals = equals
        self._values: dict[str, Values] = {}
        self._pieces: dict[str, Pieces] = {}

    def values(self, name: str) -> Values:
        """Each value with its patients; a patient for whom the number is unknown (its
        `unknown_when`) has none, as a null input has no value for `equals`."""
        if name not in self._values:
            unknown_when = self.computed[name].unknown_when
            known = TRUE if unknown_when is None else self.bdd.negate(self.condition(unknown_when))
            found = {v: self.bdd.conjoin(p, known)
                     for v, p in self._of(self.computed[name].expr, known).items()}
            self._values[name] = {v: p for v, p in found.items() if p != FALSE}
        return self._values[name]

    def known(self, name: str) -> int:
        """The patients for whom the number has a value (not unknown)."""
        return self.bdd.any_of(list(self.values(name).values()))

    def test(self, name: str, passes: Callable[[Fraction], bool]) -> int:
        return self.bdd.any_of([patients for value, patients in self.values(name).items()
                                if passes(value)])

    def _of(self, expr: ir.NumExpr, within: int) -> Values:
        """The values of `expr` for the patients `within` (the conditions of the `if`s around it,
        so that a guarded division never meets the divisor it was guarded against)."""
        bdd = self.bdd
        match expr:
            case ir.Num():
                return {Fraction(expr.text): within}
            case ir.NoNumber():  # no value for any patient (tables reading it are refused)
                return {}
            case ir.Read():
                return self._read(expr.ref, within)
            case ir.Neg():
                return {-v: p for v, p in self._of(expr.item, within).items()}
            case ir.Pick():
                chosen = self.condition(expr.condition)
                then = self._of(expr.then, bdd.conjoin(within, chosen))
                otherwise = self._of(expr.otherwise, bdd.conjoin(within, bdd.negate(chosen)))
                return _merged(bdd, [then, otherwise])
            case ir.Calc():
                return self._calc(expr, within)
        raise TypeError(f"unknown number {expr!r}")

    def _read(self, ref: str, within: int) -> Values:
        bdd = self.bdd
        if ref in self.computed:
            found = {v: bdd.conjoin(p, within) for v, p in self.values(ref).items()}
            return {v: p for v, p in found.items() if p != FALSE}
        value_type = self.types[ref]
        if value_type.kind != "integer":
            raise NotEnumerable(f"the decimal input `{ref}`, whose values cannot be listed "
                                "one by one")
        if not _enumerable(value_type):
            raise NotEnumerable(f"the input `{ref}`, which can take more than {MAX_VALUES:,} "
                                "values" if value_type.low is not None and value_type.high is not None
                                else f"the input `{ref}`, whose range is not bounded")
        found = {Fraction(v): bdd.conjoin(self.equals(ref, v), within)
                 for v in range(int(value_type.low), int(value_type.high) + 1)}  # type: ignore[arg-type]
        return {v: p for v, p in found.items() if p != FALSE}

    # ---- pieces: a decimal number as arithmetic over its decimal inputs ----------------------------

    def pieces(self, name: str) -> Pieces:
        """A numeric fact that reads decimal inputs, as pieces: for each set of patients (an `if`
        splits them, a whole-number input takes each value of its range) the arithmetic over the
        decimal inputs that gives their value (verify/classes.py decides which values it takes)."""
        if name not in self._pieces:
            self._pieces[name] = self._pieces_of(self.computed[name].expr, TRUE)
        return self._pieces[name]

    def _pieces_of(self, expr: ir.NumExpr, within: int) -> Pieces:
        bdd = self.bdd
        match expr:
            case ir.Num():
                return {("num", Fraction(expr.text)): within}
            case ir.Read() if expr.ref in self.computed:
                found = {e: bdd.conjoin(p, within) for e, p in self.pieces(expr.ref).items()}
                return {e: p for e, p in found.items() if p != FALSE}
            case ir.Read() if self.types[expr.ref].kind == "decimal":
                value_type = self.types[expr.ref]
                if value_type.low is None or value_type.high is None:
                    raise NotEnumerable(f"the decimal input `{expr.ref}`, whose range is not bounded")
                return {("var", expr.ref): within}
            case ir.Read():
                return {("num", v): p for v, p in self._read(expr.ref, within).items()}
            case ir.Neg():
                return _pieces_merged(bdd, [{_folded("neg", e): p}
                                            for e, p in self._pieces_of(expr.item, within).items()])
            case ir.Pick():
                chosen = self.condition(expr.condition)
                then = self._pieces_of(expr.then, bdd.conjoin(within, chosen))
                otherwise = self._pieces_of(expr.otherwise, bdd.conjoin(within, bdd.negate(chosen)))
                return _pieces_merged(bdd, [then, otherwise])
            case ir.Calc():
                left = self._pieces_of(expr.left, within)
                right = self._pieces_of(expr.right, within)
                if len(left) * len(right) > MAX_VALUES * 16:
                    raise NotEnumerable(f"arithmetic over {len(left) * len(right):,} pairs of pieces")
                combined: list[Pieces] = []
                for a, pa in left.items():
                    for b, pb in right.items():
                        both = bdd.conjoin(pa, pb)
                        if both == FALSE:
                            continue
                        if expr.op == "**" and b[0] != "num":
                            raise NotEnumerable("a power whose exponent is not a whole number")
                        if (expr.op == "/" and b == ("num", 0)) or (
                                expr.op == "**" and a == ("num", 0) and b[1] < 0):
                            raise NotEnumerable("a division by a value that can be zero")
                        combined.append({_folded(expr.op, a, b): both})
                return _pieces_merged(bdd, combined)
        raise TypeError(f"unknown number {expr!r}")

    def _calc(self, expr: ir.Calc, within: int) -> Values:
        bdd = self.bdd
        left = self._of(expr.left, within)
        right = self._of(expr.right, within)
        if len(left) * len(right) > MAX_VALUES * 16:
            raise NotEnumerable(f"arithmetic over {len(left) * len(right):,} pairs of values")
        pieces: list[Values] = []
        for a, pa in left.items():
            for b, pb in right.items():
                both = bdd.conjoin(pa, pb)
                if both == FALSE:
                    continue
                if (expr.op == "/" and b == 0) or (expr.op == "**" and a == 0 and b < 0):
                    raise NotEnumerable("a division by a value that can be zero")
                pieces.append({_apply(expr.op, a, b): both})
        return _merged(bdd, pieces)


def _folded(op: str, *items: Expr) -> Expr:
    """The arithmetic of `op` over `items`, computed when every item is a number."""
    if all(item[0] == "num" for item in items):
        values = [item[1] for item in items]
        if op == "neg":
            return ("num", -values[0])
        if not (op == "/" and values[1] == 0) and not (op == "**" and values[0] == 0 and values[1] < 0):
            return ("num", _apply(op, values[0], values[1]))
    return (op, *items)


def _pieces_merged(bdd: BDD, found: list[Pieces]) -> Pieces:
    merged: Pieces = {}
    for piece in found:
        for expr, patients in piece.items():
            if patients != FALSE:
                merged[expr] = bdd.disjoin(merged.get(expr, FALSE), patients)
    if len(merged) > MAX_VALUES:
        raise NotEnumerable(f"a number made of more than {MAX_VALUES:,} pieces of arithmetic")
    return merged


def _apply(op: str, a: Fraction, b: Fraction) -> Fraction:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "**":
        return a ** int(b)  # a whole exponent (semantics/arithmetic.py holds it to one)
    return a / b


def _merged(bdd: BDD, pieces: list[Values]) -> Values:
    found: Values = {}
    for piece in pieces:
        for value, patients in piece.items():
            if patients != FALSE:
                found[value] = bdd.disjoin(found.get(value, FALSE), patients)
    if len(found) > MAX_VALUES:
        raise NotEnumerable(f"a number that can take more than {MAX_VALUES:,} values")
    return found


def passes(cond: ir.Compare | ir.OneOf, value: Fraction) -> bool:
    """Whether a value of a numeric fact passes a test on it, exactly."""
    if isinstance(cond, ir.OneOf):
        return any(number(v) == value for v in cond.values
                   if isinstance(v, int | float) and not isinstance(v, bool))
    threshold = number(cond.value)
    return {"<": value < threshold, "<=": value <= threshold, ">": value > threshold,
            ">=": value >= threshold, "==": value == threshold,
            "!=": value != threshold}[cond.op]
