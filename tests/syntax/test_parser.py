"""The front end: every construct parses to the AST node it should, with exact spans."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from mmdsl.source import Source
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module, split_statements

HEADER = 'guideline g "G"\n'


def parse(text: str) -> tuple[ast.Module, list[str]]:
    module, diagnostics = parse_module(Source("t.mmdsl", text))
    return module, [f"{d.code}@{d.span.line}:{d.span.column} {d.message}" for d in diagnostics]


def only(text: str) -> ast.Statement:
    module, problems = parse(HEADER + text)
    assert problems == []
    assert len(module.statements) == 2
    return module.statements[1]


def cell_test(cell: str, column: str = "x") -> ast.Test | None:
    table = only(f"table t\n  | {column} || o |\n  | {cell} || 1 |\n")
    assert isinstance(table, ast.TableDecl)
    return table.rows[0].cells[0].test


def test_input_declaration_with_bounds_unit_and_description() -> None:
    decl = only('input prior_lines: integer 0..30 unit "lines" "prior lines of therapy"\n')
    assert isinstance(decl, ast.InputDecl)
    assert isinstance(decl.type, ast.NumberType)
    assert (decl.type.kind, decl.type.low.value, decl.type.high.value) == ("integer", 0, 30)  # type: ignore[union-attr]
    assert decl.type.unit is not None and decl.type.unit.value == "lines"
    assert decl.description is not None and decl.description.value == "prior lines of therapy"


def test_optional_input_with_default_and_set_includes() -> None:
    flag = only('input bcl2_high: yes/no default no "high BCL2"\n')
    assert isinstance(flag, ast.InputDecl) and isinstance(flag.default, ast.BoolValue)
    assert flag.default.value is False
    exposed = only("input exposed: set of drug includes refractory\n")
    assert isinstance(exposed, ast.InputDecl) and isinstance(exposed.type, ast.SetType)
    assert exposed.includes is not None and exposed.includes.text == "refractory"


def test_enumeration_continues_after_commas_and_keeps_member_labels() -> None:
    decl = only('enum drug "drugs" =\n    daratumumab, isatuximab,\n    ide-cel "idecabtagene vicleucel"\n')
    assert isinstance(decl, ast.EnumDecl)
    assert [m.name.text for m in decl.members] == ["daratumumab", "isatuximab", "ide-cel"]
    assert decl.members[2].description is not None
    assert decl.members[2].description.value == "idecabtagene vicleucel"


def test_fact_continues_on_lines_that_start_with_and() -> None:
    decl = only("fact tcr =\n    refractory has any of PI   # a comment\n"
                "    and refractory has any of IMiD\n")
    assert isinstance(decl, ast.FactDecl) and isinstance(decl.expr, ast.And)
    first, second = decl.expr.items
    assert isinstance(first, ast.Condition) and isinstance(first.test, ast.QuantifiedTest)
    assert first.test.members[0].text == "PI" and first.test.is_class
    assert isinstance(second, ast.Condition) and second.span.line == 4


def test_and_binds_tighter_than_or_and_not_applies_to_one_operand() -> None:
    decl = only("fact f = a or b and not c\n")
    assert isinstance(decl, ast.FactDecl) and isinstance(decl.expr, ast.Or)
    assert isinstance(decl.expr.items[1], ast.And)
    assert isinstance(decl.expr.items[1].items[1], ast.Not)


@pytest.mark.parametrize(("text", "kind"), [
    ("x is yes", ast.ValueTest), ("x is not female", ast.NotTest), ("x >= 4", ast.CompareTest),
    ("x ≥ 4", ast.CompareTest), ("x in 1..3", ast.RangeTest), ("x in (a, b)", ast.OneOfTest),
    ("x not in (a, b)", ast.NotTest), ("s has m", ast.HasTest), ("s has none of (a, b)", ast.QuantifiedTest),
])
def test_condition_forms(text: str, kind: type) -> None:
    decl = only(f"fact f = {text}\n")
    assert isinstance(decl, ast.FactDecl) and isinstance(decl.expr, ast.Condition)
    assert isinstance(decl.expr.test, kind)


def test_unicode_comparison_is_the_same_operator() -> None:
    assert isinstance(t := cell_test("≥ 4"), ast.CompareTest) and t.op == ">="
    assert isinstance(t := cell_test("≠ 4"), ast.CompareTest) and t.op == "!="


def test_cells() -> None:
    assert isinstance(cell_test("-"), ast.AnyTest)
    assert cell_test("") is None
    rng = cell_test("]1..3[")
    assert isinstance(rng, ast.RangeTest) and not rng.low_closed and not rng.high_closed
    closed = cell_test("1.5..3")
    assert isinstance(closed, ast.RangeTest) and closed.low.value == Decimal("1.5")
    either = cell_test("1, >= 5")
    assert isinstance(either, ast.OneOfTest) and len(either.tests) == 2
    negated = cell_test("not (a, b)")
    assert isinstance(negated, ast.NotTest) and len(negated.tests) == 2
    quantified = cell_test("any of (bortezomib, carfilzomib)")
    assert isinstance(quantified, ast.QuantifiedTest) and not quantified.is_class
    has = cell_test("has daratumumab")
    assert isinstance(has, ast.HasTest) and has.member.text == "daratumumab"
    text = cell_test('"free text"')
    assert isinstance(text, ast.ValueTest) and isinstance(text.value, ast.TextValue)
    negative = cell_test("-3")
    assert isinstance(negative, ast.ValueTest) and negative.value.value == -3  # type: ignore[union-attr]


def test_keywords_are_names_where_no_keyword_fits() -> None:
    test = cell_test("count", column="first")
    assert isinstance(test, ast.ValueTest) and isinstance(test.value, ast.NameValue)
    assert test.value.name.text == "count"


def test_table_sections_rule_names_and_spans() -> None:
    text = HEADER + (
        "table recommendations \"Next therapy\"\n"
        "  hit collect\n"
        "  output regimen: one of IsaPd, IsaKd\n"
        "  order by regimen\n"
        "  requires evidence\n"
        "  | rule  | prior_lines || regimen || evidence |\n"
        "  |-------|-------------||---------||----------|\n"
        "  | isapd | >= 2        || IsaPd   || ICARIA-MM |\n"
    )
    module, problems = parse(text)
    assert problems == []
    table = module.statements[1]
    assert isinstance(table, ast.TableDecl)
    assert table.hit is not None and table.hit.words == ("collect",)
    assert table.requires_evidence and table.order_by[0].text == "regimen"
    assert table.header_separators == ("|", "||", "||", "|")
    cell = table.rows[0].cells[1]
    assert cell.text == ">= 2"
    assert text[cell.span.start:cell.span.end] == ">= 2"
    assert (cell.span.line, cell.span.column) == (9, 13)


def test_empty_cell_has_the_span_of_the_blank_between_its_bars() -> None:
    text = HEADER + "table t\n  | a | b || o |\n  | 1 |   || 2 |\n"
    module, _ = parse(text)
    table = module.statements[1]
    assert isinstance(table, ast.TableDecl)
    empty = table.rows[0].cells[1]
    assert empty.test is None and text[empty.span.start:empty.span.end] == "   "


def test_text_spanning_lines_folds_white_space_and_decodes_escapes() -> None:
    note = only('note n on t.r: "the source\n      is \\"silent\\""\n')
    assert isinstance(note, ast.NoteDecl)
    assert note.text.value == 'the source is "silent"'
    assert note.targets[0].text == "t.r"


def test_example_with_empty_set_and_expectations() -> None:
    example = only("example e \"A patient\"\n  exposed: none\n  prior_lines: 3\n  expect t.o: a, b\n")
    assert isinstance(example, ast.ExampleDecl)
    assert example.givens[0].values == ()
    assert [v.name.text for v in example.expects[0].values] == ["a", "b"]  # type: ignore[union-attr]


def test_statements_are_cut_at_keywords_but_not_inside_indented_text() -> None:
    chunks = split_statements('note n: "line one\n  table is a word here"\ntable t\n')
    assert [c.keyword for c in chunks] == ["note", "table"]
    assert chunks[1].line_offset == 2


def test_an_unclosed_quote_stops_at_the_next_statement_at_the_margin() -> None:
    chunks = split_statements('note n: "never closed\ntable t\n')
    assert [c.keyword for c in chunks] == ["note", "table"]


# ---- syntax errors ------------------------------------------------------------------------------


def test_every_broken_statement_is_reported_and_the_rest_still_parses() -> None:
    module, problems = parse(
        HEADER
        + "input prior_lines integer 0..30\n"
        + 'input t11_14: yes/no "t(11;14)\n'
        + "input ok: yes/no\n"
        + "table t\n  | ok || o |\n  | yes || 3\n"
        + "enum e = a, $b\n"
    )
    assert problems == [
        "MD100@2:19 unexpected `integer`; expected `:`",
        "MD101@3:22 this quoted text is never closed",
        "MD100@7:13 this row does not end with `|`",
        "MD102@8:13 unexpected character `$`",
    ]
    names = [s.name.text for s in module.statements if isinstance(s, ast.InputDecl)]
    assert names == ["ok"]


def test_stray_text_outside_any_statement() -> None:
    _, problems = parse("hello there\n" + HEADER)
    assert problems == ["MD100@1:1 this line is not part of any statement"]


def test_a_statement_cut_short_names_its_form() -> None:
    _module, diagnostics = parse_module(Source("t.mmdsl", HEADER + "fact f =\n"))
    assert diagnostics[0].message == "this fact statement ends too early"
    assert diagnostics[0].help is not None and "fact NAME" in diagnostics[0].help


def test_a_statement_span_stops_at_its_last_word_not_at_the_next_statement() -> None:
    text = HEADER + "table t\n  | a || o |\n  | 1 || 2 |\n\n# about the example\nexample e \"x\"\n  a: 1\n"
    module, problems = parse(text)
    assert problems == []
    table = module.statements[1]
    assert text[table.span.start:table.span.end].endswith("| 1 || 2 |")
    assert (table.span.end_line, table.span.end_column) == (4, 13)


@pytest.mark.parametrize("text, expected", [
    pytest.param("input x:\n", "MD100@2:9 unexpected end of the line; expected `date`, "
                 "`decimal`, `evaluation`, `integer`, `one`, `set`, …",
                 id="a line that ends too early"),
    pytest.param('table t\n\n# the next statement\ninput x: yes/no "x"\n',
                 "MD100@2:8 unexpected end of the statement; expected `complete`, `distinct`, "
                 "`hit`, `order`, `output`, `requires`, …", id="a statement that ends too early"),
    pytest.param('table t "T"\n  hit first   # a comment\n\ninput x: yes/no "x"\n',
                 "MD100@3:12 unexpected end of the statement; expected `complete`, `distinct`, "
                 "`hit`, `order`, `output`, `requires`, …", id="before a comment"),
    pytest.param("stray\n", "MD100@2:1 unexpected word `stray`; expected the end of the statement",
                 id="a line more than a statement takes"),
])
def test_an_unexpected_end_is_named_in_plain_words_after_the_last_word(text: str,
                                                                        expected: str) -> None:
    """Not "unexpected the end of the line", nor Lark's `<end-of-file>`; and the end of a
    statement is the place after its last word, not the next statement after the comments."""
    assert parse(HEADER + text)[1] == [expected]


def test_no_message_about_an_unexpected_end_reads_wrong() -> None:
    """Every cut of every line of a fixture: the words Lark uses never reach a message."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "diagnostics"
    lines = {line for path in fixtures.glob("*.mmdsl")
             for line in path.read_bytes().decode("utf-8", "replace").split("\n")}
    seen = set()
    for line in sorted(lines):
        for cut in range(1, len(line) + 1):
            for problem in parse(HEADER + line[:cut] + "\n")[1]:
                seen.add(problem.split(" ", 1)[1])
    assert len(seen) > 50
    wrong = [m for m in seen
             if re.search(r"unexpected the |<|\$END|_NL|end of the file", re.sub("`[^`]*`", "", m))]
    assert wrong == []
