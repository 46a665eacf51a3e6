"""MD327: a fact unknown for every patient, decided from its structure (check/always_unknown.py);
never claimed of a fact that some patient gives a value."""

from __future__ import annotations

from mmdsl.interpreter import evaluate
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from tests.backend.support import compile_text

HEAD = '''\
guideline g "g"
input age: integer 18..100 "age"
input ldh: integer 0..5000 or unknown "LDH"
fact bonus "bonus" = 10 + unknown
'''


def always(facts: str) -> set[str]:
    """The facts reported as always unknown."""
    compilation = compile_source(Source("t.mmdsl", HEAD + facts), verify=False)
    return {d.message.split("`")[1] for d in compilation.diagnostics if d.code == "MD327"}


def test_unknown_written_in_arithmetic_and_what_reads_it() -> None:
    assert always('fact twice "t" = -bonus * 2\n') == {"bonus", "twice"}
    assert always('fact both "b" = if age > 60 then unknown else unknown / 2\n') \
        >= {"both"}
    assert always('fact chosen "c" = if bonus > 11 then 1 else 2\n') >= {"chosen"}
    assert always('fact big "b" = not (bonus > 11)\nfact all "a" = big and bonus < 20\n') \
        >= {"big", "all"}
    assert always('fact words "w" = if bonus > 11 then "a" else "b"\n'
                  'fact more "m" = "x" + words\n') >= {"words", "more"}


def test_never_claimed_of_a_fact_some_patient_gives_a_value() -> None:
    facts = ('fact older "o" = if age > 60 then 1 else unknown\n'
             'fact none "n" = bonus is unknown\n'
             'fact some "s" = bonus is not unknown or age > 60\n'
             'fact kleene_no "k" = bonus > 11 and age > 60\n'
             'fact kleene_yes "y" = bonus > 11 or age > 60\n'
             'fact ratio "r" = ldh / 250\n'
             'fact guarded "g" = if ldh is unknown then 0 else bonus\n')
    assert always(facts) == {"bonus"}
    guideline = compile_text(HEAD.replace("fact bonus", "fact spare") + facts.replace(
        "bonus", "spare") + 'table t "t"\n  output o: yes/no\n  | age || o |\n  | - || yes |\n')
    for age in (30, 70):  # each fact some patient gives a value (yes, no or a number)
        derived = evaluate(guideline, {"age": age, "ldh": None})["derived"]
        known = {name for name, value in derived.items() if value is not None}
        assert known >= {"none", "some", "guarded"} | ({"older"} if age > 60 else set())
    assert evaluate(guideline, {"age": 30, "ldh": None})["derived"]["kleene_no"] is False
    assert evaluate(guideline, {"age": 70, "ldh": None})["derived"]["kleene_yes"] is True


def test_unknown_in_text_is_md322_alone() -> None:
    compilation = compile_source(Source("t.mmdsl", HEAD + 'fact g "g" = "a" + unknown\n'),
                                 verify=False)
    codes = [d.code for d in compilation.diagnostics if "`g`" in d.message or d.code == "MD322"]
    assert "MD322" in codes and "MD327" not in codes


def test_a_cycle_ends_and_a_long_chain_needs_no_recursion() -> None:
    assert always('fact a "a" = b + unknown\nfact b "b" = a * 2\n') >= {"a", "b"}
    chain = "".join(f'fact f{i} "f" = f{i + 1} + 1\n' for i in range(1500))
    assert len(always(chain + 'fact f1500 "f" = bonus\n')) == 1502
