"""From IR conditions to BDDs over boolean variables that describe a patient.

Each input is a dimension with its own variables:
- yes/no: one variable;
- integer and decimal: one variable per threshold the tables use ("x >= 4", "x > 1.5"), ordered so
  that a larger threshold implies the smaller ones (an order encoding: a range is a cube);
- enumeration and text: one variable per member (exactly one is true; text has an `other`);
- set of an enumeration: one variable per member (is it in the set?);
- an input declared `or unknown` has one more variable, "known": when it is false the input is
  null, its value variables are all false (one canonical value) and every test on its value is
  false, as the interpreter has it; `IsSet` of the input is that variable.
A yes/no fact that may be unknown is its `condition` when yes and its `false_when` when no.
The domain function holds the constraints between variables (exactly one member, threshold order,
`includes`). Derived facts and the results of earlier tables are expanded into their definitions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, parts, refs_read
from mmdsl.verify.bdd import BDD, FALSE, TRUE, TooComplex
from mmdsl.verify.classes import FactClasses, decimal_facts, decimal_inputs, relation
from mmdsl.verify.computed import ComputedValues, NotEnumerable, enumerated_inputs, passes
from mmdsl.verify.days import clock_cell, day_cell, is_clock, is_day
from mmdsl.verify.moments import is_moment, is_seconds, moment_cell, seconds_cell
from mmdsl.verify.time import abstract_time

OTHER_TEXT = "\u0000other"  # the member that stands for every text value no table names
MAX_VARIABLES = 2_000
"""Boolean variables (thresholds, members, cells) of one guideline: the operations recurse once
per variable, and more would be beyond what the analysis can do in reasonable time anyway."""


MAX_NUMBER_VALUES = 1_024
"""Distinct values an aggregating table's number may take for the analysis to reason about it
value by value: a points score of 15 yes/no items and 3 ranged ones takes a few dozen; a sum of
points 1, 2, 4, ..., 1024 (every subset a different number) is beyond it."""


class Unverifiable(Exception):
    """A condition reads a value the analysis cannot reason about."""

    def __init__(self, ref: str, why: str = "") -> None:
        super().__init__(ref)
        self.ref = ref
        self.why = why or "an aggregated number that the analysis cannot reason about"


@dataclass
class Dimension:
    """One input and the variables that describe its value."""

    input: ir.IRInput
    members: dict[str, int] = field(default_factory=dict)  # enum, text, set: member -> variable
    thresholds: list[tuple[tuple[float, bool], int]] = field(default_factory=list)  # (value, strict)
    flag: int | None = None  # yes/no
    known: int | None = None  # declared `or unknown`: is the value given (not null)?
    _threshold_vars: dict[tuple[float, bool], int] = field(default_factory=dict)

    def threshold_var(self, key: tuple[float, bool]) -> int:
        if len(self._threshold_vars) != len(self.thresholds):
            self._threshold_vars = dict(self.thresholds)
        return self._threshold_vars[key]

    @property
    def kind(self) -> str:
        return self.input.type.kind

    def variables(self) -> list[int]:
        found = list(self.members.values()) + [v for _, v in self.thresholds]
        return found + [v for v in (self.flag, self.known) if v is not None]

    def values(self) -> list[int]:
        """The variables of the value (without "known")."""
        found = list(self.members.values()) + [v for _, v in self.thresholds]
        return found + ([self.flag] if self.flag is not None else [])


class Encoder:
    """Encodes the conditions of one guideline; shares one BDD manager across all its tables."""

    def __init__(self, guideline: ir.IRGuideline) -> None:
        self.original = guideline  # as the interpreter reads it, to check witnesses
        # dates become one enumeration per group of durations (verify/time.py, exact)
        guideline, self.time = abstract_time(guideline)
        self.guideline = guideline
        self.bdd = BDD()
        self.variable_count = 0
        self.dimensions: dict[str, Dimension] = {}
        self.owner: dict[int, Dimension] = {}
        constants = _numeric_constants(guideline)
        self._add_dimensions(constants)
        self.decimal_classes, self._refused_facts = self._add_decimal_facts()
        self.orders = self._orders()
        includes = self.bdd.all_of([c for d in self.dimensions.values() for c in self._includes(d)])
        self.domain = self.bdd.all_of([self.orders, includes, self._exactly_one_members(),
                                       self._canonical_unknowns()])
        self.input_variable_count = self.variable_count
        self._facts: dict[str, int] = {}
        self._fact_decls = {f.name: f for f in guideline.facts}
        self._unknown_refs = {  # what is not analysed yet, and why
            **{c.name: "a computed number that may be unknown and reads a decimal input"
               for c in guideline.computed
               if c.unknown_when is not None and _reads_decimal(c, guideline)}}
        self._tables = {t.name: t for t in guideline.tables}
        self._matches: dict[str, list[int]] = {}
        self._selections: dict[str, list[int]] = {}
        self._numbers: dict[str, dict[ir.Scalar | None, int]] = {}
        self._input_tests: dict[ir.Cond, int] = {}  # a table repeats its cells rule after rule
        self.computed = ComputedValues(
            self.bdd, guideline, self.condition,
            lambda ref, value: self._input_test(self.dimensions[ref], ir.Compare(ref, "==", value)))
        self.certain = TRUE  # the domain less the combinations of classes no witness reaches
        self.linked: set[int] = set()  # input variables the decimal facts' classes depend on
        self._relate_decimal_facts()
        scope = guideline.scope
        # patients in an impossible combination are no patients: they count as outside the scope
        # (so that no input they read becomes an axis of verify/boxes.py, whose exactness needs it)
        possible = self.bdd.negate(self.bdd.any_of([self.condition(i.condition)
                                                    for i in guideline.impossible]))
        self.scope = self.bdd.conjoin(self.condition(scope.condition) if scope else TRUE, possible)
        self.in_scope = self.bdd.conjoin(self.domain, self.scope)
        self.fixed_by_scope = self._fixed_by_scope()

    def _add_decimal_facts(self) -> tuple[dict[str, FactClasses], dict[str, str]]:
        """Variables for the classes of each decimal fact (verify/classes.py), after the inputs'."""
        found, refused = decimal_facts(self.guideline)
        computed = {c.name: c for c in self.guideline.computed}
        constants = _fact_constants(self.guideline, set(found))
        classes = {}
        for name, inputs in found.items():
            fact = computed[name]
            dimension = Dimension(ir.IRInput(name, fact.type, True, None, None, fact.description))
            for key in sorted(k for k in constants.get(name, set()) if _inside_bounds(k, fact.type)):
                dimension.thresholds.append((key, self._new_variable(dimension)))
            classes[name] = FactClasses(name, dimension, inputs)
        return classes, refused

    def _relate_decimal_facts(self) -> None:
        """The domain says which classes of each decimal fact each patient can be in."""
        for fact in self.decimal_classes.values():
            try:
                may, sure = relation(self, fact)
            except NotEnumerable as refused:
                self._refused_facts[fact.name] = refused.why
                continue
            self.domain = self.bdd.conjoin(self.domain, may)
            self.certain = self.bdd.conjoin(self.certain, sure)
            self.linked |= self.bdd.support(may)

    def _fixed_by_scope(self) -> dict[int, bool]:
        """Variables that the scope and the domain fix (every in-scope patient has the same value)."""
        if self.in_scope == FALSE:
            return dict.fromkeys(range(self.variable_count), True)  # nobody in scope: vacuous
        return self.bdd.forced(self.in_scope, self.variable_count)

    # ---- variables ------------------------------------------------------------------------------

    def _new_variable(self, dimension: Dimension) -> int:
        var = self.new_free_variable()
        self.owner[var] = dimension
        return var

    def new_free_variable(self) -> int:
        """A variable that belongs to no input (verify/columns.py ties it to a condition)."""
        if self.variable_count >= MAX_VARIABLES:
            raise TooComplex(f"more than {MAX_VARIABLES:,} distinct values to tell apart")
        var = self.variable_count
        self.variable_count += 1
        return var

    def _add_dimensions(self, constants: dict[str, set[tuple[float, bool]]]) -> None:
        """One dimension per input, in declaration order; then their variables, in an order that
        keeps the BDDs small (see `_variable_plan`)."""
        for item in self.guideline.inputs:
            self.dimensions[item.name] = Dimension(item)
        for dimension, key in self._variable_plan(constants):
            if dimension.input.unknown and dimension.known is None:  # before its value's variables
                dimension.known = self._new_variable(dimension)
            var = self._new_variable(dimension)
            if dimension.kind == "bool":
                dimension.flag = var
            elif dimension.kind in ("integer", "decimal"):
                dimension.thresholds.append((key, var))  # type: ignore[arg-type]
            else:
                dimension.members[str(key)] = var
        for dimension in self.dimensions.values():  # one whose value no condition tests
            if dimension.input.unknown and dimension.known is None:
                dimension.known = self._new_variable(dimension)

    def _variable_plan(self, constants: dict[str, set[tuple[float, bool]]]) -> list[tuple[Dimension, object]]:
        """Which variable comes where. A set and the set it includes are interleaved member by
        member: `exposed includes refractory` ties each member's two variables together, which
        costs a few nodes per member side by side, but 2 to the number of members when all of one
        set's variables come first."""
        plan: list[tuple[Dimension, object]] = []
        placed: set[str] = set()
        for name, dimension in self.dimensions.items():
            if name in placed:
                continue
            placed.add(name)
            partner = self._including_partner(dimension, placed)
            if partner is not None:
                placed.add(partner.input.name)
                plan += [(d, m) for m in dimension.input.type.members for d in (dimension, partner)]
            else:
                plan += [(dimension, key) for key in self._keys(dimension, constants.get(name, set()))]
        return plan

    def _including_partner(self, dimension: Dimension, placed: set[str]) -> Dimension | None:
        if dimension.kind != "set":
            return None
        return next((other for other in self.dimensions.values()
                     if other.kind == "set" and other.input.name not in placed
                     and other.input.type.members == dimension.input.type.members
                     and _one_includes_the_other(dimension.input, other.input)), None)

    def _keys(self, dimension: Dimension, constants: set[tuple[float, bool]]) -> list[object]:
        item = dimension.input
        if item.type.kind == "bool":
            return [None]
        if item.type.kind in ("enum", "set"):
            return list(item.type.members)
        if item.type.kind == "text":
            return [*sorted({str(v) for v in _text_constants(self.guideline, item.name)}), OTHER_TEXT]
        return [k for k in sorted(constants) if _inside_bounds(k, item.type)]

    def _exactly_one_members(self) -> int:
        """An enumeration or text value is exactly one of its members (when it is known)."""
        return self.bdd.all_of([self._when_known(d, self._exactly_one(list(d.members.values())))
                                for d in self.dimensions.values() if d.kind in ("enum", "text")])

    def _when_known(self, dimension: Dimension, holds: int) -> int:
        if dimension.known is None:
            return holds
        return self.bdd.disjoin(self.bdd.negate(self.bdd.variable(dimension.known)), holds)

    def _canonical_unknowns(self) -> int:
        """An unknown (null) value has all its value variables false: one patient, not many."""
        bdd = self.bdd
        return bdd.all_of([bdd.disjoin(bdd.variable(d.known),
                                       bdd.all_of([bdd.negate(bdd.variable(v)) for v in d.values()]))
                           for d in self.dimensions.values() if d.known is not None])

    def _orders(self) -> int:
        """Thresholds in order: x >= 4 implies x >= 2 (of inputs and of decimal facts' classes)."""
        dimensions = [*self.dimensions.values(), *(f.dimension for f in self.decimal_classes.values())]
        return self.bdd.all_of([self.bdd.chain([v for _, v in dimension.thresholds])
                                for dimension in dimensions])

    def _exactly_one(self, variables: list[int]) -> int:
        bdd = self.bdd
        result = FALSE
        for chosen in variables:
            term = bdd.all_of([bdd.variable(v) if v == chosen else bdd.negate(bdd.variable(v))
                               for v in variables])
            result = bdd.disjoin(result, term)
        return result

    def _includes(self, dimension: Dimension) -> list[int]:
        """`exposed includes refractory`: a member of refractory is a member of exposed."""
        other = self.dimensions.get(dimension.input.includes or "")
        if other is None:
            return []
        bdd = self.bdd
        return [self._when_known(dimension, self._when_known(other, bdd.disjoin(
                    bdd.negate(bdd.variable(other.members[m])), bdd.variable(v))))
                for m, v in dimension.members.items() if m in other.members]

    # ---- conditions -----------------------------------------------------------------------------------

    def condition(self, cond: ir.Cond) -> int:
        bdd = self.bdd
        match cond:
            case ir.Always():
                return TRUE
            case ir.Not():
                return bdd.negate(self.condition(cond.item))
            case ir.AllOf():
                return bdd.all_of([self.condition(c) for c in cond.items])
            case ir.AnyOf():
                return bdd.any_of([self.condition(c) for c in cond.items])
            case ir.IsSet():
                return self._is_set(cond.ref)
            case ir.Compare() | ir.OneOf() | ir.SetTest():
                return self._test(cond)
            case ir.Elapsed():
                for ref in (cond.ref, cond.start, cond.end):
                    self._refuse_unknown(ref)
                if cond.unit == "seconds":
                    raise Unverifiable(cond.ref, "a duration between dates and times whose "
                                       "ends are also tested against fixed dates and times, or "
                                       "are joined by durations in a cycle, which the analysis "
                                       "cannot reason about")
                swapped = self.time.condition(cond)
                if swapped != cond:
                    return self.condition(swapped)
                raise self._unfinite(cond.ref)  # a duration verify/time.py could not make finite
            case ir.AtTime():
                raise Unverifiable(cond.ref, "a date and time tested against a fixed date and "
                                   "time and also counted in a duration (`time from`), which the "
                                   "analysis cannot reason about together")
            case ir.AtClock():  # never reached: verify/days.py reads times of day as seconds
                raise Unverifiable(cond.ref, "a time of day, which the analysis does not "
                                   "reason about here")
            case ir.OnDay():  # a date counted in a duration too (verify/days.py)
                raise Unverifiable(cond.ref, "a date tested against a fixed calendar day and also "
                                   "counted in a duration (`time from`), which the analysis "
                                   "cannot reason about together")
        raise TypeError(f"unknown condition {cond!r}")

    def _unfinite(self, ref: str) -> Unverifiable:
        """Why a duration was left as it is (verify/time.py): in words."""
        [interval] = [i for i in self.original.intervals if i.name == ref]
        if any(i.unknown for i in self.original.inputs if i.name in (interval.start, interval.end)):
            return Unverifiable(ref, "a duration from or to a date declared `or unknown` that "
                                "another duration also counts from, which the analysis cannot "
                                "reason about")
        return Unverifiable(ref, "a duration whose end date is another duration's start, which "
                            "the analysis cannot reason about")

    def _refuse_unknown(self, ref: str) -> None:
        """A date that may be unknown (null), or a computed number that may be: not encoded yet,
        no proof is claimed over it."""
        if ref in self._unknown_refs:
            raise Unverifiable(ref, f"{self._unknown_refs[ref]}, which the analysis does not "
                               "reason about yet")

    def _test(self, cond: ir.Compare | ir.OneOf | ir.SetTest) -> int:
        self._refuse_unknown(cond.ref)
        if cond.ref in self.dimensions:
            known = self._input_tests.get(cond)
            if known is None:
                known = self._input_tests[cond] = self._input_test(self.dimensions[cond.ref], cond)
            return known
        if cond.ref in self.computed.computed:
            return self._computed_test(cond)
        fact = self._fact_decls.get(cond.ref)
        if fact is not None:
            value = self.fact(fact.name)
            assert isinstance(cond, ir.OneOf)
            if fact.false_when is None:
                return self._bool_value(value, cond.values)
            # Kleene: yes is its condition, no its `false_when`, neither unknown (no test holds)
            return self.bdd.any_of(([value] if True in cond.values else [])
                                   + ([self.fact_false(fact.name)] if False in cond.values else []))
        return self._output_test(cond)

    def _computed_test(self, cond: ir.Compare | ir.OneOf | ir.SetTest) -> int:
        """A test on a numeric fact: the patients of the values that pass it (verify/computed.py)."""
        assert isinstance(cond, ir.Compare | ir.OneOf)
        if cond.ref in self._refused_facts:
            raise Unverifiable(cond.ref, f"a computed number over {self._refused_facts[cond.ref]}")
        if cond.ref in self.decimal_classes:
            return self._input_test(self.decimal_classes[cond.ref].dimension, cond)
        try:
            return self.computed.test(cond.ref, lambda value: passes(cond, value))
        except NotEnumerable as refused:
            raise Unverifiable(cond.ref, f"a computed number over {refused.why}") from None

    def fact(self, name: str) -> int:
        if name not in self._facts:
            for pending in self._unencoded_facts_read_by(name):
                self._facts[pending] = self.condition(self._fact_decls[pending].condition)
        return self._facts[name]

    def fact_false(self, name: str) -> int:
        """The patients for whom a fact that may be unknown is no (its `false_when`)."""
        false_when = self._fact_decls[name].false_when
        if false_when is None:
            return self.bdd.negate(self.fact(name))
        key = f"\u0000no {name}"
        if key not in self._facts:
            self.fact(name)  # the facts it reads, in order
            self._facts[key] = self.condition(false_when)
        return self._facts[key]

    def _unencoded_facts_read_by(self, name: str) -> list[str]:
        """`name` and the facts it reads, directly or not, that are not encoded yet, each after
        the facts it reads: encoded in this order, no fact recurses into the next (a chain of
        20,000 facts would overflow the stack)."""
        order: list[str] = []
        seen: set[str] = set()
        stack = [(name, False)]
        while stack:
            current, done = stack.pop()
            if done:
                order.append(current)
                continue
            if current in seen or current in self._facts:
                continue
            seen.add(current)
            stack.append((current, True))
            stack += [(ref, False) for ref in refs_read(self._fact_decls[current].condition)
                      if ref in self._fact_decls and ref not in seen]
        return order

    def _bool_value(self, value: int, wanted: tuple[ir.Scalar, ...]) -> int:
        result = FALSE
        if True in wanted:
            result = self.bdd.disjoin(result, value)
        if False in wanted:
            result = self.bdd.disjoin(result, self.bdd.negate(value))
        return result

    def _input_test(self, dimension: Dimension, cond: ir.Compare | ir.OneOf | ir.SetTest) -> int:
        """A test on an input's value: false when the input is unknown (null), as in the
        interpreter, whether or not the IR guards it with `IsSet`."""
        value = self._value_test(dimension, cond)
        if dimension.known is None:
            return value
        return self.bdd.conjoin(self.bdd.variable(dimension.known), value)

    def _value_test(self, dimension: Dimension, cond: ir.Compare | ir.OneOf | ir.SetTest) -> int:
        bdd = self.bdd
        if isinstance(cond, ir.SetTest):
            members = [bdd.variable(dimension.members[m]) for m in cond.members if m in dimension.members]
            if cond.quantifier == "all":
                return bdd.all_of(members)
            found = bdd.any_of(members)
            return bdd.negate(found) if cond.quantifier == "none" else found
        if isinstance(cond, ir.Compare):
            return self._compare(dimension, cond.op, cond.value)
        if dimension.flag is not None:
            return self._bool_value(bdd.variable(dimension.flag), cond.values)
        if dimension.thresholds or dimension.kind in ("integer", "decimal"):
            return bdd.any_of([self._compare(dimension, "==", float(v)) for v in cond.values
                               if isinstance(v, int | float) and not isinstance(v, bool)])
        return bdd.any_of([bdd.variable(dimension.members[str(v)]) for v in cond.values
                           if str(v) in dimension.members])

    def _compare(self, dimension: Dimension, op: str, value: float) -> int:
        bdd = self.bdd
        if op == "!=":
            return bdd.negate(self._compare(dimension, "==", value))
        if op == "==":
            return bdd.conjoin(self._compare(dimension, ">=", value), self._compare(dimension, "<=", value))
        at_least = self._at_least(dimension, op, value)
        return at_least if op in (">=", ">") else bdd.negate(at_least)

    def _at_least(self, dimension: Dimension, op: str, value: float) -> int:
        """The variable for `x >= value` / `x > value` (or `x > value` for `<=`, `x >= value` for `<`)."""
        key = threshold_key(dimension.input.type, op, value)
        if not _inside_bounds(key, dimension.input.type):
            return TRUE if _below_bounds(key, dimension.input.type) else FALSE
        return self.bdd.variable(dimension.threshold_var(key))

    # ---- results of earlier tables ---------------------------------------------------------------------

    def matches(self, table: ir.IRTable) -> list[int]:
        """For each rule, the patients it matches (before the hit policy picks)."""
        if table.name not in self._matches:
            table = self.time.table(table)
            self._matches[table.name] = [self.bdd.all_of([self.condition(t) for t in rule.tests])
                                         for rule in table.rules]
        return self._matches[table.name]

    def selections(self, table: ir.IRTable) -> list[int]:
        """For each rule of a single-hit table, the patients whose result comes from that rule."""
        if table.name not in self._selections:
            table = self.time.table(table)
            self._selections[table.name] = list(_selections(self.bdd, table, self.matches(table)))
        return self._selections[table.name]

    def _is_set(self, ref: str) -> int:
        self._refuse_unknown(ref)
        dimension = self.dimensions.get(ref)
        if dimension is not None and dimension.known is not None:  # `or unknown`: not null
            return self.bdd.variable(dimension.known)
        if ref in self.computed.computed and self.computed.computed[ref].unknown_when is not None:
            try:  # a computed number that may be unknown: has it a value?
                return self.computed.known(ref)
            except NotEnumerable as refused:
                raise Unverifiable(ref, f"a computed number over {refused.why}") from None
        fact = self._fact_decls.get(ref)
        if fact is not None:  # yes or no; neither: unknown
            return self.bdd.disjoin(self.fact(ref), self.fact_false(ref))
        if self._tables.get(ref) is not None:
            return self._number_test(self._tables[ref], ir.IsSet(ref))
        if any(i.name == ref for i in self.original.intervals):  # not made finite (time.py)
            raise self._unfinite(ref)
        table, output = self._table_output(ref)
        index = [o.name for o in table.outputs].index(output)
        chosen = [s for rule, s in zip(table.rules, self.selections(table), strict=True)
                  if rule.outputs[index] is not None]
        return self.bdd.any_of(chosen)

    def _table_output(self, ref: str) -> tuple[ir.IRTable, str]:
        name, _, output = ref.partition(".")
        table = self._tables.get(name)
        if table is None or not output:
            raise Unverifiable(ref)
        return table, output

    def _output_test(self, cond: ir.Compare | ir.OneOf | ir.SetTest) -> int:
        if self._tables.get(cond.ref) is not None:
            return self._number_test(self._tables[cond.ref], cond)
        table, output = self._table_output(cond.ref)
        index = [o.name for o in table.outputs].index(output)
        if table.result_kind == "single":
            chosen = [s for rule, s in zip(table.rules, self.selections(table), strict=True)
                      if _value_passes(rule.outputs[index], cond)]
            return self.bdd.any_of(chosen)
        assert isinstance(cond, ir.SetTest)
        return self._collected_test(table, index, cond)

    def _collected_test(self, table: ir.IRTable, index: int, cond: ir.SetTest) -> int:
        bdd = self.bdd
        contains = [bdd.any_of([m for rule, m in zip(table.rules, self.matches(table), strict=True)
                                if rule.outputs[index] == member]) for member in cond.members]
        if cond.quantifier == "all":
            return bdd.all_of(contains)
        found = bdd.any_of(contains)
        return bdd.negate(found) if cond.quantifier == "none" else found

    # ---- numbers of aggregating tables (collect sum, count, min, max) ------------------------------

    def numbers(self, table: ir.IRTable) -> dict[ir.Scalar | None, int]:
        """Every value the table's number can take, with the patients who get it (None: no
        value). The values are finite: a sum of some of the rules' points, a count of distinct
        outputs, one rule's value; so a test on the number is the union of the patients of the
        values that pass it, exact as any other condition."""
        if table.name not in self._numbers:
            self._numbers[table.name] = _number_values(self.bdd, table, self.matches(table))
        return self._numbers[table.name]

    def _number_test(self, table: ir.IRTable, cond: ir.Cond) -> int:
        values = self.numbers(table)
        if isinstance(cond, ir.IsSet):
            return self.bdd.any_of([f for value, f in values.items() if value is not None])
        assert isinstance(cond, ir.Compare | ir.OneOf)
        return self.bdd.any_of([f for value, f in values.items() if _value_passes(value, cond)])


    def with_implied_thresholds(self, cube: dict[int, bool]) -> dict[int, bool]:
        """The cube with the thresholds its own thresholds imply (x >= 4 implies x >= 2)."""
        completed = dict(cube)
        for dimension in self.dimensions.values():
            chain = [v for _, v in dimension.thresholds]
            true_at = [i for i, v in enumerate(chain) if cube.get(v) is True]
            false_at = [i for i, v in enumerate(chain) if cube.get(v) is False]
            completed.update(dict.fromkeys(chain[:max(true_at) + 1], True) if true_at else {})
            completed.update(dict.fromkeys(chain[min(false_at):], False) if false_at else {})
        return completed

    # ---- suggested cells ---------------------------------------------------------------------------------

    def cell_for_region(self, column: ir.IRColumn, region: int) -> str:
        """A cell of `column` that holds for every patient of `region` (`-` when none is simpler)."""
        fact = next((f for f in self.guideline.facts if f.name == column.ref), None)
        if fact is not None:
            if fact.false_when is None:
                return self._yes_no_cell(self.fact(fact.name), region)
            return self._kleene_cell(self.fact(fact.name), self.fact_false(fact.name), region)
        if column.ref in self.time.known:  # a duration from or to a date that may be null
            known = self.condition(self.time.condition(ir.IsSet(column.ref)))
            if self.bdd.implies(region, self.bdd.negate(known)):
                return "unknown"
            if column.ref not in self.dimensions and self.bdd.implies(region, known):
                return "not unknown"  # (one of several durations: no cell of its atoms)
        dimension = self.dimensions.get(column.ref)
        if column.ref in self.decimal_classes:
            dimension = self.decimal_classes[column.ref].dimension
        if dimension is None:
            return "-"
        if dimension.known is not None:  # `or unknown`: the value's cell only when it is known
            known = self.bdd.variable(dimension.known)
            if self.bdd.implies(region, self.bdd.negate(known)):
                return "unknown"
            if not self.bdd.implies(region, known):
                return "-"
            cell = self._value_cell(dimension, region)
            return "not unknown" if cell == "-" else cell
        return self._value_cell(dimension, region)

    def _kleene_cell(self, yes: int, no: int, region: int) -> str:
        bdd = self.bdd
        for cell, holds in (("yes", yes), ("no", no),
                            ("unknown", bdd.negate(bdd.disjoin(yes, no)))):
            if bdd.implies(region, holds):
                return cell
        return "-"

    def _value_cell(self, dimension: Dimension, region: int) -> str:
        if dimension.flag is not None:
            return self._yes_no_cell(self.bdd.variable(dimension.flag), region)
        if dimension.kind == "set":
            return self._set_cell(dimension, region)
        if dimension.kind in ("enum", "text"):
            return self._member_cell(dimension, region)
        return self._interval_cell(dimension, region)

    def _yes_no_cell(self, value: int, region: int) -> str:
        if self.bdd.implies(region, value):
            return "yes"
        return "no" if self.bdd.implies(region, self.bdd.negate(value)) else "-"

    def _set_cell(self, dimension: Dimension, region: int) -> str:
        bdd = self.bdd
        has = [m for m, v in dimension.members.items() if bdd.implies(region, bdd.variable(v))]
        lacks = [m for m, v in dimension.members.items()
                 if bdd.implies(region, bdd.negate(bdd.variable(v)))]
        if has:
            return f"has {has[0]}" if len(has) == 1 else f"all of ({', '.join(has)})"
        return f"none of ({', '.join(lacks)})" if lacks else "-"

    def _member_cell(self, dimension: Dimension, region: int) -> str:
        possible = [m for m, v in dimension.members.items()
                    if self.bdd.conjoin(region, self.bdd.variable(v)) != FALSE]
        if len(possible) == len(dimension.members) or OTHER_TEXT in possible:
            return "-"
        return ", ".join(possible)

    def _interval_cell(self, dimension: Dimension, region: int) -> str:
        bdd = self.bdd
        chain = dimension.thresholds  # in order: a patient meeting one meets those before it
        below = _first(len(chain), lambda i: not bdd.implies(region, bdd.variable(chain[i][1])))
        above = _first(len(chain), lambda i: bdd.implies(region, bdd.negate(bdd.variable(chain[i][1]))))
        low = chain[below - 1][0] if below else None
        high = chain[above][0] if above < len(chain) else None
        if is_day(dimension.input.type):  # a date, read as its day number (verify/days.py)
            return day_cell(int(low[0]) if low else None, int(high[0]) - 1 if high else None)
        if is_clock(dimension.input.type):  # a time of day, read as its seconds (verify/days.py)
            return clock_cell(int(low[0]) if low else None, int(high[0]) - 1 if high else None)
        if is_moment(dimension.input.type):  # a date and time (verify/moments.py)
            return moment_cell(int(low[0]) if low else None, int(high[0]) if high else None)
        if is_seconds(dimension.input.type):  # a duration between dates and times
            return seconds_cell(int(low[0]) if low else None, int(high[0]) if high else None)
        if dimension.kind == "integer":
            return _integer_cell(low, high)
        parts = ([f"{'>' if low[1] else '>='} {low[0]:g}"] if low else []) + (
            [f"{'<=' if high[1] else '<'} {high[0]:g}"] if high else [])
        if low and high and low == (high[0], False) and high[1]:
            return f"{low[0]:g}"  # exactly the value
        if low and high:
            return f"{'[' if not low[1] else ']'}{low[0]:g}..{high[0]:g}{']' if high[1] else '['}"
        return parts[0] if parts else "-"


