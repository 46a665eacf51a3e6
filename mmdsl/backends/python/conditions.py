"""IR conditions as Python expressions over `values`, the dict of a patient's values by ref.

A ref is looked up as `values[repr(ref)]`, or read from a local variable that a decision core
assigned it to (`v0`, `v1`…: named by position, never from authored text); members and values
are literals through `repr()`.
A test on a value that may be missing (None) is false: `in`, `==` and `is` are already false
on None, and a comparison or a set test on a ref that may be None gets an `is not None` guard,
unless an `is not None` test on the same ref comes earlier in the same `and` chain (lowering
writes those guards itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from mmdsl.backends.python.pycode import Group, Node, Prefixed, Str, Text, literal, one_line
from mmdsl.ir import model as ir

SHORT_SET = 3  # members tested one by one up to this many
INVERSE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


@dataclass(frozen=True, slots=True)
class Refs:
    """What is known about refs where a condition stands."""

    nullable: frozenset[str]  # refs whose value may be None (single-hit outputs, sum/min/max)
    present: frozenset[str] = frozenset()  # refs an earlier `is not None` already checked
    names: Mapping[str, str] = field(default_factory=dict)  # refs held in local variables
    booleans: frozenset[str] = frozenset()  # refs always True or False (yes/no inputs, facts)

    def may_be_none(self, ref: str) -> bool:
        return ref in self.nullable and ref not in self.present

    def with_present(self, ref: str) -> Refs:
        return replace(self, present=self.present | {ref})

    def value_of(self, ref: str) -> str:
        return self.names.get(ref) or f"values[{ref!r}]"


def condition_code(condition: ir.Cond, refs: Refs) -> Node:
    match condition:
        case ir.Always():
            return Text("True")
        case ir.IsSet(ref=ref):
            return Text(f"{refs.value_of(ref)} is not None")
        case ir.Compare(ref=ref, op=op, value=bound):
            return _guarded(ref, Text(f"{refs.value_of(ref)} {op} {_number(bound)}"), refs)
        case ir.OneOf():
            return _one_of(condition, refs, negated=False)
        case ir.SetTest():
            return _guarded(condition.ref, _set_test(condition, refs), refs)
        case ir.Not(item=item):
            return negation_code(item, refs)
        case ir.AllOf(items=items):
            return _all_of(items, refs)
        case ir.AnyOf(items=items):
            return _any_of(items, refs)
        case ir.Elapsed(start=start, end=end, unit=unit, op=op, amount=amount):
            count = "seconds_between" if unit == "seconds" else unit  # the pasted functions
            return Text(f"{count}({refs.value_of(start)}, {refs.value_of(end)}) {op} {amount!r}")
        case ir.OnDay(ref=ref, op=op, day=day):  # `date` is the module's datetime.date
            year, month, number = (int(part) for part in day.split("-"))
            test = f"{refs.value_of(ref)} {op} date({year}, {month}, {number})"
            return _guarded(ref, Text(test), refs)
        case ir.AtTime(ref=ref, op=op, moment=moment):  # the clock time as written on the value
            parts = moment_parts(moment)
            test = f"clock_time({refs.value_of(ref)}) {op} datetime.datetime{parts}"
            return _guarded(ref, Text(test), refs)
        case ir.AtClock(ref=ref, op=op, clock=clock):  # in clock order within one day
            hour, minute, second = clock_parts(clock)
            test = f"{refs.value_of(ref)} {op} datetime.time({hour}, {minute}, {second})"
            return _guarded(ref, Text(test), refs)
    raise TypeError(f"not a condition: {condition!r}")


def moment_parts(moment: str) -> tuple[int, ...]:
    """`2024-03-01T08:00` as (2024, 3, 1, 8, 0, 0): a literal the module builds a datetime of."""
    day, clock = moment.split("T")
    return (*(int(p) for p in day.split("-")), *(int(p) for p in clock.split(":")),
            *((0,) if clock.count(":") == 1 else ()))


def clock_parts(clock: str) -> tuple[int, int, int]:
    """`17:00` as (17, 0, 0): a literal the module builds a time of."""
    parts = [int(p) for p in clock.split(":")]
    return parts[0], parts[1], parts[2] if len(parts) == 3 else 0


def _number(value: int | float) -> str:
    node = literal(value)
    assert isinstance(node, Text)
    return node.code


def _guarded(ref: str, test: Node, refs: Refs) -> Node:
    if not refs.may_be_none(ref):
        return test
    return _chain(" and ", [Text(f"{refs.value_of(ref)} is not None"), test])


def _chain(joiner: str, nodes: list[Node]) -> Node:
    if len(nodes) == 1:
        return nodes[0]
    return Group("(", tuple(nodes), ")", joiner=joiner, optional_brackets=True)


def _one_of(condition: ir.OneOf, refs: Refs, negated: bool) -> Node:
    subject, values = refs.value_of(condition.ref), condition.values
    if len(values) == 1 and isinstance(values[0], bool):
        if condition.ref in refs.booleans:  # never None: the value itself is the test
            return Text(subject if values[0] is not negated else f"not {subject}")
        return Text(f"{subject} {'is not' if negated else 'is'} {values[0]!r}")
    if len(values) == 1:
        return Prefixed(f"{subject} {'!=' if negated else '=='} ", literal(values[0]))
    return Prefixed(f"{subject} {'not in' if negated else 'in'} ", literal(values))


def _set_test(condition: ir.SetTest, refs: Refs) -> Node:
    """`'a' in s`, `'a' not in s and 'b' not in s`…: up to SHORT_SET members, membership tests
    (faster than a method call in CPython); more, one call of a set method."""
    subject, members = refs.value_of(condition.ref), condition.members
    if len(members) <= SHORT_SET:
        quantifier = condition.quantifier
        test = "not in" if quantifier == "none" else "in"
        joiner = " or " if quantifier == "any" else " and "
        return _chain(joiner, [Text(f"{member!r} {test} {subject}") for member in members])
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
            return Text(f"{refs.value_of(ref)} is None")
        case ir.OneOf():
            return _one_of(item, refs, negated=True)  # None is in no tuple: `not in` holds, as `not` says
        case ir.SetTest(quantifier="any" | "none") if not refs.may_be_none(item.ref):
            return _set_test(ir.SetTest(item.ref, "none" if item.quantifier == "any" else "any",
                                        item.members), refs)
        case ir.Compare(ref=ref, op=op, value=bound) if not refs.may_be_none(ref):
            return Text(f"{refs.value_of(ref)} {INVERSE[op]} {_number(bound)}")  # values are finite
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
