"""`mmdsl import` reads a hostile file in time linear in its size (issue 14, item 4).

Each dimension of `tests.reliability.dmn_growth` grows a file 4x; the import's CPU time may grow
about 5x (a linear import measures 4 to 4.5x here, the quadratic one it replaced 10x and more).
The sizes keep the whole module near 6 s of CPU time.
"""

from __future__ import annotations

import pytest

from mmdsl.frontends.dmn import feel
from tests.dmn.support import codes, imported, problems
from tests.reliability.dmn_growth import DIMENSIONS, FLAG, Dimension, _model, growth

ABOUT_FIVE = 5.5  # 4x the file, at most about 5x the time; 16x for a quadratic import


@pytest.mark.parametrize("dimension", DIMENSIONS, ids=[d.name for d in DIMENSIONS])
def test_the_import_grows_linearly_along(dimension: Dimension) -> None:
    measured = growth(dimension)
    for _ in range(2):  # CPU time still feels other processes (caches): measure again, up to
        if measured.ratio <= ABOUT_FIVE:  # twice; a quadratic import is past 10x every time
            break
        measured = growth(dimension)
    assert not [p for p in measured.problems if p.startswith("internal")], measured.problems
    assert measured.ratio <= ABOUT_FIVE, (
        f"{measured.small_bytes:,} bytes in {measured.small_seconds:.3f} s, "
        f"{measured.big_bytes:,} bytes in {measured.big_seconds:.3f} s")


def literal(text: str) -> bytes:
    return _model(FLAG + '<decision id="d" name="d"><variable name="d" typeRef="boolean"/>'
                  f"<literalExpression><text>{text}</text></literalExpression></decision>")


@pytest.mark.parametrize("opening", ["(", "not("])
def test_brackets_nested_deeper_than_mmdsl_reads_are_refused_clearly(opening: str) -> None:
    result = imported(literal(opening * 400 + "a" + ")" * 400))
    assert codes(result) == ["MD703"], problems(result)
    assert f"more than {feel.MAX_NESTING} levels deep" in problems(result)


def test_brackets_as_deep_as_mmdsl_reads_are_translated() -> None:
    result = imported(literal("(" * 20 + "a" + ")" * 20))
    assert result.ok, problems(result)


@pytest.mark.parametrize("encoding", ["x-unknown", "UTF-7", "big5"])
def test_an_encoding_that_cannot_be_read_is_refused_clearly(encoding: str) -> None:
    data = literal("a").replace(b'encoding="UTF-8"', f'encoding="{encoding}"'.encode())
    result = imported(data)
    assert codes(result) == ["MD700"], problems(result)
    assert f"the encoding `{encoding}`" in problems(result)


def test_a_name_with_spaces_wins_over_the_word_it_starts_with() -> None:
    """The name index must read `Risk level` as one name, not `Risk` then `level`."""
    tokens = feel.tokenize("Risk level and Risk", feel.NameIndex(["Risk", "Risk level"]))
    assert [t.text for t in tokens] == ["Risk level", "and", "Risk", ""]