def _first(count: int, holds: Callable[[int], bool]) -> int:
    """The first index in 0..count-1 where a test that holds from some index on holds (count when
    none does), by halving."""
    low, high = 0, count
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _integer_cell(low: tuple[float, bool] | None, high: tuple[float, bool] | None) -> str:
    if low and high:
        first, last = int(low[0]), int(high[0]) - 1
        return str(first) if first == last else f"{first}..{last}"
    if low:
        return f">= {int(low[0])}"
    return f"< {int(high[0])}" if high else "-"


# ---- helpers ------------------------------------------------------------------------------------------


def _reads_decimal(fact: ir.IRComputed, guideline: ir.IRGuideline) -> bool:
    """Does a computed number read a decimal input (directly or through other numbers)? Such a
    number that may be unknown is not analysed yet (verify/classes.py has no unknown class)."""
    types = {i.name: i.type for i in guideline.inputs}
    computed = {c.name: c for c in guideline.computed}
    return bool(decimal_inputs(fact.name, computed, types))


def _one_includes_the_other(first: ir.IRInput, second: ir.IRInput) -> bool:
    return first.includes == second.name or second.includes == first.name


def threshold_key(value_type: ir.IRType, op: str, value: float) -> tuple[float, bool]:
    """The threshold that decides a comparison: (t, False) is `x >= t`, (t, True) is `x > t`.

    For `x <= v` it is `x > v` (negated), for `x < v` it is `x >= v` (negated). Integers use only
    `x >= t` with whole t, so that `x > 3` and `x >= 4` are one and the same variable.
    """
    strict = op in (">", "<=")
    if value_type.kind != "integer":
        return (float(value), strict)
    whole = math.floor(value) + 1 if strict else math.ceil(value)
    return (float(whole), False)


