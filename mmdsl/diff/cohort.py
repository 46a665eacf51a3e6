"""How many patients of a real cohort each change of decision reaches (`mmdsl diff --cohort`).

Both versions decide the cohort as `mmdsl cohort` does (DuckDB, every row checked); each patient's
two decisions are then compared with the same rules as the exact comparison, so a patient counts
under every change it undergoes.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmdsl.diff.behaviour import clinical_summary, decision_changes
from mmdsl.ir import model as ir


@dataclass
class CohortCounts:
    path: str
    rows: int = 0
    changed: int = 0  # patients with at least one change
    refused: dict[str, int] = field(default_factory=dict)  # rows a version refuses, per version
    by_change: Counter[str] = field(default_factory=Counter)  # key: json of a change's delta

    def count(self, delta: dict[str, Any]) -> int:
        return self.by_change[json.dumps(delta, sort_keys=True)]


def cohort_counts(old: ir.IRGuideline, new: ir.IRGuideline, patients: Path,
                  fmt: str | None = None) -> CohortCounts:
    """Each version decides the cohort; the counts of patients per change of decision."""
    with tempfile.TemporaryDirectory(prefix="mmdsl-diff-") as folder:
        before = _decided(old, patients, Path(folder) / "old.parquet", fmt)
        after = _decided(new, patients, Path(folder) / "new.parquet", fmt)
    counts = CohortCounts(str(patients), rows=len(before[1]) + before[0])
    counts.refused = {"old": before[0], "new": after[0]}
    for row, decision in before[1].items():
        if row not in after[1]:
            continue
        changes = decision_changes(decision, after[1][row])
        counts.changed += bool(changes)
        counts.by_change.update(json.dumps(c, sort_keys=True) for c in changes)
    return counts


def _decided(guideline: ir.IRGuideline, patients: Path, output: Path,
             fmt: str | None) -> tuple[int, dict[int, dict[str, Any]]]:
    """(rows refused, the clinical summary of each decided row by its row number)."""
    from mmdsl.cohort.compare import as_decision, read_rules
    from mmdsl.cohort.engine import evaluate_cohort
    from mmdsl.extras import require

    report = evaluate_cohort(guideline, patients, output, fmt=fmt)
    table = require("pyarrow.parquet").read_table(output)
    rules = read_rules(table.schema.metadata)
    summaries = {row["row"]: clinical_summary(guideline, as_decision(guideline, row, rules))
                 for row in table.to_pylist()}
    return report.invalid_rows, summaries
