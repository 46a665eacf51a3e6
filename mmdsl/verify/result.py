"""What the verifier proved, what it found and what it could not check: a typed result.

Each table gets one `TableVerification`, with one `AnalysisResult` per analysis (dead rules,
unreachable rules, overlaps, redundant rules, gaps). An analysis is

- `proved`: it ran to the end and found nothing (no gap, no overlap, ...);
- `found`: it ran to the end and its findings are listed;
- `not_checked`: it did not run to the end; `reason` says why in plain words;
- `not_applicable`: it has no meaning for the table's hit policy (overlaps under `first`).

Diagnostics, the review document, `--format json` and the cohort layer read this result; none of
them reads findings back out of diagnostics. Nothing may claim what an analysis did not prove:
ask `proved(...)`, never "no findings".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mmdsl.ir import model as ir
from mmdsl.verify.analyses import Finding
from mmdsl.verify.conditions import ConstantCondition
from mmdsl.verify.values import UnreadValues

Status = Literal["proved", "found", "not_checked", "not_applicable"]

ANALYSES: tuple[tuple[str, str], ...] = (
    ("dead_rules", "rules that can never apply"),
    ("unreachable_rules", "rules that never decide"),
    ("overlaps", "overlapping rules"),
    ("redundant_rules", "rules that add nothing"),
    ("constant_cells", "cells that every patient passes"),
    ("undistinguished_columns", "columns that tell no rule apart"),
    ("hit_policy_advice", "the hit policy the rules imply"),
    ("gaps", "patients the table leaves without an answer"),
    ("subsumed_rules", "rules that another rule with the same outputs contains"),
    ("mergeable_rules", "rules that could be merged into one"),
)
"""Each analysis by its key and in the words of a review document, in the order they run: the
cheapest first, so that a table too big for the gap analysis still gets the other findings;
the advice on subsumed and mergeable rules after the gaps, so that it never costs their check."""

WORDS = dict(ANALYSES)


@dataclass(frozen=True)
class AnalysisResult:
    name: str  # a key of ANALYSES
    status: Status
    findings: tuple[Finding, ...] = ()
    reason: str = ""  # why it was not checked

    def to_json(self) -> dict[str, ir.JsonValue]:
        found: dict[str, ir.JsonValue] = {"analysis": self.name, "status": self.status}
        if self.status == "found":
            found["findings"] = len(self.findings)
        if self.reason:
            found["reason"] = self.reason
        return found


@dataclass(frozen=True)
class TableVerification:
    table: str
    analyses: tuple[AnalysisResult, ...]
    reason: str = ""  # why some analyses were not checked, in plain words
    acknowledgement: str = ""  # the authors' note on the table, when it is not fully verified
    column: str = ""  # the column that reads a value beyond the analysis, if that is the reason

    def analysis(self, name: str) -> AnalysisResult:
        return next(a for a in self.analyses if a.name == name)

    def proved(self, name: str) -> bool:
        """Did the analysis run to the end and find nothing?"""
        return self.analysis(name).status == "proved"

    @property
    def fully_verified(self) -> bool:
        return all(a.status != "not_checked" for a in self.analyses)

    @property
    def unchecked(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.analyses if a.status == "not_checked")

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for a in self.analyses for f in a.findings)

    @property
    def gaps(self) -> tuple[Finding, ...]:
        return self.analysis("gaps").findings

    def notice(self) -> str:
        """The words at the top of the table's section in the review document ("" when verified)."""
        if self.fully_verified:
            return ""
        listed = _listed([WORDS[name] for name in self.unchecked])
        return (f"Not verified: the check for {listed} did not run to the end ({self.reason}). "
                "Nothing in this document claims that the table is free of them; "
                "the worked examples are the only test of it.")

    def to_json(self) -> dict[str, ir.JsonValue]:
        found: dict[str, ir.JsonValue] = {
            "table": self.table, "fully_verified": self.fully_verified,
            "analyses": [a.to_json() for a in self.analyses]}
        if self.reason:
            found["reason"] = self.reason
        if self.acknowledgement:
            found["acknowledgement"] = self.acknowledgement
        return found


@dataclass(frozen=True)
class Verification:
    """The verifier's result for one guideline, table by table in table order."""

    tables: tuple[TableVerification, ...]
    unread_values: tuple[UnreadValues, ...] = ()
    constant_conditions: tuple[ConstantCondition, ...] = ()  # facts and scope (MD613)

    def of(self, table: str) -> TableVerification | None:
        return next((t for t in self.tables if t.table == table), None)

    @property
    def fully_verified(self) -> bool:
        return all(t.fully_verified for t in self.tables)

    def to_json(self) -> dict[str, ir.JsonValue]:
        return {"fully_verified": self.fully_verified, "tables": [t.to_json() for t in self.tables]}


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
