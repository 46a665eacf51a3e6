"""Compiling fixture tables, and evaluating facts both ways: interpreter and generated module."""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from mmdsl.backends.python import render_module
from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir.model import IRGuideline
from mmdsl.pipeline import compile_source
from mmdsl.runtime.prelude import decision_json
from mmdsl.source import Source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "backend"
_names = itertools.count()

Evaluate = Callable[[IRGuideline, object], dict[str, Any]]


def compile_file(path: Path) -> IRGuideline:
    # a path relative to the repository, so that generated headers name no machine
    return compile_text(path.read_text("utf-8"), path.relative_to(ROOT).as_posix())


def compile_text(text: str, path: str = "memory.mmdsl") -> IRGuideline:
    # Not verified: the fixtures overlap on purpose, to test conflicts at run time.
    compilation = compile_source(Source(path, text), verify=False)
    assert compilation.guideline is not None, [d.message for d in compilation.diagnostics]
    return compilation.guideline


def load_module(path: Path) -> ModuleType:
    """Import a module by file path, under a fresh name each time."""
    spec = importlib.util.spec_from_file_location(f"generated_{next(_names)}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_module(guideline: IRGuideline, folder: Path) -> Path:
    path = folder / f"{guideline.name}.py"
    path.write_text(render_module(guideline), "utf-8")
    return path


class ModuleEvaluator:
    """Evaluates through the module generated for each guideline (generated once per guideline)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # by id, holding the guideline too so that its id cannot be reused by another one
        self.modules: dict[int, tuple[IRGuideline, ModuleType]] = {}

    def module(self, guideline: IRGuideline) -> ModuleType:
        key = id(guideline)
        if key not in self.modules:
            folder = self.folder / f"m{len(self.modules)}"
            folder.mkdir()
            self.modules[key] = (guideline, load_module(write_module(guideline, folder)))
        return self.modules[key][1]

    def __call__(self, guideline: IRGuideline, facts: object) -> dict[str, Any]:
        result: dict[str, Any] = self.module(guideline).evaluate(facts)
        return result


def both_json(guideline: IRGuideline, module: ModuleType, facts: object) -> tuple[str, str]:
    """The decision JSON from the interpreter and from the generated module."""
    return (decision_json(interpret(guideline, facts)), decision_json(module.evaluate(facts)))
