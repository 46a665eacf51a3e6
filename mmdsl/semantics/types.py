"""The types of values: what an input, a fact, or a table output can hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeAlias

from mmdsl.syntax import ast


@dataclass(frozen=True, slots=True)
class EnumInfo:
    """An enumeration: members in their declared order (the order that ranks outputs)."""

    name: str
    description: str
    members: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    decl: ast.EnumDecl | ast.EnumType | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class BoolT:
    def describe(self) -> str:
        return "yes/no"


@dataclass(frozen=True, slots=True)
class NumberT:
    kind: str  # "integer" or "decimal"
    low: int | Decimal | None = None
    high: int | Decimal | None = None
    unit: str | None = None

    def describe(self) -> str:
        bounds = f" {self.low}..{self.high}" if self.low is not None and self.high is not None else ""
        return f"{self.kind}{bounds}"


@dataclass(frozen=True, slots=True)
class TextT:
    def describe(self) -> str:
        return "text"


@dataclass(frozen=True, slots=True)
class EnumT:
    enum: EnumInfo

    def describe(self) -> str:
        return f"one of {self.enum.name}"


@dataclass(frozen=True, slots=True)
class SetT:
    enum: EnumInfo

    def describe(self) -> str:
        return f"set of {self.enum.name}"


@dataclass(frozen=True, slots=True)
class DateT:
    evaluation: bool = False  # the evaluation date: the day the decision is made
    time: bool = False  # a date and a clock time (`date and time`): a moment

    def describe(self) -> str:
        written = "evaluation date" if self.evaluation else "date"
        return f"{written} and time" if self.time else written


@dataclass(frozen=True, slots=True)
class DurationT:
    """The time between two date inputs (an interval fact), tested in days, weeks, months or
    years."""

    start: str
    end: str
    time: bool = False  # between two dates and times: counted in seconds (minutes, hours, …)

    def describe(self) -> str:
        return "duration"


@dataclass(frozen=True, slots=True)
class ClockT:
    """A time of day (`time of day`): a clock reading of any day, `14:30`, compared in clock
    order within one day (00:00 to 23:59:59, no wrap-around past midnight)."""

    def describe(self) -> str:
        return "time of day"


ValueType: TypeAlias = BoolT | NumberT | TextT | EnumT | SetT | DateT | DurationT | ClockT

DAY_UNITS, MONTH_UNITS, DURATION_UNITS = ast.DAY_UNITS, ast.MONTH_UNITS, ast.DURATION_UNITS
TIME_UNITS = ast.TIME_UNITS
