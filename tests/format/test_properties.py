"""Property tests on random table files in random layouts (see `sources`).

One test checks every property on each file, so that each random file is made once: the file
parses; formatting keeps its syntax tree and its comments; formatting twice is formatting once;
and `format_source`, which proves each result before handing it out, accepts its own output.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from mmdsl.format import format_source, format_text
from mmdsl.format.equivalence import first_difference, without_spans
from mmdsl.source import Source
from mmdsl.syntax.parser import parse_module
from tests.format.corpus import comment_places
from tests.format.sources import table_files


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table_files())
def test_formatting_random_files(text: str) -> None:
    before, problems = parse_module(Source("random.mmdsl", text))
    assert problems == [], [p.message for p in problems]  # the generator writes valid files

    formatted = format_text(text)
    after, problems = parse_module(Source("random.mmdsl", formatted))
    assert problems == [], [p.message for p in problems]
    assert without_spans(after) == without_spans(before)
    assert first_difference(before, after) is None

    assert comment_places(formatted) == comment_places(text)
    assert format_text(formatted) == formatted
    assert format_source(Source("random.mmdsl", text)).text == formatted
