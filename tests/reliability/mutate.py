"""Mutations of table sources: the mistakes, accidents and attacks a compiler meets.

Each mutation takes the text and a `random.Random` (or Hypothesis's `st.randoms()`, so that the
property tests shrink) and returns new text, or bytes for the mutations that break the UTF-8
encoding itself. `mutant` applies one to four of them to a seed from the corpus.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
Mutation = Callable[[str, random.Random], str]

TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\|\||[|,():=\[\]]|[^\s|,():="\[\]]+|\s+')
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
WORD = re.compile(r"[^\W\d][\w]*(?:-[\w]+)*")

# Characters that have broken compilers: controls, line and paragraph separators, byte-order
# marks, bidirectional controls, invisible and combining marks, look-alike letters and digits,
# wide characters, and the characters of the language itself.
SPECIAL_CHARACTERS = (
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b", "\x1c", "\x7f", "\x85",
    "\u00a0", "\u00ad", "\u034f", "\u061c", "\u115f", "\u180e", "\u200b", "\u200c", "\u200d",
    "\u200e", "\u200f", "\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2060", "\u2066", "\u2067", "\u2068", "\u2069", "\u3164", "\ufeff", "\ufe0f", "\ufffd",
    "\U000e0041", "\u0301", "\u0430", "\u0435", "\u043e", "\u0440", "\u0441", "\u0391", "\u039f",
    "\u09ea", "\u0966", "\u0663", "\uff11", "\U0001d7cf", "\u2460", "\u00b2", "\u2153",
    "\uff21", "\ufb01", "\u1e9e", "\u0130", "\u212a", "剂", "\U0001f600", "\U0010ffff",
    "\"", "\\", "|", "||", "#", "-", ",", "=", ":", "(", ")", "[", "]", ".", "..", "\n", "\t",
    " ", "≥", "≤", "≠", "'", "`", "{{", "}}", "{%", "%}", "<", ">", "&",
)
KEYWORDS = (
    "guideline", "version", "reference", "evidence", "caveat", "enum", "class", "input", "fact",
    "scope", "table", "example", "note", "quote", "hit", "output", "order by", "distinct by",
    "complete", "requires evidence", "refs", "design", "population", "finding", "expect",
    "yes", "no", "not", "and", "or", "is", "in", "has", "any of", "all of", "none of", "-",
    "yes/no", "integer", "decimal", "text", "one of", "set of", "default", "includes", "unit",
    "collect", "sum", "min", "max", "count", "first", "unique", "priority", "rule order",
    "output order", "none", "status", "ok", "out_of_scope",
)


def huge_number(rng: random.Random) -> str:
    """A number no table needs: thousands of digits, many decimals, or just past a float."""
    kind = rng.randrange(7)
    sign = "-" if rng.random() < 0.3 else ""
    if kind == 0:
        return sign + "9" * rng.choice([16, 20, 309, 400, 4301, 5000, 20000])
    if kind == 1:
        return sign + "1" + "0" * rng.choice([15, 16, 308, 309, 400]) + ".5"
    if kind == 2:
        return sign + "0." + "0" * rng.choice([15, 300, 330, 400]) + "1"
    if kind == 3:
        return sign + str(rng.choice([2**53, 2**53 + 1, 2**63, 2**64, 10**15, 10**15 - 1]))
    if kind == 4:
        return sign + "1." + "".join(rng.choice("0123456789") for _ in range(rng.randint(15, 40)))
    if kind == 5:
        return sign + "0" * rng.randint(1, 50) + str(rng.randint(0, 99))
    return sign + str(rng.randint(-10**6, 10**6))


# ---- text mutations -----------------------------------------------------------------------------


def truncate(text: str, rng: random.Random) -> str:
    return text[:rng.randint(0, len(text))]


def delete_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    start = rng.randrange(len(lines))
    return "\n".join(lines[:start] + lines[start + rng.randint(1, 4):])


def duplicate_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    start = rng.randrange(len(lines))
    block = lines[start:start + rng.randint(1, 3)]
    at = rng.randrange(len(lines) + 1) if rng.random() < 0.5 else start
    return "\n".join(lines[:at] + block * rng.randint(1, 3) + lines[at:])


def swap_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _row_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.lstrip().startswith("|")]


def edit_cell(text: str, rng: random.Random) -> str:
    """Delete, duplicate, empty or swap in another cell of some row (header and divider too)."""
    lines = text.split("\n")
    rows = _row_lines(lines)
    if not rows:
        return insert_token(text, rng)
    index = rng.choice(rows)
    cells = lines[index].split("|")
    position = rng.randrange(len(cells))
    action = rng.randrange(4)
    if action == 0:
        del cells[position]
    elif action == 1:
        cells.insert(position, cells[position])
    elif action == 2:
        cells[position] = rng.choice(["", " ", "  -  "])
    else:
        other = lines[rng.choice(rows)].split("|")
        cells[position] = rng.choice(other)
    lines[index] = "|".join(cells)
    return "\n".join(lines)


def replace_token(text: str, rng: random.Random) -> str:
    """A word or symbol for another one of the same file or of the language."""
    pieces = TOKEN.findall(text)
    solid = [i for i, piece in enumerate(pieces) if not piece.isspace()]
    if not solid:
        return insert_token(text, rng)
    pool = [p for p in pieces if not p.isspace()] + list(KEYWORDS)
    pieces[rng.choice(solid)] = rng.choice(pool)
    return "".join(pieces)


def delete_token(text: str, rng: random.Random) -> str:
    pieces = TOKEN.findall(text)
    if not pieces:
        return text
    del pieces[rng.randrange(len(pieces))]
    return "".join(pieces)


def insert_token(text: str, rng: random.Random) -> str:
    at = rng.randint(0, len(text))
    token = rng.choice(KEYWORDS + SPECIAL_CHARACTERS)
    return text[:at] + token + text[at:]


def insert_character(text: str, rng: random.Random) -> str:
    """A special character, or any code point (surrogates aside: files hold UTF-8)."""
    at = rng.randint(0, len(text))
    if rng.random() < 0.6:
        char = rng.choice(SPECIAL_CHARACTERS)
    else:
        code = rng.randrange(0x110000)
        char = chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return text[:at] + char * rng.choice([1, 1, 1, 2, 50]) + text[at:]


def replace_number(text: str, rng: random.Random) -> str:
    numbers = list(NUMBER.finditer(text))
    if not numbers:
        return insert_token(text, rng)
    match = rng.choice(numbers)
    return text[:match.start()] + huge_number(rng) + text[match.end():]


def nest(text: str, rng: random.Random) -> str:
    """A condition or a cell wrapped in many `not`, `not (…)` or brackets."""
    depth = rng.choice([2, 10, 30, 60, 100, 200, 1000, 5000])
    opening, closing = rng.choice([("not ", ""), ("not (", ")"), ("(", ")"), ("(a and ", ")"),
                                   ("(x or not ", ")")])
    places = [m.end() for m in re.finditer(r"=\s*|\|\s+(?=[^|\s-])", text)]
    if not places:
        return text + "\nfact deep = " + opening * depth + "x" + closing * depth + "\n"
    at = rng.choice(places)
    end = at + len(re.match(r"[^\n|]*?(?=\s*(\||$|\n))", text[at:]).group())  # type: ignore[union-attr]
    return text[:at] + opening * depth + text[at:end] + closing * depth + text[end:]


def splice(text: str, rng: random.Random, other: str) -> str:
    """Lines of another table file, in the middle of this one."""
    theirs = other.split("\n")
    start = rng.randrange(len(theirs))
    block = theirs[start:start + rng.randint(1, 12)]
    lines = text.split("\n")
    at = rng.randint(0, len(lines))
    return "\n".join(lines[:at] + block + lines[at:])


def indent(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    index = rng.randrange(len(lines))
    lines[index] = (lines[index].lstrip() if lines[index][:1].isspace()
                    else rng.choice(["  ", "\t", "    "]) + lines[index])
    return "\n".join(lines)


def line_endings(text: str, rng: random.Random) -> str:
    return text.replace("\n", rng.choice(["\r\n", "\r", "\n\n", "\u2028", "\x85", "\x0c\n"]))


# Names a Python module or a template could trip over, and names in other scripts.
HOSTILE_NAMES = (
    "class", "import", "__import__", "evaluate", "None", "True", "False", "self", "values",
    "TABLE_1", "table_1", "read_facts", "InputError", "sys", "json", "Any", "print", "exec",
    "eval", "__builtins__", "__name__", "lambda", "def", "return", "yield", "async", "await",
    "nonlocal", "del", "pass", "_", "__", "x-y", "剂量", "Ωmega", "café", "ĳ", "script", "id",
    "NULL", "SELECT", "endif", "endfor", "loop", "caller", "self_", "INPUTS", "decide_first",
)
# Text that must stay text: quotes, escapes, template and markup syntax, scripts, controls.
HOSTILE_TEXTS = (
    '""" \'\'\' \\', "{{ 7*7 }}", "{% for x in y %}{% endfor %}", "{# c #}",
    "</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
    "]]>", "<!--", "-->", "'; DROP TABLE x; --", "\\n\\x00\\u202e", "${x}", "%s %d", "{0}",
    "`code` *em* _u_ [l](http://x)", "| pipe || two |", "# not a comment", "\t tab",
    "a\u2028b", "e\u0301", "\U0001f600", "&amp; &lt;", "\\", "\x00\x1b[31m", "\r\n",
)


