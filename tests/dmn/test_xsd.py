"""Every DMN file mmdsl exports is valid against the DMN 1.5 XSD of the TCK (vendored in
tests/fixtures/dmn-tck/schema), read from the local files only: xmlschema is told to open nothing outside that
folder, so a reference to a remote schema would fail rather than be fetched."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache

import pytest
import xmlschema

from mmdsl.backends.dmn.writer import export_dmn
from tests.dmn.tck import tck_folder
from tests.dmn.test_round_trip import compiled, guidelines

SCHEMA = tck_folder() / "schema" / "DMN15.xsd"


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA), allow="sandbox", defuse="always",
                               base_url=str(SCHEMA.parent))


def errors(document: str | bytes) -> list[str]:
    """The schema's complaints; the document is handed over as a parsed tree, so the validator
    has no reason to open any file or address itself."""
    tree = xmlschema.XMLResource(ET.fromstring(document), allow="none")
    return [f"{e.path}: {e.reason}" for e in schema().iter_errors(tree)]


@pytest.mark.parametrize("path, text", guidelines())
def test_exports_are_valid_dmn_1_5(path: str, text: str) -> None:
    exported = export_dmn(compiled(path, text))
    assert errors(exported.text) == []


def test_the_tck_models_are_valid_so_the_validator_reads_dmn() -> None:
    level_2 = tck_folder() / "compliance-level-2"
    models = sorted(level_2.glob("*/*.dmn"))
    assert len(models) == len([folder for folder in level_2.iterdir() if folder.is_dir()])
    for model in models:
        assert errors(model.read_bytes()) == [], model.name


def test_the_validator_refuses_an_invalid_model() -> None:
    """Without an output clause a decision table is not DMN; the XSD says so."""
    text = (tck_folder() / "compliance-level-2" / "0004-simpletable-U"
            / "0004-simpletable-U.dmn").read_text(encoding="utf-8")
    root = ET.fromstring(text)
    namespace = "{https://www.omg.org/spec/DMN/20230324/MODEL/}"
    table = root.find(f".//{namespace}decisionTable")
    assert table is not None
    for output in table.findall(f"{namespace}output"):
        table.remove(output)
    assert errors(ET.tostring(root, encoding="unicode")) != []


def test_dmn_reading_and_writing_need_only_the_standard_library() -> None:
    """The runtime stays lark, jinja2 and click: neither direction loads an XML package."""
    code = ("import sys, mmdsl.frontends.dmn.importer, mmdsl.backends.dmn.writer, mmdsl.commands.dmn; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('xmlschema', 'lxml', 'defusedxml', 'elementpath')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"
