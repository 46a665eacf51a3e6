"""Command-line manners (issue 17): `eval --format text` for people, the generated module's
`--help`, and the decision's JSON Schema beside the module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import mmdsl
from mmdsl.cli import main

ROOT = Path(__file__).resolve().parents[2]
MYELOMA = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
GENERATED = ROOT / "generated" / "myeloma_post_daratumumab.py"
DECISION_SCHEMA = ROOT / "generated" / "myeloma_post_daratumumab.decision.schema.json"


def eval_text(facts: dict[str, object], *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["eval", str(MYELOMA), "--facts", "-", *extra],
                                input=json.dumps(facts).encode())
    return result.exit_code, result.stdout, result.stderr


def test_eval_text_reads_the_options_in_order_with_tier_evidence_and_caveats() -> None:
    guideline = mmdsl.load(MYELOMA)
    for example in guideline.ir.examples[:8]:
        rows = guideline.evaluate(example.facts).get("recommendations") or []
        status, out, _ = eval_text(example.facts, "--format", "text")
        assert status == 0
        numbered = [line.strip() for line in out.splitlines() if line[:4].strip().rstrip(".").isdigit()]
        assert numbered == [f"{n}. {r['regimen']} (tier: {r['tier']})" for n, r in enumerate(rows, 1)]
        for row in rows:
            assert f"evidence: {row['evidence'][0]}" in out
            assert all(f"caveat: {c}" in out for c in row["caveats"])


def test_eval_text_says_why_a_patient_is_out_of_scope() -> None:
    facts = {"prior_lines": 2, "refractory": ["lenalidomide"], "exposed": [], "t11_14": False,
             "car_t_access": False}
    status, out, _ = eval_text(facts, "--format", "text")
    assert status == 0
    assert "status: out_of_scope" in out and "the disease is refractory to daratumumab" in out


def test_eval_without_format_still_prints_the_decision_json() -> None:
    facts = json.loads((ROOT / "examples" / "patient.json").read_text("utf-8"))
    plain, as_json = eval_text(facts)[1], eval_text(facts, "--format", "json")[1]
    script = subprocess.run([sys.executable, str(GENERATED)], input=json.dumps(facts).encode(),
                            capture_output=True, check=True)
    assert plain == as_json == script.stdout.decode("utf-8")


def test_eval_text_names_every_bad_field_on_standard_error() -> None:
    status, out, err = eval_text({"prior_lines": -1}, "--format", "text")
    assert status == 2 and out == ""
    assert "prior_lines: expected a whole number from 0 to 30, got -1" in err
    assert "car_t_access: required field is missing" in err


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_the_generated_module_answers_help(flag: str) -> None:
    run = subprocess.run([sys.executable, str(GENERATED), flag], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL)
    assert run.returncode == 0
    assert run.stdout.startswith("usage: python myeloma_post_daratumumab.py < facts.json\n")
    assert "evaluate(facts)" in run.stdout


def test_the_generated_module_refuses_other_arguments() -> None:
    run = subprocess.run([sys.executable, str(GENERATED), "patient.json"], capture_output=True,
                         text=True, stdin=subprocess.DEVNULL)
    assert run.returncode == 2 and run.stdout == ""
    assert "unexpected argument 'patient.json'" in run.stderr and "usage:" in run.stderr


def test_every_decision_matches_the_decision_schema() -> None:
    schema = json.loads(DECISION_SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    guideline = mmdsl.load(MYELOMA)
    decisions = [guideline.evaluate(e.facts) for e in guideline.ir.examples]
    assert {d["status"] for d in decisions} >= {"ok", "out_of_scope"}
    for decision in decisions:
        assert not list(validator.iter_errors(decision))
    first = decisions[0]["recommendations"][0]
    wrong = {**decisions[0], "recommendations": [{**first, "regimen": "aspirin"}]}
    assert list(validator.iter_errors(wrong))
    assert list(validator.iter_errors({**decisions[0], "surprise": 1}))
    out_of_scope = next(d for d in decisions if d["status"] == "out_of_scope")
    assert list(validator.iter_errors({**out_of_scope, "recommendations": []}))


def test_eval_text_says_what_was_not_given_and_why() -> None:
    facts = json.loads((ROOT / "examples" / "patient.json").read_text("utf-8"))
    decision = mmdsl.load(MYELOMA).evaluate(facts)
    entries = decision["why_not"]["recommendations"]
    assert entries  # the patient gets some regimens and not others
    out = eval_text(facts, "--format", "text")[1]
    shown = out.split("Not given, and why:\n", 1)[1].splitlines()
    assert shown == [f"  - {e['regimen']} (rule {e['rule']}): {e['because']}" for e in entries]



POLICIES = ROOT / "tests" / "fixtures" / "backend" / "policies.mmdsl"


def test_the_text_reads_every_kind_of_table_and_a_conflict() -> None:
    """Every hit policy (the fixture overlaps on purpose, so it is compiled unverified)."""
    from mmdsl.backends.review.decision_view import read_decision, render_text
    from mmdsl.interpreter import evaluate
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source

    source = Source("policies.mmdsl", POLICIES.read_text("utf-8"))
    guideline = compile_source(source, verify=False).guideline
    assert guideline is not None
    facts = {"lines": 3, "dose": 8.0, "fit": True, "grade_now": "high",
             "refractory": ["bort", "lena"], "exposed": ["dara"]}
    decision = evaluate(guideline, facts)
    assert decision["status"] == "error"  # rules of the `any` table disagree for this patient
    out = render_text(read_decision(guideline, decision))
    (conflict,) = decision["errors"]
    assert "status: error" in out and f"conflict: {conflict['table']}: {conflict['message']}" in out
    for table in guideline.tables:
        assert f"{table.title}:" in out
        if table.result_kind == "number" and decision[table.name] is not None:
            number = f"  {decision[table.name]!r}"
            assert any(line.startswith(number) for line in out.splitlines()), (table.name, out)
