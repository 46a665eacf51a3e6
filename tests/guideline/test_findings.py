"""The clinical decisions of version 1.1.0 (issue 13, findings 1-6) that worked examples cannot
pin because examples check outputs only: what each recommendation cites and warns, on the
guideline's own worked examples. Each decision is stated in a note of the table."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import mmdsl

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"


@cache
def guideline() -> Any:
    return mmdsl.load(str(TABLE))


def rows(example: str) -> dict[str, dict[str, Any]]:
    """The recommendations for a worked example's patient, by regimen."""
    facts = next(e.facts for e in guideline().ir.examples if e.name == example)
    return {row["regimen"]: row for row in guideline().evaluate(facts)["recommendations"]}


def caveat(name: str) -> str:
    return next(c.text for c in guideline().ir.caveats if c.name == name)


def test_trial_rows_cite_the_prognosis_and_panel_opinion_statements_not_storm() -> None:
    trial = rows("tcr_no_car_t_access")["clinical-trial"]
    assert trial["evidence"] == ["prognosis of triple-class refractory disease", "panel opinion"]
    heavy = rows("pomalidomide_refractory_four_lines")["clinical-trial"]
    assert heavy["evidence"] == ["panel opinion"]
    assert heavy["caveats"] == [caveat("trial_heavily_pretreated")]


def test_belantamab_cites_compassionate_use_and_its_own_figures_not_dreamm3() -> None:
    row = rows("belantamab_continuation")["belantamab-mafodotin"]
    assert row["evidence"] == ["compassionate use of belantamab mafodotin",
                               "belantamab mafodotin in triple-class refractory disease"]
    evidence = {e.name: e for e in guideline().ir.evidence}
    assert "DREAMM-3" not in evidence
    assert evidence["belantamab_studies"].findings == ("median PFS 2.9-4.9 months",)


def test_venvd_without_t11_14_is_the_weakest_option_with_both_warnings() -> None:
    row = rows("dvrd_one_line_bcl2_high")["VenVd"]
    assert row["tier"] == "other" and row["rule"] == "venvd_bcl2_high"
    assert caveat("venvd_bcl2_only") in row["caveats"] and caveat("venvd_non_t11_14") in row["caveats"]
    assert list(rows("dvrd_one_line_bcl2_high"))[-1] == "VenVd"


def test_isatuximab_caveat_says_the_figures_are_anti_cd38_naive() -> None:
    row = rows("drd_one_line")["IsaKd"]
    assert caveat("isa_cross_resistance") in row["caveats"]
    assert "anti-CD38-naive" in caveat("isa_cross_resistance")


def test_car_t_after_belantamab_carries_the_bcma_warning_and_products_are_equal() -> None:
    after = rows("tcr_car_t_on_belantamab")
    for regimen in ("ide-cel", "cilta-cel"):
        assert caveat("car_t_after_bcma") in after[regimen]["caveats"]
        assert caveat("car_t_products_equal") in after[regimen]["caveats"]
    plain = rows("tcr_car_t_available")
    assert caveat("car_t_after_bcma") not in plain["ide-cel"]["caveats"]
    assert caveat("car_t_products_equal") in plain["cilta-cel"]["caveats"]


def test_sd_always_says_modest_and_outside_storm_says_extrapolation() -> None:
    inside = rows("tcr_no_car_t_access")["Sd"]
    assert caveat("sd_modest") in inside["caveats"]
    assert caveat("sd_extrapolation") not in inside["caveats"]
    outside = rows("pomalidomide_refractory_four_lines")["Sd"]
    assert caveat("sd_modest") in outside["caveats"] and caveat("sd_extrapolation") in outside["caveats"]


def test_the_catch_all_trial_caveat_speaks_of_the_patient() -> None:
    text = caveat("trial_fallback")
    assert text.startswith("Consider enrolment in a clinical trial")
    assert "authors" not in text and "these tables" not in text


def test_every_decision_of_version_1_1_is_a_note() -> None:
    notes = {n.name: n.text for n in guideline().ir.notes}
    for name in ("evidence_attribution", "venvd", "isatuximab_tier", "car_t_label", "sd_floor",
                 "belantamab", "car_t_products"):
        assert name in notes
    assert guideline().ir.version == "1.1.0"


def test_zero_prior_lines_with_daratumumab_refractory_disease_is_refused_everywhere() -> None:
    facts = {"prior_lines": 0, "exposed": ["daratumumab", "lenalidomide"],
             "refractory": ["daratumumab", "lenalidomide"], "t11_14": False, "car_t_access": False}
    spec = importlib.util.spec_from_file_location(
        "myeloma_findings", ROOT / "generated" / "myeloma_post_daratumumab.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for evaluate in (guideline().evaluate, module.evaluate):
        with pytest.raises(ValueError) as refused:
            evaluate(facts)
        assert [e["field"] for e in refused.value.errors] == ["untreated_refractory"]  # type: ignore[attr-defined]
    assert guideline().evaluate({**facts, "prior_lines": 1})["status"] == "ok"
