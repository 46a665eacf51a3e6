"""`mmdsl diff`'s report: the statements that changed and the patients whose decision changes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mmdsl.diff.behaviour import Behaviour, Change, behaviour_change
from mmdsl.diff.cohort import CohortCounts
from mmdsl.diff.statements import StatementChange, statement_changes
from mmdsl.ir import model as ir


@dataclass(frozen=True, slots=True)
class DiffReport:
    old: ir.IRGuideline
    new: ir.IRGuideline
    statements: tuple[StatementChange, ...]
    behaviour: Behaviour
    cohort: CohortCounts | None = None

    @property
    def version_unchanged_warning(self) -> str | None:
        """Decisions change but the version does not: a signed version would no longer say what
        the tables do."""
        if self.behaviour.changed and self.old.version == self.new.version:
            return (f"decisions change but the version is still {self.new.version}: give the new "
                    "version its own number")
        return None


def compare(old: ir.IRGuideline, new: ir.IRGuideline) -> DiffReport:
    return DiffReport(old, new, tuple(statement_changes(old, new)), behaviour_change(old, new))


# ---- words ----------------------------------------------------------------------------------------


def change_title(change: Change) -> str:
    """One change of decision in words: `recommendations: ide-cel (preferred) added`."""
    delta = change.delta
    kind = delta["change"]
    if kind == "status":
        return f"status {delta['before']} -> {delta['after']}"
    if kind == "reordered":
        return f"{delta['table']}: the same options in another order"
    if kind == "result":
        return f"{delta['table']}: {_row_words(delta['before'])} -> {_row_words(delta['after'])}"
    return f"{delta['table']}: {_row_words(delta['row'])} {kind}"


def _row_words(row: Any) -> str:
    if row is None:
        return "no result"
    if not isinstance(row, dict):
        return json.dumps(row)
    values = [str(v) for k, v in row.items() if k not in ("evidence", "refs", "caveats") and v is not None]
    return " / ".join(values[:1]) + (f" ({', '.join(values[1:])})" if values[1:] else "")


def options(summary: dict[str, Any]) -> str:
    """A decision summary in one line: each table's options in order, or the status."""
    if summary.get("status") != "ok":
        return str(summary.get("status"))
    parts = []
    for name, result in summary.items():
        if name in ("status", "errors"):
            continue
        rows = result if isinstance(result, list) else [result]
        parts.append(f"{name}: " + (", ".join(_row_words(r) for r in rows) if rows else "none"))
    return "; ".join(parts)


# ---- formats --------------------------------------------------------------------------------------


def render_text(report: DiffReport, markdown: bool = False) -> str:
    h1, h2, bullet = ("# ", "## ", "- ") if markdown else ("", "", "  ")
    lines = [f"{h1}{report.new.title}: {report.old.version} -> {report.new.version}", ""]
    lines.append(f"{h2}Statements that changed ({len(report.statements)})")
    lines += [f"{bullet}{s.kind} {s.what}: {s.detail}" for s in report.statements] or [f"{bullet}none"]
    lines += ["", f"{h2}Patients whose decision changes"]
    lines += _cohort_lines(report.cohort, bullet)
    lines += _behaviour_lines(report, bullet)
    warning = report.version_unchanged_warning
    if warning:
        lines += ["", f"warning: {warning}"]
    return "\n".join(lines) + "\n"


def _behaviour_lines(report: DiffReport, bullet: str) -> list[str]:
    behaviour = report.behaviour
    if behaviour.unchecked:
        return [f"{bullet}not checked: {behaviour.unchecked}; no statement is made about which "
                "patients' decisions change"]
    if not behaviour.changes:
        return [f"{bullet}none: every patient gets the same decision from both versions "
                f"(checked exactly, {behaviour.classes} classes of patients)"]
    lines: list[str] = []
    for change in behaviour.changes:
        reached = "" if report.cohort is None else f" ({report.cohort.count(change.delta)} in the cohort)"
        lines.append(f"{bullet}{change_title(change)}{reached}, for:")
        lines += [f"{bullet}    {region}" for region in change.regions]
        if change.region_total > len(change.regions):
            lines.append(f"{bullet}    and further groups of patients: only the first "
                         f"{len(change.regions)} are listed")
        lines.append(f"{bullet}  for example {json.dumps(change.witness, ensure_ascii=False)}")
        lines.append(f"{bullet}    before: {options(change.before)}")
        lines.append(f"{bullet}    after:  {options(change.after)}")
    return lines


def _cohort_lines(counts: CohortCounts | None, bullet: str) -> list[str]:
    if counts is None:
        return []
    refused = ", ".join(f"{n} refused by the {version} version" for version, n in counts.refused.items() if n)
    return [f"{bullet}cohort {counts.path}: {counts.changed} of {counts.rows} patients get a different "
            f"decision" + (f" ({refused})" if refused else "")]


def render_json(report: DiffReport) -> dict[str, Any]:
    behaviour = report.behaviour
    return {
        "old": {"guideline": report.old.name, "version": report.old.version,
                "source_sha256": report.old.source_sha256},
        "new": {"guideline": report.new.name, "version": report.new.version,
                "source_sha256": report.new.source_sha256},
        "statements": [{"kind": s.kind, "what": s.what, "detail": s.detail} for s in report.statements],
        "behaviour": {
            "checked": behaviour.unchecked is None,
            "not_checked_because": behaviour.unchecked,
            "changed": behaviour.changed,
            "changes": [{"change": c.delta, "title": change_title(c), "regions": list(c.regions),
                         "region_total": c.region_total, "witness": c.witness,
                         "before": c.before, "after": c.after}
                        | ({} if report.cohort is None else {"cohort_patients": report.cohort.count(c.delta)})
                        for c in behaviour.changes],
        },
        "cohort": None if report.cohort is None else {
            "path": report.cohort.path, "rows": report.cohort.rows, "changed": report.cohort.changed,
            "refused": report.cohort.refused},
        "warnings": [w for w in [report.version_unchanged_warning] if w],
    }
