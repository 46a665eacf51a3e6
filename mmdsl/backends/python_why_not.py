"""The why-not plans (backends/why_not.py) as code of the generated module.

Each distinct list of checks becomes one function, `explain_<n>(values) -> str | None`: the words
of its first check that fails (and, after `: `, of the first of that check's parts that fails),
or None when every check holds. A table's constant `WHY_NOT_<n>` lists, per rule, its function.
Functions are named by position, never from authored text; the words reach the code by repr().
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mmdsl.backends.pycode import Group, Str, Text, render
from mmdsl.backends.python_conditions import Refs, condition_code
from mmdsl.backends.why_not import Check, TablePlan
from mmdsl.ir import model as ir

ALWAYS = "always_matches"  # the runtime's explainer of a rule without tests


@dataclass
class Explainers:
    """The functions written so far, one per distinct list of checks, each after those it calls."""

    refs: Refs
    names: dict[tuple[Check, ...], str] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)

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
            failed = condition_code(ir.Not(check.condition), self.refs)
            lines.append(render(failed, 4, "if ") + ":")
            words = (Group("because(", (Str(check.failed), Text(f"{inner}(values)")), ")")
                     if inner else Str(check.failed))
            lines.append(render(words, 8, "return "))
        lines.append("    return None")
        return "\n".join(lines)

    def table_constant(self, constant_name: str, plan: TablePlan) -> str:
        names = tuple(self.of(checks) for checks in plan.rules)
        items = Group("(", tuple(Text(name) for name in names), ")", one_item_comma=True)
        return render(items, 0, f"WHY_NOT_{constant_name.removeprefix('TABLE_')}: Explainers = ")
