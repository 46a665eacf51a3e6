"""The seeds the fuzzers start from: every table file of the repository (tables/, the test
fixtures, the whole-file examples of docs/language.md) and generated guidelines."""

from __future__ import annotations

from functools import cache

from tests.format.corpus import repository_files
from tests.verify.randomtables import random_source


@cache
def seeds() -> tuple[str, ...]:
    """Every seed text, in a fixed order."""
    files = [text for _, text in repository_files()]
    files += [random_source(seed) for seed in range(20)]
    from tests.reliability.guidelines import random_guideline_text

    files += [random_guideline_text(seed) for seed in range(30)]
    return tuple(files)
