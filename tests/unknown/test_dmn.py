"""DMN export and import of inputs that may be unknown: `null` / `not(null)` cells, the
`mmdsl:unknown` mark, facts as true/false/null, and the import of null-tolerant FEEL."""

from __future__ import annotations

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.frontends.dmn.importer import import_dmn
from mmdsl.interpreter import evaluate
from tests.backend.support import compile_text
from tests.dmn.support import problems
from tests.dmn.test_round_trip import comparable
from tests.unknown.support import LDH, random_patients

TABLES_ONLY = '''\
guideline ldh_tables "LDH read in tables"

input ldh: integer 0..5000 unit "U/L" or unknown "LDH"
input stage: one of I, II, III or unknown "stage"
input fit: yes/no "fit"

table plan "Treatment"
  hit first
  output arm: one of intensive, standard, measure_ldh
  | ldh         | stage        | fit || arm         |
  |-------------|--------------|-----||-------------|
  | -           | III          | yes || intensive   |
  | > 250       | not unknown  | -   || intensive   |
  | unknown     | not III      | -   || measure_ldh |
  | unknown, 0..250 | -        | -   || standard    |

example unknown_ldh "LDH unknown, stage I"
  ldh: unknown
  stage: I
  fit: yes
  expect plan: measure_ldh
'''


def test_round_trip_decides_the_same_with_nulls() -> None:
    original = compile_text(TABLES_ONLY)
    exported = export_dmn(original)
    assert 'mmdsl:unknown="true"' in exported.text
    assert "<text>null</text>" in exported.text and "<text>not(null)</text>" in exported.text
    result = import_dmn(exported.text.encode("utf-8"), "exported.dmn", "imported.mmdsl")
    assert result.ok, problems(result)
    assert result.compilation is not None and result.compilation.guideline is not None
    back = result.compilation.guideline
    assert [i.unknown for i in back.inputs] == [True, True, False]
    assert [(e.name, e.facts) for e in back.examples] == \
        [(e.name, e.facts) for e in original.examples]
    for facts in random_patients(original, 300, seed=7):
        assert comparable(evaluate(back, facts)) == comparable(evaluate(original, facts)), facts


def test_a_fact_that_may_be_unknown_is_true_false_or_null_in_dmn() -> None:
    exported = export_dmn(compile_text(LDH)).text
    assert ("if ldh != null and ldh &gt; 250 then true else if ldh != null and not(ldh &gt; "
            "250) then false else null") in exported
    assert '<mmdsl:given subject="ldh" quoted="false">null</mmdsl:given>' in exported
    assert '<mmdsl:expect subject="high_ldh" quoted="false">null</mmdsl:expect>' in exported
    # not read back: refused with its reason, never read with another meaning
    result = import_dmn(exported.encode("utf-8"), "exported.dmn", "imported.mmdsl")
    assert not result.ok


MODEL = '''<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" namespace="urn:t" name="t"
             id="t">
  <inputData id="i_a" name="A"><variable name="A" typeRef="number"/></inputData>
  <inputData id="i_b" name="B"><variable name="B" typeRef="boolean"/></inputData>
  <decision id="d_eq" name="Eq">
    <variable name="Eq" typeRef="boolean"/>
    <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
    <informationRequirement><requiredInput href="#i_b"/></informationRequirement>
    <literalExpression><text>A = 5 or B</text></literalExpression>
  </decision>
  <decision id="d_ne" name="Ne">
    <variable name="Ne" typeRef="boolean"/>
    <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
    <literalExpression><text>A != 5</text></literalExpression>
  </decision>
  <decision id="d_lt" name="Lt">
    <variable name="Lt" typeRef="boolean"/>
    <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
    <informationRequirement><requiredInput href="#i_b"/></informationRequirement>
    <literalExpression><text>not(A &lt; 5) and B</text></literalExpression>
  </decision>
</definitions>
'''


def test_import_keeps_feel_meaning_on_null() -> None:
    result = import_dmn(MODEL.encode(), "t.dmn", "t.mmdsl", unknown=frozenset({"A", "B"}))
    assert result.ok, problems(result)
    assert result.compilation is not None and result.compilation.guideline is not None
    guideline = result.compilation.guideline

    def derived(a: object, b: object) -> dict[str, object]:
        return evaluate(guideline, {"A": a, "B": b})["derived"]

    # FEEL: null = 5 is false, null != 5 true, null < 5 null; and/or/not Kleene
    assert derived(None, None) == {"Eq": None, "Ne": True, "Lt": None}
    assert derived(None, False) == {"Eq": False, "Ne": True, "Lt": False}
    assert derived(None, True) == {"Eq": True, "Ne": True, "Lt": None}
    assert derived(5, None) == {"Eq": True, "Ne": False, "Lt": None}
    assert derived(7, True) == {"Eq": True, "Ne": True, "Lt": True}


def test_the_export_decides_alike_in_feelin() -> None:
    """A third-party FEEL engine (feelin) on the exported DMN, nulls included: the facts that may
    be unknown are true, false or null as mmdsl's, and the tables decide alike."""
    from tests.dmn.test_feelin import differences, feelin, job_for

    for text in (LDH, TABLES_ONLY):
        job = job_for(compile_text(text))
        assert any(None in patient.values() for patient in job.patients)
        found = differences(job, feelin([job])[0])
        assert found == [], "\n".join(found[:5])


DURATION_TABLES = '''\
guideline dose_tables "Restart by the time since the last dose, which may not be known"

input evaluation_date: evaluation date "the day the decision is made"
input last_dose: date or unknown "date of the last dose"
input fit: yes/no "fit"

fact since_last_dose "time since the last dose" = time from last_dose to evaluation_date

table restart "Restart"
  hit first
  output plan: one of wait, restart, ask
  | since_last_dose  | fit || plan    |
  |------------------|-----||---------|
  | < 60 days        | yes || wait    |
  | unknown          | -   || ask     |
  | not (< 2 months) | -   || restart |
  | not unknown      | no  || ask     |

example unknown_dose "Last dose unknown: ask"
  evaluation_date: 2024-03-20
  last_dose: unknown
  fit: yes
  expect restart.plan: ask
'''


def test_round_trip_of_a_duration_over_a_date_that_may_be_unknown() -> None:
    # the export's duration decisions read back as the duration, unknown with its date
    original = compile_text(DURATION_TABLES)
    exported = export_dmn(original)
    result = import_dmn(exported.text.encode("utf-8"), "exported.dmn", "imported.mmdsl")
    assert result.ok, problems(result)
    assert result.compilation is not None and result.compilation.guideline is not None
    back = result.compilation.guideline
    nulls = 0
    for facts in random_patients(original, 300, seed=8):
        nulls += facts["last_dose"] is None
        assert comparable(evaluate(back, facts)) == comparable(evaluate(original, facts)), facts
    assert nulls > 50
