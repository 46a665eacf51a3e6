"""Characters that make text look different from what the compiler reads.

A bidirectional control can reorder what an editor shows (Trojan Source), an invisible
character can hide inside a word, and a Cyrillic `о` inside a Latin name looks like `o` but is
another name: a reviewer could approve a rule that does something else. Outside quoted text and
comments the parser already rejects such characters, so this check reads names, quoted text and
comments.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from mmdsl.check.context import CheckContext, walk
from mmdsl.diagnostics import Diagnostic
from mmdsl.syntax import ast

BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Letters that render as nothing (Hangul fillers): word characters, so the lexer accepts them.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Scripts whose letters look alike: mixing them in one name is how look-alike names are made.
CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"})


def check(context: CheckContext) -> Iterator[Diagnostic]:
    yield from hidden_characters(context)
    yield from look_alike_names(context)


def hidden_characters(context: CheckContext) -> Iterator[Diagnostic]:
    for offset in hidden_offsets(context.source.text):
        char = context.source.text[offset]
        what = "a bidirectional control" if char in BIDI_CONTROLS else "an invisible character"
        yield context.report("suspicious-name", context.span_of(offset, offset + 1),
                             f"{what} (U+{ord(char):04X}) hides in this text",
                             "delete it: it can make the text display differently from what it says")


def hidden_offsets(text: str) -> Iterator[int]:
    """Offsets of invisible characters inside quoted text, comments and names."""
    in_text = in_comment = escaped = False
    for offset, char in enumerate(text):
        if is_invisible(char) and (in_text or in_comment or char in INVISIBLE_LETTERS):
            yield offset
        if in_text:
            in_text, escaped = escaped or char != '"', not escaped and char == "\\"
        elif char == "\n":
            in_comment = False
        elif not in_comment:
            in_text, in_comment = char == '"', char == "#"


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in INVISIBLE_LETTERS


def look_alike_names(context: CheckContext) -> Iterator[Diagnostic]:
    """Each name that mixes confusable scripts, reported once, where it is first written."""
    reported: set[str] = set()
    for node in walk(context.module.statements):
        if isinstance(node, ast.Name) and node.text not in reported:
            scripts = sorted(s.title() for s in scripts_of(node.text) & CONFUSABLE_SCRIPTS)
            if len(scripts) > 1:
                reported.add(node.text)
                yield context.report("suspicious-name", node.span,
                                     f"`{node.text}` mixes {' and '.join(scripts)} letters",
                                     "retype the name with the letters of one script")


def scripts_of(name: str) -> set[str]:
    """The scripts of a name's letters, by the first word of their Unicode names."""
    return {unicodedata.name(char, "UNKNOWN").split(" ")[0] for char in name if char.isalpha()}
