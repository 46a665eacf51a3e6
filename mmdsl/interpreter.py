"""The reference interpreter: a decision straight from the IR, by walking its conditions.

It is deliberately plain and shares no decision logic with the generated modules (only the
prelude's validation), so that the differential tests can hold each one against the other.
docs/decision.md states the semantics both follow.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any, cast

from mmdsl.ir import model as ir
from mmdsl.ir import why_not
from mmdsl.ir.days import day_number
from mmdsl.ir.walk import Derived, evaluation_order
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.numbers import Exact, exact, shown_number
from mmdsl.runtime.prelude import reject_impossible, validate_facts
from mmdsl.semantics import calendar, clock
from mmdsl.semantics.policies import LIST_POLICIES

Values = dict[str, Any]  # a value by its ref: inputs, facts, "table.output", aggregated tables

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}


def evaluate(guideline: ir.IRGuideline, facts: object) -> dict[str, Any]:
    """The decision for one patient's facts; raises prelude.InputError for invalid facts."""
    values = validate_facts(facts, input_fields(guideline.inputs))
    derived = derive(guideline, values)
    reject_impossible([(i.name, i.description) for i in guideline.impossible
                       if holds(i.condition, values)])
    in_scope = guideline.scope is None or holds(guideline.scope.condition, values)
    trace = interval_trace(guideline, values) + scope_trace(guideline.scope, in_scope) + [
        f"fact {name}: {shown_fact(fact, values[name])}" for name, fact in derived]
    if not in_scope:
        assert guideline.scope is not None
        reason = f"outside the scope of this guideline: {guideline.scope.description}"
        return decision(guideline, values, trace, Outcomes(), reason)
    outcomes = Outcomes()
    plans = {plan.table: plan for plan in why_not.plans_of(guideline)}
    for table in guideline.tables:
        judgement = judge(table, values)
        outcomes.add(table, judgement, trace)
        if table.name in plans:
            outcomes.withheld[table.name] = withheld(table, plans[table.name], judgement, values)
        publish(table, outcomes.results[table.name], values)
    return decision(guideline, values, trace, outcomes)


def derive(guideline: ir.IRGuideline, values: Values) -> tuple[tuple[str, Derived], ...]:
    """Every derived fact's value into `values`, in evaluation order (which it returns)."""
    values.update(durations(guideline, values))
    derived = evaluation_order(guideline)
    for name, fact in derived:
        if isinstance(fact, ir.IRComputed):
            values[name] = None if fact.unknown_when is not None \
                and holds(fact.unknown_when, values) \
                else Exact(compute(fact.expr, values))  # compared exactly with thresholds
        elif isinstance(fact, ir.IRLabel):  # text over an unknown value is unknown too
            values[name] = None if fact.unknown_when is not None \
                and holds(fact.unknown_when, values) else words(fact.expr, values)
        else:
            values[name] = fact_holds(fact, values)
    return derived


def fact_holds(fact: ir.IRFact, values: Values) -> bool | None:
    """Yes or no; a fact over unknown values (Kleene's logic) is None when neither holds."""
    if holds(fact.condition, values):
        return True
    if fact.false_when is None or holds(fact.false_when, values):
        return False
    return None


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def shown_fact(fact: ir.IRFact | ir.IRComputed | ir.IRLabel, value: Any) -> str:
    if isinstance(fact, ir.IRComputed | ir.IRLabel) and value is None:  # over an unknown value
        return "unknown"
    if isinstance(fact, ir.IRComputed | ir.IRLabel):
        return repr(fact_value(fact, value))
    return yes_no(value)


def fact_value(fact: ir.IRFact | ir.IRComputed | ir.IRLabel, value: Any) -> Any:
    """A derived fact's value in the decision: a number (runtime/numbers.py), yes/no or text."""
    if isinstance(fact, ir.IRComputed):
        return shown_number(value, fact.type.kind == "integer")
    return value


# ---- computed numbers ---------------------------------------------------------------------------


def compute(expr: ir.NumExpr, values: Values) -> Fraction:
    """A numeric fact's value, exactly (fractions: no rounding anywhere)."""
    match expr:
        case ir.Num(text=text):
            return Fraction(text)
        case ir.NoNumber():  # lowering makes the fact unknown wherever this would be computed
            raise AssertionError("`unknown` computed")
        case ir.Read(ref=ref):
            return exact(values[ref])
        case ir.Neg(item=item):
            return -compute(item, values)
        case ir.Pick(condition=condition, then=then, otherwise=otherwise):
            return compute(then if holds(condition, values) else otherwise, values)
        case ir.Calc(op="**", left=left, right=right):
            # a whole exponent (the checks hold it to one): Fraction ** int stays exact
            return compute(left, values) ** int(compute(right, values))
        case ir.Calc(op=op, left=left, right=right):
            return ARITHMETIC[op](compute(left, values), compute(right, values))
    raise TypeError(f"not a number: {expr!r}")


