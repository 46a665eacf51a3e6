"""Lowering: a checked syntax tree and its symbols become the IR.

Lowering runs only on files without errors, so every name here resolves; an inconsistency is a
bug in the checks, reported as an internal error, never a wrong evaluator.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal

from mmdsl.clinical_source import ClinicalText, found_lines, passages, searchable
from mmdsl.ir import model as ir
from mmdsl.semantics import text
from mmdsl.semantics.symbols import Resolved, Symbols, TableInfo
from mmdsl.semantics.types import (
    DAY_UNITS,
    MONTH_UNITS,
    TIME_UNITS,
    BoolT,
    ClockT,
    DateT,
    DurationT,
    EnumT,
    NumberT,
    SetT,
    TextT,
    ValueType,
)
from mmdsl.source import Source, Span
from mmdsl.syntax import ast
from mmdsl.syntax.walk import conditions, inner_tests, names_in_cell, quantities
from mmdsl.version import __version__


class LoweringError(Exception):
    """A file that passed the checks cannot be lowered: a bug in the compiler."""


def lower(source: Source, symbols: Symbols, clinical: ClinicalText | None = None) -> ir.IRGuideline:
    """`clinical`: the clinical source the file declares, as read beside the table."""
    assert symbols.guideline is not None
    quotes = lower_quotes(symbols, clinical)
    return ir.IRGuideline(
        name=symbols.guideline.name.text,
        title=symbols.guideline.title.value,
        version=symbols.version.version.value if symbols.version else "",
        source_path=source.path,
        source_sha256=source.sha256,
        mmdsl_version=__version__,
        inputs=tuple(lower_input(info.decl, info.type, offset_partners(symbols, name))
                     for name, info in symbols.inputs.items()
                     if info.type is not None),
        facts=tuple(lower_fact(symbols, symbols.facts[n], source) for n in fact_order(symbols)
                    if symbols.numeric_fact(n) is None and not symbols.is_text_fact(n)),
        scope=lower_scope(symbols, symbols.scope, source) if symbols.scope else None,
        tables=tuple(lower_table(symbols, t, source) for t in symbols.tables.values()),
        enums=tuple(ir.IREnum(e.name, e.description, e.members, tuple(e.labels.items()))
                    for e in symbols.enums.values()),
        classes=tuple(ir.IRClass(c.decl.name.text, c.decl.enum.text, _text(c.decl.description),
                                 c.members) for c in symbols.classes.values()),
        references=tuple(ir.IRReference(n, r.citation.value)
                         for n, r in sorted(symbols.references.items())),
        evidence=tuple(lower_evidence(e) for e in symbols.evidence.values()),
        caveats=tuple(ir.IRCaveat(c.name.text, c.text.value, tuple(int(r.value) for r in c.refs))
                      for c in symbols.caveats.values()),
        examples=tuple(lower_example(symbols, e) for e in symbols.examples.values()),
        notes=tuple(ir.IRNote(n.name.text, tuple(t.text for t in n.targets), n.text.value)
                    for n in symbols.notes.values()),
        quotes=quotes,
        clinical_source=lower_clinical_source(symbols, clinical, quotes),
        impossible=tuple(ir.IRImpossible(i.name.text, i.description.value, lower_expr(symbols, i.expr),
                                         written(source, i.expr.span))
                         for i in symbols.impossible.values()),
        intervals=tuple(ir.IRInterval(i.name.text, _text(i.description), i.start.text, i.end.text,
                                      symbols.duration_type(i).time)
                        for i in symbols.intervals.values()),
        evaluation_date=next((n for n, i in symbols.inputs.items()
                              if isinstance(i.type, DateT) and i.type.evaluation), None),
        computed=tuple(lower_computed(symbols, n, source) for n in fact_order(symbols)
                       if symbols.numeric_fact(n) is not None),
        derived_order=tuple(fact_order(symbols)) if any(
            symbols.numeric_fact(n) is not None or symbols.is_text_fact(n)
            for n in symbols.facts) else (),
        labels=tuple(lower_label(symbols, n, source) for n in fact_order(symbols)
                     if symbols.is_text_fact(n)),
    )


def lower_quotes(symbols: Symbols, clinical: ClinicalText | None) -> tuple[ir.IRQuote, ...]:
    searched = searchable(clinical.text) if clinical else None
    return tuple(ir.IRQuote(q.name.text, tuple(t.text for t in q.targets), q.text.value,
                            (found_lines(q.text.value, searched) or ()) if searched else ())
                 for q in symbols.quotes.values())


def lower_clinical_source(symbols: Symbols, clinical: ClinicalText | None,
                          quotes: tuple[ir.IRQuote, ...]) -> ir.IRClinicalSource | None:
    if clinical is None or symbols.source is None:
        return None
    declared = symbols.source
    return ir.IRClinicalSource(
        path=clinical.path, title=declared.title.value, date=declared.date.value,
        sha256=clinical.sha256,
        passages=tuple(ir.IRPassage(p.line, p.text, p.heading,
                                    tuple(q.name for q in quotes if p.line in q.lines))
                       for p in passages(clinical.text)),
    )


def _text(text: ast.Text | None) -> str:
    return text.value if text else ""


# ---- types and inputs ---------------------------------------------------------------------------


def lower_type(value_type: ValueType) -> ir.IRType:
    match value_type:
        case BoolT():
            return ir.IRType("bool")
        case TextT():
            return ir.IRType("text")
        case NumberT(kind="integer"):
            return ir.IRType("integer", low=_int_or_none(value_type.low),
                             high=_int_or_none(value_type.high), unit=value_type.unit)
        case NumberT():
            return ir.IRType("decimal", low=_float_or_none(value_type.low),
                             high=_float_or_none(value_type.high), unit=value_type.unit)
        case EnumT():
            return ir.IRType("enum", value_type.enum.members, enum_name=value_type.enum.name)
        case SetT():
            return ir.IRType("set", value_type.enum.members, enum_name=value_type.enum.name)
        case DateT():
            return ir.IRType("datetime" if value_type.time else "date")
        case ClockT():
            return ir.IRType("time")
        case DurationT():
            return ir.IRType("duration")
    raise LoweringError(f"no IR type for {value_type!r}")


def _int_or_none(value: int | Decimal | None) -> int | None:
    return None if value is None else int(value)


def _float_or_none(value: int | Decimal | None) -> float | None:
    return None if value is None else float(value)


def lower_input(decl: ast.InputDecl, value_type: ValueType | None,
                offset_with: tuple[str, ...] = ()) -> ir.IRInput:
    assert value_type is not None
    default = None if decl.default is None else json_value(decl.default, value_type)
    return ir.IRInput(decl.name.text, lower_type(value_type), decl.default is None, default,
                      decl.includes.text if decl.includes else None, _text(decl.description),
                      unknown=decl.unknown is not None, offset_with=offset_with)


def offset_partners(symbols: Symbols, name: str) -> tuple[str, ...]:
    """The date-and-time inputs declared after `name` that a duration joins to it: the facts
    must give both with an offset, or both without (runtime/prelude.py)."""
    order = list(symbols.inputs)
    partners = []
    for interval in symbols.intervals.values():
        if not symbols.duration_type(interval).time:
            continue
        ends = [interval.start.text, interval.end.text]
        if name in ends:
            other = ends[1] if ends[0] == name else ends[0]
            if other in order and order.index(other) > order.index(name) and other not in partners:
                partners.append(other)
    return tuple(sorted(partners, key=order.index))


def json_value(value: ast.Value, value_type: ValueType) -> ir.JsonValue:
    """The JSON form of an authored value (a set is written as the list of its members, and
    `none` is the empty set)."""
    if isinstance(value_type, SetT) and isinstance(value, ast.NameValue) \
            and value.name.text == "none":
        return []
    scalar = scalar_value(value, value_type)
    return [scalar] if isinstance(value_type, SetT) else scalar


def scalar_value(value: ast.Value, value_type: ValueType) -> ir.Scalar:
    match value:
        case ast.BoolValue():
            return value.value
        case ast.NumberValue():
            if isinstance(value_type, NumberT) and value_type.kind == "decimal":
                return float(value.value)
            return int(value.value)
        case ast.TextValue():
            return value.value
        case ast.NameValue():
            return value.name.text
        case ast.DateValue() | ast.DateTimeValue() | ast.TimeOfDayValue():
            return value.text
    raise LoweringError(f"no value for {value!r}")


# ---- facts and scope ------------------------------------------------------------------------------


def fact_order(symbols: Symbols) -> list[str]:
    """Facts in declaration order, each moved after the facts it reads.

    A depth-first walk with its own stack: a chain of facts, each reading the next, can be as
    long as the file, far deeper than Python's recursion allows."""
    ordered: dict[str, None] = {}  # an ordered set
    visiting: set[str] = set()
    for root in symbols.facts:
        stack = [(root, False)]
        while stack:
            name, finished = stack.pop()
            if finished:
                ordered[name] = None
            elif name not in ordered and name not in visiting:
                visiting.add(name)
                stack.append((name, True))
                dependencies = fact_dependencies(symbols.facts[name].expr, symbols)
                stack.extend((d, False) for d in reversed(dependencies))
    return list(ordered)


