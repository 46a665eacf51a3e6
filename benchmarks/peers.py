"""The same tables in the peer engines: rule-engine, cel-python (CEL) and business-rules.

Each table is translated from the IR (derived facts and the scope too), and evaluated the way
each engine is meant to be used: the derived facts first, in order, into the engine's context,
then the rules in order (stopping at the first match for a `first` table). Each returns what the
generated decision core returns: the chosen position, or the matching positions. They do less
than mmdsl's `evaluate()` (no validation, no trace, no result rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mmdsl.ir import model as ir

Evaluate = Callable[[dict[str, Any]], object]

INVERSE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _number(value: object) -> str:
    return repr(float(value)) if isinstance(value, float) else repr(value)


# ---- rule-engine and CEL: expression languages ------------------------------------------------------


def expression(cond: ir.Cond, dialect: str) -> str:
    """An IR condition in rule-engine's or CEL's syntax."""
    and_, or_, not_ = ("and", "or", "not ") if dialect == "rule-engine" else ("&&", "||", "!")
    true = "true"
    match cond:
        case ir.Always():
            return true
        case ir.IsSet(ref=ref):
            return f"({ref} != null)"
        case ir.Compare(ref=ref, op=op, value=value):
            return f"({ref} {op} {_number(value)})"
        case ir.OneOf(ref=ref, values=values):
            parts = [_equals(ref, v, dialect) for v in values]
            return "(" + f" {or_} ".join(parts) + ")"
        case ir.SetTest(ref=ref, quantifier=quantifier, members=members):
            has = [f"('{m}' in {ref})" for m in members]
            if quantifier == "all":
                return "(" + f" {and_} ".join(has) + ")"
            found = "(" + f" {or_} ".join(has) + ")"
            return found if quantifier == "any" else f"({not_}{found})"
        case ir.Not(item=item):
            return f"({not_}{expression(item, dialect)})"
        case ir.AllOf(items=items):
            return "(" + f" {and_} ".join(expression(i, dialect) for i in items) + ")" if items else true
        case ir.AnyOf(items=items):
            return "(" + f" {or_} ".join(expression(i, dialect) for i in items) + ")" if items else "false"
    raise TypeError(cond)


def _equals(ref: str, value: ir.Scalar, dialect: str) -> str:
    if isinstance(value, bool):
        return f"({ref} == {'true' if value else 'false'})"
    if isinstance(value, str):
        return f"({ref} == '{value}')"
    return f"({ref} == {_number(value)})"


def _runner(guideline: ir.IRGuideline, table: ir.IRTable, holds: Callable[[Any, Any], bool],
            compile_: Callable[[ir.Cond], Any], context: Callable[[dict[str, Any]], Any],
            store: Callable[[Any, str, bool], None]) -> Evaluate:
    facts = [(fact.name, compile_(fact.condition)) for fact in guideline.facts]
    scope = compile_(guideline.scope.condition) if guideline.scope else None
    rules = [compile_(ir.AllOf(rule.tests)) for rule in table.rules]
    first = table.hit == "first"

    def evaluate(values: dict[str, Any]) -> object:
        ctx = context(values)
        for name, fact in facts:
            store(ctx, name, holds(fact, ctx))
        if scope is not None and not holds(scope, ctx):
            return None
        if first:
            return next((i for i, rule in enumerate(rules) if holds(rule, ctx)), None)
        return [i for i, rule in enumerate(rules) if holds(rule, ctx)]

    return evaluate


def rule_engine(guideline: ir.IRGuideline, table: ir.IRTable) -> Evaluate:
    import rule_engine as engine

    context = engine.Context(default_value=None)

    def compile_(cond: ir.Cond) -> Any:
        return engine.Rule(expression(cond, "rule-engine"), context=context)

    def store(ctx: dict[str, Any], name: str, value: bool) -> None:
        ctx[name] = value

    return _runner(guideline, table, lambda rule, ctx: bool(rule.matches(ctx)), compile_,
                   lambda values: {k: (sorted(v) if isinstance(v, frozenset) else v)
                                   for k, v in values.items()}, store)


def cel(guideline: ir.IRGuideline, table: ir.IRTable) -> Evaluate:
    import celpy
    from celpy import celtypes

    environment = celpy.Environment()

    def compile_(cond: ir.Cond) -> Any:
        return environment.program(environment.compile(expression(cond, "cel")))

    def context(values: dict[str, Any]) -> dict[str, Any]:
        return {k: celpy.json_to_cel(sorted(v) if isinstance(v, frozenset) else v)
                for k, v in values.items()}

    def store(ctx: dict[str, Any], name: str, value: bool) -> None:
        ctx[name] = celtypes.BoolType(value)

    return _runner(guideline, table, lambda program, ctx: bool(program.evaluate(ctx)), compile_,
                   context, store)


# ---- business-rules: JSON conditions over typed variables ------------------------------------------


def business_rules(guideline: ir.IRGuideline, table: ir.IRTable) -> Evaluate:
    """Variables are the inputs and the facts (facts computed by a first pass of rules, as the
    library would be used: an action sets each fact); no `not`, so conditions are pushed into
    negation normal form with the library's own opposite operators."""
    from business_rules import run_all
    from business_rules.actions import BaseActions, rule_action
    from business_rules.fields import FIELD_TEXT

    variables_class = _variables_class(guideline)

    class Actions(BaseActions):  # type: ignore[misc]
        def __init__(self, found: dict[str, Any]) -> None:
            self.found = found

        @rule_action(params={"name": FIELD_TEXT})  # type: ignore[misc]
        def fact(self, name: str) -> None:
            self.found[name] = True

        @rule_action(params={"name": FIELD_TEXT})  # type: ignore[misc]
        def match(self, name: str) -> None:
            self.found.setdefault("_matched", []).append(int(name))

    def rule(cond: ir.Cond, action: str, name: str) -> dict[str, Any]:
        return {"conditions": _nnf(cond, False), "actions": [{"name": action, "params": {"name": name}}]}

    fact_rules = [[rule(f.condition, "fact", f.name)] for f in guideline.facts]
    scope = [rule(guideline.scope.condition, "fact", "_in_scope")] if guideline.scope else []
    rules = [rule(ir.AllOf(r.tests), "match", str(i)) for i, r in enumerate(table.rules)]
    first = table.hit == "first"

    def evaluate(values: dict[str, Any]) -> object:
        found: dict[str, Any] = dict(values)
        variables = variables_class(found)
        actions = Actions(found)
        for fact_rule in fact_rules:
            run_all(fact_rule, variables, actions)
        if scope:
            run_all(scope, variables, actions)
            if not found.get("_in_scope"):
                return None
        run_all(rules, variables, actions, stop_on_first_trigger=first)
        matched = found.get("_matched", [])
        return (matched[0] if matched else None) if first else matched

    return evaluate


