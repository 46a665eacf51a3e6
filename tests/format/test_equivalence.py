"""The yardstick of the formatter: syntax trees compared with their spans taken out."""

from __future__ import annotations

import pytest

from mmdsl.format.equivalence import first_difference, without_spans
from mmdsl.source import Source, Span
from mmdsl.syntax import ast
from mmdsl.syntax.parser import parse_module

TEXT = '''guideline g "G"
input n: integer 0..9
fact f = n >= 4
table t
  | n || o |
  | >= 4 || x |
'''


def tree(text: str) -> ast.Module:
    module, problems = parse_module(Source("x.mmdsl", text))
    assert problems == []
    return module


def spans(node: object) -> list[object]:
    if isinstance(node, Span):
        return [node]
    if isinstance(node, tuple):
        return [s for item in node for s in spans(item)]
    fields = getattr(node, "__dataclass_fields__", {})
    return [s for name in fields for s in spans(getattr(node, name))]


def test_spans_are_taken_out_everywhere() -> None:
    module = tree(TEXT)
    assert spans(module) and spans(without_spans(module)) == []


def test_the_same_file_laid_out_differently_is_the_same_tree() -> None:
    moved = "\n\n" + TEXT.replace(">= 4 |", ">= 4    |").replace("n >= 4", "n  >=  4")
    assert without_spans(tree(moved)) == without_spans(tree(TEXT))
    assert first_difference(tree(TEXT), tree(moved)) is None


@pytest.mark.parametrize(("old", "new", "where"), [
    ("| >= 4 |", "| >=4 |", "statements: 4: rows: 1: cells: 1: text: '>= 4' became '>=4'"),
    ("n >= 4\n", "n > 4\n", "statements: 3: expr: test: op: '>=' became '>'"),
    ("0..9", "0..9.0", "statements: 2: type: high: value: int became Decimal"),
    ("|| x |", "| x |", "statements: 4: rows: 1: separators: 1: '||' became '|'"),
    ("table t\n", 'table t "T"\n', "statements: 4: title: NoneType became Text"),
])
def test_every_difference_is_found_and_named(old: str, new: str, where: str) -> None:
    """(Equality alone takes 9 and 9.0 for the same number: the tests ask both.)"""
    changed = tree(TEXT.replace(old, new))
    assert without_spans(changed) != without_spans(tree(TEXT)) or "Decimal" in where
    assert first_difference(tree(TEXT), changed) == f"file: {where}"
