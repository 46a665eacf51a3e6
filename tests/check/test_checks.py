"""The checks, one behaviour at a time: a small file, the diagnostic it must give (code, line,
words of the message or help), and files that must give none."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from mmdsl.diagnostics import Diagnostic, Severity
from mmdsl.ir import model as ir
from mmdsl.pipeline import compile_source
from mmdsl.source import Source

FIXTURES = Path(__file__).parent.parent / "fixtures" / "check"

# Declarations most cases build on (lines 1-12); a case appends its table or statement.
BASE = """\
guideline g "A guideline"
reference 1 "A reference"
evidence KarMMa "KarMMa"
  refs 1
caveat cytopenia "low blood counts" refs 1
enum drug "drugs" = daratumumab, lenalidomide, bortezomib, carfilzomib
class PI of drug "proteasome inhibitors" = bortezomib, carfilzomib
input prior_lines: integer 0..30 "prior lines"
input refractory: set of drug "refractory to"
input last_drug: one of drug "drug of the last line"
input t11_14: yes/no "t(11;14)"
input centre: text default "local" "treating centre"
"""
LINE = BASE.count("\n") + 1  # the first line of a case


def table(header: str, *rows: str, clauses: str = "  hit first\n  output regimen: one of IsaPd, Sd\n",
          name: str = "t") -> str:
    lines = [f"table {name}\n", clauses, f"  {header}\n", *(f"  {row}\n" for row in rows)]
    return "".join(lines)


def diagnostics(text: str, *, warnings: bool = False) -> list[Diagnostic]:
    found = compile_source(Source("t.mmdsl", text), verify=False).diagnostics
    return [d for d in found if warnings or d.severity is Severity.ERROR]


@dataclass(frozen=True)
class Case:
    id: str
    text: str  # appended to BASE
    code: str
    line: int  # relative to the first line of the case (1 = its first line)
    words: str  # found in the message or the help


CASES = [
    # ---- cells against their column ----------------------------------------------------------
    Case("has-on-one-value", table("| last_drug || regimen |", "| has bortezomib || IsaPd |",
                                   "| - || Sd |"), "MD300", 5, "write `bortezomib` alone"),
    Case("all-of-on-one-value", table("| last_drug || regimen |", "| all of PI || IsaPd |",
                                      "| - || Sd |"), "MD300", 5, "cannot be all of several"),
    Case("number-on-yes-no", table("| t11_14 || regimen |", "| >= 4 || IsaPd |", "| - || Sd |"),
         "MD300", 5, "`>= 4` is a test on numbers, but `t11_14` is yes/no"),
    Case("bare-word-in-text", table("| centre || regimen |", "| local || IsaPd |", "| - || Sd |"),
         "MD300", 5, "write the text in quotes"),
    Case("class-of-another-enumeration",
         "enum regimen = IsaPd, Sd\nclass isatuximab of regimen = IsaPd\n"
         + table("| refractory || regimen |", "| isatuximab || IsaPd |", "| - || Sd |"),
         "MD301", 7, "a class of another enumeration"),
    Case("range-end-out-of-bounds", table("| prior_lines || regimen |", "| 25..40 || IsaPd |",
                                          "| - || Sd |"), "MD302", 5, "`40` is outside the range"),
    Case("half-open-empty-range", table("| prior_lines || regimen |", "| [3..3[ || IsaPd |",
                                        "| - || Sd |"), "MD303", 5, "contains no value"),
    Case("rule-name-is-a-test", table("| rule | t11_14 || regimen |", "| yes | yes || IsaPd |",
                                      "| r2 | - || Sd |"), "MD300", 5, "`yes` is not a rule name"),
    # ---- declarations --------------------------------------------------------------------------
    Case("integer-bound-with-a-fraction", "input dose: integer 0..2.5\n", "MD306", 1,
         "not a whole number"),
    Case("bounds-upside-down", "input dose: integer 30..0\n", "MD303", 1, "`0..30`"),
    Case("set-of-unknown-enumeration", "input exposed: set of drugs\n", "MD200", 1,
         "did you mean `drug`?"),
    Case("class-as-enumeration", "input exposed: set of PI\n", "MD203", 1,
         "`PI` is a class, not an enumeration"),
    Case("class-of-unknown-enumeration", "class IMiD of drugs = lenalidomide\n", "MD200", 1,
         "unknown enumeration `drugs`"),
    Case("class-member-misspelt", "class IMiD of drug = lenalidomid\n", "MD301", 1,
         "did you mean `lenalidomide`?"),
    Case("set-includes-itself", "input exposed: set of drug includes exposed\n", "MD410", 1,
         "cannot include itself"),
    Case("default-outside-range", "input dose: integer 0..10 default 12\n", "MD305", 1,
         "outside the range"),
    Case("default-class-for-a-set", "input exposed: set of drug default PI\n", "MD305", 1,
         "`PI` is a class"),
    Case("member-listed-twice", "enum stage = I, II, II\n", "MD201", 1, "listed twice"),
    Case("table-named-status", table("| t11_14 || regimen |", "| - || Sd |", name="status"),
         "MD201", 1, "a name the decision already uses"),
    Case("guideline-not-first", "guideline h \"Another\"\n", "MD108", 1, "the guideline"),
    Case("reference-number-twice", "reference 1 \"Again\"\n", "MD108", 1, "reference 1"),
    Case("fact-compares-yes-no-with-a-number", "fact late = t11_14 >= 3\n", "MD300", 1,
         "`>= 3` is a test on numbers, but `t11_14` is yes/no"),
    Case("scope-bound-out-of-range", 'scope "treated" = prior_lines in 1..40\n', "MD302", 1,
         "`40` is outside the range of `prior_lines`"),
    Case("fact-misspells-a-member", "fact pi_last = last_drug in (bortezomib, carfilzomb)\n", "MD301",
         1, "did you mean `carfilzomib`?"),
    Case("fact-defined-through-itself", "fact a = a or t11_14\n", "MD400", 1,
         "depends on itself: a → a"),
    # ---- names and their kinds -----------------------------------------------------------------
    Case("bare-set-condition", "fact f = refractory\n", "MD203", 1,
         "`refractory has daratumumab`"),
    Case("scope-reads-a-table",
         table("| t11_14 || regimen |", "| - || Sd |") + "scope \"s\" = t.regimen is Sd\n",
         "MD203", 6, "facts and the scope read only inputs"),
    Case("table-of-two-outputs-read-alone",
         table("| t11_14 || regimen | tier |", "| - || Sd | other |",
               clauses="  output regimen: one of Sd\n  output tier: one of other\n")
         + table("| t || weeks |", "| - || 4 |", clauses="  output weeks: integer\n", name="u"),
         "MD203", 8, "has 2 outputs"),
    Case("aggregate-output-read-by-name",
         table("| t11_14 || points |", "| - || 1 |", clauses="  hit collect sum\n  output points: integer\n")
         + table("| t.points || weeks |", "| - || 4 |", clauses="  output weeks: integer\n", name="u"),
         "MD203", 8, "write `t` alone"),
    Case("collect-number-output-as-set",
         table("| t11_14 || points |", "| - || 1 |", clauses="  hit collect\n  output points: integer\n")
         + table("| t.points || weeks |", "| - || 4 |", clauses="  output weeks: integer\n", name="u"),
         "MD203", 8, "only its outputs that are `one of …` can be read"),
    Case("input-is-not-a-table", table("| prior_lines.max || regimen |", "| - || Sd |"),
         "MD203", 4, "`prior_lines` is not a table"),
    Case("table-reads-itself", table("| t || regimen |", "| - || Sd |"), "MD407", 4,
         "cannot read its own result"),
    # ---- table layout --------------------------------------------------------------------------
    Case("annotation-column-misspelt",
         table("| t11_14 || regimen || evidnce |", "| - || Sd || KarMMa |"), "MD105", 4,
         "did you mean `evidence`?"),
    Case("header-ends-with-two-bars", table("| t11_14 || regimen ||", "| - || Sd |"), "MD105", 4,
         "ends with `||`"),
    Case("rule-column-not-first", table("| t11_14 | rule || regimen |", "| - | r1 || Sd |"),
         "MD105", 4, "must come first"),
    Case("row-bars-unlike-header", table("| t11_14 | prior_lines || regimen |",
                                         "| - | - | Sd |"), "MD105", 5, "does not match"),
    Case("row-with-an-extra-cell", table("| t11_14 || regimen |", "| - || Sd | IsaPd |"),
         "MD103", 5, "this row has 3 cells but the table has 2 columns"),
    Case("output-given-two-columns", table("| t11_14 || regimen | regimen |", "| - || Sd | Sd |"),
         "MD201", 4, "`regimen` has two columns"),
    Case("undeclared-output-column", table("| t11_14 || regimens |", "| - || Sd |"), "MD200", 4,
         "did you mean `regimen`?"),
    Case("output-without-column",
         table("| t11_14 || regimen |", "| - || Sd |",
               clauses="  output regimen: one of Sd\n  output tier: one of other\n"),
         "MD105", 3, "output `tier` has no column"),
    Case("output-cell-is-a-test", table("| t11_14 || regimen |", "| - || not Sd |"), "MD304", 5,
         "holds one value, not `not Sd`"),
    Case("output-cell-misspelt", table("| t11_14 || regimen |", "| - || Sdd |"), "MD301", 5,
         "did you mean `Sd`?"),
    # ---- hit policies and clauses ----------------------------------------------------------------
    Case("unknown-hit-policy", table("| t11_14 || regimen |", "| - || Sd |",
                                     clauses="  hit collect order\n  output regimen: one of Sd\n"),
         "MD405", 2, "unknown hit policy `collect order`"),
    Case("sum-of-two-outputs",
         table("| t11_14 || a | b |", "| - || 1 | 2 |",
               clauses="  hit collect sum\n  output a: integer\n  output b: integer\n"),
         "MD405", 2, "the table has 2"),
    Case("priority-of-numbers", table("| t11_14 || weeks |", "| - || 4 |",
                                      clauses="  hit priority\n  output weeks: integer\n"),
         "MD405", 2, "no output lists its values"),
    Case("distinct-by-in-a-first-table",
         table("| t11_14 || regimen |", "| - || Sd |",
               clauses="  hit first\n  output regimen: one of Sd\n  distinct by regimen\n"),
         "MD409", 4, "works on a table with several results"),
    # ---- evidence --------------------------------------------------------------------------------
    Case("caveat-cited-as-evidence", table("| t11_14 || regimen || evidence |",
                                           "| - || Sd || cytopenia |"), "MD401", 5,
         "list it under `caveats`"),
    Case("evidence-cell-with-a-test", table("| t11_14 || regimen || evidence |",
                                            "| - || Sd || >= 2 |"), "MD300", 5, "is not a name"),
    Case("required-evidence-without-column",
         table("| t11_14 || regimen |", "| - || Sd |",
               clauses="  output regimen: one of Sd\n  requires evidence\n"),
         "MD404", 1, "has no `evidence` column"),
    # ---- examples ----------------------------------------------------------------------------------
    Case("example-none-for-yes-no", "example e \"e\"\n  prior_lines: 1\n  refractory: none\n"
         "  last_drug: bortezomib\n  t11_14: none\n", "MD500", 5, "`none` is for sets only"),
    Case("example-two-values-for-a-number", "example e \"e\"\n  prior_lines: 1, 2\n"
         "  refractory: none\n  last_drug: bortezomib\n  t11_14: no\n", "MD500", 2,
         "takes one value"),
    Case("example-gives-a-fact", "fact f = t11_14\nexample e \"e\"\n  prior_lines: 1\n"
         "  refractory: none\n  last_drug: bortezomib\n  t11_14: no\n  f: yes\n", "MD500", 7,
         "is a derived fact"),
    Case("example-gives-a-class", "example e \"e\"\n  prior_lines: 1\n  refractory: PI\n"
         "  last_drug: bortezomib\n  t11_14: no\n", "MD500", 3, "`PI` is a class"),
    Case("expect-an-unknown-status", "example e \"e\"\n  prior_lines: 1\n  refractory: none\n"
         "  last_drug: bortezomib\n  t11_14: no\n  expect status: fine\n", "MD502", 6,
         "`fine` is not a member of ok, out_of_scope"),
    Case("expect-no-value-of-a-fact", "fact f = t11_14\nexample e \"e\"\n  prior_lines: 1\n"
         "  refractory: none\n  last_drug: bortezomib\n  t11_14: no\n  expect f: none\n",
         "MD502", 7, "always has a value"),
    Case("expect-an-output-of-an-aggregate",
         table("| t11_14 || points |", "| - || 1 |", clauses="  hit collect sum\n  output points: integer\n")
         + "example e \"e\"\n  prior_lines: 1\n  refractory: none\n  last_drug: bortezomib\n"
         "  t11_14: no\n  expect t.points: 1\n", "MD502", 11, "gives one number"),
    Case("expect-an-input", "example e \"e\"\n  prior_lines: 1\n  refractory: none\n"
         "  last_drug: bortezomib\n  t11_14: no\n  expect t11_14: no\n", "MD502", 6,
         "`t11_14` is an input"),
    Case("expect-two-values-of-a-single-result",
         table("| t11_14 || regimen |", "| - || Sd |")
         + "example e \"e\"\n  prior_lines: 1\n  refractory: none\n  last_drug: bortezomib\n"
         "  t11_14: no\n  expect t: Sd, IsaPd\n", "MD502", 11, "has one value"),
    # ---- notes, quotes, characters ------------------------------------------------------------
    Case("note-on-an-unknown-rule", table("| rule | t11_14 || regimen |", "| late | - || Sd |")
         + 'note n on t.lat: "why"\n', "MD200", 6, "did you mean `late`?"),
    Case("quote-on-an-unknown-table", 'quote q on tt.R1: "the source says"\n', "MD200", 1,
         "unknown rule or table `tt`"),
    Case("bidirectional-control-in-text", 'fact f "t(11;14) \u202epositive" = t11_14\n', "MD202",
         1, "a bidirectional control (U+202E)"),
    Case("invisible-letter-in-a-name", "input t11_14\u3164: yes/no\n", "MD202", 1,
         "an invisible character (U+3164)"),
    Case("joiner-outside-an-emoji-sequence", 'fact f "t(11;14)\u200dpositive" = t11_14\n', "MD202",
         1, "an invisible character (U+200D)"),
    Case("joiner-after-an-emoji-then-a-letter", 'fact f "\U0001F468\u200dx" = t11_14\n', "MD202",
         1, "an invisible character (U+200D)"),
    Case("combining-mark-in-a-name", "input cafe\u0301: yes/no\n", "MD102", 1,
         "retype it as the single letter `\u00e9`"),
    Case("syntax-error-hides-later-unknown-names",
         "input dose integer 0..10\nfact high_dose = dose >= 5\n", "MD100", 1, "expected `:`"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_check_reports_the_mistake(case: Case) -> None:
    found = diagnostics(BASE + case.text)
    assert [(d.code, d.span.line) for d in found] == [(case.code, LINE + case.line - 1)], found
    assert case.words in f"{found[0].message} | help: {found[0].help}"


CLEAN = [
    ("default-none-is-the-empty-set", "input exposed: set of drug default none\n"),
    ("has-a-class", table("| refractory || regimen |", "| has PI || IsaPd |", "| - || Sd |")),
    ("class-in-a-one-value-column", table("| last_drug || regimen |", "| PI || IsaPd |",
                                          "| - || Sd |")),
    ("expect-none-of-a-table-of-two-outputs",
     table("| t11_14 || regimen | tier |", "| - || Sd | other |",
           clauses="  hit collect\n  output regimen: one of Sd\n  output tier: one of other\n")
     + "example e \"e\"\n  prior_lines: 1\n  refractory: none\n  last_drug: bortezomib\n"
     "  t11_14: no\n  expect t: none\n"),
    ("priority-ranks-by-its-listed-output", table(
        "| t11_14 || level | note |", "| - || high | \"x\" |",
        clauses="  hit priority\n  output level: one of high, low\n  output note: text\n")),
    ("order-by-a-number", table("| t11_14 || weeks |", "| - || 4 |",
                                clauses="  hit collect\n  output weeks: integer\n  order by weeks\n")),
    ("note-on-rules-tables-facts-inputs", table("| t11_14 || regimen |", "| - || Sd |")
     + 'fact f = t11_14\nnote n on t.R1, t, f, prior_lines: "why"\n'),
]


@pytest.mark.parametrize(("name", "text"), CLEAN, ids=[name for name, _ in CLEAN])
def test_correct_file_gives_no_error(name: str, text: str) -> None:
    assert diagnostics(BASE + text) == []


def test_the_clean_samples_give_no_diagnostic_at_all() -> None:
    for name in ("sample.mmdsl", "small.mmdsl"):
        text = (FIXTURES / name).read_text("utf-8")
        assert diagnostics(text, warnings=True) == [], name


def test_five_mistakes_give_five_diagnostics_with_their_places() -> None:
    text = (FIXTURES / "five_mistakes.mmdsl").read_text("utf-8")
    found = [(d.span.line, d.span.column, d.code) for d in diagnostics(text, warnings=True)]
    assert found == [
        (11, 64, "MD301"),  # `has bortezomb` in a fact
        (16, 21, "MD200"),  # the column `prior_line`
        (18, 20, "MD104"),  # an empty cell
        (18, 48, "MD401"),  # the evidence `KarMM`
        (23, 10, "MD502"),  # `expect recomendations.regimen`
    ]


# ---- warnings: useful, not noisy -------------------------------------------------------------


def unused(text: str) -> list[str]:
    return [d.message for d in diagnostics(text, warnings=True) if d.code == "MD408"]


def test_unused_declarations_are_warned_about() -> None:
    text = BASE + table("| t11_14 || regimen |", "| - || Sd |")
    assert unused(text) == [
        "evidence `KarMMa` is never cited", "caveat `cytopenia` is never attached to a rule",
        "class `PI` is never used", "input `prior_lines` is never read",
        "input `refractory` is never read", "input `last_drug` is never read",
        "input `centre` is never read",
    ]


def test_a_misspelt_use_is_an_error_not_also_an_unused_warning() -> None:
    def cited(cell: str) -> str:
        return BASE + table("| t11_14 || regimen || evidence |", f"| - || Sd || {cell} |")

    assert "evidence `KarMMa` is never cited" not in unused(cited("KarMM"))
    assert [d.code for d in diagnostics(cited("KarMM"))] == ["MD401"]
    assert "evidence `KarMMa` is never cited" in unused(cited("-"))


def test_no_unused_warnings_while_a_statement_does_not_parse() -> None:
    text = BASE + "table t\n  output regimen one of Sd\n  | t11_14 || regimen |\n  | - || Sd |\n"
    assert [d.code for d in diagnostics(text, warnings=True)] == ["MD100"]


# ---- what lowering makes of what the checks accept -------------------------------------------


def lowered(text: str) -> ir.IRGuideline:
    compilation = compile_source(Source("t.mmdsl", text), verify=False)
    assert [d.code for d in compilation.diagnostics if d.severity is Severity.ERROR] == []
    assert compilation.guideline is not None
    return compilation.guideline


def test_has_a_class_tests_for_any_of_its_members() -> None:
    guideline = lowered(BASE + table("| refractory || regimen |", "| has PI || IsaPd |",
                                     "| - || Sd |"))
    test = guideline.tables[0].rules[0].tests[0]
    assert test == ir.SetTest("refractory", "any", ("bortezomib", "carfilzomib"))


def test_outputs_are_in_the_order_of_their_columns() -> None:
    guideline = lowered(BASE + table(
        "| t11_14 || tier | regimen |", "| - || other | Sd |",
        clauses="  output regimen: one of Sd\n  output tier: one of other\n"))
    table_ir = guideline.tables[0]
    assert [o.name for o in table_ir.outputs] == ["tier", "regimen"]
    assert table_ir.rules[0].outputs == ("other", "Sd")


def test_a_set_default_of_none_is_the_empty_list() -> None:
    guideline = lowered(BASE + "input exposed: set of drug default none\n")
    exposed = next(i for i in guideline.inputs if i.name == "exposed")
    assert (exposed.required, exposed.default) == (False, [])


def test_values_listed_in_place_form_an_enumeration_named_after_the_input() -> None:
    guideline = lowered(BASE + "input stage: one of I, II, III\n")
    stage = next(i for i in guideline.inputs if i.name == "stage")
    assert (stage.type.enum_name, stage.type.members) == ("stage", ("I", "II", "III"))


# ---- a cell text read once per column (issue 19: a 10,000-row table checked and lowered fast) --


def test_the_same_wrong_cell_in_many_rows_is_reported_in_each() -> None:
    text = BASE + table("| rule | last_drug || regimen |", "| r1 | lenalidomde || IsaPd |",
                        "| r2 | lenalidomde || Sd |")
    found = diagnostics(text)
    assert [(d.code, d.span.line) for d in found] == [("MD301", LINE + 4), ("MD301", LINE + 5)]


def test_a_text_fine_in_one_column_is_still_checked_in_another() -> None:
    """`bortezomib` fits the drug column; in the yes/no column it is a mistake."""
    text = BASE + table("| rule | last_drug | t11_14 || regimen |",
                        "| r1 | bortezomib | yes || IsaPd |", "| r2 | - | bortezomib || Sd |")
    found = diagnostics(text)
    assert [d.span.line for d in found] == [LINE + 5], found


def test_a_cell_text_is_lowered_per_column() -> None:
    """`1` is the integer 1 in one column and the decimal 1.0 in another: a condition kept for a
    cell text is kept for its column only."""
    text = BASE + "input ratio: decimal 0..10\n" + table(
        "| rule | prior_lines | ratio || regimen |", "| r1 | 1 | 1 || IsaPd |",
        "| r2 | 2 | 1 || Sd |", "| r3 | 1 | - || Sd |")
    rules = lowered(text).tables[0].rules
    lines, ratio = rules[0].tests
    assert isinstance(lines, ir.Compare) and isinstance(ratio, ir.Compare)
    assert type(lines.value) is int and type(ratio.value) is float
    assert rules[2].tests[0] == lines and rules[1].tests[1] == ratio


# Text may hold well-formed emoji sequences, whose joiners and tags are invisible by design; one
# picture each: a family, the rainbow flag, a health worker with a skin tone, Scotland's flag.
EMOJI_SEQUENCES = ["\U0001F468\u200d\U0001F469\u200d\U0001F467",
                   "\U0001F3F3\ufe0f\u200d\U0001F308",
                   "\U0001F469\U0001F3FD\u200d\u2695\ufe0f",
                   "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"]


@pytest.mark.parametrize("sequence", EMOJI_SEQUENCES)
def test_text_may_hold_a_well_formed_emoji_sequence(sequence: str) -> None:
    text = BASE + f'fact f "positive {sequence}" = t11_14\n# {sequence} in a comment\n'
    assert diagnostics(text) == []
