"""FEEL unary tests and expressions: what is read, and the mmdsl text each becomes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from mmdsl.dmn.names import Namespace, mmdsl_name
from mmdsl.frontends.dmn import feel
from mmdsl.frontends.dmn.cells import CellProblem, Column, cell_text, condition_text, output_text
from mmdsl.frontends.dmn.mmdsltext import number_text, quote_exact, quote_loose
from mmdsl.frontends.dmn.types import ValueType

NUMBER = Column(ValueType("decimal"))
TEXT = Column(ValueType("text"))
BOOL = Column(ValueType("bool"))
RISK = ValueType("enum", ("High", "Low", "Medium"),
                 members={"High": "High", "Low": "Low", "Medium": "Medium"})
DRUGS = ValueType("set", ("dara", "pom", "len"), enum="drug",
                  members={"dara": "dara", "pom": "pom", "len": "len"},
                  classes=(("IMiD", frozenset({"pom", "len"})),))


def cell(text: str, column: Column) -> str:
    return cell_text(feel.parse_unary_tests(text), column)


@pytest.mark.parametrize("dmn, mmdsl", [
    ("-", "-"),
    (">=18", ">= 18"),
    ("< 18", "< 18"),
    ("18", "18"),
    ("= 18", "18"),
    ("!= 18", "!= 18"),
    ("-5", "-5"),
    (".5", "0.5"),
    ("64.32", "64.32"),
    ("[1..10]", "1..10"),
    ("[1..10)", "[1..10["),
    ("(1..10]", "]1..10]"),
    ("]1..10[", "]1..10["),
    ("[-5..-1]", "-5..-1"),
    ("1, 3, >= 10", "1, 3, >= 10"),
    ("not(1, [5..6])", "not (1, 5..6)"),
    ("not(< 3)", "not < 3"),
])
def test_number_cells(dmn: str, mmdsl: str) -> None:
    assert cell(dmn, NUMBER) == mmdsl


@pytest.mark.parametrize("dmn, column, mmdsl", [
    ('"Medium","Low"', Column(RISK), "Medium, Low"),
    ('not("High")', Column(RISK), "not High"),
    ('!= "High"', Column(RISK), "not High"),
    ('"High", "Low", "Medium"', Column(RISK), "High, Low, Medium"),
    ('"a b", "c\\"d"', TEXT, '"a b", "c\\"d"'),
    ('"x # not a comment | nor a bar"', TEXT, '"x # not a comment | nor a bar"'),
    ("true", BOOL, "yes"),
    ("false", BOOL, "no"),
    ("not(true)", BOOL, "not yes"),
    ('list contains(?, "dara")', Column(DRUGS), "has dara"),
    ('some item in ["dara", "pom"] satisfies list contains(?, item)', Column(DRUGS),
     "any of (dara, pom)"),
    ('some m in ["pom", "len"] satisfies list contains(?, m)', Column(DRUGS), "any of IMiD"),
    ('every item in ["dara", "len"] satisfies list contains(?, item)', Column(DRUGS),
     "all of (dara, len)"),
    ('not(some item in ["dara"] satisfies list contains(?, item))', Column(DRUGS), "none of (dara)"),
    ('not(list contains(?, "pom"), list contains(?, "len"))', Column(DRUGS), "none of IMiD"),
])
def test_other_cells(dmn: str, column: Column, mmdsl: str) -> None:
    assert cell(dmn, column) == mmdsl


@pytest.mark.parametrize("dmn, column, why", [
    ('< "b"', TEXT, "equality only"),
    ('["a".."c"]', TEXT, "equality only"),
    ('"Unknown"', Column(RISK), "not one of the listed values"),
    ('"18"', NUMBER, "compares a number with text"),
    ("1", BOOL, "compares yes/no with a number"),
    ('"dara"', Column(DRUGS), "compares the whole list"),
    ('list contains(?, "x")', NUMBER, "list test"),
    ('"two\nlines"', TEXT, "line break"),
    ('"bidi \u202e trick"', TEXT, "invisible character"),
    ("0.1234567890123456", NUMBER, "more than 15 digits"),
    ("1" + "0" * 300, NUMBER, "more than 15 digits"),
])
def test_cells_mmdsl_cannot_state(dmn: str, column: Column, why: str) -> None:
    with pytest.raises(CellProblem, match=why):
        cell(dmn, column)


@pytest.mark.parametrize("dmn, message", [
    ("Age * 2", "general FEEL"),
    ('date("2020-01-01")',
     "the calendar date `2020-01-01`: mmdsl tests a date input against fixed calendar days"),
    ('@"P1Y"', "the duration `P1Y` tests a value that is not a duration"),
    ('@"P28D"', "the duration `P28D` tests a value that is not a duration"),
    ("@", "general FEEL"),
    ("[1, 2]", "FEEL list"),
    ("null", "`null` alone"),
    ("< null", "`null` is read as a whole test only"),  # FEEL: null for any value
    ("[null..10]", "not as a value to compare with or a range end"),
    ('"open', "never closed"),
    ('"\\q"', "not a FEEL string escape"),
    ("1..", "expected"),
    ("", "expected a number"),
])
def test_general_feel_is_refused(dmn: str, message: str) -> None:
    with pytest.raises((feel.FeelError, CellProblem), match=message):
        cell(dmn, NUMBER)


@pytest.mark.parametrize("dmn, days", [
    ('duration("P28D")', 28), ('@"P4W"', 28), ('@"PT48H"', 2), ('@"P1DT24H"', 2),
    ('duration("-P3D")', -3), ('@"PT1440M"', 1), ('@"P0D"', 0),
])
def test_a_duration_of_whole_days_is_read_as_its_days_where_durations_are_tested(
        dmn: str, days: int) -> None:
    tests = feel.parse_unary_tests(f">= {dmn}", durations=True)
    assert tests.tests == (feel.Comparison(">=", feel.Literal(Decimal(days), duration=True)),)


@pytest.mark.parametrize("dmn, months", [
    ('duration("P1Y2M")', 14), ('@"P5Y"', 60), ('@"P18M"', 18), ('duration("-P1Y")', -12),
    ('@"P0M"', 0),
])
def test_a_years_and_months_duration_is_read_as_its_total_months(dmn: str, months: int) -> None:
    """FEEL compares two years-and-months durations by their total months."""
    tests = feel.parse_unary_tests(f">= {dmn}", durations=True)
    assert tests.tests == (feel.Comparison(">=", feel.Literal(Decimal(months), months=True)),)


@pytest.mark.parametrize("dmn, why", [
    ('@"PT36H"', "the duration `PT36H` is not a whole number of days"),
    ('@"P1Y2D"', "the duration `P1Y2D`: a duration of years or months and also days"),
    ('duration("P")', "`P` is not a FEEL duration"),
    ('time("10:30:00")', "the time of day `10:30:00`"),
    ('@"10:30:00@Europe/Paris"', "the time of day"),
    ('date and time("2018-12-08T10:30:00")', "the date and time `2018-12-08T10:30:00`"),
    ('@"2018-12-08T10:30:00"', "the date and time"),
    ('@"2018-12-08"', "the calendar date `2018-12-08`"),
    ('date(2018, 12, 8)', "with anything but one string is general FEEL"),
])
def test_other_temporal_literals_are_refused_saying_what_they_are(dmn: str, why: str) -> None:
    with pytest.raises(feel.FeelError, match=re.escape(why)):
        feel.parse_unary_tests(f"< {dmn}", durations=True)


def test_a_duration_column_is_tested_with_durations_only() -> None:
    """FEEL compares a duration with a number as null, which never matches."""
    column = Column(ValueType("integer"), duration=True)
    assert cell_text(feel.parse_unary_tests('[@"P2D"..@"P4D")', durations=True), column) \
        == "[2..4["
    with pytest.raises(CellProblem, match="the value is a duration"):
        cell_text(feel.parse_unary_tests("< 5", durations=True), column)


def test_a_refusal_says_where_it_stopped() -> None:
    with pytest.raises(feel.FeelError) as raised:
        feel.parse_unary_tests(">= 18, Age * 2")
    assert raised.value.offset == len(">= 18, Age ")


@pytest.mark.parametrize("dmn", ['not("High")', '!= "High"', '"High", != "Low"'])
def test_cells_that_match_a_missing_value_in_dmn_are_refused_on_nullable_columns(dmn: str) -> None:
    """FEEL: null = "High" is false, so not("High") and != "High" match null; mmdsl's `not
    High` never matches a missing value."""
    with pytest.raises(CellProblem, match="missing value"):
        cell(dmn, Column(RISK, nullable=True))


@pytest.mark.parametrize("dmn, mmdsl", [
    ('not(null, "High")', "not High"),  # what mmdsl's export writes for `not High`
    ("< 4, > 4", "< 4, > 4"),  # and for `!= 4`
    ('"High", < 1', None),
])
def test_cells_with_the_same_meaning_on_missing_values(dmn: str, mmdsl: str | None) -> None:
    column = Column(RISK if '"' in dmn else ValueType("decimal"), nullable=True)
    if mmdsl is None:
        with pytest.raises(CellProblem):
            cell(dmn, column)
    else:
        assert cell(dmn, column) == mmdsl


def test_an_input_that_is_always_there_drops_null_tests() -> None:
    assert cell('not(null, "High")', Column(RISK)) == "not High"
    assert cell("not(null)", Column(RISK)) == "-"


@pytest.mark.parametrize("dmn, mmdsl", [
    ("<= 10", "age <= 10"),
    ("(2..4]", "age in ]2..4]"),
    ("1, < 5, >= 10", "(age = 1 or age < 5 or age >= 10)"),
    ("not(1, 2)", "not (age = 1 or age = 2)"),
    ("!= 3", "age != 3"),
])
def test_number_conditions(dmn: str, mmdsl: str) -> None:
    assert condition_text("age", feel.parse_unary_tests(dmn), ValueType("decimal")) == mmdsl


def test_conditions_of_other_types() -> None:
    def condition(text: str, value_type: ValueType) -> str | None:
        return condition_text("x", feel.parse_unary_tests(text), value_type)

    assert condition('"a"', ValueType("text")) == 'x is "a"'
    assert condition('!= "a"', ValueType("text")) == 'x is not "a"'
    assert condition("true", ValueType("bool")) == "x"
    assert condition("!= true", ValueType("bool")) == "not x"
    assert condition("false", ValueType("bool")) == "not x"
    assert condition('"Low"', RISK) == "x is Low"
    assert condition('list contains(?, "dara")', DRUGS) == "x has dara"
    assert condition('every m in ["pom", "len"] satisfies list contains(?, m)', DRUGS) == \
        "x has all of IMiD"
    assert condition("-", ValueType("text")) is None


def test_boolean_expressions() -> None:
    names = {"Age", "Risk Category", "is student"}
    parsed = feel.parse_expression('Age >= 18 and (not(is student) or Risk Category in ("a", '
                                   '"b"))', names)
    assert parsed == feel.And((
        feel.Check("Age", feel.UnaryTests((feel.Comparison(">=", feel.Literal(Decimal(18))),))),
        feel.Or((feel.Not(feel.NameRef("is student")),
                 feel.Check("Risk Category", feel.UnaryTests((
                     feel.Comparison("=", feel.Literal("a")),
                     feel.Comparison("=", feel.Literal("b"))))))),
    ))
    with pytest.raises(feel.FeelError, match="expected the name"):
        feel.parse_expression("Agee >= 18", names)


@pytest.mark.parametrize("literal, value_type, mmdsl", [
    ('"Approved"', ValueType("text"), '"Approved"'),
    ("null", ValueType("text"), "-"),
    ("-", ValueType("decimal"), "-"),
    ("98.83", ValueType("decimal"), "98.83"),
    ("true", ValueType("bool"), "yes"),
    ('"Low"', RISK, "Low"),
])
def test_output_entries(literal: str, value_type: ValueType, mmdsl: str) -> None:
    assert output_text(feel.parse_literal(literal), value_type) == mmdsl


def test_output_entries_that_are_expressions_are_refused() -> None:
    with pytest.raises(feel.FeelError):
        feel.parse_literal("Age * 2")


# ---- names, text and numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("dmn, mmdsl", [
    ("Age", "Age"),
    ("cilta-cel", "cilta-cel"),
    ("Approval Status", "Approval_Status"),
    ("Approved/Declined", "Approved_Declined"),
    ("0004-simpletable-U", "n0004-simpletable-U"),
    ("Âge du patient", "Age_du_patient"),
    ("all", "all_"),
    ("rule", "rule_"),
    ("note", "note"),
    ("-x-", "x"),
    ("日本", ""),
    ('a"b\nc#d', "a_b_c_d"),
])
def test_names(dmn: str, mmdsl: str) -> None:
    assert mmdsl_name(dmn) == mmdsl


def test_names_are_unique_and_deterministic() -> None:
    names = Namespace()
    assert [names.claim(n, "x") for n in ("a b", "a_b", "a-b?", "日本", "中国")] == \
        ["a_b", "a_b_2", "a-b", "x", "x_2"]


def test_quoting() -> None:
    assert quote_exact('say "hi" \\ # |') == '"say \\"hi\\" \\\\ # |"'
    assert quote_exact("two\nlines") is None
    assert quote_exact("rlo \u202e") is None
    assert quote_exact("bell\x07") is None  # MD110
    # What mmdsl's quoted text holds exactly stays: an exported table imports back unchanged.
    assert quote_exact("tab\there") == '"tab\there"'
    assert quote_exact("line\u2028separator\u0085\x7f\x9f") == '"line\u2028separator\u0085\x7f\x9f"'
    assert quote_loose("form\x0cfeed\x07") == ('"form feed"', True)
    assert quote_loose("two\n  lines\u202e") == ('"two lines"', True)
    assert quote_loose("plain") == ('"plain"', False)


@pytest.mark.parametrize("number, text", [
    (Decimal("18"), "18"), (Decimal(".5"), "0.5"), (Decimal("1.50"), "1.50"),
    (Decimal("-0"), "0"), (Decimal("1E+3"), "1000"), (Decimal("-2.25"), "-2.25"),
])
def test_numbers(number: Decimal, text: str) -> None:
    assert number_text(number) == text
