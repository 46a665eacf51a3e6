"""How wide text looks in a fixed-width font, so that table columns line up on screen.

A character takes two columns when Unicode calls it wide or full-width (CJK), none when it is a
combining mark or an invisible format character (an accent written as a separate code point, a
zero-width joiner), and one otherwise; symbols such as `≥` are one column wide.
"""

from __future__ import annotations

import unicodedata
from functools import cache


def display_width(text: str) -> int:
    """The number of terminal columns `text` takes."""
    return sum(_char_width(char) for char in text)


def pad(text: str, width: int) -> str:
    """`text` followed by enough spaces to take `width` columns."""
    return text + " " * max(0, width - display_width(text))


@cache
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
