"""Every string a table's author wrote reaches the documents as inert text.

The fixture `hostile.mmdsl` puts markup, template syntax and quotes in every kind of authored
string (titles, descriptions, labels, evidence, caveats, notes, quotes, examples, and a comment
inside a table, which the written table shows).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mmdsl.backends.review import markdown_code, markdown_fenced, markdown_text, render_html, render_markdown
from tests.review.support import HOSTILE, compiled

TEMPLATES = Path(__file__).resolve().parents[2] / "mmdsl" / "backends" / "review" / "templates"
SAFE_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "nav", "section", "h1", "h2",
             "h3", "h4", "p", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "pre",
             "code", "span", "small", "strong", "div", "br", "main", "col", "colgroup", "dl", "dt", "dd"}


class Tags(HTMLParser):
    """Every element and attribute of a page, to compare with what the template writes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def hostile_html() -> str:
    return render_html(compiled(HOSTILE), None)


def test_no_authored_string_becomes_an_element() -> None:
    parser = Tags()
    parser.feed(hostile_html())
    assert {tag for tag, _ in parser.tags} <= SAFE_TAGS


def test_no_authored_string_becomes_an_attribute_or_link() -> None:
    parser = Tags()
    parser.feed(hostile_html())
    attributes = [(name, value or "") for _, attrs in parser.tags for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert all(value.startswith("#") for name, value in attributes if name in ("href", "src"))


def test_markup_quotes_and_template_syntax_are_printed_as_text() -> None:
    html = hostile_html()
    assert "<script" not in html.lower() and "</script" not in html.lower()
    assert ("Title &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &#34;quoted&#34; &#39;single&#39; "
            "&amp; more") in html
    assert "49" not in html.split("<body>")[1].split("Source SHA-256")[0]  # {{ 7*7 }} was not evaluated
    assert "<td>table &lt;title&gt;x&lt;/title&gt;</td>" not in html  # the title is not a cell
    assert "<h3>table &lt;title&gt;x&lt;/title&gt;</h3>" in html  # the summary's heading, escaped
    assert "quote &lt;a href=&#34;javascript:alert(1)&#34;&gt;click&lt;/a&gt;" in html
    assert "fact {{ config }}" in html


def test_templates_never_mark_a_value_safe() -> None:
    for template in TEMPLATES.glob("review.*.j2"):
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text


def test_markdown_escapes_markup_and_keeps_code_intact() -> None:
    text = render_markdown(compiled(HOSTILE), None)
    assert "# Title \\<script\\>alert(1)\\</script\\> \\{\\{ 7\\*7 \\}\\}" in text
    before_code = text.split("# Appendix D.")[0]
    assert not re.search(r"(?<!\\)<", before_code)  # every < outside code is escaped
    assert "- quote `q1` on t.r1, t.r2: quote \\<a href=\"javascript:alert(1)\"\\>click\\</a\\>" in text
    assert "\n| r1 | yes | \\- | a1 | E1 | c1 |\n" in text  # the table as written, cell by cell


@pytest.mark.parametrize(("authored", "shown"), [
    ("a | b", "a \\| b"),
    ("<b>x</b>", "\\<b\\>x\\</b\\>"),
    ("*x* _y_ t11_14", "\\*x\\* \\_y\\_ t11_14"),
    ("[a](b)", "\\[a\\](b)"),
    ("- item", "\\- item"),
    ("1. item", "1\\. item"),
    ("1.0.0", "1.0.0"),
    ("# title", "\\# title"),
    ("line\nbreak", "line break"),
    ("a & b", "a \\& b"),
])
def test_markdown_text(authored: str, shown: str) -> None:
    assert markdown_text(authored) == shown


def test_markdown_code_spans_outlast_backticks() -> None:
    assert markdown_code("a `b` c") == "``a `b` c``"
    assert markdown_code("`edge`") == "`` `edge` ``"
    assert markdown_fenced("x\n```\ny") == "````text\nx\n```\ny\n````"
    assert markdown_text(markdown_code("<x>")) == "`<x>`"  # already safe: finalize leaves it
