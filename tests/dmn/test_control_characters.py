"""Control characters in authored text (issue 14, item 3): XML 1.0 cannot carry them, so a DMN
export holding one was a file no parser reads (exit 0). `check` refuses them (MD110) in quoted
text and comments, and the DMN writer refuses to write one should it ever get there."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.check import control_characters, registry
from mmdsl.cli import main
from mmdsl.pipeline import compile_source
from mmdsl.source import Source

CONTROLS = [*map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]), "\ufffe", "\uffff"]
TABLE = """guideline x "{text}"
input a: integer 0..3 "a {text}"
table t "t {text}"
  hit first
  output o: text
  | a || o |
  | - || "{text}" |
"""


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_check_refuses_each_control_character(char: str) -> None:
    compilation = compile_source(Source("ctl.mmdsl", TABLE.format(text=f"t{char}")), verify=False)
    codes = [d.code for d in compilation.diagnostics]
    assert codes.count("MD110") == 4 and compilation.guideline is None, codes


def test_a_control_character_in_a_comment_is_refused() -> None:
    compilation = compile_source(Source("c.mmdsl", "# one\x07\n" + TABLE.format(text="t")))
    assert [d.code for d in compilation.diagnostics] == ["MD110"]


@pytest.mark.parametrize("allowed", ["\t", "\x7f", "\u0085", "\ufffd"])
def test_white_space_and_what_xml_carries_are_allowed(allowed: str) -> None:
    compilation = compile_source(Source("ok.mmdsl", TABLE.format(text=f"t{allowed}")))
    assert "MD110" not in [d.code for d in compilation.diagnostics]


def test_the_reproducer_exports_nothing(tmp_path: Path) -> None:
    source = tmp_path / "ctl.mmdsl"
    source.write_text('guideline x "t\x01"\n', "utf-8")
    out = tmp_path / "ctl.dmn"
    result = CliRunner().invoke(main, ["export", "--to", "dmn", str(source), "-o", str(out)])
    assert result.exit_code == 1 and "MD110" in result.stdout + result.stderr
    assert not out.exists()


def test_the_dmn_writer_never_writes_what_xml_cannot_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "CHECKS",
                        [c for c in registry.CHECKS if c is not control_characters.check])
    compilation = compile_source(Source("ctl.mmdsl", TABLE.format(text="t\x01")), verify=False)
    assert compilation.guideline is not None
    with pytest.raises(ValueError, match=r"XML 1\.0"):
        export_dmn(compilation.guideline)


def test_what_is_allowed_exports_as_well_formed_xml() -> None:
    compilation = compile_source(Source("ok.mmdsl", TABLE.format(text="t\t\x7f\u0085")),
                                 verify=False)
    assert compilation.guideline is not None
    ET.fromstring(export_dmn(compilation.guideline).text.encode("utf-8"))


# What quoted text holds exactly must come back from an export: before, a value with a tab,
# U+0085, U+2028, U+2029, DEL or a C1 control was MD706 on import ("cannot hold exactly"), and a
# carriage return came back a line feed (XML parsers normalise a raw CR); found by
# tests/reliability/backend_text.py.
@pytest.mark.parametrize("kept", ["\t", "\u0085", "\u2028", "\u2029", "\x7f", "\x80", "\x9f", "\r",
                                  "a\tb\u2028c\rd"], ids=repr)
def test_an_export_imports_back_with_the_same_text(kept: str) -> None:
    from mmdsl.frontends.dmn.importer import import_dmn

    compilation = compile_source(Source("ok.mmdsl", TABLE.format(text=f"t{kept}")), verify=False)
    assert compilation.guideline is not None
    imported = import_dmn(export_dmn(compilation.guideline).text.encode("utf-8"), "ok.dmn")
    assert imported.compilation is not None and imported.compilation.guideline is not None, \
        [d.code for d in imported.diagnostics]
    (table,) = imported.compilation.guideline.tables
    assert [rule.outputs for rule in table.rules] == [rule.outputs for rule in
                                                      compilation.guideline.tables[0].rules]
