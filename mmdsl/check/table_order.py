"""Tables read only the results of tables above them.

The evaluator runs the tables top to bottom, so a column reading a later table (or its own
table) would read a result that does not exist yet.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName

EMITS: tuple[CodeName, ...] = ("bad-table-reference",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    for table in context.tables():
        for header in table.layout.inputs:
            resolved = context.symbols.resolve(header.subject)
            source = context.symbols.tables.get(resolved.table or "") if resolved else None
            if source is not None and source.index >= table.index:
                yield context.report("bad-table-reference", header.span,
                                     *_message(source.name, table.name))


def _message(source: str, reader: str) -> tuple[str, str]:
    if source == reader:
        return (f"table `{reader}` cannot read its own result",
                "read the inputs and facts it is computed from instead")
    return (f"table `{source}` comes after `{reader}`, so its result is not known yet",
            f"move table `{source}` above table `{reader}`")
