"""The diagnostic record every stage of the compiler emits."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mmdsl.source import Span


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a table file: a stable code, where, what, and how to fix it."""

    code: str
    severity: Severity
    message: str
    path: str
    span: Span
    help: str | None = None
    label: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.start, self.span.end, self.code)

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
        }
        if self.help:
            record["help"] = self.help
        if self.data:
            record["data"] = dict(self.data)
        return record


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file order, each reported once."""
    unique = {(d.sort_key, d.message): d for d in diagnostics}
    return [unique[key] for key in sorted(unique)]