def fact_dependencies(expr: ast.Expr | ast.NumExpr, symbols: Symbols) -> list[str]:
    subjects = [c.subject for c in conditions(expr)] + [q.subject for q in quantities(expr)]
    return [s.name.text for s in subjects if s.member is None and s.name.text in symbols.facts]


# ---- computed numbers -------------------------------------------------------------------------


def lower_computed(symbols: Symbols, name: str, source: Source) -> ir.IRComputed:
    numeric = symbols.numeric_fact(name)
    if numeric is None:
        raise LoweringError(f"fact {name!r} is not a number")
    decl = numeric.decl
    unknown_when = lower_unknown_number(symbols, numeric.expr) \
        if symbols.may_be_unknown(name) else None
    return ir.IRComputed(name, _text(decl.description), lower_type(numeric.type),
                         lower_number(symbols, numeric.expr), written(source, decl.expr.span),
                         unknown_when)


def lower_unknown_number(symbols: Symbols, expr: ast.NumExpr) -> ir.Cond | None:
    """When a number over values that may be unknown is unknown (DMN: null in arithmetic gives
    null): an operand it reads is unknown, or the condition of an `if` is (neither yes nor no),
    or the branch the `if` takes is. None: never unknown."""
    match expr:
        case ast.NumberValue():
            return None
        case ast.UnknownNumber():
            return ir.Always()
        case ast.Quantity():
            resolved = _resolve(symbols, expr.subject)
            if expr.subject.member is None and symbols.may_be_unknown(expr.subject.name.text):
                return ir.Not(ir.IsSet(resolved.key))
            return None
        case ast.Negate():
            return lower_unknown_number(symbols, expr.item)
        case ast.Arithmetic():
            return _any_unknown([lower_unknown_number(symbols, expr.left),
                                 lower_unknown_number(symbols, expr.right)])
        case ast.Choice():
            return _unknown_choice(symbols, expr.condition,
                                   lower_unknown_number(symbols, expr.then),
                                   lower_unknown_number(symbols, expr.otherwise))
    raise LoweringError(f"no number for {expr!r}")


