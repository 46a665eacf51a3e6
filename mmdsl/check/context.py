"""What every check reads: the source, its syntax tree and its symbol table."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from mmdsl.semantics.symbols import Symbols
from mmdsl.source import Source
from mmdsl.syntax import ast


@dataclass(frozen=True)
class CheckContext:
    source: Source
    module: ast.Module
    symbols: Symbols

    @property
    def path(self) -> str:
        return self.source.path


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """A `did you mean` help line naming the closest candidate, if one is close enough."""
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean `{matches[0]}`?" if matches else None
