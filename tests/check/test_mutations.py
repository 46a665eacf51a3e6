"""Mutation tests: break clean guidelines in small random ways and compile them.

The promise: `compile_source` never raises, and a file either has errors or lowers to an IR that
keeps every promise of `ir_invariants` (lowering runs only on error-free files and must never
fail there). Set MMDSL_MUTATIONS to run more examples (the default keeps the suite quick).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmdsl.diagnostics import Severity
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from tests.check.ir_invariants import ir_problems

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASES = {
    "sample": (FIXTURES / "check" / "sample.mmdsl").read_text(encoding="utf-8"),
    "small": (FIXTURES / "check" / "small.mmdsl").read_text(encoding="utf-8"),
}
WORD = re.compile(r"[^\W\d][\w]*(?:-[\w]+)*")
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\|\||[|,():=]|[^\s|,():="]+|\s+')
# Words that are not in the files but make good mistakes: other types, tests, hit policies.
EXTRA_TOKENS = [
    "yes", "no", "-", "3", "2.5", "-1", "40", "0..30", "5..3", "]1..3[", "has", "any", "all",
    "none", "of", "not", "in", "is", "and", "or", "rule", "evidence", "caveats", "collect", "sum",
    "count", "min", "priority", "output", "order", "first", "unique", "set", "one", "integer",
    "decimal", "text", "yes/no", "default", "includes", "by", "distinct", '"x"', "PI", "status",
    "daratumumab", "\u202e", "b\u043ertezomib", "||", "|", "", "\n", "  |", "expect", "R1",
]
# Cell contents that fit some columns and not others.
EXTRA_CELLS = [
    "has PI", "all of PI", "any of PI", "none of (bortezomib)", "not PI", ">= 2.5", "2.5", "yes",
    "no", '"x"', "5..3", "[3..3[", "-", "", "40", "not yes", "bortezomib", "has bortezomib",
    "ide-cel", "ide-cel, Sd", ">= 4", "KarMMa", "drug", "tcr", "3", "0", "has any of (Sd)",
]
EXPLORE = os.environ.get("MMDSL_MUTATIONS")  # set: more examples, new ones on every run
EXAMPLES = int(EXPLORE or "300")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    pieces = tokens(text)
    pool = sorted({t for t in pieces if not t.isspace()} | set(EXTRA_TOKENS))
    edits = [_replace, _replace_name, _delete, _insert, _line_edit, _replace_cell, _replace_cell]
    for _ in range(draw(st.integers(1, 3))):
        pieces = draw(st.sampled_from(edits))(draw, pieces, pool)
    return "".join(pieces)


def _replace_name(draw: st.DrawFn, pieces: list[str], pool: list[str]) -> list[str]:
    """A word for another word: usually still parses, so the checks must catch it."""
    words = [i for i, piece in enumerate(pieces) if WORD.fullmatch(piece)]
    index = draw(st.sampled_from(words))
    return [*pieces[:index], draw(st.sampled_from([p for p in pool if WORD.fullmatch(p)])),
            *pieces[index + 1:]]


def _replace_cell(draw: st.DrawFn, pieces: list[str], pool: list[str]) -> list[str]:
    """One cell of a table row for the content of another cell (of any column)."""
    lines = "".join(pieces).split("\n")
    rows = [i for i, line in enumerate(lines) if line.strip().startswith("|") and "---" not in line]
    index = draw(st.sampled_from(rows))
    cells = lines[index].split("|")
    contents = sorted({c.strip() for r in rows for c in lines[r].split("|")} | set(EXTRA_CELLS))
    position = draw(st.integers(1, max(1, len(cells) - 2)))
    cells[position] = f" {draw(st.sampled_from(contents))} "
    lines[index] = "|".join(cells)
    return tokens("\n".join(lines))


def _replace(draw: st.DrawFn, pieces: list[str], pool: list[str]) -> list[str]:
    index = draw(st.integers(0, len(pieces) - 1))
    return [*pieces[:index], draw(st.sampled_from(pool)), *pieces[index + 1:]]


def _delete(draw: st.DrawFn, pieces: list[str], pool: list[str]) -> list[str]:
    index = draw(st.integers(0, len(pieces) - 1))
    return pieces[:index] + pieces[index + 1:]


def _insert(draw: st.DrawFn, pieces: list[str], pool: list[str]) -> list[str]:
    index = draw(st.integers(0, len(pieces)))
    return [*pieces[:index], draw(st.sampled_from(pool)), " ", *pieces[index:]]


def _line_edit(draw: st.DrawFn, pieces: list[str], pool: list[str]) -> list[str]:
    """Delete, duplicate or swap whole lines (rows, statements, clauses)."""
    lines = "".join(pieces).split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    edit = draw(st.sampled_from(["delete", "duplicate", "swap"]))
    if edit == "delete":
        del lines[index]
    elif edit == "duplicate":
        lines.insert(index, lines[index])
    elif index + 1 < len(lines):
        lines[index], lines[index + 1] = lines[index + 1], lines[index]
    return tokens("\n".join(lines))


def assert_compiles_safely(text: str) -> None:
    compilation = compile_source(Source("mutant.mmdsl", text), verify=False)
    internal = [d for d in compilation.diagnostics if d.code == "MD900"]
    assert not internal, internal[0].message
    has_errors = any(d.severity is Severity.ERROR for d in compilation.diagnostics)
    assert has_errors or compilation.guideline is not None
    if compilation.guideline is not None:
        assert ir_problems(compilation.guideline) == []


@pytest.mark.parametrize("base", sorted(BASES))
def test_the_bases_are_clean(base: str) -> None:
    compilation = compile_source(Source(f"{base}.mmdsl", BASES[base]), verify=False)
    assert compilation.diagnostics == []
    assert compilation.guideline is not None
    assert ir_problems(compilation.guideline) == []


@pytest.mark.parametrize("base", sorted(BASES))
def test_mutants_have_errors_or_lower_to_a_sound_ir(base: str) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXPLORE is None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated(BASES[base]))
    def run(text: str) -> None:
        assert_compiles_safely(text)

    run()
