"""A table file edited while `mmdsl serve` runs is served as it now is, from the next request."""

from __future__ import annotations

import json
import os
import shutil

import mmdsl
from tests.serve.conftest import MYELOMA, NAME, ROOT, Server

PATIENT = json.loads((ROOT / "examples" / "patient.json").read_text("utf-8"))


def rewrite(path: os.PathLike[str], text: str) -> None:
    """Replace the file whole, as an editor saves it, with a change time that surely differs."""
    before = os.stat(path).st_mtime_ns
    temporary = f"{path}.new"
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_an_edited_file_is_reloaded_and_one_with_errors_is_not_served(server: Server) -> None:
    table = server.tables / MYELOMA.name
    text = table.read_text("utf-8")
    version = mmdsl.load(MYELOMA).ir.version
    with server.client() as client:
        assert client.post(f"/guidelines/{NAME}/decisions", json=PATIENT).json()["version"] == version
        rewrite(table, text.replace(f'version "{version}"', 'version "9.9.9"', 1))
        assert client.post(f"/guidelines/{NAME}/decisions", json=PATIENT).json()["version"] == "9.9.9"

        rewrite(table, text.replace("hit collect", "hit colect", 1))
        refused = client.post(f"/guidelines/{NAME}/decisions", json=PATIENT)
        assert refused.status_code == 503 and "colect" in refused.json()["diagnostics"]
        page = client.get(f"/guidelines/{NAME}")
        assert page.status_code == 503 and "colect" in page.text
        assert client.get("/cds-services").json() == {"services": []}
        assert client.get("/health").json()["guidelines"] == {NAME: "errors"}

        rewrite(table, text)
        assert client.post(f"/guidelines/{NAME}/decisions", json=PATIENT).json()["version"] == version


def test_a_new_file_is_found(server: Server) -> None:
    shutil.copy(MYELOMA, server.tables / "copy_of_myeloma.mmdsl")
    with server.client() as client:
        assert set(client.get("/health").json()["guidelines"]) == {NAME, "copy_of_myeloma"}
        assert client.get("/guidelines/copy_of_myeloma").status_code == 200
        services = client.get("/cds-services").json()["services"]
        assert [s["id"] for s in services] == ["copy_of_myeloma", NAME]  # served by the file's name
    log = server.log.read_text("utf-8")
    assert "copy_of_myeloma: loaded" in log and f"{NAME}: has errors: not served" in log