def _inside_bounds(key: tuple[float, bool], value_type: ir.IRType) -> bool:
    return not _below_bounds(key, value_type) and not _above_bounds(key, value_type)


def _below_bounds(key: tuple[float, bool], value_type: ir.IRType) -> bool:
    """Every allowed value satisfies this threshold."""
    low = value_type.low
    if low is None:
        return False
    value, strict = key
    return value < low or (value == low and not strict)


def _above_bounds(key: tuple[float, bool], value_type: ir.IRType) -> bool:
    """No allowed value satisfies this threshold."""
    high = value_type.high
    if high is None:
        return False
    value, strict = key
    return value > high or (value == high and strict)


def _all_conditions(guideline: ir.IRGuideline) -> Iterator[ir.Cond]:
    return (part for condition in conditions(guideline) for part in parts(condition))


def _numeric_constants(guideline: ir.IRGuideline) -> dict[str, set[tuple[float, bool]]]:
    types = {i.name: i.type for i in guideline.inputs}
    found: dict[str, set[tuple[float, bool]]] = {}
    for cond in _all_conditions(guideline):
        value_type = types.get(getattr(cond, "ref", ""))
        if value_type is None or value_type.kind not in ("integer", "decimal"):
            continue
        for op, value in _comparisons(cond):
            found.setdefault(cond.ref, set()).add(threshold_key(value_type, op, value))  # type: ignore[union-attr]
    for ref, values in enumerated_inputs(guideline).items():  # each value of a number's operand
        found.setdefault(ref, set()).update(threshold_key(types[ref], op, float(v))
                                            for v in values for op in (">=", ">"))
    return found


