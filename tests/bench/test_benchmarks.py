"""The benchmark suite runs, on tiny sizes, and what it compares agrees (not timed: `make bench`
measures; these tests only keep the scripts working and their contenders honest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import (
    cohort_bench,
    coldstart,
    compilation,
    handwritten,
    install,
    report,
    run,
    single,
    synthetic,
)
from mmdsl.pipeline import compile_source
from mmdsl.source import Source

pytest.importorskip("duckdb")
for engine in ("rule_engine", "celpy", "business_rules"):
    pytest.importorskip(engine)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("path", "hand"), [
    (run.FIRST_HIT, handwritten.first_hit_8x8), (run.MYELOMA, handwritten.myeloma_recommendations)])
def test_every_contender_decides_as_the_generated_core(tmp_path: Path, path: Path,
                                                       hand: object) -> None:
    result = single.run(path, hand, tmp_path, count=60, peer_count=8, repeats=1)  # type: ignore[arg-type]
    assert not [n for n in result.notes if "disagrees" in n or "not measured" in n], result.notes
    assert set(result.measures) >= {"generated decision core", "hand-written if/elif",
                                    "generated evaluate()", "reference interpreter",
                                    "rule-engine", "cel-python", "business-rules"}


def test_synthetic_tables_hold_exactly_their_seeded_mistakes() -> None:
    text = synthetic.table_text(60, 10, seed=3)
    compiled = compile_source(Source("s.mmdsl", text))
    # the seeded mistakes (a dead rule, an overlap, a gap); notes such as MD612's advice that
    # two random rows could be one are not mistakes
    codes = sorted({d.code for d in compiled.diagnostics if d.severity.value != "note"})
    assert codes == ["MD600", "MD602", "MD603"], codes
    assert synthetic.table_text(60, 10, seed=3) == text


def test_the_stages_of_a_compile_are_measured() -> None:
    found = compilation.stages(synthetic.table_text(30, 5), repeats=1)
    assert set(found) >= {"parse, check, lower", "verify", "render Python"}
    assert found["rules"] == 30


def test_the_cohort_differential_agrees(tmp_path: Path) -> None:
    guideline, _ = single.load_guideline(run.MYELOMA)
    agree, compared, _ = cohort_bench.differential(guideline, tmp_path, 300)
    assert agree == compared == 300


def test_the_report_names_every_target(tmp_path: Path) -> None:
    results = run.Results(run.QUICK, "test")
    results.single.append(single.run(run.FIRST_HIT, handwritten.first_hit_8x8, tmp_path,
                                     count=20, peer_count=3, repeats=1))
    results.targets.append((20, 10, 0.1, compilation.analyses(20, 10, repeats=1)))
    text = report.markdown(results)
    assert "decision core ≥ hand-written" in text and "every analysis" in text


def test_the_report_gives_the_score_table_target() -> None:
    results = run.Results(run.QUICK, "test")
    results.scores[(15, 3)] = compilation.score_verification(15, 3)
    text = report.markdown(results)
    assert "## Score tables" in text
    assert "| 15 | 3 | 29 | yes | 0 |" in text and "**met**" in text.split("## Score tables")[1]


def test_the_cold_start_of_eval_is_split_and_reported() -> None:
    """What bounds `mmdsl eval`'s start (click, the IR classes, the rest) is measured and the
    report gives the < 60 ms target with it."""
    parts = coldstart.eval_parts(ROOT, run.MYELOMA.relative_to(ROOT), Path("examples/patient.json"),
                                 repeats=1)
    assert len(parts) == 3 and all(seconds > 0 for seconds in parts.values())
    results = run.Results(run.QUICK, "test")
    results.coldstart = {"mmdsl eval (one patient)": 0.07, **parts}
    text = report.markdown(results)
    assert "`mmdsl eval` of one patient < 60 ms (compile cache warm) | 70.0 ms" in text
    assert "import of the IR classes (mmdsl.ir.model)" in text


def test_the_report_gives_the_front_end_targets() -> None:
    """Issue 19 item 2: each stage of compiling a large table, in CPU seconds, against 1 s."""
    results = run.Results(run.QUICK, "test")
    results.front_end = compilation.front_end_cpu(40, 10, repeats=1)
    assert set(results.front_end) >= set(compilation.FRONT_END_STAGES)
    targets = report.markdown(results).split("## Targets")[1].split("\n## ")[0]
    for stage in compilation.FRONT_END_STAGES:
        assert f"| {stage}, 40 rows × 10 columns < 1 s CPU |" in targets


def test_the_report_gives_the_cohort_targets() -> None:
    results = run.Results(run.QUICK, "test")
    results.cohort = {
        "patients": 1000, "load": (1.0, 1.0, 1.0), "generate (mmdsl cohort --generate)": 1.0,
        "command": "mmdsl cohort", "cohort runs": [0.5], "cohort cpu": [0.4],
        "engine stages": {"read and check": 0.1}, "engine runs": [0.3], "decided": 1000,
        "columns to facts dicts": 0.1, "loop runs": [1.0], "interpreter seconds per patient": 1e-4,
        "identical": 999, "compared": 1000, "cohort median": 0.5, "cohort cpu median": 0.4,
        "engine median": 0.3, "loop median": 1.0,
        "large": {"patients": 10_000, "runs": [16.0], "cpu": [10.0], "median": 16.0,
                  "cpu median": 10.0, "load": (1.0, 1.0, 1.0)}}
    text = report.markdown(results)
    assert "| cohort of 10,000 patients < 15 s (end to end) | 16.0 s wall, 10.0 s CPU" in text
    assert "| cohort output identical to the evaluator (1,000 patients) | 999 of 1,000 | – | " \
           "**not met** |" in text


def test_each_target_not_met_is_explained_by_figures_of_the_run() -> None:
    """Issue 19's Done-when: a missed target comes with what bounds it, generated from the
    run's own figures (stages, profiles, sizes), not written by hand."""
    results = run.Results(run.QUICK, "test")
    results.cohort = {
        "patients": 1000, "load": (3.0, 2.0, 1.0), "generate (mmdsl cohort --generate)": 1.0,
        "command": "mmdsl cohort", "cohort runs": [0.5], "cohort cpu": [0.4],
        "engine stages": {"read and check": 0.2, "decide and write": 0.1},
        "engine cpu stages": {"read and check": 0.15, "decide and write": 0.05},
        "engine runs": [0.3], "engine cpu": [0.2], "decided": 1000, "columns to facts dicts": 0.1,
        "loop runs": [1.0], "interpreter seconds per patient": 1e-4, "identical": 1000,
        "compared": 1000, "cohort median": 0.5, "cohort cpu median": 0.4, "engine median": 0.3,
        "engine cpu median": 0.2, "loop median": 1.0, "loop cpu": [0.9], "loop cpu median": 0.9,
        "columns to facts dicts cpu": 0.1,
        "large": {"patients": 10_000, "runs": [16.0], "cpu": [10.0], "median": 16.0,
                  "cpu median": 10.0, "load": (4.0, 3.0, 2.0), "stages": {"read and check": 9.0},
                  "cpu stages": {"read and check": 6.0}}}
    results.front_end = {"rules": 40, "width": 10, "verify": 1.5, "render Python": 0.5}
    results.front_end_profile = compilation.front_end_profile(40, 10, top=3)
    results.install = {"megabytes": 180.0, "largest": [("pyspark", 150.0)], "demo": "ran"}
    text = report.markdown(results)
    bounds = text.split("## What bounds the targets not met")[1].split("\n## ")[0]
    assert "**Cohort ≥ 50× the loop.**" in bounds and "read and check 0.15 s (75%" in bounds
    assert "process start, imports (DuckDB, pyarrow) and compiling the table, 0.20 s" in bounds
    assert "1.00 s CPU for 1,000 patients" in bounds and "2.5× by CPU time" in bounds
    assert "The start alone (0.20 s of CPU) is above the 0.020 s of CPU" in bounds
    assert "**10,000 patients < 15 s.** 16.0 s wall, 10.0 s CPU" in bounds
    assert "at least CPU / 2 = 5.0 s" in bounds and "4.0, 3.0, 2.0" in bounds
    assert "**verify, 40 rows × 10 columns < 1 s.** 1.50 s CPU." in bounds
    assert "`mmdsl/verify/" in bounds  # the profile's phases, named by their functions
    assert "render Python, 40 rows" not in bounds  # met: nothing to explain
    assert "**Slim install.** 180.0 MB; the largest packages: pyspark 150.0 MB." in bounds
    targets = text.split("## Targets")[1].split("\n## ")[0]
    assert "| `make demo`'s environment < 150 MB (demo run in it) | 180.0 MB |" in targets


def test_the_slim_install_is_summed_on_disk(tmp_path: Path) -> None:
    """Files count by their size; a symbolic link does not count (nor its target twice)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_bytes(b"1" * 1000)
    (tmp_path / "y").write_bytes(b"2" * 500)
    (tmp_path / "link").symlink_to(tmp_path / "a" / "x")
    assert install.size_on_disk(tmp_path) == 1500