def _variables_class(guideline: ir.IRGuideline) -> type:
    from business_rules.variables import (
        BaseVariables,
        boolean_rule_variable,
        numeric_rule_variable,
        select_multiple_rule_variable,
        string_rule_variable,
    )

    def getter(name: str, kind: str) -> Any:
        def read(self: Any) -> Any:
            value = self.values.get(name, False)
            return list(value) if kind == "set" else value
        read.__name__ = name
        decorator = {"bool": boolean_rule_variable, "integer": numeric_rule_variable,
                     "decimal": numeric_rule_variable, "set": select_multiple_rule_variable,
                     "text": string_rule_variable, "enum": string_rule_variable}[kind]
        return decorator()(read)

    namespace: dict[str, Any] = {"__init__": lambda self, values: setattr(self, "values", values)}
    for item in guideline.inputs:
        namespace[item.name] = getter(item.name, item.type.kind)
    for fact in guideline.facts:
        namespace[fact.name] = getter(fact.name, "bool")
    namespace["always"] = boolean_rule_variable()(lambda self: True)
    return type("Variables", (BaseVariables,), namespace)


OPERATORS = {"<": "less_than", "<=": "less_than_or_equal_to", ">": "greater_than",
             ">=": "greater_than_or_equal_to", "==": "equal_to"}


def _nnf(cond: ir.Cond, negated: bool) -> dict[str, Any]:
    """A business-rules condition for `cond` (or its negation), negations pushed to the tests."""
    match cond:
        case ir.Always():
            return {"name": "always", "operator": "is_false" if negated else "is_true", "value": ""}
        case ir.Not(item=item):
            return _nnf(item, not negated)
        case ir.AllOf(items=items) | ir.AnyOf(items=items):
            kept = [i for i in items if not isinstance(i, ir.Always)] or [ir.Always()]
            all_of = isinstance(cond, ir.AllOf) != negated
            return {"all" if all_of else "any": [_nnf(i, negated) for i in kept]}
        case ir.Compare(ref=ref, op=op, value=value):
            op = INVERSE[op] if negated else op
            if op == "!=":
                return {"any": [_test(ref, "less_than", value), _test(ref, "greater_than", value)]}
            return _test(ref, OPERATORS[op], value)
        case ir.OneOf(ref=ref, values=values) if len(values) == 1 and isinstance(values[0], bool):
            return _test(ref, "is_true" if values[0] != negated else "is_false", "")
        case ir.OneOf(ref=ref, values=values):
            if not negated:
                return {"any": [_test(ref, "equal_to", v) for v in values]}
            if all(isinstance(v, int | float) for v in values):  # no "not equal": below or above
                return {"all": [_nnf(ir.Compare(ref, "!=", v), False) for v in values]}  # type: ignore[arg-type]
            raise NotImplementedError("business-rules has no `not equal to` for text")
        case ir.SetTest(ref=ref, quantifier=quantifier, members=members):
            operator = {"any": "shares_at_least_one_element_with", "none": "shares_no_elements_with",
                        "all": "contains_all"}[quantifier]
            if negated and quantifier == "all":
                return {"any": [_test(ref, "shares_no_elements_with", [m]) for m in members]}
            if negated:
                operator = {"any": "shares_no_elements_with",
                            "none": "shares_at_least_one_element_with"}[quantifier]
            return _test(ref, operator, list(members))
    raise TypeError(cond)


def _test(ref: str, operator: str, value: object) -> dict[str, Any]:
    return {"name": ref, "operator": operator, "value": value}


PEERS: dict[str, Callable[[ir.IRGuideline, ir.IRTable], Evaluate]] = {
    "rule-engine": rule_engine, "cel-python": cel, "business-rules": business_rules}
