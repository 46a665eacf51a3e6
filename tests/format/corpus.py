"""Every table file of the repository: tables/, the test fixtures, and the whole-file examples of
docs/language.md; and generated guidelines that make sense (from the verification tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mmdsl.format.tokens import statement_atoms
from mmdsl.syntax.comments import find_comments
from mmdsl.syntax.parser import split_statements
from tests.docs.test_language_examples import is_whole_file, mmdsl_blocks
from tests.verify.randomtables import random_source

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "tables"


def repository_files() -> list[tuple[str, str]]:
    """(name, text) of every table file in the repository."""
    paths = sorted(TABLES.rglob("*.mmdsl")) + sorted((ROOT / "tests").rglob("*.mmdsl"))
    files = [(p.relative_to(ROOT).as_posix(), text) for p in paths
             if (text := _utf8(p.read_bytes())) is not None]
    files += [(f"docs/language.md:{line}", body) for line, body in mmdsl_blocks()
              if is_whole_file(body)]
    return files


def _utf8(data: bytes) -> str | None:
    """The text of a file, or None for the fixture that is not UTF-8 (no formatter reads it)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def generated_files(count: int = 40) -> list[tuple[str, str]]:
    return [(f"randomtables seed {seed}", random_source(seed)) for seed in range(count)]


def as_params(files: list[tuple[str, str]]) -> list[Any]:
    return [pytest.param(text, id=name) for name, text in files]


def comment_places(text: str) -> list[tuple[str, bool, int]]:
    """Each comment with whether it is alone on its line and how many words of the statements
    come before it (dividers and the `has` the formatter adds aside): the formatter keeps all
    three."""
    words = [atom.start for chunk in split_statements(text) for atom in statement_atoms(chunk)
             if atom.kind not in ("DIVIDER", "HAS")]
    return [(c.text, c.own_line, sum(start < c.start for start in words))
            for c in find_comments(text)]
