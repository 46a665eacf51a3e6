"""Two versions of a guideline as one, so that one encoder can compare them patient by patient.

The combined guideline has the union of the inputs (a value allowed by either version is allowed),
each version's facts and tables under a prefix (`old:`/`new:`), and no scope: each version's scope
and the facts that tell whether a patient is valid for it become facts of their own. Every
condition of both versions is then a BDD over the same input variables, so a region of patients
whose decision changes is a BDD like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mmdsl.ir import model as ir

OLD, NEW = "old:", "new:"
SCOPE, VALID = "scope", "valid"


class NotComparable(Exception):
    """The two versions give an input types that no one patient can satisfy for both."""


@dataclass(frozen=True, slots=True)
class Combined:
    guideline: ir.IRGuideline
    old: ir.IRGuideline
    new: ir.IRGuideline


def combine(old: ir.IRGuideline, new: ir.IRGuideline) -> Combined:
    """The two versions as one guideline (see the module's docstring)."""
    inputs = _merged_inputs(old, new)
    merged = {i.name: i for i in inputs}
    facts = (*_version_facts(OLD, old, merged), *_version_facts(NEW, new, merged))
    tables = (*(_renamed_table(OLD, t, old) for t in old.tables),
              *(_renamed_table(NEW, t, new) for t in new.tables))
    # Each version's impossible combinations are part of its own validity (a question of the
    # comparison), not of the combined space: a combination one version refuses and the other
    # decides is a change of decision like any other.
    computed = (*_version_numbers(OLD, old), *_version_numbers(NEW, new))
    guideline = replace(new, name="combined", inputs=inputs, facts=facts, scope=None, tables=tables,
                        examples=old.examples + new.examples, notes=(), quotes=(), impossible=(),
                        computed=computed, derived_order=())
    return Combined(guideline, old, new)


# ---- inputs -------------------------------------------------------------------------------------


def _merged_inputs(old: ir.IRGuideline, new: ir.IRGuideline) -> tuple[ir.IRInput, ...]:
    old_inputs = {i.name: i for i in old.inputs}
    merged = [_merged(old_inputs[i.name], i) if i.name in old_inputs else i for i in new.inputs]
    names = {i.name for i in new.inputs}
    return (*merged, *(i for i in old.inputs if i.name not in names))


def _merged(old: ir.IRInput, new: ir.IRInput) -> ir.IRInput:
    """One input allowing every value either version allows."""
    a, b = old.type, new.type
    if a.kind != b.kind:
        raise NotComparable(f"input {new.name} is {_kind(a)} in the old version and {_kind(b)} "
                            "in the new one")
    if old.includes != new.includes:  # facts are completed with the included set before deciding
        raise NotComparable(f"input {new.name} includes {old.includes or 'nothing'} in the old "
                            f"version and {new.includes or 'nothing'} in the new one")
    members = a.members + tuple(m for m in b.members if m not in a.members)
    low = None if a.low is None or b.low is None else min(a.low, b.low)
    high = None if a.high is None or b.high is None else max(a.high, b.high)
    merged_type = replace(b, members=members, low=low, high=high)
    return replace(new, type=merged_type)


def _kind(value_type: ir.IRType) -> str:
    return {"bool": "yes/no", "enum": "one of a list", "set": "a set"}.get(value_type.kind, value_type.kind)


def _validity(version: ir.IRGuideline, merged: dict[str, ir.IRInput]) -> ir.Cond:
    """What a patient of the combined space must satisfy to be valid facts for `version`."""
    parts: list[ir.Cond] = []
    for item in version.inputs:
        wide = merged[item.name].type
        mine = item.type
        if mine.low is not None and (wide.low is None or wide.low < mine.low):
            parts.append(ir.Compare(item.name, ">=", mine.low))
        if mine.high is not None and (wide.high is None or wide.high > mine.high):
            parts.append(ir.Compare(item.name, "<=", mine.high))
        extra = tuple(m for m in wide.members if m not in mine.members)
        if extra and mine.kind == "enum":
            parts.append(ir.OneOf(item.name, mine.members))
        elif extra and mine.kind == "set":
            parts.append(ir.SetTest(item.name, "none", extra))
    return ir.AllOf(tuple(parts)) if parts else ir.Always()


# ---- facts and tables under a prefix -------------------------------------------------------------


def _version_facts(prefix: str, version: ir.IRGuideline,
                   merged: dict[str, ir.IRInput]) -> tuple[ir.IRFact, ...]:
    renamer = _Renamer(prefix, version)
    scope = version.scope.condition if version.scope else ir.Always()
    own = tuple(replace(f, name=prefix + f.name, condition=renamer.cond(f.condition))
                for f in version.facts)
    valid = _validity(version, merged)
    if version.impossible:
        possible = ir.Not(ir.AnyOf(tuple(renamer.cond(i.condition) for i in version.impossible)))
        valid = ir.AllOf((valid, possible))
    return (ir.IRFact(prefix + VALID, "", valid, ""),
            *own, ir.IRFact(prefix + SCOPE, "", renamer.cond(scope), ""))


def _version_numbers(prefix: str, version: ir.IRGuideline) -> tuple[ir.IRComputed, ...]:
    """Each version's numeric facts under its prefix: a score whose formula changed is two
    facts, each read by its own version's tables."""
    renamer = _Renamer(prefix, version)
    return tuple(replace(c, name=prefix + c.name, expr=renamer.number(c.expr))
                 for c in version.computed)


def _renamed_table(prefix: str, table: ir.IRTable, version: ir.IRGuideline) -> ir.IRTable:
    renamer = _Renamer(prefix, version)
    rules = tuple(replace(r, tests=tuple(renamer.cond(t) for t in r.tests)) for r in table.rules)
    columns = tuple(replace(c, ref=renamer.ref(c.ref)) for c in table.columns)
    return replace(table, name=prefix + table.name, rules=rules, columns=columns)


class _Renamer:
    """Rewrites the refs of one version's conditions: its facts and tables get the prefix."""

    def __init__(self, prefix: str, version: ir.IRGuideline) -> None:
        self.prefix = prefix
        self.facts = {f.name for f in version.facts} | {c.name for c in version.computed}
        self.tables = {t.name for t in version.tables}

    def ref(self, ref: str) -> str:
        table = ref.partition(".")[0]
        return self.prefix + ref if ref in self.facts or table in self.tables else ref

    def cond(self, cond: ir.Cond) -> ir.Cond:
        match cond:
            case ir.Not():
                return ir.Not(self.cond(cond.item))
            case ir.AllOf():
                return ir.AllOf(tuple(self.cond(c) for c in cond.items))
            case ir.AnyOf():
                return ir.AnyOf(tuple(self.cond(c) for c in cond.items))
            case ir.IsSet() | ir.Compare() | ir.OneOf() | ir.SetTest():
                return replace(cond, ref=self.ref(cond.ref))
        return cond

    def number(self, expr: ir.NumExpr) -> ir.NumExpr:
        match expr:
            case ir.Read():
                return ir.Read(self.ref(expr.ref))
            case ir.Neg():
                return ir.Neg(self.number(expr.item))
            case ir.Calc():
                return ir.Calc(expr.op, self.number(expr.left), self.number(expr.right))
            case ir.Pick():
                return ir.Pick(self.cond(expr.condition), self.number(expr.then),
                               self.number(expr.otherwise))
        return expr
