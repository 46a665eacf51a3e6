"""Printers for the statements that are not tables: words spaced alike, line breaks kept.

Every declaration prints the same way (`atom_lines`); conditions (in `fact` and `scope`)
also spell set tests in full: `refractory any of PI` becomes `refractory has any of PI`, the
form the language reference teaches. Nothing else is added, removed or reordered.
"""

from __future__ import annotations

from collections.abc import Sequence

from mmdsl.format.layout import CodeLine, atom_lines
from mmdsl.format.tokens import Atom


def declaration_lines(atoms: Sequence[Atom], text: str) -> list[CodeLine]:
    return atom_lines(atoms)


def condition_lines(atoms: Sequence[Atom], text: str) -> list[CodeLine]:
    return atom_lines(with_has(atoms))


def with_has(atoms: Sequence[Atom]) -> list[Atom]:
    """`has` before every `any of`, `none of`, `all of` that lacks it."""
    result: list[Atom] = []
    for atom in atoms:
        if atom.kind == "QUANTIFIER" and (not result or result[-1].kind != "HAS"):
            result.append(Atom("HAS", "has", atom.line, atom.line, atom.start, atom.start, False))
        result.append(atom)
    return result