def _fact_constants(guideline: ir.IRGuideline, names: set[str]) -> dict[str, set[tuple[float, bool]]]:
    """The thresholds of the tests on decimal facts: the bounds of their classes."""
    found: dict[str, set[tuple[float, bool]]] = {}
    decimal = ir.IRType("decimal")
    for cond in _all_conditions(guideline):
        ref = getattr(cond, "ref", "")
        if ref in names:
            for op, value in _comparisons(cond):
                found.setdefault(ref, set()).add(threshold_key(decimal, op, value))
    return found


def _comparisons(cond: ir.Cond) -> list[tuple[str, float]]:
    """The thresholds a numeric test needs: `==` needs both `>= v` and `> v`."""
    if isinstance(cond, ir.Compare):
        ops = [">=", ">"] if cond.op in ("==", "!=") else [cond.op]
        return [(op, float(cond.value)) for op in ops]
    if isinstance(cond, ir.OneOf):
        return [(op, float(v)) for v in cond.values if isinstance(v, int | float)
                and not isinstance(v, bool) for op in (">=", ">")]
    return []


def _text_constants(guideline: ir.IRGuideline, ref: str) -> set[ir.Scalar]:
    return {v for cond in _all_conditions(guideline)
            if isinstance(cond, ir.OneOf) and cond.ref == ref for v in cond.values}


