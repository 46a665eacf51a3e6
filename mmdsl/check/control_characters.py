"""Control characters in quoted text and comments (U+0000-U+0008, U+000B, U+000C,
U+000E-U+001F, U+FFFE, U+FFFF).

They are invisible in every editor and review document, so a reviewer cannot see them, and they
have no clinical meaning; XML 1.0 cannot carry them at all (not even as `&#1;`), so a DMN export
holding one is a file no parser reads. Outside quotes the lexer already refuses them (MD102);
this check refuses them where the lexer lets them through, so that no back end ever meets one.
Tab, line feed and carriage return are white space and stay allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mmdsl.check.context import CheckContext
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax.comments import characters_in_text_or_comment

EMITS: tuple[CodeName, ...] = ("control-character",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""The characters XML 1.0 cannot carry (besides lone surrogates, which UTF-8 text never holds)."""

NAMES = {0: "NUL", 7: "BEL", 8: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
         0x1B: "escape", 0xFFFE: "a noncharacter", 0xFFFF: "a noncharacter"}
"""The names people know some of them by, for the message."""


def check(context: CheckContext) -> Iterator[Diagnostic]:
    text = context.source.text
    if CONTROL.search(text) is None:  # almost every file ends here
        return
    for offset in control_offsets(text):
        char = text[offset]
        name = NAMES.get(ord(char))
        what = f"U+{ord(char):04X}, {name}" if name else f"U+{ord(char):04X}"
        yield context.report(
            "control-character", context.span_of(offset, offset + 1),
            f"a control character ({what}) is in this text",
            "delete it: it is invisible, has no meaning in a table and cannot be exported "
            "(DMN's XML cannot hold it); write a space or a line break instead")


def control_offsets(text: str) -> Iterator[int]:
    """Offsets of control characters inside quoted text and comments (one pass over the file,
    with the lexer's view of where text and comments begin and end)."""
    for offset, char, inside in characters_in_text_or_comment(text):
        if inside and CONTROL.match(char):
            yield offset