def _unknown_choice(symbols: Symbols, condition: ast.Expr, then: ir.Cond | None,
                    otherwise: ir.Cond | None) -> ir.Cond | None:
    """When `if condition then … else …` is unknown, given when each branch is: its condition
    is neither yes nor no, or the branch it takes is unknown."""
    undecided = None
    if _may_be_unknown(symbols, condition):
        undecided = ir.AllOf((ir.Not(lower_expr(symbols, condition)),
                              ir.Not(lower_false(symbols, condition))))
    return _any_unknown([
        undecided,
        None if then is None else _both(lower_expr(symbols, condition), then),
        None if otherwise is None else _both(ir.Not(lower_expr(symbols, condition)), otherwise)])


def _both(first: ir.Cond, second: ir.Cond) -> ir.Cond:
    return first if isinstance(second, ir.Always) else ir.AllOf((first, second))


def _any_unknown(items: list[ir.Cond | None]) -> ir.Cond | None:
    present = [item for item in items if item is not None]
    if not present:
        return None
    if any(isinstance(item, ir.Always) for item in present):
        return ir.Always()
    return present[0] if len(present) == 1 else ir.AnyOf(tuple(present))


def lower_number(symbols: Symbols, expr: ast.NumExpr) -> ir.NumExpr:
    match expr:
        case ast.NumberValue():
            return ir.Num(str(expr.value))
        case ast.Quantity():
            return ir.Read(_resolve(symbols, expr.subject).key)
        case ast.Negate():
            return ir.Neg(lower_number(symbols, expr.item))
        case ast.Arithmetic():
            return ir.Calc(expr.op, lower_number(symbols, expr.left),
                           lower_number(symbols, expr.right))
        case ast.Choice():
            return ir.Pick(lower_expr(symbols, expr.condition), lower_number(symbols, expr.then),
                           lower_number(symbols, expr.otherwise))
        case ast.UnknownNumber():
            return ir.NoNumber()
    raise LoweringError(f"no number for {expr!r}")


