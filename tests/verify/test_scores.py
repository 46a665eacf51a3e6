"""Points scores verified exactly: a table reading the number of a `collect sum` (count, min, max)
table is verified over the finite set of values that number takes, with witness patients.

The atrial-fibrillation fixture computes CHA2DS2-VASc with `collect sum` and reads it in a table
declared `complete`: verified with no MD606. A gap seeded into the second table is reported with
a witness patient, who gets status `error` (no rule in a complete table) from the interpreter, the
generated module and the cohort SQL.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner

from benchmarks.scores import score_text
from mmdsl.cli import main
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.rows import evaluator
from mmdsl.interpreter import evaluate as interpret
from mmdsl.pipeline import Compilation, compile_source
from mmdsl.runtime.prelude import decision_json
from mmdsl.source import Source

ROOT = Path(__file__).resolve().parents[2]
AF = ROOT / "tests" / "fixtures" / "verify" / "af_cha2ds2_vasc.mmdsl"
MD606 = ROOT / "tests" / "fixtures" / "diagnostics" / "MD606-unverified.mmdsl"


def af_text() -> str:
    return AF.read_text("utf-8")


def compiled(text: str, verify: bool = True) -> Compilation:
    return compile_source(Source("af.mmdsl", text), verify=verify)


def without_row(text: str, rule: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.lstrip().startswith(f"| {rule} "))


def test_the_score_table_and_the_complete_table_reading_it_are_verified() -> None:
    compilation = compiled(af_text())
    assert [d.code for d in compilation.diagnostics] == []
    assert compilation.verification is not None and compilation.verification.fully_verified
    result = compilation.verification.of("anticoagulation")
    assert result is not None
    assert result.proved("gaps") and result.proved("overlaps") and result.proved("dead_rules")


def test_a_seeded_gap_is_reported_with_a_witness_who_gets_status_error_three_ways(tmp_path: Path) -> None:
    text = without_row(af_text(), "man_intermediate")
    (gap,) = compiled(text).diagnostics
    assert gap.code == "MD604"
    assert "not covered: cha2ds2_vasc 1, female no" in gap.help
    witness = gap.data["witness"]
    assert isinstance(witness, dict) and witness["female"] is False
    lowered = compiled(text, verify=False).guideline  # evaluators of the tables as written
    assert lowered is not None
    decision = interpret(lowered, witness)
    assert decision["cha2ds2_vasc"] == 1 and decision["anticoagulation"] is None
    assert decision["status"] == "error"
    assert decision["errors"] == [{"table": "anticoagulation", "kind": "no_rule", "rules": [],
                                   "message": "no rule of table anticoagulation matches, but the "
                                              "table is declared complete"}]
    assert decision_json(evaluator(lowered).evaluate(witness)) == decision_json(decision)
    source = tmp_path / "witness.jsonl"
    source.write_text(json.dumps(witness) + "\n", "utf-8")
    report = evaluate_cohort(lowered, source, tmp_path / "decisions.parquet")
    assert report.error_rows == 1
    assert json.loads(report.errors[0][1]) == decision["errors"]


def test_mmdsl_check_refuses_the_seeded_gap_and_eval_will_not_run_it(tmp_path: Path) -> None:
    seeded = tmp_path / "af.mmdsl"
    seeded.write_text(without_row(af_text(), "man_intermediate"), "utf-8")
    result = CliRunner().invoke(main, ["check", str(seeded)])
    assert result.exit_code == 1 and "MD604" in result.stdout
    facts = tmp_path / "witness.json"
    facts.write_text("{}", "utf-8")
    refused = CliRunner().invoke(main, ["eval", str(seeded), "--facts", str(facts)])
    assert refused.exit_code == 1 and "MD604" in refused.output


def test_the_witness_of_the_seeded_gap_through_the_command_line(tmp_path: Path) -> None:
    """What `mmdsl check` reports, the author tries: `mmdsl eval --despite-findings` and `mmdsl
    cohort --despite-findings` evaluate the tables as written (their only errors are the
    verifier's findings); the witness gets status error (exit 3) naming the complete table."""
    seeded = tmp_path / "af.mmdsl"
    seeded.write_text(without_row(af_text(), "man_intermediate"), "utf-8")
    checked = CliRunner().invoke(main, ["check", str(seeded), "--format", "json"])
    (gap,) = json.loads(checked.stdout)["diagnostics"]
    facts = tmp_path / "witness.json"
    facts.write_text(json.dumps(gap["data"]["witness"]), "utf-8")
    result = CliRunner().invoke(main, ["eval", str(seeded), "--facts", str(facts), "--despite-findings"])
    assert result.exit_code == 3, result.output
    decision = json.loads(result.stdout)
    assert decision["status"] == "error" and decision["anticoagulation"] is None
    assert [(e["table"], e["kind"]) for e in decision["errors"]] == [("anticoagulation", "no_rule")]
    assert "MD604" in result.stderr  # the finding is not hidden
    patients = tmp_path / "patients.jsonl"
    patients.write_text(json.dumps(gap["data"]["witness"]) + "\n", "utf-8")
    cohort = CliRunner().invoke(main, ["cohort", str(seeded), "--input", str(patients), "-o",
                                       str(tmp_path / "decisions.parquet"), "--despite-findings"])
    assert cohort.exit_code == 3, cohort.output
    assert "MD604" in cohort.stderr


def test_despite_findings_does_not_evaluate_tables_with_other_errors(tmp_path: Path) -> None:
    broken = tmp_path / "af.mmdsl"
    broken.write_text(af_text().replace("| woman_high ", "| woman_high | 99 ", 1), "utf-8")
    facts = tmp_path / "facts.json"
    facts.write_text("{}", "utf-8")
    result = CliRunner().invoke(main, ["eval", str(broken), "--facts", str(facts), "--despite-findings"])
    assert result.exit_code == 1


def test_eval_exits_3_for_a_complete_table_the_verifier_could_not_check(tmp_path: Path) -> None:
    # The MD606 fixture's score takes 4,096 values; its `action` table, made complete with a gap
    # at score 1, cannot be verified: the run-time check is what catches the patient.
    text = MD606.read_text("utf-8").replace("  hit first\n", "  hit first\n  complete\n")
    text = text.replace("| -          || routine |", "| 0          || routine |")
    table = tmp_path / "weights.mmdsl"
    table.write_text(text, "utf-8")
    facts = tmp_path / "facts.json"
    others = ("hypertension", "heart_failure", "stroke", "vascular", "renal", "liver", "bleeding",
              "alcohol", "drugs", "labile_inr")
    facts.write_text(json.dumps({"diabetes": True} | dict.fromkeys(others, False)), "utf-8")
    checked = CliRunner().invoke(main, ["check", str(table)])
    assert checked.exit_code == 0 and "MD606" in checked.stdout
    result = CliRunner().invoke(main, ["eval", str(table), "--facts", str(facts)])
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout)["errors"][0]["kind"] == "no_rule"


def test_an_overlap_of_a_unique_table_reading_the_score_is_found_by_check() -> None:
    text = af_text().replace("| woman_high         | >= 3 ", "| woman_high         | >= 2 ")
    (overlap,) = [d for d in compiled(text).diagnostics if d.code != "MD612"]  # also mergeable
    assert overlap.code == "MD602"
    witness = overlap.data["witness"]
    lowered = compiled(text, verify=False).guideline
    assert lowered is not None
    decision = interpret(lowered, witness)
    assert decision["cha2ds2_vasc"] == 2 and decision["status"] == "error"


def test_a_score_of_15_yes_no_items_and_3_ranged_items_is_verified_in_under_a_second() -> None:
    text = score_text(15, 3)
    started = time.perf_counter()
    compilation = compiled(text)
    seconds = time.perf_counter() - started
    assert compilation.verification is not None and compilation.verification.fully_verified
    assert [d.code for d in compilation.diagnostics] == []
    assert seconds < 1.0, f"{seconds:.2f} s"