def words(expr: ir.TextExpr, values: Values) -> str:
    """A text fact's value: its parts joined (a text input, an enumeration member's name)."""
    match expr:
        case ir.Quoted(text=text):
            return text
        case ir.Part(ref=ref):
            return str(values[ref])
        case ir.Join(parts=parts):
            return "".join(words(part, values) for part in parts)
        case ir.PickText(condition=condition, then=then, otherwise=otherwise):
            return words(then if holds(condition, values) else otherwise, values)
    raise TypeError(f"not text: {expr!r}")


ARITHMETIC: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
}


def durations(guideline: ir.IRGuideline, values: Values) -> Values:
    """Each duration fact as a value for `IsSet`: its days (its seconds between dates and
    times), None (unknown) when an end is unknown (DMN: date arithmetic with null is null); its
    tests read the ends (`elapsed`)."""
    found: Values = {}
    for interval in guideline.intervals:
        start, end = values[interval.start], values[interval.end]
        count = clock.seconds_between if interval.time else calendar.days
        found[interval.name] = None if start is None or end is None else count(start, end)
    return found


def interval_trace(guideline: ir.IRGuideline, values: Values) -> list[str]:
    """Each duration fact as the trace shows it: `fact since_dose: 45 days (1 month)`, or
    `fact since_dose: unknown` when an end is unknown."""
    lines = []
    for interval in guideline.intervals:
        start, end = values[interval.start], values[interval.end]
        if start is None or end is None:
            lines.append(f"fact {interval.name}: unknown")
            continue
        if interval.time:
            lines.append(f"fact {interval.name}: {clock.elapsed_words(clock.seconds_between(start, end))}")
            continue
        lines.append(f"fact {interval.name}: {calendar.days(start, end)} days "
                     f"({calendar.months(start, end)} months)")
    return lines


def scope_trace(scope: ir.IRScope | None, in_scope: bool) -> list[str]:
    return [] if scope is None else [f"scope: {scope.description}: {yes_no(in_scope)}"]


# ---- conditions ---------------------------------------------------------------------------------


def holds(condition: ir.Cond, values: Values) -> bool:
    """Whether a condition holds; a test on a missing value (None) never does."""
    match condition:
        case ir.Always():
            return True
        case ir.IsSet(ref=ref):
            return values[ref] is not None
        case ir.Compare(ref=ref, op=op, value=bound):
            return values[ref] is not None and COMPARISONS[op](values[ref], bound)
        case ir.OneOf(ref=ref, values=allowed):
            return values[ref] is not None and values[ref] in allowed
        case ir.SetTest():
            return set_test(condition, values[condition.ref])
        case ir.Not(item=item):
            return not holds(item, values)
        case ir.AllOf(items=items):
            return all(holds(item, values) for item in items)
        case ir.AnyOf(items=items):
            return any(holds(item, values) for item in items)
        case ir.Elapsed():
            return elapsed(condition, values)
        case ir.OnDay(ref=ref, op=op, day=day):
            return values[ref] is not None and COMPARISONS[op](values[ref].toordinal(),
                                                               day_number(day))
        case ir.AtTime(ref=ref, op=op, moment=moment):  # the clock time as written on the value
            return values[ref] is not None and COMPARISONS[op](clock.clock_time(values[ref]),
                                                               clock.moment(moment))
        case ir.AtClock(ref=ref, op=op, clock=written):  # in clock order within one day
            return values[ref] is not None and COMPARISONS[op](values[ref],
                                                               clock.time_of_day(written))
    raise TypeError(f"not a condition: {condition!r}")


def elapsed(condition: ir.Elapsed, values: Values) -> bool:
    """Whole days, or completed calendar months, from the start date to the end date, or exact
    seconds between two dates and times; never when an end is unknown (as any test on an unknown
    value)."""
    if values[condition.start] is None or values[condition.end] is None:
        return False
    count = {"days": calendar.days, "months": calendar.months,
             "seconds": clock.seconds_between}[condition.unit]
    return COMPARISONS[condition.op](count(values[condition.start], values[condition.end]),
                                     condition.amount)


def set_test(condition: ir.SetTest, value: frozenset[str] | None) -> bool:
    if value is None:
        return False
    members = frozenset(condition.members)
    if condition.quantifier == "any":
        return bool(value & members)
    if condition.quantifier == "none":
        return not value & members
    return members <= value


