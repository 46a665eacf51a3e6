from __future__ import annotations

import pytest

from tests.schema.support import Modules


@pytest.fixture(scope="session")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Modules:
    return Modules(tmp_path_factory.mktemp("schema_modules"))
