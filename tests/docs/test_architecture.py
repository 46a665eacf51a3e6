"""docs/architecture.md lists the layers that `lint-imports` enforces, in the same order, and
every top-level module of mmdsl sits in one of them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def contract_layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    return [{name.strip() for name in re.split(r"[|:]", layer)} for layer in contract["layers"]]


def documented_layers() -> list[set[str]]:
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    rows = re.findall(r"^\| (\d+) \| (.+?) \| .* \|$", text, re.M)
    assert [int(number) for number, _ in rows] == list(range(1, len(rows) + 1))
    return [set(re.findall(r"`([a-z_]+)`", modules)) for _, modules in rows]


def test_the_document_lists_the_enforced_layers_in_order() -> None:
    assert documented_layers() == contract_layers()


def test_every_top_level_module_has_a_layer() -> None:
    placed = set().union(*contract_layers())
    package = ROOT / "mmdsl"
    top = {path.stem for path in package.glob("*.py") if path.stem not in ("__init__", "__main__")}
    top |= {path.parent.name for path in package.glob("*/__init__.py")}
    unplaced = top - placed
    assert not unplaced, (f"{sorted(unplaced)}: add them to the `layers` contract in "
                          "pyproject.toml and to the table of docs/architecture.md")
