"""MD607: values of an input that no rule, fact or scope can tell apart, and notes that record
why (a note on `input.value`)."""

from __future__ import annotations

from mmdsl.pipeline import compile_source
from mmdsl.source import Source

HEADER = '''guideline g "G"
enum drug = dara, poma, seli
enum stage = I, II, III, IV
input refractory: set of drug
input exposed: set of drug includes refractory
input stage: one of stage
'''


def diagnostics(body: str) -> list[tuple[str, str]]:
    compilation = compile_source(Source("g.mmdsl", HEADER + body))
    return [(d.code, d.message) for d in compilation.diagnostics]


TABLE = '''table plan
  hit first
  output o: one of a, b
  | stage   | refractory            | exposed  || o |
  | I       | none of (dara, poma)  | has dara || a |
  | II, III | -                     | -        || b |
  | -       | -                     | -        || b |
'''


def test_set_members_and_enumeration_values_nobody_tells_apart_are_reported() -> None:
    found = diagnostics(TABLE)
    assert found == [
        ("MD607", "no rule, fact or scope reads whether `refractory` holds `seli`: "
                  "it never changes a decision"),
        ("MD607", "no rule, fact or scope reads whether `exposed` holds `poma` or `seli`: "
                  "they never change a decision"),
        ("MD607", "no rule, fact or scope tells the values `II` or `III` of `stage` apart"),
    ]


def test_a_value_only_named_in_a_derived_fact_or_the_scope_is_read() -> None:
    body = """fact seli_or_poma = exposed has any of (seli, poma) or exposed has dara
scope "s" = stage is I or stage is II or refractory has seli or refractory has poma
table plan
  hit first
  output o: one of a, b
  | stage | refractory  | seli_or_poma || o |
  | III   | none of dara | yes          || a |
  | -     | -            | -            || b |
"""
    assert [code for code, _ in diagnostics(body) if code == "MD607"] == []


def test_a_note_on_each_value_records_why_and_silences_the_finding() -> None:
    notes = ('note why_seli on refractory.seli, exposed.seli, exposed.poma: "No regimen here has them."\n'
             'note why_stages on stage.II: "Stages II and III are treated alike in the source."\n')
    assert diagnostics(TABLE + notes) == []
    partly = notes.replace(" exposed.poma,", "").replace("exposed.seli, exposed.poma", "exposed.seli")
    assert [m for _, m in diagnostics(TABLE + partly)] == [
        "no rule, fact or scope reads whether `exposed` holds `poma`: it never changes a decision"]


def test_a_note_on_a_value_the_input_does_not_have_is_an_unknown_name() -> None:
    found = diagnostics(TABLE + 'note why on refractory.selinexor: "..."\n')
    assert ("MD200", "input `refractory` has no value `selinexor`") in found
