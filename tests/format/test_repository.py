"""The formatter on every table file of the repository and on generated guidelines: it changes
nothing the parser reads, formatting twice is formatting once, and comments stay where they were.
"""

from __future__ import annotations

import pytest

from mmdsl.format import format_source, format_text
from mmdsl.format.equivalence import first_difference, without_spans
from mmdsl.source import Source
from mmdsl.syntax.parser import parse_module
from tests.format.corpus import (
    TABLES,
    as_params,
    comment_places,
    generated_files,
    repository_files,
)

PARSEABLE = [(name, text) for name, text in repository_files()
             if not parse_module(Source(name, text))[1]]
CORPUS = as_params(PARSEABLE + generated_files())


def test_the_corpus_holds_the_guideline_the_fixtures_and_the_documentation() -> None:
    names = [name for name, _ in PARSEABLE]
    assert "tables/myeloma_post_daratumumab.mmdsl" in names
    assert sum(name.startswith("tests/fixtures/") for name in names) >= 6
    assert sum(name.startswith("docs/language.md:") for name in names) >= 8


@pytest.mark.parametrize("text", CORPUS)
def test_formatting_keeps_the_syntax_tree(text: str) -> None:
    before, _ = parse_module(Source("file.mmdsl", text))
    after, problems = parse_module(Source("file.mmdsl", format_text(text)))
    assert problems == []
    assert without_spans(after) == without_spans(before)
    assert first_difference(before, after) is None


@pytest.mark.parametrize("text", CORPUS)
def test_formatting_twice_is_formatting_once(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once


@pytest.mark.parametrize("text", CORPUS)
def test_comments_stay_where_they_were(text: str) -> None:
    assert comment_places(format_text(text)) == comment_places(text)


@pytest.mark.parametrize("path", sorted(TABLES.rglob("*.mmdsl")), ids=lambda p: p.name)
def test_the_guidelines_are_in_the_canonical_layout(path: object) -> None:
    source = Source.read(str(path))
    assert format_source(source).text == source.text, f"run `mmdsl fmt {path}`"


def test_a_file_with_syntax_errors_is_not_formatted() -> None:
    broken = [(name, text) for name, text in repository_files()
              if parse_module(Source(name, text))[1]]
    assert broken, "the fixtures hold a file with syntax errors"
    for name, text in broken:
        result = format_source(Source(name, text))
        assert result.text is None and result.diagnostics
