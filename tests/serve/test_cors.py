"""Cross-origin calls: refused unless `--allow-origin` names the caller (in-process app)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from mmdsl.serve.app import create_app
from tests.serve.conftest import MYELOMA, NAME

PREFLIGHT = {"Origin": "https://sandbox.cds-hooks.test", "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "content-type"}


def test_only_a_named_origin_may_call_the_services(tmp_path: Path) -> None:
    closed = TestClient(create_app([str(MYELOMA)], tmp_path / "f.jsonl"))
    opened = TestClient(create_app([str(MYELOMA)], tmp_path / "f.jsonl",
                                   allowed_origins=("https://sandbox.cds-hooks.test",)))
    refused = closed.options(f"/cds-services/{NAME}", headers=PREFLIGHT)
    assert "access-control-allow-origin" not in refused.headers
    answer = opened.options(f"/cds-services/{NAME}", headers=PREFLIGHT)
    assert answer.headers["access-control-allow-origin"] == "https://sandbox.cds-hooks.test"
    other = opened.options(f"/cds-services/{NAME}", headers={**PREFLIGHT, "Origin": "https://evil.test"})
    assert "access-control-allow-origin" not in other.headers