# ---- text facts --------------------------------------------------------------------------------


def lower_label(symbols: Symbols, name: str, source: Source) -> ir.IRLabel:
    fact = symbols.text_fact(name)
    if fact is None:
        raise LoweringError(f"fact {name!r} is not text")
    unknown_when = lower_unknown_words(symbols, fact.expr) if symbols.may_be_unknown(name) \
        else None
    return ir.IRLabel(name, _text(fact.decl.description), lower_words(symbols, fact.expr),
                      written(source, fact.decl.expr.span), unknown_when)


def lower_unknown_words(symbols: Symbols, expr: text.TextExpr) -> ir.Cond | None:
    """When text over values that may be unknown is unknown (DMN: text joined with null is
    null): a part it joins is unknown, or the condition of an `if` is (neither yes nor no), or
    the branch the `if` takes is. None: never unknown."""
    match expr:
        case text.Literal():
            return None
        case text.Part():
            return ir.Not(ir.IsSet(expr.name)) if symbols.may_be_unknown(expr.name) else None
        case text.Joined():
            return _any_unknown([lower_unknown_words(symbols, part) for part in expr.parts])
        case text.Chosen():
            return _unknown_choice(symbols, expr.condition, lower_unknown_words(symbols, expr.then),
                                   lower_unknown_words(symbols, expr.otherwise))
    raise LoweringError(f"no text for {expr!r}")


def lower_words(symbols: Symbols, expr: text.TextExpr) -> ir.TextExpr:
    match expr:
        case text.Literal():
            return ir.Quoted(expr.text)
        case text.Part():
            return ir.Part(expr.name)
        case text.Joined():
            return ir.Join(tuple(lower_words(symbols, p) for p in expr.parts))
        case text.Chosen():
            return ir.PickText(lower_expr(symbols, expr.condition), lower_words(symbols, expr.then),
                               lower_words(symbols, expr.otherwise))
    raise LoweringError(f"no text for {expr!r}")


def lower_fact(symbols: Symbols, decl: ast.FactDecl, source: Source) -> ir.IRFact:
    if isinstance(decl.expr, ast.NUMERIC_NODES):
        raise LoweringError(f"fact {decl.name.text!r} is a number")
    false_when = lower_false(symbols, decl.expr) if symbols.may_be_unknown(decl.name.text) \
        else None
    return ir.IRFact(decl.name.text, _text(decl.description), lower_expr(symbols, decl.expr),
                     written(source, decl.expr.span), false_when)


def lower_scope(symbols: Symbols, decl: ast.ScopeDecl, source: Source) -> ir.IRScope:
    return ir.IRScope(decl.description.value, lower_expr(symbols, decl.expr),
                      written(source, decl.expr.span))


def written(source: Source, span: Span) -> str:
    """Source text of a span with its line breaks and comments folded into single spaces."""
    text = re.sub(r"#[^\n]*", " ", source.text[span.start:span.end])
    return " ".join(text.split())


def lower_expr(symbols: Symbols, expr: ast.Expr) -> ir.Cond:
    """The condition under which `expr` holds. Over values that may be unknown, Kleene's logic:
    it holds only when it is true whatever the unknown values are (`lower_false` is when it is
    false; neither: unknown), so `not` turns to the other one instead of negating."""
    match expr:
        case ast.Condition():
            resolved = _resolve(symbols, expr.subject)
            test = expr.test if expr.test is not None else _yes(expr.span)
            return test_true(symbols, test, resolved)
        case ast.And():
            return ir.AllOf(tuple(lower_expr(symbols, i) for i in expr.items))
        case ast.Or():
            return ir.AnyOf(tuple(lower_expr(symbols, i) for i in expr.items))
        case ast.Not():
            if _may_be_unknown(symbols, expr.item):
                return lower_false(symbols, expr.item)
            return ir.Not(lower_expr(symbols, expr.item))
    raise LoweringError(f"no condition for {expr!r}")


def lower_false(symbols: Symbols, expr: ast.Expr) -> ir.Cond:
    """The condition under which `expr` is false (Kleene: known to be false)."""
    if not _may_be_unknown(symbols, expr):
        return ir.Not(lower_expr(symbols, expr))
    match expr:
        case ast.Condition():
            resolved = _resolve(symbols, expr.subject)
            test = expr.test if expr.test is not None else _yes(expr.span)
            return test_false(symbols, test, resolved)
        case ast.And():
            return ir.AnyOf(tuple(lower_false(symbols, i) for i in expr.items))
        case ast.Or():
            return ir.AllOf(tuple(lower_false(symbols, i) for i in expr.items))
        case ast.Not():
            return lower_expr(symbols, expr.item)
    raise LoweringError(f"no condition for {expr!r}")


