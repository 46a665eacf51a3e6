"""Characters that make text look different from what the compiler reads.

A bidirectional control can reorder what an editor shows (Trojan Source), an invisible
character can hide inside a word, and a Cyrillic `о` inside a Latin name looks like `o` but is
another name: a reviewer could approve a rule that does something else. Outside quoted text and
comments the parser already rejects such characters, so this check reads names, quoted text and
comments.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from mmdsl.check.context import CheckContext, walk
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.names import CodeName
from mmdsl.syntax import ast
from mmdsl.syntax.comments import characters_in_text_or_comment

EMITS: tuple[CodeName, ...] = ("suspicious-name",)
"""The codes this check reports (tests/check/test_check_codes.py holds it to that)."""

BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Letters that render as nothing (Hangul fillers): word characters, so the lexer accepts them.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Scripts whose letters look alike: mixing them in one name is how look-alike names are made.
CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"})


def check(context: CheckContext) -> Iterator[Diagnostic]:
    yield from hidden_characters(context)
    names = first_written(context)
    yield from look_alike_names(context, names)
    yield from compatibility_names(context, names)
    yield from confusable_names(context, names)


def first_written(context: CheckContext) -> dict[str, ast.Name]:
    """Each distinct name of the file where it is first written, in file order; none in a file
    of ASCII text, whose names can neither mix scripts, nor change under normalisation, nor look
    like one another (the three checks below): the walk over every node is then saved."""
    first: dict[str, ast.Name] = {}
    if context.source.text.isascii():
        return first
    for node in walk(context.module.statements):
        if isinstance(node, ast.Name):
            first.setdefault(node.text, node)
    return first


def hidden_characters(context: CheckContext) -> Iterator[Diagnostic]:
    for offset in hidden_offsets(context.source.text):
        char = context.source.text[offset]
        what = "a bidirectional control" if char in BIDI_CONTROLS else "an invisible character"
        yield context.report("suspicious-name", context.span_of(offset, offset + 1),
                             f"{what} (U+{ord(char):04X}) hides in this text",
                             "delete it: it can make the text display differently from what it says")


def hidden_offsets(text: str) -> Iterator[int]:
    """Offsets of invisible characters inside quoted text, comments and names."""
    if text.isascii():  # no invisible character is ASCII: most files end here
        return
    joined = emoji_joiners(text)
    for offset, char, inside in characters_in_text_or_comment(text):
        if is_invisible(char) and (inside or char in INVISIBLE_LETTERS) and offset not in joined:
            yield offset


# A well-formed emoji sequence holds invisible characters by design: a zero-width joiner between
# pictographs (man ZWJ woman ZWJ girl: a family; a white flag, VS16, ZWJ, a rainbow: the rainbow
# flag; a woman, a skin tone, ZWJ, the staff of Aesculapius: a health worker), tags after a black
# flag (the flag of Scotland). They display as one picture and hide nothing; a joiner or a tag
# anywhere else is still reported. Names stay strict: the lexer takes no joiner in a name.
_PICTOGRAPH = "[\u2190-\u2BFF\u3030\u303D\u3297\u3299\U0001F000-\U0001FAFF]"
_MODIFIED = f"{_PICTOGRAPH}[\uFE0F\U0001F3FB-\U0001F3FF]?\uFE0F?"
_EMOJI_SEQUENCE = re.compile(f"{_MODIFIED}(?:\u200D{_MODIFIED})+"
                             "|\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F")


def emoji_joiners(text: str) -> set[int]:
    """Offsets of the joiners and tags inside well-formed emoji sequences of `text`."""
    if "\u200d" not in text and "\U000e007f" not in text:
        return set()
    return {match.start() + index for match in _EMOJI_SEQUENCE.finditer(text)
            for index, char in enumerate(match.group()) if unicodedata.category(char) == "Cf"}


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in INVISIBLE_LETTERS


def look_alike_names(context: CheckContext, names: dict[str, ast.Name]) -> Iterator[Diagnostic]:
    """Each name that mixes confusable scripts, reported once, where it is first written."""
    for text, node in names.items():
        scripts = sorted(s.title() for s in scripts_of(text) & CONFUSABLE_SCRIPTS)
        if len(scripts) > 1:
            yield context.report("suspicious-name", node.span,
                                 f"`{text}` mixes {' and '.join(scripts)} letters",
                                 "retype the name with the letters of one script")


def scripts_of(name: str) -> set[str]:
    """The scripts of a name's letters, by the first word of their Unicode names."""
    if name.isascii():
        return {"LATIN"} if any(char.isalpha() for char in name) else set()
    return {unicodedata.name(char, "UNKNOWN").split(" ")[0] for char in name if char.isalpha()}


def compatibility_names(context: CheckContext, names: dict[str, ast.Name]) -> Iterator[Diagnostic]:
    """Names with compatibility characters (fullwidth `ＰＩ`, mathematical `𝐏𝐈`, the ligature `ﬁ`):
    they look like, but are not, the plain name that Unicode normalisation (NFKC) makes of them."""
    for text, node in names.items():
        plain = unicodedata.normalize("NFKC", text)
        if plain != text and not INVISIBLE_LETTERS & set(text):  # those are reported above
            yield context.report("suspicious-name", node.span,
                                 f"`{text}` is written with compatibility characters; "
                                 f"it looks like `{plain}`",
                                 f"retype it as `{plain}`, in plain letters and digits")


# Letters of other scripts that look like Latin ones (after Unicode's confusables, in part).
_LATIN_LOOK_ALIKES = str.maketrans(
    "АВЕЗІЈКМНОРСТУХЅҮԚԜаеіјосрхуѕԁԛԝһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορυχօսհ",
    "ABE3IJKMHOPCTYXSYQWaeijocpxysdqwhlABEZHIKMNOPTYXaikvopuxouh",
)


def confusable_names(context: CheckContext, names: dict[str, ast.Name]) -> Iterator[Diagnostic]:
    """Two different names that read the same (`PI` in Latin letters, `РІ` in Cyrillic ones):
    each one alone uses one script, but a reviewer cannot tell which of the two a cell means."""
    first: dict[str, str] = {}
    for text, node in names.items():
        if _reported_elsewhere(text):
            continue
        other = first.setdefault(text.translate(_LATIN_LOOK_ALIKES), text)
        if other != text:
            yield context.report("suspicious-name", node.span,
                                 f"`{text}` looks like `{other}` but is another name",
                                 "rename one of them so that the two read differently")


def _reported_elsewhere(name: str) -> bool:
    """Names that mix scripts or need normalising: the two checks above report them already."""
    mixed = len(scripts_of(name) & CONFUSABLE_SCRIPTS) > 1
    return mixed or unicodedata.normalize("NFKC", name) != name or bool(INVISIBLE_LETTERS & set(name))
