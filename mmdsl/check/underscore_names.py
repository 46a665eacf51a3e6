"""Names of inputs, facts and tables that start with `_`.

They become SQL columns (docs/cohort.md), and the cohort's query keeps the names that start with
`_` for columns of its own: the row number `_row`, each fact's `_f0`, the scope's `_in_scope`,
each table's `_t1`, … SQL engines ignore case, so an input `_RoW` was read as the patient's row
number and the cohort decided on it, silently unlike `mmdsl eval` (found by the cohort campaign
of tests/reliability/sql_names.py). Refusing the prefix keeps every name the author writes apart
from every name the generated code makes up, whatever names later versions make up.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.case_names import VALUE_DECLARATIONS
from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax import ast

EMITS: tuple[CodeName, ...] = ("reserved-prefix",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for statement in context.module.statements:
        name = getattr(statement, "name", None)
        if isinstance(statement, VALUE_DECLARATIONS) and isinstance(name, ast.Name) \
                and name.text.startswith("_"):
            yield context.report(
                "reserved-prefix", name.span,
                f"`{name.text}` starts with `_`, which the generated SQL keeps for its own columns "
                "(`_row`, `_f0`, `_in_scope`, …; SQL engines ignore case)",
                f"rename it without the leading `_`, for example `{name.text.lstrip('_') or 'x'}`")
