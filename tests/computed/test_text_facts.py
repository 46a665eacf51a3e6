"""Text facts (issue 18, item 3): `fact greeting = "Hello " + full_name`, `if C then "a" else "b"`.

Parsed as arithmetic whose operands are quoted text; typed by semantics/text.py; checked by
check/text_facts.py (MD322 for what is not text, MD323 for a test of one); computed alike by the
interpreter, the generated module and the cohort's SQL, with hostile text (quotes, backslashes,
control characters) in the inputs and in the fact; exported to DMN as FEEL strings joined with
`+` and imported back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.frontends.dmn.importer import import_dmn
from mmdsl.interpreter import evaluate as interpret
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module
from tests.backend.support import load_module, write_module
from tests.cohort.support import disagreements, lowered_text, rows_of, write_parquet

HEAD = 'guideline letters "text facts"\n'
INPUTS = """
input full_name: text "the patient's name"
input colour: one of red, green, blue_green "a colour"
input age: integer 0..120 unit "years" "age"
input smoker: yes/no "smokes"
"""
LETTER = INPUTS + r"""
fact adult "an adult" = age >= 18
fact title "a title" = if adult and not smoker then "Dear " else "Hi \"friend\" \\ it's "
fact greeting "the greeting" = title + full_name + " (" + colour + ")"
fact tabbed = "a	tab" + (if age >= 65 then " senior" else "")

table advice "Advice"
  output plan: one of rest, walk
  | adult || plan |
  | yes   || walk |
  | no    || rest |
