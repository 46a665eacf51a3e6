"""The canonical layout, case by case: what `mmdsl fmt` does to a file, and what it leaves alone."""

from __future__ import annotations

import pytest

from mmdsl.format import FormatterBug, format_source, format_text
from mmdsl.format.width import display_width
from mmdsl.source import Source

HEAD = 'guideline g "G"\n'


def fmt(body: str) -> str:
    return format_text(HEAD + body)[len(HEAD):]


def bar_columns(line: str) -> list[int]:
    """The screen columns of the bars of a row (wide characters count twice)."""
    return [display_width(line[:i]) for i, char in enumerate(line) if char == "|"]


# ---- tables ---------------------------------------------------------------------------------


def test_columns_are_padded_to_the_widest_cell() -> None:
    assert fmt("table t\n  |a|bb||o|\n  |---|---||---|\n  | >= 4 |-||x|\n") == (
        "table t\n"
        "  | a    | bb || o |\n"
        "  |------|----||---|\n"
        "  | >= 4 | -  || x |\n")


def test_wide_and_combining_characters_line_up_on_screen() -> None:
    body = ('table t\n  | 剂量 | café | x || o |\n'
            '  | ≥ 4 | "e\u0301" | "全角" || yes |\n'
            '  | - | - | - || no |\n')
    rows = fmt(body).splitlines()[1:]
    assert len({tuple(bar_columns(row)) for row in rows}) == 1, "\n".join(rows)
    assert rows[2] == '  | ≥ 4  | "é"  | "全角" || yes |'.replace("é", "e\u0301")


def test_the_divider_is_drawn_again_to_fit_and_added_when_missing() -> None:
    with_divider = fmt("table t\n  | long_heading || o |\n  |:---:||---|\n  | - || x |\n")
    without = fmt("table t\n  | long_heading || o |\n  | - || x |\n")
    assert with_divider == without == (
        "table t\n  | long_heading || o |\n  |--------------||---|\n  | -            || x |\n")


def test_cells_keep_their_text_as_written() -> None:
    """A cell is quoted in the trace of every decision; only the blanks around it change."""
    assert fmt("table t\n  | n || o |\n  |  >=4   || not(a,b) |\n").splitlines()[3:] == [
        "  | >=4 || not(a,b) |"]


def test_a_row_with_multi_line_text_is_kept_as_written() -> None:
    body = 'table t\n  | n || o |\n  | "a\n   b" || x |\n  | - || y |\n'
    assert fmt(body) == ('table t\n  | n || o |\n  |---||---|\n  | "a\n   b" || x |\n'
                         '  | - || y |\n')


def test_headings_lose_their_inner_blanks_and_rows_keep_their_bars() -> None:
    assert fmt("table t\n  | a . b | c || d |\n  | x || y | z |\n") == (
        "table t\n  | a.b | c || d |\n  |-----|---||---|\n  | x   || y | z |\n")


# ---- declarations -------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "formatted"), [
    ("input x :integer 0 .. 30 unit  \"u\"   \"d\"", 'input x: integer 0..30 unit "u" "d"'),
    ("enum e \"d\"=a \"α\",b,  c", 'enum e "d" = a "α", b, c'),
    ("class c of e=a,b", "class c of e = a, b"),
    ("fact f = t . o in ( a , b ) and not(x)", "fact f = t.o in (a, b) and not (x)"),
    ("fact f = n in [ 1 .. 2 [ or n>=-1.5", "fact f = n in [1..2[ or n >= -1.5"),
    ("fact f = n ≥ 4", "fact f = n ≥ 4"),
    ("note n on t.r1,t.r2 :\"x\"", 'note n on t.r1, t.r2: "x"'),
    ("caveat c \"x\"   refs 1,2", 'caveat c "x" refs 1, 2'),
    ("input s: set of drug includes r default none", "input s: set of drug includes r default none"),
])
def test_words_are_spaced_alike(written: str, formatted: str) -> None:
    assert fmt(written + "\n") == formatted + "\n"


def test_conditions_spell_set_tests_with_has_and_cells_do_not_change() -> None:
    assert fmt("fact f = s any of PI and s none of (a, b)\n") == (
        "fact f = s has any of PI and s has none of (a, b)\n")
    assert fmt("table t\n  | s || o |\n  | any of PI || x |\n").endswith("| any of PI || x |\n")