def _may_be_unknown(symbols: Symbols, expr: ast.Expr) -> bool:
    return any(c.subject.member is None and symbols.may_be_unknown(c.subject.name.text)
               for c in conditions(expr))


def test_true(symbols: Symbols, test: ast.Test, subject: Resolved) -> ir.Cond:
    """When a test holds: a test on a value that may be missing or unknown holds only when the
    value is there, except `unknown` itself (`-` holds always)."""
    if not _mentions_unknown(test):
        return guard(subject, lower_test(symbols, test, subject))
    match test:
        case ast.UnknownTest():
            return ir.Not(ir.IsSet(subject.key))
        case ast.OneOfTest():
            return _any_of([test_true(symbols, t, subject) for t in test.tests])
        case ast.NotTest():
            items = [test_false(symbols, t, subject) for t in test.tests]
            return items[0] if len(items) == 1 else ir.AllOf(tuple(items))
    raise LoweringError(f"no condition for test {test!r}")


def test_false(symbols: Symbols, test: ast.Test, subject: Resolved) -> ir.Cond:
    """When a test is known not to hold (an unknown value makes every test but `-` and
    `unknown` unknown)."""
    if not _mentions_unknown(test):
        return guard(subject, ir.Not(lower_test(symbols, test, subject)))
    match test:
        case ast.UnknownTest():
            return ir.IsSet(subject.key)
        case ast.OneOfTest():
            items = [test_false(symbols, t, subject) for t in test.tests]
            return items[0] if len(items) == 1 else ir.AllOf(tuple(items))
        case ast.NotTest():
            return _any_of([test_true(symbols, t, subject) for t in test.tests])
    raise LoweringError(f"no condition for test {test!r}")


def _mentions_unknown(test: ast.Test) -> bool:
    return any(isinstance(t, ast.UnknownTest) for t in inner_tests(test))


def _yes(span: Span) -> ast.Test:
    return ast.ValueTest(ast.BoolValue(True, span), span)


def _resolve(symbols: Symbols, subject: ast.Subject) -> Resolved:
    resolved = symbols.resolve(subject)
    if resolved is None:
        raise LoweringError(f"unresolved subject {subject.text!r}")
    return resolved


def guard(resolved: Resolved, cond: ir.Cond) -> ir.Cond:
    """A test on a value that may be missing holds only when the value is there."""
    if not resolved.nullable or isinstance(cond, ir.Always):
        return cond
    return ir.AllOf((ir.IsSet(resolved.key), cond))


# ---- tests ------------------------------------------------------------------------------------------


def lower_test(symbols: Symbols, test: ast.Test, subject: Resolved) -> ir.Cond:
    ref, value_type = subject.key, subject.type
    if isinstance(value_type, DurationT) and isinstance(test, ast.CompareTest | ast.RangeTest):
        return _elapsed(ref, value_type, test)
    if isinstance(value_type, ClockT) and isinstance(test, ast.CompareTest | ast.RangeTest
                                                      | ast.ValueTest):
        return _at_clock(ref, test)
    if isinstance(value_type, DateT) and isinstance(test, ast.CompareTest | ast.RangeTest
                                                     | ast.ValueTest):
        return _at_time(ref, test) if value_type.time else _on_day(ref, test)
    match test:
        case ast.AnyTest():
            return ir.Always()
        case ast.CompareTest():
            op = "==" if test.op == "=" else test.op
            return ir.Compare(ref, op, _number(test.value, value_type))
        case ast.RangeTest():
            return ir.AllOf((
                ir.Compare(ref, ">=" if test.low_closed else ">", _number(test.low, value_type)),
                ir.Compare(ref, "<=" if test.high_closed else "<", _number(test.high, value_type)),
            ))
        case ast.ValueTest():
            return _value_test(symbols, test.value, subject)
        case ast.HasTest():  # `has PI` with a class: any of its members
            return ir.SetTest(ref, "any", class_or_member(symbols, test.member.text))
        case ast.QuantifiedTest():
            return _quantified(symbols, test, subject)
        case ast.NotTest():
            return ir.Not(_any_of([lower_test(symbols, t, subject) for t in test.tests]))
        case ast.OneOfTest():
            return _any_of([lower_test(symbols, t, subject) for t in test.tests])
    raise LoweringError(f"no condition for test {test!r}")