"""


def compiled(text: str) -> Any:
    return compile_source(Source("t.mmdsl", HEAD + text), verify=False)


def codes(text: str) -> list[str]:
    """The errors (an input that only a test reads may be unused: MD408, a warning)."""
    return [d.code for d in compiled(text).diagnostics if d.severity.value == "error"]


# ---- parsing ------------------------------------------------------------------------------------


def test_quoted_text_is_an_operand_of_plus_and_a_branch_of_if() -> None:
    module, problems = parse_module(Source("t.mmdsl", HEAD + LETTER))
    assert problems == []
    facts = {s.name.text: s.expr for s in module.statements if isinstance(s, ast.FactDecl)}
    title = facts["title"]
    assert isinstance(title, ast.Choice)
    assert title.then == ast.TextLiteral("Dear ", title.then.span)
    assert isinstance(title.otherwise, ast.TextLiteral)
    assert title.otherwise.value == 'Hi "friend" \\ it\'s '  # mmdsl decodes \" and \\
    greeting = facts["greeting"]
    assert isinstance(greeting, ast.Arithmetic) and greeting.op == "+"


def test_text_where_a_condition_is_expected_is_md316() -> None:
    diagnostics = compiled(INPUTS + 'fact f = smoker and "yes"\n').diagnostics
    assert [d.code for d in diagnostics] == ["MD316"]
    assert diagnostics[0].message == "text where a condition is expected"


# ---- checks -------------------------------------------------------------------------------------


def test_the_letter_compiles_without_a_diagnostic() -> None:
    assert codes(LETTER) == []


@pytest.mark.parametrize("fact", [
    'fact label = "Score: " + age',  # a number
    'fact label = "Smokes: " + smoker',  # a yes/no
    'fact label = "a" + 1',  # a number written in the fact
    'fact label = full_name * 2',  # an operator that has no meaning on text
    'fact label = full_name - "x"',
    'fact label = if smoker then "yes" else 0',  # a branch that is a number
    'fact label = -full_name',
])
def test_what_is_not_text_in_a_text_fact_is_md322(fact: str) -> None:
    assert set(codes(INPUTS + fact + "\n")) == {"MD322"}, codes(INPUTS + fact + "\n")


def test_a_numeric_fact_that_reads_a_text_fact_becomes_text_and_is_md322() -> None:
    text = INPUTS + 'fact greeting = "Hi " + full_name\nfact n = greeting + 1\n'
    assert codes(text) == ["MD322"]


@pytest.mark.parametrize("test", [
    'fact formal = greeting is "Dear Sir"',  # a condition of a fact
    'fact formal = greeting',  # a text fact is no yes/no: it is copied, so formal is text
    'fact picked = if greeting is "x" then 1 else 0',  # the condition of an if
    'scope "everyone" = greeting is "x"',
    'impossible odd "odd" = greeting is "x" and smoker',
])
def test_a_condition_on_a_text_fact_is_md323(test: str) -> None:
    found = codes(INPUTS + 'fact greeting = "Dear " + full_name\n' + test + "\n")
    expected = [] if test == "fact formal = greeting" else ["MD323"]
    assert found == expected


def test_a_column_on_a_text_fact_is_md323() -> None:
    text = INPUTS + '''fact greeting = "Dear " + full_name
table t "t"
  output o: yes/no
  | greeting   || o   |
  | "Dear Ann" || yes |
  | -          || no  |
'''
    diagnostics = [d for d in compiled(text).diagnostics if d.code != "MD408"]
    assert [d.code for d in diagnostics] == ["MD323"]
    assert "table `t` tests it in a column" in diagnostics[0].message


def test_a_cycle_of_text_facts_is_the_cycle_alone() -> None:
    text = INPUTS + 'fact a = "x" + b\nfact b = a + "y"\n'
    assert codes(text) == ["MD400"]
    assert codes(INPUTS + 'fact a = "x" + a\n') == ["MD400"]


def test_a_long_chain_of_text_facts_is_classified_without_recursion() -> None:
    chain = "".join(f'fact t{n} = t{n - 1} + "."\n' for n in range(1, 3000))
    assert codes(INPUTS + 'fact t0 = "start " + full_name\n' + chain) == []


# ---- evaluation ---------------------------------------------------------------------------------

HOSTILE = ["Ann", "O'Brien", 'say "hi"', "back\\slash", "tab\there", "line\nbreak", "nul\x00",
           "bell\x07", "\x7f\x85", "\u2028sep\u2029", "'; DROP TABLE patients; --", "{x}", "%s",
           "", "ünïcødé 𝔘"]


def patients() -> list[dict[str, Any]]:
    return [{"full_name": name, "colour": colour, "age": age, "smoker": smoker}
            for number, name in enumerate(HOSTILE)
            for colour, age, smoker in [(("red", "green", "blue_green")[number % 3], 17 + number * 4,
                                         number % 2 == 0), ("blue_green", 70, False)]]


def test_the_interpreter_the_module_and_duckdb_give_the_same_words(tmp_path: Path) -> None:
    guideline = lowered_text(HEAD + LETTER)
    module = load_module(write_module(guideline, tmp_path))
    facts = patients()
    for patient in facts:
        expected = interpret(guideline, patient)
        assert module.evaluate(patient) == expected, patient
    decided = interpret(guideline, facts[4])["derived"]  # 'say "hi"', a smoker of 25
    assert decided["greeting"] == 'Hi "friend" \\ it\'s say "hi" (blue_green)'
    assert decided["tabbed"] == "a\ttab"
    assert interpret(guideline, facts[1])["derived"]["greeting"] == "Dear Ann (blue_green)"
    assert interpret(guideline, facts[1])["derived"]["tabbed"] == "a\ttab senior"
    source = write_parquet(guideline, {k: [p[k] for p in facts] for k in facts[0]},
                           tmp_path / "patients.parquet")
    report = evaluate_cohort(guideline, source, tmp_path / "decisions.parquet")
    assert (report.rows, report.decided, report.invalid_rows) == (len(facts), len(facts), 0)
    wrong = disagreements(guideline, list(rows_of({k: [p[k] for p in facts] for k in facts[0]})),
                          tmp_path / "decisions.parquet")
    assert not wrong, wrong[:2]


def test_the_trace_and_the_decision_schema_show_a_text_fact() -> None:
    compilation = compiled(LETTER)
    guideline = compilation.guideline
    decision = interpret(guideline, patients()[0])
    assert 'fact greeting: \'Hi "friend" \\\\ it\\\'s Ann (red)\'' in decision["trace"]
    from mmdsl.backends.schema.decision import decision_schema
    derived = decision_schema(guideline)["properties"]["derived"]["properties"]
    assert derived["greeting"]["type"] == "string"


# ---- DMN ----------------------------------------------------------------------------------------


def test_a_text_fact_is_exported_as_feel_strings_and_imported_back(tmp_path: Path) -> None:
    guideline = lowered_text(HEAD + LETTER)
    exported = export_dmn(guideline).text
    assert '<text>(title + full_name + " (" + colour + ")")</text>' in exported
    assert '"Hi \\"friend\\" \\\\ it\'s "' in exported  # FEEL's escapes
    assert '"a\\u0009tab"' in exported
    result = import_dmn(exported.encode("utf-8"), "exported.dmn", "imported.mmdsl")
    assert result.ok, [d.message for d in result.all_diagnostics]
    assert result.compilation is not None and result.compilation.guideline is not None
    back = result.compilation.guideline
    assert result.translation.decisions["greeting"].result == "text"
    for patient in patients():
        assert interpret(back, patient)["derived"] == interpret(guideline, patient)["derived"]


def test_an_imported_text_expression_that_mmdsl_cannot_say_is_md703() -> None:
    from tests.dmn.support import input_data, model
    from tests.dmn.test_import import literal

    for feel, reason in [('"a" + string(n)', "the function `string(...)`"),
                         ('"a" + n', "`n` is not text"),
                         ('"line\\nbreak" + s', "holds a line break")]:
        body = input_data("n", "number") + input_data("s", "string") + literal("d", "string", feel)
        result = import_dmn(model(body), "model.dmn", "model.mmdsl")
        found = [d for d in result.all_diagnostics if d.code == "MD703"]
        assert found and reason in found[0].message, [d.message for d in result.all_diagnostics]