def test_own_lines_are_indented_two_and_continued_lines_four() -> None:
    written = ("evidence E \"e\"\nrefs 1,\n2\n      finding \"f\"\n"
               "fact f \"d\" =\na\n        and b\nexample x \"d\"\n a: 1\n   expect t: none\n")
    assert fmt(written) == ('evidence E "e"\n  refs 1,\n    2\n  finding "f"\n'
                            'fact f "d" =\n    a\n    and b\nexample x "d"\n  a: 1\n'
                            "  expect t: none\n")


def test_line_breaks_around_and_and_or_stay_where_they_were() -> None:
    assert fmt("fact f = a and\n b\n  or c\n") == "fact f = a and\n    b\n    or c\n"


# ---- quoted text ---------------------------------------------------------------------------------


def test_quoted_text_keeps_its_line_breaks_and_words() -> None:
    written = 'reference 1 "first line   \n  second  line\n\n          third"\n'
    assert fmt(written) == 'reference 1 "first line\n    second  line\n\n    third"\n'


def test_a_backslash_before_a_line_break_keeps_a_blank_after_it() -> None:
    """Without the blank, the backslash would escape the line break and the text never close."""
    assert fmt('version "a \\   \n   b"\n') == 'version "a \\ \n    b"\n'


# ---- comments and blank lines ----------------------------------------------------------------------


def test_comments_stay_on_their_line_or_before_their_line() -> None:
    written = ("table t  # the table\n"
               "      hit first\n"
               "   # before the header\n"
               "  | a || o |   # header\n"
               "# before the first row (the divider is added above it)\n"
               "  | - || x |# a row\n"
               "    # at the end\n"
               "input x: yes/no\n")
    assert fmt(written) == ("table t  # the table\n"
                            "  hit first\n"
                            "  # before the header\n"
                            "  | a || o |  # header\n"
                            "  |---||---|\n"
                            "  # before the first row (the divider is added above it)\n"
                            "  | - || x |  # a row\n"
                            "# at the end\n"
                            "input x: yes/no\n")


def test_comments_at_the_ends_of_consecutive_lines_line_up() -> None:
    written = "input a: yes/no # one\ninput long_name: yes/no # two\ninput b: yes/no\n"
    assert fmt(written) == ("input a: yes/no          # one\n"
                            "input long_name: yes/no  # two\n"
                            "input b: yes/no\n")


def test_comments_inside_a_continued_condition_stay_inside() -> None:
    written = "fact f =   # why\n  a   # first\n# second\n  or b\n"
    assert fmt(written) == "fact f =  # why\n    a  # first\n    # second\n    or b\n"


def test_blank_lines_are_kept_once_and_the_file_ends_with_one_line_break() -> None:
    assert format_text("\n\n# top\n\n\n" + HEAD + "\n\n\nversion \"1\"\n\n\n") == (
        "# top\n\n" + HEAD + "\nversion \"1\"\n")


def test_windows_line_ends_become_unix_ones() -> None:
    assert format_text(HEAD.replace("\n", "\r\n") + 'version "a\r\n  b"\r\n') == (
        HEAD + 'version "a\n    b"\n')


def test_a_file_of_comments_only_keeps_them() -> None:
    assert format_text("  # only\n\n# comments\n") == "# only\n\n# comments\n"
    assert format_text("") == ""


# ---- the guard --------------------------------------------------------------------------------------


def test_a_file_with_syntax_errors_is_not_formatted() -> None:
    result = format_source(Source("bad.mmdsl", HEAD + "input x yes/no\n"))
    assert result.text is None
    assert [d.code for d in result.diagnostics] == ["MD100"]


def test_a_layout_that_would_change_the_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The formatter proves each result reads the same; a printer bug can never reach a file."""
    import mmdsl.format as formatting

    monkeypatch.setattr(formatting, "format_text", lambda text: text.replace("yes/no", "text"))
    with pytest.raises(FormatterBug, match="file: statements: 2: type: BoolType became TextType"):
        format_source(Source("x.mmdsl", HEAD + "input x: yes/no\n"))


def test_a_printer_that_fails_leaves_the_file_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    import mmdsl.format as formatting

    def broken(text: str) -> str:
        raise IndexError("list index out of range")

    monkeypatch.setattr(formatting, "format_text", broken)
    with pytest.raises(FormatterBug, match="failed: IndexError: list index out of range"):
        format_source(Source("x.mmdsl", HEAD))