def _elapsed(ref: str, interval: DurationT, test: ast.CompareTest | ast.RangeTest) -> ir.Cond:
    """`< 60 days`, `6 weeks..3 months`: comparisons of the time between the interval's dates."""
    def compare(op: str, value: ast.NumberValue | ast.DurationValue | ast.DateValue
                | ast.DateTimeValue | ast.TimeOfDayValue) -> ir.Elapsed:
        if not isinstance(value, ast.DurationValue):
            raise LoweringError(f"a duration compared with {value!r}")
        unit = value.unit.text
        if interval.time:  # between dates and times: exact seconds
            return ir.Elapsed(ref, interval.start, interval.end, "seconds", op,  # type: ignore[arg-type]
                              value.amount * TIME_UNITS[unit], f"{value.amount} {unit}")
        days = unit in DAY_UNITS
        amount = value.amount * (DAY_UNITS[unit] if days else MONTH_UNITS[unit])
        return ir.Elapsed(ref, interval.start, interval.end, "days" if days else "months",
                          op, amount, f"{value.amount} {unit}")  # type: ignore[arg-type]
    if isinstance(test, ast.CompareTest):
        return compare("==" if test.op == "=" else test.op, test.value)
    return ir.AllOf((compare(">=" if test.low_closed else ">", test.low),
                     compare("<=" if test.high_closed else "<", test.high)))


def _on_day(ref: str, test: ast.CompareTest | ast.RangeTest | ast.ValueTest) -> ir.Cond:
    """`>= 2019-09-01`, `2019-01-01..2019-12-31`, `2020-07-01`: a date against fixed days."""
    return _fixed_points(ref, test, ast.DateValue, ir.OnDay, "a date")


def _at_time(ref: str, test: ast.CompareTest | ast.RangeTest | ast.ValueTest) -> ir.Cond:
    """`>= 2024-03-01T08:00`, ranges, `2024-03-01T08:00`: a date and time against fixed ones."""
    return _fixed_points(ref, test, ast.DateTimeValue, ir.AtTime, "a date and time")


def _at_clock(ref: str, test: ast.CompareTest | ast.RangeTest | ast.ValueTest) -> ir.Cond:
    """`>= 17:00`, ranges, `08:00`: a time of day against fixed ones, in clock order."""
    return _fixed_points(ref, test, ast.TimeOfDayValue, ir.AtClock, "a time of day")


def _fixed_points(ref: str, test: ast.CompareTest | ast.RangeTest | ast.ValueTest,
                  kind: type[ast.DateValue | ast.DateTimeValue | ast.TimeOfDayValue],
                  make: Callable[..., ir.Cond], what: str) -> ir.Cond:  # (ref, op, point)
    """A value against fixed points of its own kind, written as the author wrote them: one
    point (`==`), a comparison, or a range as a pair of comparisons."""
    def point(value: ast.Value | ast.DurationValue) -> str:
        if not isinstance(value, kind):
            raise LoweringError(f"{what} compared with {value!r}")
        return value.text
    if isinstance(test, ast.ValueTest):
        return make(ref, "==", point(test.value))
    if isinstance(test, ast.CompareTest):
        return make(ref, "==" if test.op == "=" else test.op, point(test.value))
    return ir.AllOf((make(ref, ">=" if test.low_closed else ">", point(test.low)),
                     make(ref, "<=" if test.high_closed else "<", point(test.high))))


def _any_of(items: list[ir.Cond]) -> ir.Cond:
    return items[0] if len(items) == 1 else ir.AnyOf(tuple(items))


def _number(value: ast.NumberValue | ast.DurationValue | ast.DateValue | ast.DateTimeValue
            | ast.TimeOfDayValue, value_type: ValueType) -> int | float:
    if isinstance(value, ast.DurationValue):
        raise LoweringError(f"a unit after a number outside a duration: {value!r}")
    if isinstance(value, ast.DateValue | ast.DateTimeValue | ast.TimeOfDayValue):
        raise LoweringError(f"a calendar day or a clock time outside a date: {value!r}")
    if isinstance(value_type, NumberT) and value_type.kind == "decimal":
        return float(value.value)
    if isinstance(value.value, Decimal) and value.value != int(value.value):
        return float(value.value)
    return int(value.value)


