"""Finding comments without the parser: `#` inside quoted text is text, quotes inside comments are
comment, and the scan finds exactly the comments the parser's tokens swallow."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from mmdsl.source import Source
from mmdsl.syntax.comments import Comment, find_comments
from mmdsl.syntax.parser import lark_parser, parse_module, split_statements
from tests.format.corpus import as_params, repository_files
from tests.format.sources import table_files

TEXT = '''# file header
guideline g "a # inside text"   # after "text"
input x: yes/no "multi
    line # still text" # real
  # indented, alone
'''


def test_comments_are_found_outside_quoted_text() -> None:
    assert find_comments(TEXT) == [
        Comment("# file header", 1, 1, 0, own_line=True),
        Comment('# after "text"', 2, 33, TEXT.index('# after'), own_line=False),
        Comment("# real", 4, 24, TEXT.index("# real"), own_line=False),
        Comment("# indented, alone", 5, 3, TEXT.index("# indented"), own_line=True),
    ]


def test_an_escaped_quote_does_not_end_the_text() -> None:
    text = 'version "a \\" # b"  # c\n'
    assert [c.text for c in find_comments(text)] == ["# c"]


def test_a_quote_in_a_comment_does_not_start_text() -> None:
    text = 'version "1"  # "open\nreference 1 "x"  # two\n'
    assert [c.text for c in find_comments(text)] == ['# "open', "# two"]


def test_trailing_blanks_and_carriage_returns_are_not_part_of_a_comment() -> None:
    assert [c.text for c in find_comments('version "1" # a  \r\n')] == ["# a"]


def comments_in_tokens(text: str) -> list[int]:
    """Offsets of the comments inside the tokens the parser reads (they hold every comment)."""
    offsets = []
    for chunk in split_statements(text):
        interactive = lark_parser().parse_interactive(chunk.text + "\n")
        for token in interactive.iter_parse():
            if token.type in ("_NL", "EQ", "COMMA", "AND", "OR"):
                start = (token.start_pos or 0) + chunk.char_offset
                offsets += [start + m.start() for m in re.finditer(r"#", str(token))
                            if _starts_comment(str(token), m.start())]
    return offsets


def _starts_comment(token: str, index: int) -> bool:
    """A `#` in a line-break token starts a comment unless an earlier `#` on its line did."""
    line_start = token.rfind("\n", 0, index) + 1
    return "#" not in token[line_start:index]


@pytest.mark.parametrize("text", as_params([(n, t) for n, t in repository_files()
                                            if not parse_module(Source(n, t))[1]]))
def test_the_scan_agrees_with_the_parser_on_the_repository(text: str) -> None:
    assert [c.start for c in find_comments(text)] == comments_in_tokens(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table_files())
def test_the_scan_agrees_with_the_parser_on_random_files(text: str) -> None:
    assert [c.start for c in find_comments(text)] == comments_in_tokens(text)
