"""The clinical source a guideline declares (`source "…"`): read, hashed, split into passages, and
searched for the `quote` statements.

A quote must appear in the source word for word. Only white space is normalised: every run of
spaces, tabs and line breaks (in the quote and in the source) counts as one space, and white
space at either end of the quote is ignored. Letters, case, punctuation, symbols (≥, ±, curly
quotes) and reference numbers must match exactly; a quote may run over a line break.

A passage is one non-blank line of the source; a passage with no full stop, colon or reference
number at its end (a heading) is marked as such, so the review document can leave it out of the
statements that need a rule.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_SOURCE_SIZE = 2_000_000  # characters: a guideline's source is a few pages


@dataclass(frozen=True, slots=True)
class ClinicalText:
    """A declared source as read: its path as declared, its text and the SHA-256 of its bytes."""

    path: str
    text: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Passage:
    line: int  # 1-based line of the source
    text: str  # the line without surrounding white space
    heading: bool


def read_clinical_source(directory: Path, declared: str) -> ClinicalText | str:
    """The source at `declared` (relative to the table's folder), or why it cannot be used."""
    relative = PurePosixPath(declared)
    if not declared or relative.is_absolute() or ".." in relative.parts or "\\" in declared:
        return "the path must be relative to the table's folder and stay inside it"
    if "\0" in declared:  # the operating system's calls would raise ValueError, not OSError
        return "the path holds a NUL character, which no file name can hold"
    try:
        raw = (directory / relative).read_bytes()
    except OSError as error:
        return f"cannot read the file: {error.strerror or error}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"byte {error.start} is not UTF-8 text"
    if len(text) > MAX_SOURCE_SIZE:
        return f"the file is longer than {MAX_SOURCE_SIZE:,} characters"
    return ClinicalText(declared, text, hashlib.sha256(raw).hexdigest())


def passages(text: str) -> tuple[Passage, ...]:
    return tuple(Passage(number, line.strip(), _heading(line.strip()))
                 for number, line in enumerate(text.splitlines(), start=1) if line.strip())


_STATEMENT_END = re.compile(r"(?:[.:;!?]|\d)[\"'”’)]*$")


def _heading(line: str) -> bool:
    return _STATEMENT_END.search(line) is None


# ---- finding quotes ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Searchable:
    """The source with white space normalised, and the line each of its characters came from."""

    text: str
    starts: tuple[int, ...]  # offset in `text` where each word starts
    lines: tuple[int, ...]  # the source line of each word


def searchable(source: str) -> Searchable:
    words: list[str] = []
    starts: list[int] = []
    lines: list[int] = []
    offset = 0
    for number, line in enumerate(source.splitlines(), start=1):
        for word in line.split():
            words.append(word)
            starts.append(offset)
            lines.append(number)
            offset += len(word) + 1
    return Searchable(" ".join(words), tuple(starts), tuple(lines))


def normalised(text: str) -> str:
    return " ".join(text.split())


def found_lines(quote: str, source: Searchable) -> tuple[int, ...] | None:
    """The source lines the quote was found on (its first occurrence), or None."""
    wanted = normalised(quote)
    start = source.text.find(wanted) if wanted else -1
    if start < 0:
        return None
    first = bisect.bisect_right(source.starts, start) - 1
    last = bisect.bisect_right(source.starts, start + len(wanted) - 1) - 1
    return tuple(sorted(set(source.lines[first:last + 1])))


def nearest_passage(quote: str, source: str) -> Passage | None:
    """The passage most like the quote (a quote is usually part of one line)."""
    wanted = normalised(quote)
    best: tuple[float, Passage] | None = None
    for passage in passages(source):
        score = _likeness(wanted, normalised(passage.text))
        if best is None or score > best[0]:
            best = (score, passage)
    return best[1] if best else None


def _likeness(quote: str, line: str) -> float:
    """How much of the quote the line holds, in the longest blocks they share."""
    matcher = difflib.SequenceMatcher(None, quote, line, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks())
    return shared / max(len(quote), 1)