def _value_test(symbols: Symbols, value: ast.Value, subject: Resolved) -> ir.Cond:
    ref, value_type = subject.key, subject.type
    if isinstance(value, ast.NameValue):
        members = class_or_member(symbols, value.name.text)
        if isinstance(value_type, SetT):
            return ir.SetTest(ref, "any", members)
        return ir.OneOf(ref, members)
    if isinstance(value, ast.NumberValue):
        return ir.Compare(ref, "==", _number(value, value_type))
    return ir.OneOf(ref, (scalar_value(value, value_type),))


def class_or_member(symbols: Symbols, name: str) -> tuple[str, ...]:
    """A class name stands for its members; any other name for itself."""
    info = symbols.classes.get(name)
    return info.members if info else (name,)


def _quantified(symbols: Symbols, test: ast.QuantifiedTest, subject: Resolved) -> ir.Cond:
    members = tuple(m for name in test.members for m in class_or_member(symbols, name.text))
    if isinstance(subject.type, SetT):
        return ir.SetTest(subject.key, test.quantifier, members)
    one_of = ir.OneOf(subject.key, members)
    return ir.Not(one_of) if test.quantifier == "none" else one_of


# ---- tables ----------------------------------------------------------------------------------------


def lower_table(symbols: Symbols, table: TableInfo, source: Source) -> ir.IRTable:
    layout = table.layout
    columns = tuple(_column(symbols, h) for h in layout.inputs)
    outputs = tuple(_output(table, header) for header in layout.outputs)  # in column order
    conditions: dict[tuple[str, str], ir.Cond] = {}  # (column, cell text): lowered once
    rules = tuple(lower_rule(symbols, table, columns, row, i + 1, conditions)
                  for i, row in enumerate(table.decl.rows))
    return ir.IRTable(
        name=table.name, title=_text(table.decl.title), hit=table.policy,  # type: ignore[arg-type]
        aggregate=table.aggregate, columns=columns, outputs=outputs,  # type: ignore[arg-type]
        rules=rules, order_by=tuple(n.text for n in table.decl.order_by),
        distinct_by=tuple(n.text for n in table.decl.distinct_by), complete=table.decl.complete,
        written=source.text[table.decl.span.start:table.decl.span.end].rstrip(),
    )


def _output(table: TableInfo, header: ast.HeaderCell) -> ir.IROutput:
    """An output in the order of the columns, the order of every rule's output values."""
    info = table.outputs[header.subject.text]
    if info.type is None:
        raise LoweringError(f"output {header.subject.text!r} has no type")
    return ir.IROutput(info.decl.name.text, lower_type(info.type), _text(info.decl.description))


def _column(symbols: Symbols, header: ast.HeaderCell) -> ir.IRColumn:
    resolved = _resolve(symbols, header.subject)
    return ir.IRColumn(resolved.key, header.subject.text, lower_type(resolved.type),
                       resolved.nullable)


def lower_rule(symbols: Symbols, table: TableInfo, columns: tuple[ir.IRColumn, ...],
               row: ast.Row, index: int,
               conditions: dict[tuple[str, str], ir.Cond] | None = None) -> ir.IRRule:
    """One rule; `conditions` keeps the condition of each cell text of each column, so that a
    text written in many rows (`-`, `yes`, `18..64`) is lowered once (conditions are immutable)."""
    conditions = {} if conditions is None else conditions
    layout = table.layout
    cells = list(row.cells)
    name = cells.pop(0).text.strip() if layout.has_rule_column else f"R{index}"
    input_cells = cells[:len(layout.inputs)]
    output_cells = cells[len(layout.inputs):len(layout.inputs) + len(layout.outputs)]
    annotations = dict(zip((h.subject.text for h in layout.annotations),
                           cells[len(layout.inputs) + len(layout.outputs):], strict=True))
    tests = tuple(_cell_condition(symbols, header, cell, conditions)
                  for header, cell in zip(layout.inputs, input_cells, strict=True))
    outputs = tuple(_output_value(table, header, cell)
                    for header, cell in zip(layout.outputs, output_cells, strict=True))
    evidence = _names_in(annotations.get("evidence"))
    caveats = _names_in(annotations.get("caveats"))
    return ir.IRRule(
        index=index, name=name, tests=tests, cells=tuple(_one_line(c.text) for c in input_cells),
        outputs=outputs,
        evidence=tuple(_evidence_title(symbols.evidence[e]) for e in evidence),
        refs=_refs(symbols, evidence, caveats),
        caveats=tuple(symbols.caveats[c].text.value for c in caveats),
        why=rule_why(columns, input_cells), line=row.span.line,
        evidence_names=tuple(evidence), caveat_names=tuple(caveats),
    )


