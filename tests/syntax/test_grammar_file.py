"""The grammar lives in grammar/mmdsl.lark; the package reads its copy, mmdsl/mmdsl.lark (package data,
so that an installed mmdsl finds it). The two must never drift apart."""

from __future__ import annotations

from pathlib import Path

from mmdsl.syntax.parser import grammar_text

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_reads_the_grammar_of_the_repository() -> None:
    assert grammar_text() == (ROOT / "grammar" / "mmdsl.lark").read_text(encoding="utf-8")
