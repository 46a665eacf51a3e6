"""IR conditions as Python expressions over `values`, the dict of a patient's values by ref.

A ref is looked up as `values[repr(ref)]`; members and values are literals through `repr()`.
A test on a value that may be missing (None) is false: `in`, `==` and `is` are already false
on None, and a comparison or a set test on a ref that may be None gets an `is not None` guard,
unless an `is not None` test on the same ref comes earlier in the same `and` chain (lowering
writes those guards itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from mmdsl.backends.pycode import Group, Node, Prefixed, Str, Text, literal, one_line
from mmdsl.ir import model as ir

INVERSE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


@dataclass(frozen=True, slots=True)
class Refs:
    """What is known about refs where a condition stands."""

    nullable: frozenset[str]  # refs whose value may be None (single-hit outputs, sum/min/max)
    present: frozenset[str] = frozenset()  # refs an earlier `is not None` already checked

    def may_be_none(self, ref: str) -> bool:
        return ref in self.nullable and ref not in self.present

    def with_present(self, ref: str) -> Refs:
        return Refs(self.nullable, self.present | {ref})


def value_of(ref: str) -> str:
    return f"values[{ref!r}]"


def condition_code(condition: ir.Cond, refs: Refs) -> Node:
    match condition:
        case ir.Always():
            return Text("True")
        case ir.IsSet(ref=ref):
            return Text(f"{value_of(ref)} is not None")
        case ir.Compare(ref=ref, op=op, value=bound):
            return _guarded(ref, Text(f"{value_of(ref)} {op} {_number(bound)}"), refs)
        case ir.OneOf():
            return _one_of(condition, negated=False)
        case ir.SetTest():
            return _guarded(condition.ref, _set_test(condition), refs)
        case ir.Not(item=item):
            return negation_code(item, refs)
        case ir.AllOf(items=items):
            return _all_of(items, refs)
        case ir.AnyOf(items=items):
            return _any_of(items, refs)
    raise TypeError(f"not a condition: {condition!r}")


def _number(value: int | float) -> str:
    node = literal(value)
    assert isinstance(node, Text)
    return node.code


def _guarded(ref: str, test: Node, refs: Refs) -> Node:
    if not refs.may_be_none(ref):
        return test
    return _chain(" and ", [Text(f"{value_of(ref)} is not None"), test])


def _chain(joiner: str, nodes: list[Node]) -> Node:
    if len(nodes) == 1:
        return nodes[0]
    return Group("(", tuple(nodes), ")", joiner=joiner, optional_brackets=True)


def _one_of(condition: ir.OneOf, negated: bool) -> Node:
    subject, values = value_of(condition.ref), condition.values
    if len(values) == 1 and isinstance(values[0], bool):
        return Text(f"{subject} {'is not' if negated else 'is'} {values[0]!r}")
    if len(values) == 1:
        return Prefixed(f"{subject} {'!=' if negated else '=='} ", literal(values[0]))
    return Prefixed(f"{subject} {'not in' if negated else 'in'} ", literal(values))


def _set_test(condition: ir.SetTest) -> Node:
    subject, members = value_of(condition.ref), condition.members
    if len(members) == 1 and condition.quantifier in ("any", "all"):
        return Text(f"{members[0]!r} in {subject}")
    if len(members) == 1:
        return Text(f"{members[0]!r} not in {subject}")
    method = {"any": "not {}.isdisjoint", "none": "{}.isdisjoint", "all": "{}.issuperset"}
    return Prefixed(method[condition.quantifier].format(subject), _member_tuple(members))


def _member_tuple(members: tuple[str, ...]) -> Group:
    """`(('a', 'b'))`: the one argument of a set method, a tuple of members."""
    return Group("((", tuple(Str(member) for member in members), "))", one_item_comma=True)


def negation_code(item: ir.Cond, refs: Refs) -> Node:
    """`not item`, written the way a reader (and ruff) expects: `not in`, `is None`, `!=`."""
    match item:
        case ir.Always():
            return Text("False")
        case ir.Not(item=inner):
            return condition_code(inner, refs)
        case ir.IsSet(ref=ref):
            return Text(f"{value_of(ref)} is None")
        case ir.OneOf():
            return _one_of(item, negated=True)  # None is in no tuple: `not in` holds, as `not` says
        case ir.SetTest(quantifier="any" | "none") if not refs.may_be_none(item.ref):
            return _set_test(ir.SetTest(item.ref, "none" if item.quantifier == "any" else "any",
                                        item.members))
        case ir.Compare(ref=ref, op=op, value=bound) if not refs.may_be_none(ref):
            return Text(f"{value_of(ref)} {INVERSE[op]} {_number(bound)}")  # values are finite
    return _not(condition_code(item, refs))


def _not(node: Node) -> Node:
    if isinstance(node, Group):  # an and/or chain: keep its brackets
        return Prefixed("not ", Group(node.open, node.items, node.close, node.joiner))
    if isinstance(node, Prefixed):  # a set method call, which binds tighter than `not`
        return Prefixed("not ", node)
    return Text(f"not ({one_line(node)})")


def _all_of(items: tuple[ir.Cond, ...], refs: Refs) -> Node:
    nodes: list[Node] = []
    for item in _flattened(items, ir.AllOf):
        if isinstance(item, ir.Always):
            continue
        nodes.append(condition_code(item, refs))
        if isinstance(item, ir.IsSet):
            refs = refs.with_present(item.ref)  # later tests in this chain run only when set
    return _chain(" and ", nodes) if nodes else Text("True")


def _any_of(items: tuple[ir.Cond, ...], refs: Refs) -> Node:
    flat = _flattened(items, ir.AnyOf)
    if not flat or any(isinstance(item, ir.Always) for item in flat):
        return Text("True") if flat else Text("False")
    return _chain(" or ", [condition_code(item, refs) for item in flat])


def _flattened(items: tuple[ir.Cond, ...], kind: type[ir.AllOf] | type[ir.AnyOf]
               ) -> list[ir.Cond]:
    """`a and (b and c)` as `a and b and c`: the same test, easier to read."""
    flat: list[ir.Cond] = []
    for item in items:
        flat += _flattened(item.items, kind) if isinstance(item, kind) else [item]
    return flat
