"""The why-not plans (backends/why_not.py) as code of the generated module.

Each distinct list of checks becomes one function, `explain_<n>(values) -> str | None`: the words
of its first check that fails (and, after `: `, of the first of that check's parts that fails),
or None when every check holds. A table's constant `WHY_NOT_<n>_<table>` lists, per rule, its function.
Functions are named by position, never from authored text; the words reach the code by repr().
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mmdsl.backends.python.conditions import Refs, condition_code
from mmdsl.backends.python.pycode import Group, Str, Text, render
from mmdsl.ir import model as ir
from mmdsl.ir.why_not import Check, TablePlan

ALWAYS = "always_matches"  # the runtime's explainer of a rule without tests


@dataclass
class Explainers:
    """The functions written so far, one per distinct list of checks, each after those it calls."""

    refs: Refs
    names: dict[tuple[Check, ...], str] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    # The code of each check, by the check's identity: the planner gives one Check per condition,
    # which thousands of rules share (a 10,000-row table writes `yes` or `18..64` again and again).
    written: dict[int, tuple[Check, str]] = field(default_factory=dict)

    def of(self, checks: tuple[Check, ...]) -> str:
        """The name of the function that explains `checks`, written first if need be."""
        if not checks:
            return ALWAYS
        if checks not in self.names:
            calls = [self.of(check.inner) if check.inner else "" for check in checks]
            name = f"explain_{len(self.functions) + 1}"
            self.functions.append(self._function(name, checks, calls))
            self.names[checks] = name
        return self.names[checks]

    def _function(self, name: str, checks: tuple[Check, ...], calls: list[str]) -> str:
        lines = [f"def {name}(values: Values) -> str | None:"]
        for check, inner in zip(checks, calls, strict=True):
            lines.append(self._check_code(check, inner))
        lines.append("    return None")
        return "\n".join(lines)

    def _check_code(self, check: Check, inner: str) -> str:
        """`if <check fails>: return <its words>`, written once per check (`inner`, the name of
        its finer explainer, is the same each time: `of` names each list of checks once)."""
        known = self.written.get(id(check))
        if known is not None and known[0] is check:
            return known[1]
        failed = condition_code(ir.Not(check.condition), self.refs)
        words = (Group("because(", (Str(check.failed), Text(f"{inner}(values)")), ")")
                 if inner else Str(check.failed))
        code = render(failed, 4, "if ") + ":\n" + render(words, 8, "return ")
        self.written[id(check)] = (check, code)  # the check kept: its identity stays its own
        return code

    def table_constant(self, name: str, plan: TablePlan) -> str:
        """`WHY_NOT_<n>_<table> = (explain_…, …)`: per rule of the table, its explainer."""
        names = tuple(self.of(checks) for checks in plan.rules)
        items = Group("(", tuple(Text(function) for function in names), ")", one_item_comma=True)
        return render(items, 0, f"{name}: Explainers = ")
