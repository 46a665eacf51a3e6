"""Pieces of mmdsl source written from untrusted DMN text: quoted text and numbers.

Generated source is text that the mmdsl parser reads back, so every string from the DMN file goes
through `quote_exact` or `quote_loose` and can never end a quote, start a comment or a new line.
Quoted text in mmdsl decodes only `\\"` and `\\\\`, folds line breaks into spaces, and is refused
when it holds control characters (MD110) or invisible or bidirectional ones (MD202): a value that
a rule compares must therefore be free of them, while a description may be cleaned.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mmdsl.check.control_characters import CONTROL
from mmdsl.check.suspicious_names import is_invisible

_LINE_BREAKS = "\n\r"  # the line breaks of a file: quoted text folds them (and the spaces around)
_CONTROL_BREAKS = "\x0b\x0c\x1c\x1d\x1e"  # refused (MD110), but meant as line breaks in a description


def quote_exact(value: str) -> str | None:
    """`"value"` with quotes and backslashes escaped, or None when mmdsl would read it otherwise."""
    if any(_unrepresentable(char) for char in value):
        return None
    return _quoted(value)


def quote_loose(value: str) -> tuple[str, bool]:
    """`"value"` for a description: line breaks become spaces, refused characters go; and whether
    anything had to change."""
    cleaned = "".join("\n" if char in _LINE_BREAKS + _CONTROL_BREAKS else char
                      for char in value if char in _CONTROL_BREAKS or not _refused(char))
    cleaned = re.sub(r"\s*\n\s*", " ", cleaned)
    return _quoted(cleaned), cleaned != value


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unrepresentable(char: str) -> bool:
    return char == "\n" or _refused(char)  # a lone CR stays (`\s*\n\s*` folds CR LF only)


def _refused(char: str) -> bool:
    """What check refuses in quoted text: control characters (MD110) and invisible or
    bidirectional ones (MD202). Everything else (a tab, U+0085, U+2028, DEL, the C1 controls)
    quoted text holds exactly, so an exported table imports back unchanged (before, they were
    MD706 in values: tests/reliability/backend_text.py found it)."""
    return CONTROL.match(char) is not None or is_invisible(char)


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
