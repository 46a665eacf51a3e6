"""Text facts over values that may be unknown: unknown when a part they join is, or when the
condition of an `if` they choose by is (DMN: text joined with null is null), as a computed number;
the module, the decision's schema, the review document and the DMN export agree."""

from __future__ import annotations

from pathlib import Path

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.backends.review import render_markdown, run_examples
from mmdsl.backends.review.decision_view import read_decision
from mmdsl.backends.schema.decision import decision_schema
from mmdsl.frontends.dmn.importer import import_dmn
from mmdsl.interpreter import evaluate
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from tests.backend.support import compile_text, load_module, write_module
from tests.unknown.support import random_patients

LETTER = '''\
guideline letter "A letter over values that may be unknown"

input name: text or unknown "the patient's name"
input ward: one of cardiology, oncology or unknown "the ward"
input ldh: integer 0..5000 unit "U/L" or unknown "LDH"
input age: integer 18..100 unit "years" "age"

fact ratio "LDH over its upper limit" = ldh / 250
fact greeting "how the letter opens" = "Dear " + name
fact signed "the last line" = "The " + ward + " team"
fact level "the LDH in words" = if ldh > 250 then "high" else "normal"
fact by_ratio "the ratio in words" = if ratio > 1.5 then "above" else "below"
fact older "unknown only over 60" = if age > 60 then greeting + " (older)" else "Dear patient"
fact known "never unknown" = "The letter of " + ward
fact line "joined from text facts" = greeting + ", your LDH is " + level

table plan "Follow-up"
  hit first
  output visit: one of soon, later
  | age  || visit |
  |------||-------|
  | > 60 || soon  |
  | -    || later |

example unknown_name "No name, LDH unknown"
  name: unknown
  ward: oncology
  ldh: unknown
  age: 50
  expect greeting: unknown
  expect signed: "The oncology team"
  expect level: unknown
  expect older: "Dear patient"
  expect line: unknown
  expect plan.visit: later

example known "Ann, LDH 600"
  name: "Ann"
  ward: unknown
  ldh: 600
  age: 70
  expect greeting: "Dear Ann"
  expect signed: unknown
  expect by_ratio: "above"
  expect older: "Dear Ann (older)"
  expect line: "Dear Ann, your LDH is high"
  expect plan.visit: soon
'''


def codes(text: str) -> list[str]:
    return [d.code for d in compile_source(Source("t.mmdsl", text), verify=False).diagnostics]


def test_a_text_fact_over_an_unknown_value_compiles_and_its_examples_pass() -> None:
    found = codes(LETTER)
    assert "MD321" not in found and "MD320" not in found, found
    compilation = compile_source(Source("t.mmdsl", LETTER), verify=False)
    assert not [d for d in compilation.diagnostics if d.severity.name == "ERROR"]
    assert compilation.guideline is not None
    outcomes = run_examples(compilation.guideline)
    assert outcomes and all(o.passed for o in outcomes), outcomes


def test_unknown_where_a_part_or_a_condition_is() -> None:
    guideline = compile_text(LETTER)
    decision = evaluate(guideline, {"name": None, "ward": None, "ldh": None, "age": 70})
    derived = decision["derived"]
    assert derived["greeting"] is None and derived["signed"] is None
    assert derived["level"] is None and derived["by_ratio"] is None  # FEEL would take `else`
    assert derived["older"] is None and derived["line"] is None and derived["known"] is None
    assert "fact greeting: unknown" in decision["trace"]
    derived = evaluate(guideline, {"name": "Tom", "ward": "cardiology", "ldh": 100,
                                   "age": 30})["derived"]
    assert derived["greeting"] == "Dear Tom" and derived["older"] == "Dear patient"
    assert derived["level"] == "normal" and derived["line"] == "Dear Tom, your LDH is normal"


def test_module_agrees_with_interpreter(tmp_path: Path) -> None:
    guideline = compile_text(LETTER)
    module = load_module(write_module(guideline, tmp_path))
    unknown = 0
    for facts in random_patients(guideline, 600, seed=27):
        decision = evaluate(guideline, facts)
        unknown += decision["derived"]["line"] is None
        assert module.evaluate(facts) == decision, facts
    assert unknown > 100


def test_schema_says_string_or_null() -> None:
    derived = decision_schema(compile_text(LETTER))["properties"]["derived"]["properties"]
    assert derived["greeting"]["type"] == ["string", "null"]
    assert derived["level"]["type"] == ["string", "null"]
    assert derived["known"]["type"] == ["string", "null"]  # the ward may be unknown


def test_review_says_when_the_text_is_unknown() -> None:
    guideline = compile_text(LETTER)
    text = render_markdown(guideline, run_examples(guideline))
    assert "unknown when “the patient's name” is unknown" in text
    decision = evaluate(guideline, {"name": None, "ward": "oncology", "ldh": 600, "age": 50})
    derived = dict(read_decision(guideline, decision).derived)
    assert derived["how the letter opens"] == "unknown"  # (it was shown as "no")
    assert derived["the last line"] == "“The oncology team”"


def test_the_export_decides_alike_in_feelin() -> None:
    """A third-party FEEL engine (feelin): `"Dear " + null` is null, and an `if` over null is
    said null first (FEEL would take the `else`)."""
    from tests.dmn.test_feelin import differences, feelin, job_for

    job = job_for(compile_text(LETTER))
    assert any(None in patient.values() for patient in job.patients)
    found = differences(job, feelin([job])[0])
    assert found == [], "\n".join(found[:5])


def test_the_import_refuses_an_if_over_null_in_text() -> None:
    """FEEL takes the `else` of an `if` whose condition is null, where mmdsl's text is unknown:
    the import refuses it; text joined with null is null in both, and imported."""
    exported = export_dmn(compile_text(LETTER)).text
    result = import_dmn(exported.encode("utf-8"), "letter.dmn", "letter.mmdsl")
    refused = {d.message.split("`")[1] for d in result.diagnostics if d.code == "MD703"}
    assert {"level", "by_ratio"} <= refused, refused
    assert "greeting" not in refused and "signed" not in refused


def test_text_joined_with_null_round_trips_through_dmn() -> None:
    """Text joining values that may be unknown (no `if` over them) is imported back as it was
    exported, its worked examples expecting `unknown` included, and decides alike."""
    text = LETTER.split("fact ratio")[0] + (
        'fact greeting "how the letter opens" = "Dear " + name\n'
        'fact line "the first line" = greeting + " of " + ward\n\n'
        + LETTER[LETTER.index("table plan"):LETTER.index("example unknown_name")]
        + 'example unknown_name "No name"\n  name: unknown\n  ward: oncology\n  ldh: unknown\n'
          '  age: 50\n  expect greeting: unknown\n  expect line: unknown\n')
    original = compile_text(text)
    result = import_dmn(export_dmn(original).text.encode("utf-8"), "letter.dmn", "letter.mmdsl")
    assert result.ok, [d.message for d in result.diagnostics]
    assert result.compilation is not None and result.compilation.guideline is not None
    back = result.compilation.guideline
    assert [(e.name, e.facts) for e in back.examples] == \
        [(e.name, e.facts) for e in original.examples]
    for facts in random_patients(original, 100, seed=3):
        assert evaluate(back, facts)["derived"] == evaluate(original, facts)["derived"], facts
