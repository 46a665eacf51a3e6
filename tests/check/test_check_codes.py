"""Diagnostic codes stated in code: `CodeName` (mmdsl/diagnostics/names.py) is exactly the
registry, and each check module declares in `EMITS` the codes it reports.

A check's codes are found two ways: statically (every code name written in the module's source,
and the cell codes of `CELL_CODES` when the module uses it) and by running it (every fixture and
every shipped table, with each check wrapped to record what it yields).
"""

from __future__ import annotations

import ast
import inspect
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import get_args

import pytest

from mmdsl.check import registry
from mmdsl.check.context import Check, CheckContext
from mmdsl.check.values import CELL_CODES, TEST_CODES
from mmdsl.diagnostics import Diagnostic
from mmdsl.diagnostics.codes import BY_NAME, CODES
from mmdsl.diagnostics.docs import all_codes
from mmdsl.diagnostics.names import CodeName
from mmdsl.pipeline import compile_path

ROOT = Path(__file__).parent.parent.parent
CHECK_MODULES = [inspect.getmodule(check) for check in registry.CHECKS]
SOURCES = sorted((ROOT / "tests" / "fixtures").rglob("*.mmdsl")) + sorted((ROOT / "tables").glob("*.mmdsl"))


def test_the_code_name_type_is_the_registry() -> None:
    registered = {name for code in all_codes() for name in (code.code, code.name)}
    assert set(get_args(CodeName)) == registered


def _module_name(module: ModuleType | None) -> str:
    assert module is not None
    return module.__name__.rsplit(".", 1)[-1]


@pytest.mark.parametrize("module", CHECK_MODULES, ids=_module_name)
def test_every_check_declares_registered_codes(module: ModuleType) -> None:
    emits = getattr(module, "EMITS", None)
    assert emits, f"{module.__name__} declares no EMITS: which codes does it report?"
    assert all(name in BY_NAME for name in emits), emits
    assert len(set(emits)) == len(emits), emits


def written_codes(module: ModuleType) -> set[str]:
    """The codes a module's source names (by name or `MDxxx`), and the cell codes if it uses them."""
    tree = ast.parse(inspect.getsource(module))
    names = {node.value for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and (node.value in BY_NAME or node.value in CODES)}
    named = {BY_NAME[n].name if n in BY_NAME else CODES[n].name for n in names}
    if any(isinstance(node, ast.Name) and node.id == "CELL_CODES" for node in ast.walk(tree)):
        named |= set(CELL_CODES.values())
    if any(isinstance(node, ast.Name) and node.id == "TEST_CODES" for node in ast.walk(tree)):
        named |= set(TEST_CODES.values())
    return named


@pytest.mark.parametrize("module", CHECK_MODULES, ids=_module_name)
def test_every_code_a_check_names_is_declared(module: ModuleType) -> None:
    assert written_codes(module) <= set(module.EMITS)


def test_every_code_a_check_reports_is_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    reported: dict[str, set[str]] = defaultdict(set)

    def recording(check: Check) -> Check:
        def run(context: CheckContext) -> Iterator[Diagnostic]:
            for diagnostic in check(context):
                reported[check.__module__].add(CODES[diagnostic.code].name)
                yield diagnostic
        return run

    monkeypatch.setattr(registry, "CHECKS", [recording(check) for check in registry.CHECKS])
    for source in SOURCES:
        compile_path(source, source.name)
    assert len(reported) >= 15  # the fixtures reach nearly every check
    for module in CHECK_MODULES:
        assert module is not None
        assert reported[module.__name__] <= set(module.EMITS), module.__name__
