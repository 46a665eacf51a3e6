"""DMN names to mmdsl names: deterministic, valid, unique, and readable where possible.

A DMN name may hold spaces, punctuation and any letter ("Approval Status", "Approved/Declined");
an mmdsl name is letters, digits and underscores with hyphens between its parts. A name that is
already a valid mmdsl name is kept as it is, so a model exported by mmdsl comes back with its own
names. Other names become ASCII: accents are dropped (é -> e), every other run of characters that
a name cannot hold becomes `_`; a name that starts with a digit gets an `n` in front, a word of the
language gets a `_` behind, and a name taken already in its namespace gets `_2`, `_3`, ...
The original name is kept by the caller as the description, so nothing a reader needs is lost.
"""

from __future__ import annotations

import re
import unicodedata

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*")

# Words with a fixed meaning in mmdsl (docs/language.md, "Words with a fixed meaning"), and two
# words that are read specially where names go: `rule` heads the rule-name column and `expect`
# starts an expectation. Statement and clause keywords (`note`, `first`, `count`, ...) are read as
# names wherever a name is expected.
RESERVED = frozenset({
    "yes", "no", "not", "and", "or", "is", "in", "has", "of", "any", "all", "none", "rule", "expect",
})


class Namespace:
    """The names given so far in one namespace (top-level names, a table's outputs, ...)."""

    def __init__(self, reserved: frozenset[str] = frozenset()) -> None:
        self.taken: set[str] = set(reserved)

    def claim(self, original: str, fallback: str) -> str:
        """A new, unique mmdsl name for `original`; `fallback` when nothing of it can be kept."""
        base = mmdsl_name(original) or fallback
        name, counter = base, 1
        while name in self.taken:
            counter += 1
            name = f"{base}_{counter}"
        self.taken.add(name)
        return name


def mmdsl_name(original: str) -> str:
    """The mmdsl form of one name, before making it unique; "" when no letter or digit is left."""
    if is_plain_name(original):
        return original
    ascii_text = "".join(c for c in unicodedata.normalize("NFKD", original)
                         if not unicodedata.combining(c))
    words = re.sub(r"[^A-Za-z0-9-]+", "_", ascii_text)
    words = re.sub(r"(?<![A-Za-z0-9])-|-(?![A-Za-z0-9])", "_", words)
    name = re.sub(r"_+", "_", words).strip("_")
    if not name:
        return ""
    if not name[0].isalpha():
        name = f"n{name}"
    return f"{name}_" if name in RESERVED else name


def is_plain_name(text: str) -> bool:
    """Whether `text` can be used as an mmdsl name unchanged."""
    return bool(NAME.fullmatch(text)) and text not in RESERVED