def rename(text: str, rng: random.Random) -> str:
    """One declared word renamed everywhere it stands as a word: usually still a valid file."""
    words = sorted({w for w in WORD.findall(text) if w not in KEYWORDS and len(w) > 1})
    if not words:
        return text
    old, new = rng.choice(words), rng.choice(HOSTILE_NAMES)
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?!\w)", new, text)


def quoted(payload: str) -> str:
    """Text as an mmdsl quoted string: backslashes and quotes escaped."""
    return '"' + payload.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_text(text: str, rng: random.Random) -> str:
    """One quoted text replaced by a hostile one, escaped as the language wants."""
    strings = list(re.finditer(r'"(?:[^"\\\n]|\\.)*"', text))
    if not strings:
        return text
    match = rng.choice(strings)
    return text[:match.start()] + quoted(rng.choice(HOSTILE_TEXTS)) + text[match.end():]


GENTLE_MUTATIONS: tuple[Mutation, ...] = (rename, hostile_text,
                                                                       swap_lines)

TEXT_MUTATIONS: tuple[Mutation, ...] = (
    truncate, delete_lines, duplicate_lines, swap_lines, edit_cell, edit_cell, replace_token,
    replace_token, delete_token, insert_token, insert_character, insert_character,
    replace_number, nest, indent, line_endings,
)


