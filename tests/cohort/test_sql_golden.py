"""The decision query, byte for byte, of the guideline the cohort benchmark decides (10,000,000
patients, `make bench`), of a whole-number score and of a decimal fact: a change of the SQL
back end shows here as a diff to review (the exact decimal facts, issue 18, left the first two
byte-identical). After an intended change, `MMDSL_UPDATE_GOLDEN=1 pytest tests/cohort` rewrites
them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mmdsl.backends.sql import render_sql
from tests.cohort.support import ROOT, lowered

GOLDEN = ROOT / "tests" / "fixtures" / "cohort"
GUIDELINES = [ROOT / "tables" / "myeloma_post_daratumumab.mmdsl",
              ROOT / "examples" / "cha2ds2_vasc_score.mmdsl",
              ROOT / "examples" / "bmi_referral.mmdsl"]


@pytest.mark.parametrize("path", GUIDELINES, ids=lambda p: p.stem)
def test_the_query_is_its_golden_file(path: Path) -> None:
    query = render_sql(lowered(path))
    golden = GOLDEN / f"{path.stem}.sql.golden"
    if os.environ.get("MMDSL_UPDATE_GOLDEN") == "1":
        golden.write_text(query, encoding="utf-8")
    assert golden.exists(), f"no {golden.name}: run MMDSL_UPDATE_GOLDEN=1 pytest tests/cohort"
    assert query == golden.read_text(encoding="utf-8"), (
        "the SQL changed; if intended, run MMDSL_UPDATE_GOLDEN=1 pytest tests/cohort")
