"""What every lowered guideline must satisfy, whatever the file: the promise the checks make to
the back ends. `ir_problems` lists the broken promises (none for a correct compiler)."""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.ir import model as ir

POLICIES = {"unique", "any", "first", "priority", "collect", "rule order", "output order"}


def ir_problems(guideline: ir.IRGuideline) -> list[str]:
    env: dict[str, ir.IRType] = {i.name: i.type for i in guideline.inputs}
    problems = list(_inputs(guideline))
    for fact in guideline.facts:
        problems += [f"fact {fact.name}: {p}" for p in cond_problems(fact.condition, env)]
        env[fact.name] = ir.IRType("bool")
    if guideline.scope is not None:
        problems += [f"scope: {p}" for p in cond_problems(guideline.scope.condition, env)]
    for table in guideline.tables:
        problems += [f"table {table.name}: {p}" for p in _table(table, env)]
        env.update(_results(table))
    problems += list(_evidence(guideline))
    problems += list(_examples(guideline))
    problems += list(_notes(guideline))
    return problems


# ---- values -----------------------------------------------------------------------------------


def scalar_fits(value: object, value_type: ir.IRType) -> bool:
    kind = value_type.kind
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("integer", "decimal"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and (kind == "decimal" or isinstance(value, int))
        return ok and _within(value, value_type)  # type: ignore[arg-type]
    if kind == "text":
        return isinstance(value, str)
    return isinstance(value, str) and value in value_type.members


def _within(value: float, value_type: ir.IRType) -> bool:
    low, high = value_type.low, value_type.high
    return (low is None or value >= low) and (high is None or value <= high)


def json_fits(value: object, value_type: ir.IRType) -> bool:
    if value_type.kind == "set":
        return isinstance(value, list) and all(
            isinstance(v, str) and v in value_type.members for v in value)
    return scalar_fits(value, value_type)


def _inputs(guideline: ir.IRGuideline) -> Iterator[str]:
    names = {i.name: i for i in guideline.inputs}
    for item in guideline.inputs:
        if item.required != (item.default is None):
            yield f"input {item.name}: required but has a default, or neither"
        if item.default is not None and not json_fits(item.default, item.type):
            yield f"input {item.name}: default {item.default!r} does not fit"
        if item.includes is not None:
            other = names.get(item.includes)
            if other is None or other.type.kind != "set" or item.type.kind != "set" \
                    or other.type.members != item.type.members or other is item:
                yield f"input {item.name}: includes {item.includes!r}"
        if item.type.kind in ("enum", "set") and not item.type.members:
            yield f"input {item.name}: no members"


# ---- conditions -------------------------------------------------------------------------------


def cond_problems(cond: ir.Cond, env: dict[str, ir.IRType]) -> Iterator[str]:
    match cond:
        case ir.Always():
            return
        case ir.Not():
            yield from cond_problems(cond.item, env)
        case ir.AllOf() | ir.AnyOf():
            if not cond.items:
                yield "empty AllOf/AnyOf"
            for item in cond.items:
                yield from cond_problems(item, env)
        case ir.IsSet():
            if cond.ref not in env:
                yield f"IsSet of unknown {cond.ref!r}"
        case ir.Compare():
            value_type = env.get(cond.ref)
            if value_type is None or value_type.kind not in ("integer", "decimal"):
                yield f"Compare on {cond.ref!r} of type {value_type}"
            if isinstance(cond.value, bool) or not isinstance(cond.value, int | float):
                yield f"Compare with {cond.value!r}"
        case ir.OneOf():
            value_type = env.get(cond.ref)
            if value_type is None or value_type.kind in ("set", "integer", "decimal"):
                yield f"OneOf on {cond.ref!r} of type {value_type}"
            elif not cond.values or not all(scalar_fits(v, value_type) for v in cond.values):
                yield f"OneOf {cond.values!r} does not fit {cond.ref!r}"
        case ir.SetTest():
            value_type = env.get(cond.ref)
            if value_type is None or value_type.kind != "set":
                yield f"SetTest on {cond.ref!r} of type {value_type}"
            elif not cond.members or not set(cond.members) <= set(value_type.members):
                yield f"SetTest members {cond.members!r} not in {cond.ref!r}"
        case _:
            yield f"unknown condition {cond!r}"


# ---- tables -----------------------------------------------------------------------------------


def _table(table: ir.IRTable, env: dict[str, ir.IRType]) -> Iterator[str]:
    if table.hit not in POLICIES:
        yield f"hit policy {table.hit!r}"
    if table.aggregate is not None and table.hit != "collect":
        yield f"aggregate {table.aggregate!r} with {table.hit!r}"
    if table.aggregate in ("sum", "min", "max") and (
            len(table.outputs) != 1 or table.outputs[0].type.kind not in ("integer", "decimal")):
        yield f"{table.aggregate} needs one numeric output"
    if table.hit in ("priority", "output order") and any(
            o.type.kind != "enum" for o in table.outputs):
        yield f"{table.hit} with an output that is not an enumeration"
    if not table.outputs or any(o.type.kind == "set" for o in table.outputs):
        yield "no outputs, or a set output"
    names = [o.name for o in table.outputs]
    if len(set(names)) != len(names) or not set(table.order_by + table.distinct_by) <= set(names):
        yield f"outputs {names}, order by {table.order_by}, distinct by {table.distinct_by}"
    yield from _columns(table, env)
    rule_names = [r.name for r in table.rules]
    if len(set(rule_names)) != len(rule_names) or not all(rule_names):
        yield f"rule names {rule_names}"
    for rule in table.rules:
        yield from (f"rule {rule.name}: {p}" for p in _rule(table, rule, env))


def _columns(table: ir.IRTable, env: dict[str, ir.IRType]) -> Iterator[str]:
    for column in table.columns:
        if env.get(column.ref) != column.type:
            yield f"column {column.ref!r} has type {column.type}, the value {env.get(column.ref)}"
        if column.ref.split(".")[0] == table.name:
            yield f"column {column.ref!r} reads its own table"


def _rule(table: ir.IRTable, rule: ir.IRRule, env: dict[str, ir.IRType]) -> Iterator[str]:
    if len(rule.tests) != len(table.columns) or len(rule.cells) != len(table.columns):
        yield f"{len(rule.tests)} tests for {len(table.columns)} columns"
    if len(rule.outputs) != len(table.outputs):
        yield f"{len(rule.outputs)} outputs for {len(table.outputs)}"
    for test in rule.tests:
        yield from cond_problems(test, env)
    for value, output in zip(rule.outputs, table.outputs, strict=False):
        if value is not None and not scalar_fits(value, output.type):
            yield f"output {output.name} = {value!r} does not fit {output.type}"


def _results(table: ir.IRTable) -> dict[str, ir.IRType]:
    """The values a later table may read from this one (as the symbol table resolves them)."""
    if table.aggregate == "count":
        return {table.name: ir.IRType("integer")}
    if table.aggregate is not None:
        return {table.name: table.outputs[0].type}
    single = table.hit in ("unique", "any", "first", "priority")
    results = {}
    for output in table.outputs:
        key = f"{table.name}.{output.name}"
        if single:
            results[key] = output.type
        elif output.type.kind == "enum":
            results[key] = ir.IRType("set", output.type.members, enum_name=output.type.enum_name)
    if len(table.outputs) == 1 and f"{table.name}.{table.outputs[0].name}" in results:
        results[table.name] = results[f"{table.name}.{table.outputs[0].name}"]
    return results


# ---- evidence, examples, notes --------------------------------------------------------------


def _evidence(guideline: ir.IRGuideline) -> Iterator[str]:
    numbers = {r.number for r in guideline.references}
    cited: list[ir.IREvidence | ir.IRCaveat] = [*guideline.evidence, *guideline.caveats]
    for item in cited:
        if not set(item.refs) <= numbers:
            yield f"{item.name}: refs {item.refs} not in the bibliography"
    for table in guideline.tables:
        for rule in table.rules:
            if not set(rule.refs) <= numbers:
                yield f"rule {table.name}.{rule.name}: refs {rule.refs}"


def _examples(guideline: ir.IRGuideline) -> Iterator[str]:
    inputs = {i.name: i for i in guideline.inputs}
    subjects = {"status", *(f.name for f in guideline.facts), *(t.name for t in guideline.tables),
                *(f"{t.name}.{o.name}" for t in guideline.tables for o in t.outputs)}
    for example in guideline.examples:
        for name, value in example.facts.items():
            if name not in inputs or not json_fits(value, inputs[name].type):
                yield f"example {example.name}: {name} = {value!r}"
        missing = [i.name for i in guideline.inputs if i.required and i.name not in example.facts]
        if missing:
            yield f"example {example.name}: missing {missing}"
        for expectation in example.expectations:
            if expectation.subject not in subjects:
                yield f"example {example.name}: expects {expectation.subject!r}"


def _notes(guideline: ir.IRGuideline) -> Iterator[str]:
    rules = {f"{t.name}.{r.name}" for t in guideline.tables for r in t.rules}
    for note in guideline.notes:
        if not set(note.targets) <= rules:
            yield f"note {note.name}: targets {note.targets}"