def _value_passes(value: ir.Scalar | None, cond: ir.Compare | ir.OneOf | ir.SetTest) -> bool:
    """Does a table's literal output satisfy a later table's test on it?"""
    if value is None:
        return False
    if isinstance(cond, ir.OneOf):
        return value in cond.values
    if isinstance(cond, ir.Compare) and isinstance(value, int | float) and not isinstance(value, bool):
        return bool({"<": value < cond.value, "<=": value <= cond.value, ">": value > cond.value,
                     ">=": value >= cond.value, "==": value == cond.value,
                     "!=": value != cond.value}[cond.op])
    return False


def rank(table: ir.IRTable, rule: ir.IRRule) -> tuple[int, ...]:
    """The priority of a rule's outputs: per enumeration output, the index of its value."""
    key = []
    for output, value in zip(table.outputs, rule.outputs, strict=True):
        if output.type.kind == "enum":
            members = output.type.members
            key.append(members.index(str(value)) if value in members else len(members))
    return tuple(key)


def _number_values(bdd: BDD, table: ir.IRTable, matches: list[int]) -> dict[ir.Scalar | None, int]:
    """The values of an aggregating table's number, each with the patients who get it, as the
    interpreter computes it (docs/decision.md): `sum` of the present values (exact: decimals are
    added as fractions and rounded once, as math.fsum does), `count` of the distinct present
    values (0 when none), `min` and `max`; None when no rule with a value matches."""
    present = [(rule.outputs[0], match) for rule, match in zip(table.rules, matches, strict=True)
               if rule.outputs[0] is not None]
    by_value: dict[ir.Scalar, int] = {}
    for value, match in present:  # the patients for whom some rule gives the value
        by_value[value] = bdd.disjoin(by_value.get(value, FALSE), match)
    if table.aggregate == "sum":
        return _sums(bdd, table, present)
    if table.aggregate == "count":
        counts: dict[ir.Scalar | None, int] = {0: TRUE}
        for given in by_value.values():
            counts = _add(bdd, counts, given, lambda n: int(n or 0) + 1, table.name)
        return counts
    ordered = sorted(by_value, key=float, reverse=table.aggregate == "max")
    found: dict[ir.Scalar | None, int] = {}
    beaten = FALSE  # the patients who already get a smaller (larger, for max) value
    for value in ordered:
        found[value] = bdd.conjoin(by_value[value], bdd.negate(beaten))
        beaten = bdd.disjoin(beaten, by_value[value])
    found[None] = bdd.negate(beaten)
    return {v: f for v, f in found.items() if f != FALSE}