# ---- one table ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Judgement:
    """What a table decided: its result, the matched rules its hit policy looked at, a conflict."""

    result: Any  # a row, a list of rows, a number, or None
    considered: tuple[ir.IRRule, ...]
    conflict: str | None = None


def judge(table: ir.IRTable, values: Values) -> Judgement:
    matched = tuple(rule for rule in table.rules
                    if all(holds(test, values) for test in rule.tests))
    if table.aggregate is not None:
        return Judgement(aggregate(table, matched), matched)
    if table.hit in LIST_POLICIES:
        return Judgement([row(table, rule) for rule in listed(table, matched)], matched)
    return single_hit(table, matched)


def single_hit(table: ir.IRTable, matched: tuple[ir.IRRule, ...]) -> Judgement:
    if not matched:
        return Judgement(None, ())
    if table.hit == "first":
        return Judgement(row(table, matched[0]), matched[:1])
    if table.hit == "priority":
        best = sorted(matched, key=lambda rule: priority(table, rule))[0]  # stable: ties -> earlier
        return Judgement(row(table, best), matched)
    conflict = unique_conflict(matched) if table.hit == "unique" else any_conflict(matched)
    return Judgement(None if conflict else row(table, matched[0]), matched, conflict)


def unique_conflict(matched: tuple[ir.IRRule, ...]) -> str | None:
    if len(matched) == 1:
        return None
    return f"rules {rule_names(matched)} all match, but a unique table allows only one"


def any_conflict(matched: tuple[ir.IRRule, ...]) -> str | None:
    if all(rule.outputs == matched[0].outputs for rule in matched):
        return None
    return (f"rules {rule_names(matched)} match with different outputs, "
            "but an any table needs them to agree")


def rule_names(rules: tuple[ir.IRRule, ...]) -> str:
    return ", ".join(rule.name for rule in rules)


def rank(output: ir.IROutput, value: Any) -> tuple[int, Any]:
    """Sort key of an output value: an enumeration by member order, others ascending, None last."""
    if value is None:
        return (1, 0)
    if output.type.kind == "enum":
        return (0, output.type.members.index(value))
    return (0, value)


def priority(table: ir.IRTable, rule: ir.IRRule) -> tuple[tuple[int, Any], ...]:
    """DMN's output priority: the enumerated outputs, in declared order, by member order."""
    return tuple(rank(output, value) for output, value in zip(table.outputs, rule.outputs,
                                                              strict=True)
                 if output.type.kind == "enum")


def listed(table: ir.IRTable, matched: tuple[ir.IRRule, ...]) -> list[ir.IRRule]:
    """The rules of a list result: hit policy order, then `order by`, then `distinct by`."""
    rules = list(matched)
    if table.hit == "output order":
        rules.sort(key=lambda rule: priority(table, rule))
    by_order = output_positions(table, table.order_by)
    rules.sort(key=lambda rule: tuple(rank(table.outputs[i], rule.outputs[i]) for i in by_order))
    by_distinct = output_positions(table, table.distinct_by)
    if not by_distinct:
        return rules
    kept: dict[tuple[Any, ...], ir.IRRule] = {}
    for rule in rules:
        kept.setdefault(tuple(rule.outputs[i] for i in by_distinct), rule)
    return list(kept.values())


def output_positions(table: ir.IRTable, names: tuple[str, ...]) -> list[int]:
    positions = {output.name: index for index, output in enumerate(table.outputs)}
    return [positions[name] for name in names]


def aggregate(table: ir.IRTable, matched: tuple[ir.IRRule, ...]) -> int | float | None:
    """collect sum/min/max/count over the present values of the table's single output."""
    # the checks allow only a number output here (int for integer, float for decimal)
    numbers = [cast(float, rule.outputs[0]) for rule in matched if rule.outputs[0] is not None]
    if table.aggregate == "count":
        return len(set(numbers))  # DMN: the number of distinct outputs, 0 when nothing matched
    if not numbers:
        return None
    if table.aggregate == "sum":
        decimal = table.outputs[0].type.kind == "decimal"
        return math.fsum(numbers) if decimal else sum(numbers)
    return min(numbers) if table.aggregate == "min" else max(numbers)


def row(table: ir.IRTable, rule: ir.IRRule) -> dict[str, Any]:
    """A result row: the rule's outputs by name, then what produced them."""
    outputs = {output.name: value for output, value in zip(table.outputs, rule.outputs,
                                                            strict=True)}
    return {**outputs, "rule": rule.name, "evidence": list(rule.evidence),
            "refs": list(rule.refs), "caveats": list(rule.caveats)}


