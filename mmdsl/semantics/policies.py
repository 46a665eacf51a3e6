"""The hit policies and aggregations: the one home of the language's policy words and of what
each policy gives. The checks, the IR, the interpreter, the back ends and DMN import and export
read them here (DMN spells each one in capitals: `rule order` is `RULE ORDER`)."""

from __future__ import annotations

from typing import Literal, get_args

HitPolicy = Literal["unique", "any", "first", "priority", "collect", "rule order", "output order"]
Aggregate = Literal["sum", "min", "max", "count"]

POLICIES: tuple[HitPolicy, ...] = get_args(HitPolicy)
AGGREGATES: tuple[Aggregate, ...] = get_args(Aggregate)
SINGLE_HIT: tuple[HitPolicy, ...] = ("unique", "any", "first", "priority")
"""The policies whose table gives one row (or none); the others give a list of rows."""
LIST_POLICIES: tuple[HitPolicy, ...] = tuple(p for p in POLICIES if p not in SINGLE_HIT)
RANKED_POLICIES: tuple[HitPolicy, ...] = ("priority", "output order")
"""The policies that rank rows by the order of their outputs' enumeration members."""


def _words() -> dict[tuple[str, ...], tuple[HitPolicy, Aggregate | None]]:
    found: dict[tuple[str, ...], tuple[HitPolicy, Aggregate | None]] = {}
    for policy in POLICIES:
        found[tuple(policy.split())] = (policy, None)
        if policy == "collect":
            found.update({("collect", aggregate): ("collect", aggregate) for aggregate in AGGREGATES})
    return found


HIT_POLICIES = _words()
"""The words of a `hit` line (`("collect", "sum")`) to the policy and aggregation they name."""


def dmn_name(word: str) -> str:
    """How DMN spells a policy or an aggregation: `rule order` is `RULE ORDER`."""
    return word.upper()