def _sums(bdd: BDD, table: ir.IRTable, present: list[tuple[ir.Scalar, int]]) -> dict[ir.Scalar | None, int]:
    decimal = table.outputs[0].type.kind == "decimal"
    exact: dict[Any, int] = {None: TRUE}  # partial sums (None: no value yet), exact
    for value, match in present:
        point: Any = Fraction(str(value)) if decimal else value
        exact = _add(bdd, exact, match, _plus(point), table.name)
    rounded: dict[ir.Scalar | None, int] = {}
    for total, patients in exact.items():  # two exact sums may round to one float
        key: ir.Scalar | None = None if total is None else float(total) if decimal else total
        rounded[key] = bdd.disjoin(rounded.get(key, FALSE), patients)
    return rounded


def _plus(point: Any) -> Callable[[Any], Any]:
    return lambda total: point if total is None else total + point


def _add(bdd: BDD, values: dict[Any, int], holds: int, step: Callable[[Any], Any],
         table: str) -> dict[Any, int]:
    """The values after one more term: where `holds`, each value stepped; elsewhere unchanged."""
    found: dict[Any, int] = {}
    for value, patients in values.items():
        for key, part in ((value, bdd.conjoin(patients, bdd.negate(holds))),
                          (step(value), bdd.conjoin(patients, holds))):
            if part != FALSE:
                found[key] = bdd.disjoin(found.get(key, FALSE), part)
    if len(found) > MAX_NUMBER_VALUES:
        raise Unverifiable(table, f"a number that can take more than {MAX_NUMBER_VALUES:,} values")
    return found


def _selections(bdd: BDD, table: ir.IRTable, matches: list[int]) -> Iterator[int]:
    """Which patients get each rule's row as the table's single result, per hit policy."""
    rules = table.rules
    for i, (rule, match) in enumerate(zip(rules, matches, strict=True)):
        if table.hit == "first":
            beaten = matches[:i]
        elif table.hit == "unique":
            beaten = matches[:i] + matches[i + 1:]
        elif table.hit == "any":
            beaten = [m for j, m in enumerate(matches) if j != i
                      and (rules[j].outputs != rule.outputs or j < i)]
        else:  # priority: a higher-ranked match, or an equally ranked earlier one, wins
            mine = rank(table, rule)
            beaten = [m for j, m in enumerate(matches)
                      if rank(table, rules[j]) < mine or (rank(table, rules[j]) == mine and j < i)]
        yield bdd.conjoin(match, bdd.negate(bdd.any_of(beaten)))