def publish(table: ir.IRTable, result: Any, values: Values) -> None:
    """Make a table's result readable by later tables, under the refs that lowering uses."""
    if table.aggregate is not None:
        values[table.name] = result
        return
    for output in table.outputs:
        key = f"{table.name}.{output.name}"
        if table.hit in LIST_POLICIES:
            values[key] = frozenset(r[output.name] for r in result if r[output.name] is not None)
        else:
            values[key] = None if result is None else result[output.name]


# ---- why not: the values a table did not give, and what stood in the way ------------------------


def withheld(table: ir.IRTable, plan: why_not.TablePlan, judgement: Judgement,
             values: Values) -> list[dict[str, Any]]:
    """For each rule whose value of the first output is not in the result: why (docs/decision.md)."""
    output = table.outputs[0].name
    rows = judgement.result if isinstance(judgement.result, list) else [judgement.result]
    given = {row[output] for row in rows if row is not None}
    entries = []
    for rule, checks in zip(table.rules, plan.rules, strict=True):
        value = rule.outputs[0]
        if value is None or value in given:
            continue
        because = first_failure(checks, values) or matched_but(table, rule, judgement)
        entries.append({output: value, "rule": rule.name, "because": because})
    return entries


def first_failure(checks: tuple[why_not.Check, ...], values: Values) -> str | None:
    """The words of the first check that fails, and of the first of its parts that fails."""
    for check in checks:
        if not holds(check.condition, values):
            inner = first_failure(check.inner, values)
            return check.failed if inner is None else check.failed + why_not.SEPARATOR + inner
    return None


def matched_but(table: ir.IRTable, rule: ir.IRRule, judgement: Judgement) -> str:
    """Why a rule that matched did not give its value: the hit policy kept something else."""
    if judgement.conflict is not None:
        return why_not.CONFLICT.format(rules=rule_names(judgement.considered))
    if isinstance(judgement.result, dict):
        return why_not.CHOSEN.format(rule=judgement.result["rule"])
    positions = output_positions(table, table.distinct_by)
    identity = tuple(rule.outputs[i] for i in positions)
    kept = next(row for row in judgement.result
                if tuple(row[table.outputs[i].name] for i in positions) == identity)
    return why_not.REPEATED.format(rule=kept["rule"], outputs=" and ".join(table.distinct_by))


# ---- the decision ---------------------------------------------------------------------------------


class Outcomes:
    """The results of the tables so far, their conflicts, in table order."""

    def __init__(self) -> None:
        self.results: dict[str, Any] = {}
        self.errors: list[dict[str, Any]] = []
        self.withheld: dict[str, list[dict[str, Any]]] = {}

    def add(self, table: ir.IRTable, judgement: Judgement, trace: list[str]) -> None:
        self.results[table.name] = judgement.result
        trace += [f"{table.name}: rule {rule.name} (line {rule.line}) matched ({rule.why})"
                  for rule in judgement.considered]
        if not judgement.considered:
            trace.append(f"{table.name}: no rule matched")
        if judgement.conflict is not None:
            names = [rule.name for rule in judgement.considered]
            trace.append(f"{table.name}: conflict between rules {', '.join(names)}")
            self.errors.append({"table": table.name, "kind": "conflict", "rules": names,
                                "message": judgement.conflict})
        elif table.complete and not judgement.considered:
            self.errors.append({"table": table.name, "kind": "no_rule", "rules": [],
                                "message": f"no rule of table {table.name} matches, "
                                           "but the table is declared complete"})


def decision(guideline: ir.IRGuideline, values: Values, trace: list[str], outcomes: Outcomes,
             reason: str | None = None) -> dict[str, Any]:
    """The decision object, its keys in the documented order."""
    status = "out_of_scope" if reason else "error" if outcomes.errors else "ok"
    result: dict[str, Any] = {"guideline": guideline.name, "version": guideline.version,
                              "source_sha256": guideline.source_sha256}
    if guideline.clinical_source is not None:
        result["clinical_source_sha256"] = guideline.clinical_source.sha256
    if guideline.evaluation_date is not None:  # the day the decision is made, as the caller gave it
        given = values[guideline.evaluation_date]
        if isinstance(given, datetime):  # `evaluation date and time`: the moment, to the second
            result["evaluation_date_time"] = given.isoformat(timespec="seconds")
        else:
            result["evaluation_date"] = given.isoformat()
    result["status"] = status
    if reason:
        result["reason"] = reason
    if outcomes.errors:
        result["errors"] = outcomes.errors
    result.update(outcomes.results)
    if not reason:
        result["why_not"] = outcomes.withheld
    result["derived"] = {name: fact_value(fact, values[name])
                         for name, fact in evaluation_order(guideline)}
    result["trace"] = trace
    return result
