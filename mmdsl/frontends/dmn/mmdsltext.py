"""Pieces of mmdsl source written from untrusted DMN text: quoted text and numbers.

Generated source is text that the mmdsl parser reads back, so every string from the DMN file goes
through `quote_exact` or `quote_loose` and can never end a quote, start a comment or a new line.
Quoted text in mmdsl decodes only `\\"` and `\\\\`, folds line breaks into spaces, and is refused
when it holds invisible or bidirectional characters (MD202): a value that a rule compares must
therefore be free of them, while a description may be cleaned.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def quote_exact(value: str) -> str | None:
    """`"value"` with quotes and backslashes escaped, or None when mmdsl would read it otherwise."""
    if any(_unrepresentable(char) for char in value):
        return None
    return _quoted(value)


def quote_loose(value: str) -> tuple[str, bool]:
    """`"value"` for a description: line breaks become spaces, hidden characters go; and whether
    anything had to change."""
    cleaned = "".join("\n" if char in _LINE_BREAKS else " " if char == "\t" else char
                      for char in value if not _hidden(char))
    cleaned = re.sub(r"\s*\n\s*", " ", cleaned)
    return _quoted(cleaned), cleaned != value


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unrepresentable(char: str) -> bool:
    return char in _LINE_BREAKS or char == "\t" or _hidden(char)


def _hidden(char: str) -> bool:
    """Control characters, and format characters such as bidirectional controls (Cf)."""
    return unicodedata.category(char) in ("Cc", "Cf") and char not in _LINE_BREAKS + "\t"


def number_text(value: Decimal) -> str:
    """A number as mmdsl writes it: `18`, `-2`, `0.5`, `64.32` (digits on both sides of a point).

    Numbers keep the digits they were written with, so `1.50` stays `1.50`; exponents (which FEEL
    does not have, but Decimal arithmetic may produce) are written out in full.
    """
    text = format(value, "f")
    if text.startswith("-0") and value == 0:
        text = text[1:]
    if "." in text:
        whole, fraction = text.split(".")
        text = f"{whole or '0'}.{fraction or '0'}"
    return text
