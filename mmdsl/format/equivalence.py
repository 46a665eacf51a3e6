"""Whether two syntax trees say the same thing: equal once every source span is taken out."""

from __future__ import annotations

import dataclasses
from typing import Any

from mmdsl.source import Span


def without_spans(node: Any) -> Any:
    """A copy of a syntax tree (frozen dataclasses and tuples) with every span set to None."""
    if isinstance(node, Span):
        return None
    if isinstance(node, tuple):
        return tuple(without_spans(item) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: without_spans(getattr(node, f.name)) for f in dataclasses.fields(node)}
        return dataclasses.replace(node, **changes)
    return node


def first_difference(before: Any, after: Any, where: str = "file") -> str | None:
    """Where two trees differ once spans are taken out (`statement 3: rows: 2: text`), or None."""
    if isinstance(before, Span) and isinstance(after, Span):
        return None
    if type(before) is not type(after):
        return f"{where}: {type(before).__name__} became {type(after).__name__}"
    if isinstance(before, tuple):
        return _first_in_tuples(before, after, where)
    if dataclasses.is_dataclass(before) and not isinstance(before, type):
        return next((d for f in dataclasses.fields(before)
                     if (d := first_difference(getattr(before, f.name), getattr(after, f.name),
                                               f"{where}: {f.name}"))), None)
    return None if before == after else f"{where}: {before!r} became {after!r}"


def _first_in_tuples(before: tuple[Any, ...], after: tuple[Any, ...], where: str) -> str | None:
    if len(before) != len(after):
        return f"{where}: {len(before)} items became {len(after)}"
    return next((d for i, (b, a) in enumerate(zip(before, after, strict=True))
                 if (d := first_difference(b, a, f"{where}: {i + 1}"))), None)
