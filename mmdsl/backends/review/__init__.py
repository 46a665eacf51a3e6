"""Review documents: the guideline as a hematologist reads and signs it off, in Markdown and HTML.

    render_markdown(guideline, example_results, uncovered, fallbacks) -> str
    render_html(guideline, example_results, uncovered, fallbacks) -> str
    write_review_documents(guideline, out_dir) -> [<name>.md, <name>.html]

Python builds the view model (`review_build`); the templates in `mmdsl/templates/` only loop and
print. Every string a table's author wrote is hostile as far as the documents go: the HTML
environment autoescapes everything, and the Markdown environment escapes every printed value
(`finalize`) except what its `code` and `fenced` filters have already made safe as code. The
bytes depend on the guideline and the results only: no time, no machine, no randomness.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from mmdsl.backends.review.build import build_review
from mmdsl.backends.review.view import ReviewDocument, UncoveredCase
from mmdsl.backends.templates import template_environment
from mmdsl.ir.model import IRGuideline
from mmdsl.verify.coverage import FallbackCoverage
from mmdsl.writing import write_atomically

if TYPE_CHECKING:
    from mmdsl.examples import ExampleOutcome
    from mmdsl.verify.result import Verification


def render_markdown(guideline: IRGuideline, example_results: Sequence[ExampleOutcome] | None,
                    uncovered: Sequence[UncoveredCase] | None = None,
                    fallbacks: Sequence[FallbackCoverage] | None = None,
                    verification: Verification | None = None) -> str:
    """The review document as Markdown (GitHub-flavoured: tables, fenced code)."""
    document = build_review(guideline, example_results, uncovered, fallbacks, verification)
    return _markdown_environment().get_template("review.md.j2").render(doc=document)


def render_html(guideline: IRGuideline, example_results: Sequence[ExampleOutcome] | None,
                uncovered: Sequence[UncoveredCase] | None = None,
                fallbacks: Sequence[FallbackCoverage] | None = None,
                verification: Verification | None = None) -> str:
    """The review document as one self-contained HTML file: inline CSS, no script, no network."""
    document = build_review(guideline, example_results, uncovered, fallbacks, verification)
    return render_html_document(document)


def render_markdown_document(document: ReviewDocument) -> str:
    return _markdown_environment().get_template("review.md.j2").render(doc=document)


def render_html_document(document: ReviewDocument) -> str:
    return _html_environment().get_template("review.html.j2").render(doc=document)


def write_review_documents(guideline: IRGuideline, out_dir: str | Path, *,
                           example_results: Sequence[ExampleOutcome] | None = None,
                           uncovered: Sequence[UncoveredCase] | None = None,
                           fallbacks: Sequence[FallbackCoverage] | None = None) -> list[Path]:
    """Write `<name>.md` and `<name>.html` (name: the table file's stem), each in one step.

    The worked examples are run here unless their results are given. `uncovered` (the verifier's
    gap findings) and `fallbacks` (`review_coverage.fallback_coverage`) fill the last section.
    """
    if example_results is None:
        example_results = run_examples(guideline)
    stem = Path(guideline.source_path).stem or guideline.name
    written = [(Path(out_dir) / f"{stem}.md",
                render_markdown(guideline, example_results, uncovered, fallbacks)),
               (Path(out_dir) / f"{stem}.html",
                render_html(guideline, example_results, uncovered, fallbacks))]
    for path, text in written:
        write_atomically(path, text)
    return [path for path, _ in written]


def run_examples(guideline: IRGuideline) -> list[ExampleOutcome]:
    from mmdsl.examples import check_example  # the interpreter loads only when examples run

    return [check_example(guideline, example) for example in guideline.examples]


# ---- the two template environments ----------------------------------------------------------


@cache
def _html_environment() -> jinja2.Environment:
    return template_environment("mmdsl.backends.review", autoescape=True)


@cache
def _markdown_environment() -> jinja2.Environment:
    environment = template_environment("mmdsl.backends.review", finalize=markdown_text)
    environment.filters["code"] = markdown_code
    environment.filters["fenced"] = markdown_fenced
    return environment


# ---- Markdown escaping ------------------------------------------------------------------------


class MarkdownCode(str):
    """Text already made safe for Markdown (a code span or block): `finalize` leaves it alone."""

    __slots__ = ()


# ASCII punctuation that Markdown (CommonMark, GFM tables) may read as syntax; `_` only at a word's
# edge, where it can start or end emphasis (inside `t11_14` it cannot, and escaping it there only
# makes the raw file harder to read).
_MARKDOWN_SYNTAX = re.compile(r"[\\`*\[\]<>|#~&!{}]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# At the start of a line: a list marker (`- `, `+ `, `1. `) or a setext/thematic rule (`===`, `---`).
_LINE_START_SYNTAX = re.compile(r"^(\s*)(?:([-+=])|(\d{1,9})([.)])(?=\s|$))")


def markdown_text(value: object) -> object:
    """Any printed value as literal text: no emphasis, link, HTML or table cell break in it."""
    if isinstance(value, MarkdownCode | Markup) or not isinstance(value, str):
        return value  # made safe already: a code span, or a separator of the template (`between`)
    text = " ".join(value.split())  # a line break inside a value would end a table row or list item
    text = _MARKDOWN_SYNTAX.sub(lambda m: "\\" + m.group(), text)
    return _LINE_START_SYNTAX.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark, number, closer = match.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{number}\\{closer}"


def markdown_code(value: object) -> MarkdownCode:
    """An inline code span that no backtick in the text can end (not for table cells: a `|` would
    split the cell)."""
    text = " ".join(str(value).split())
    fence = "`" * (_longest_run(text, "`") + 1)
    padding = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return MarkdownCode(f"{fence}{padding}{text}{padding}{fence}")


def markdown_fenced(value: object, info: str = "text") -> MarkdownCode:
    """A fenced code block, its fence longer than any run of backticks in the text."""
    text = str(value)
    fence = "`" * max(3, _longest_run(text, "`") + 1)
    return MarkdownCode(f"{fence}{info}\n{text}\n{fence}")


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)
