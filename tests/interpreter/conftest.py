"""Every semantics test runs twice: through the interpreter and through the generated module."""

from __future__ import annotations

import pytest

from mmdsl.interpreter import evaluate as interpret
from tests.backend.support import Evaluate, ModuleEvaluator


@pytest.fixture(scope="session")
def module_evaluator(tmp_path_factory: pytest.TempPathFactory) -> ModuleEvaluator:
    return ModuleEvaluator(tmp_path_factory.mktemp("generated"))


@pytest.fixture(params=["interpreter", "module"])
def evaluate(request: pytest.FixtureRequest, module_evaluator: ModuleEvaluator) -> Evaluate:
    return interpret if request.param == "interpreter" else module_evaluator