# ---- byte mutations -----------------------------------------------------------------------------


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    """A few bits flipped or bytes replaced: often no longer UTF-8."""
    raw = bytearray(data or b"\n")
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(raw))
        raw[position] = (raw[position] ^ (1 << rng.randrange(8)) if rng.random() < 0.5
                         else rng.randrange(256))
    return bytes(raw)


# ---- putting them together ----------------------------------------------------------------------


def excerpt(text: str, rng: random.Random, statements: int = 14) -> str:
    """The first line and a run of lines of a long file: a small file with its flavour."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line[:1].isalpha()]
    if len(starts) <= statements:
        return text
    first = rng.randrange(1, len(starts) - statements + 1)
    end = starts[first + statements] if first + statements < len(starts) else len(lines)
    return "\n".join(lines[:starts[1]] + lines[starts[first]:end])


def mutant(seeds: list[str], rng: random.Random, *, long_seeds: bool = False) -> str | bytes:
    """One to four mutations of a seed; one time in twenty the bytes break too."""
    text = rng.choice(seeds)
    if len(text) > 3000 and not long_seeds:  # the parser takes about 3 µs a character
        text = excerpt(text, rng, statements=rng.randint(3, 10))
    if rng.random() < 0.3:  # small changes that keep most files valid: the back ends run too
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            text = rng.choice(GENTLE_MUTATIONS)(text, rng)
        return text
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
        if rng.random() < 0.06:
            text = splice(text, rng, rng.choice(seeds))
        else:
            text = rng.choice(TEXT_MUTATIONS)(text, rng)
    if rng.random() < 0.05:
        return flip_bytes(text.encode("utf-8"), rng)
    return text
