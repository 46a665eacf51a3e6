"""Walkers over the AST that several stages share (the checks and the lowerer): they live in the
syntax layer, so that a check never imports a later stage to read a cell."""

from __future__ import annotations

from mmdsl.syntax import ast


def names_in_cell(cell: ast.Cell | None) -> list[ast.Name]:
    """The names listed in an annotation cell (`-` or empty lists none)."""
    if cell is None or cell.test is None:
        return []
    tests = cell.test.tests if isinstance(cell.test, ast.OneOfTest) else (cell.test,)
    return [t.value.name for t in tests
            if isinstance(t, ast.ValueTest) and isinstance(t.value, ast.NameValue)]
