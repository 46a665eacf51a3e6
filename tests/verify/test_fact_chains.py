"""A long chain of derived facts read by a table is encoded without recursing from fact to fact:
each fact after the ones it reads (a chain deeper than the interpreter's stack was an MD900)."""

from __future__ import annotations

from mmdsl.pipeline import compile_source
from mmdsl.source import Source


def chain(length: int) -> str:
    facts = ["fact f0 = x >= 5"] + [f"fact f{i} = f{i - 1} and x <= {9 - i % 3}" for i in range(1, length)]
    return ('guideline g "G"\ninput x: integer 0..10 "x"\n' + "\n".join(facts) + "\n"
            f"table t\n  output o: one of a, b\n  | f{length - 1} || o |\n  | yes || a |\n  | no || b |\n")


def test_a_chain_of_8000_facts_is_verified() -> None:
    diagnostics = compile_source(Source("chain.mmdsl", chain(8_000))).diagnostics
    assert [d.code for d in diagnostics] == []
