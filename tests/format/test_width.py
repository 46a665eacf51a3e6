"""Display width: what lines table columns up on screen."""

from __future__ import annotations

import pytest

from mmdsl.format.width import display_width, pad


@pytest.mark.parametrize(("text", "width"), [
    ("abc", 3),
    ("≥ 4", 3),  # ambiguous width: one column outside East Asian fonts
    ("剂量", 4),  # wide
    ("ＡＢ", 4),  # full-width
    ("café", 4),  # é as one code point
    ("cafe\u0301", 4),  # e + a combining acute accent
    ("a\u200db", 2),  # a zero-width joiner
    ("", 0),
])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_pad_fills_up_to_the_screen_width() -> None:
    assert pad("剂", 4) == "剂  "
    assert pad("cafe\u0301", 5) == "cafe\u0301 "
    assert pad("toolong", 3) == "toolong"
