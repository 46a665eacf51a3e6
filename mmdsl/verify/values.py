"""Values of an input that no rule can tell apart.

A member of a set input that no cell, derived fact or scope reads never changes a decision: a
patient refractory to it is treated exactly like one who is not. Members of an enumeration that
every condition treats alike can never be told apart. Either may be intended (the inputs are
often fixed by an interface the tables do not own), or it may be a forgotten rule; a reviewer
should see it. A note on the value (`note why on exposed.selinexor: "..."`) records that it is
intended and silences the finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mmdsl.ir import model as ir
from mmdsl.ir.walk import conditions, refs_read


@dataclass(frozen=True)
class UnreadValues:
    input: str
    kind: str  # "set": members whose presence nobody reads; "enum": members nobody tells apart
    members: tuple[str, ...]


def unread_values(guideline: ir.IRGuideline) -> list[UnreadValues]:
    tests = _tests_by_input(guideline)
    documented = {target for note in guideline.notes for target in note.targets}
    found = []
    for item in guideline.inputs:
        if item.name not in tests or item.type.kind not in ("set", "enum"):
            continue  # an input that nothing reads at all is MD408's
        members = item.type.members
        if item.type.kind == "set":
            named = set().union(*tests[item.name])
            unread = tuple(m for m in members if m not in named and f"{item.name}.{m}" not in documented)
            found += [UnreadValues(item.name, "set", unread)] if unread else []
            continue
        for group in alike(members, tests[item.name]):
            if not any(f"{item.name}.{m}" in documented for m in group):
                found.append(UnreadValues(item.name, "enum", group))
    return found


def _tests_by_input(guideline: ir.IRGuideline) -> dict[str, list[frozenset[str]]]:
    """For each input, the sets of members its tests take: a set test names its members; a test
    of an enumeration is the set of members it holds for (`stage is II or stage is III` takes II
    and III together, as one test)."""
    enums = {i.name: i.type.members for i in guideline.inputs if i.type.kind == "enum"}
    tests: dict[str, list[frozenset[str]]] = {}
    known: dict[ir.Cond, list[tuple[str, frozenset[str]]]] = {}  # cells repeat rule after rule
    for cond in conditions(guideline):
        found = known.get(cond)
        if found is None:
            found = known[cond] = list(_member_sets(cond, enums))
        for ref, members in found:
            tests.setdefault(ref, []).append(members)
    return tests


def _member_sets(cond: ir.Cond, enums: dict[str, tuple[str, ...]]) -> Iterator[tuple[str, frozenset[str]]]:
    refs = set(refs_read(cond))
    if len(refs) == 1 and (ref := next(iter(refs))) in enums:
        yield ref, frozenset(m for m in enums[ref] if _holds(cond, m))
    elif isinstance(cond, ir.SetTest):
        yield cond.ref, frozenset(cond.members)
    elif isinstance(cond, ir.Not):
        yield from _member_sets(cond.item, enums)
    elif isinstance(cond, ir.AllOf | ir.AnyOf):
        for item in cond.items:
            yield from _member_sets(item, enums)


def _holds(cond: ir.Cond, member: str) -> bool:
    """Does a test of one enumeration hold for the member?"""
    match cond:
        case ir.Not():
            return not _holds(cond.item, member)
        case ir.AllOf():
            return all(_holds(c, member) for c in cond.items)
        case ir.AnyOf():
            return any(_holds(c, member) for c in cond.items)
        case ir.OneOf():
            return member in {str(v) for v in cond.values}
        case ir.Compare():
            return (member == str(cond.value)) == (cond.op == "==")
    return True


def alike(members: tuple[str, ...], tests: list[frozenset[str]]) -> list[tuple[str, ...]]:
    """Groups of two or more members that every test takes or leaves together."""
    groups: dict[tuple[bool, ...], list[str]] = {}
    for member in members:
        groups.setdefault(tuple(member in test for test in tests), []).append(member)
    return [tuple(group) for group in groups.values() if len(group) > 1]