def _cell_condition(symbols: Symbols, header: ast.HeaderCell, cell: ast.Cell,
                    conditions: dict[tuple[str, str], ir.Cond]) -> ir.Cond:
    key = (header.subject.text, cell.text)  # the same text parses to the same test
    found = conditions.get(key)
    if found is None:
        resolved = _resolve(symbols, header.subject)
        assert cell.test is not None
        found = conditions[key] = test_true(symbols, cell.test, resolved)
    return found


def _output_value(table: TableInfo, header: ast.HeaderCell, cell: ast.Cell) -> ir.Scalar | None:
    if isinstance(cell.test, ast.AnyTest):
        return None
    assert isinstance(cell.test, ast.ValueTest)
    info = table.outputs[header.subject.text]
    assert info.type is not None
    return scalar_value(cell.test.value, info.type)


def _names_in(cell: ast.Cell | None) -> list[str]:
    return [name.text for name in names_in_cell(cell)]


def _evidence_title(decl: ast.EvidenceDecl) -> str:
    return decl.title.value if decl.title else decl.name.text


def _refs(symbols: Symbols, evidence: list[str], caveats: list[str]) -> tuple[int, ...]:
    numbers = {int(r.value) for e in evidence for r in symbols.evidence[e].refs}
    numbers |= {int(r.value) for c in caveats for r in symbols.caveats[c].refs}
    return tuple(sorted(numbers))


@functools.lru_cache(maxsize=4096)
def _one_line(text: str) -> str:
    """A cell's text on one line, its runs of blanks one space (the same texts recur in rows)."""
    return " ".join(text.split())


def rule_why(columns: tuple[ir.IRColumn, ...], cells: list[ast.Cell]) -> str:
    """The conditions of a rule in words: `label: cell` for every cell that is not `-`."""
    parts = [f"{column.label}: {_one_line(cell.text)}"
             for column, cell in zip(columns, cells, strict=True)
             if not isinstance(cell.test, ast.AnyTest)]
    return ", ".join(parts) if parts else "always"


def lower_evidence(decl: ast.EvidenceDecl) -> ir.IREvidence:
    return ir.IREvidence(
        decl.name.text, _evidence_title(decl), tuple(int(r.value) for r in decl.refs),
        tuple(t.value for t in decl.design), tuple(t.value for t in decl.population),
        tuple(t.value for t in decl.findings),
    )


# ---- examples ----------------------------------------------------------------------------------------


def lower_example(symbols: Symbols, decl: ast.ExampleDecl) -> ir.IRExample:
    facts = {g.name.text: _given_value(symbols, g) for g in decl.givens}
    expectations = tuple(ir.IRExpectation(e.subject.text, expected_value(symbols, e), e.span.line)
                         for e in decl.expects)
    return ir.IRExample(decl.name.text, decl.description.value, facts, expectations,
                        decl.span.line)


def _given_value(symbols: Symbols, given: ast.Given) -> ir.JsonValue:
    if given.unknown:  # `ldh: unknown`: null, as a caller gives it
        return None
    value_type = symbols.inputs[given.name.text].type
    assert value_type is not None
    if isinstance(value_type, SetT):
        return [scalar_value(v, value_type) for v in given.values]
    return scalar_value(given.values[0], value_type)


def expected_value(symbols: Symbols, expect: ast.Expect) -> ir.JsonValue:
    """What an expectation compares with: a list for a collect table's output, else one value."""
    subject = expect.subject.text
    values: list[ir.JsonValue] = [_plain_value(v) for v in expect.values]
    if subject == "status" or subject in symbols.facts:
        return values[0] if values else None
    resolved = symbols.resolve(expect.subject)
    table = symbols.tables.get(expect.subject.name.text)
    if table is not None and resolved is not None and resolved.kind == "output" and table.single_hit:
        return values[0] if values else None
    if table is not None and table.aggregate is not None:
        return values[0] if values else None
    return list(values)


def _plain_value(value: ast.Value) -> ir.Scalar:
    match value:
        case ast.BoolValue() | ast.TextValue():
            return value.value
        case ast.NumberValue():
            return value.value if isinstance(value.value, int) else float(value.value)
        case ast.NameValue():
            return value.name.text
        case ast.DateValue() | ast.DateTimeValue() | ast.TimeOfDayValue():
            return value.text
    raise LoweringError(f"no value for {value!r}")
