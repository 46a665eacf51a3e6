"""A UTF-8 byte-order mark, which Windows editors write at the start of a file, is not part of the
text: the file compiles as it would without it, every position counted from the character after
it. Anywhere else U+FEFF stays what it was, an invisible character (MD202)."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.cli import main
from mmdsl.pipeline import compile_path, compile_source, decode_source
from mmdsl.source import Source

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
BROKEN = ROOT / "tests" / "fixtures" / "cli" / "broken.mmdsl"
SMALL = ROOT / "tests" / "fixtures" / "backend" / "small.mmdsl"
BOM = codecs.BOM_UTF8


def positions(path: Path) -> list[tuple[str, int, int, int, int, int, int]]:
    compilation = compile_path(path, "t.mmdsl")
    return [(d.code, d.span.line, d.span.column, d.span.end_line, d.span.end_column,
             d.span.start, d.span.end) for d in compilation.diagnostics]


def test_a_file_with_a_byte_order_mark_compiles_as_without_it(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED.parent / "sources", tmp_path / "sources")  # the clinical source
    marked = tmp_path / "marked.mmdsl"
    marked.write_bytes(BOM + SHIPPED.read_bytes())
    with_mark, without = compile_path(marked, "t.mmdsl"), compile_path(SHIPPED, "t.mmdsl")
    assert with_mark.ok, [d.message for d in with_mark.diagnostics]
    assert not with_mark.source.text.startswith("\ufeff")
    assert with_mark.guideline == without.guideline  # the same IR, the same source_sha256


def test_positions_after_a_byte_order_mark_are_those_of_the_text(tmp_path: Path) -> None:
    marked = tmp_path / "marked.mmdsl"
    marked.write_bytes(BOM + BROKEN.read_bytes())
    expected = positions(BROKEN)
    assert [code for code, *_ in expected] == ["MD100", "MD101"]
    assert positions(marked) == expected


def test_an_error_on_the_first_line_after_a_byte_order_mark_is_at_its_column(tmp_path: Path) -> None:
    marked = tmp_path / "marked.mmdsl"
    marked.write_bytes(BOM + b"guideline g G\n")
    assert [(code, line, column, start) for code, line, column, _, _, start, _ in positions(marked)
            ] == [("MD100", 1, 13, 12)]


def test_a_byte_that_is_not_utf8_after_a_byte_order_mark_is_at_its_column() -> None:
    diagnostic = decode_source(BOM + b'guideline g "caf\xe9"\n', "t.mmdsl")
    assert not isinstance(diagnostic, Source)
    assert diagnostic.code == "MD106"
    assert (diagnostic.span.line, diagnostic.span.column, diagnostic.span.start) == (1, 17, 16)


@pytest.mark.parametrize("where", [
    pytest.param(b"\xef\xbb\xbf", id="a second one"),
    pytest.param(b"# a comment\n\xef\xbb\xbf", id="at the start of the second line"),
    pytest.param(b'guideline g "G\xef\xbb\xbf"\n', id="in quoted text"),
])
def test_a_byte_order_mark_anywhere_else_is_still_reported(tmp_path: Path, where: bytes) -> None:
    marked = tmp_path / "marked.mmdsl"
    marked.write_bytes(BOM + where + SHIPPED.read_bytes())
    compilation = compile_path(marked, "t.mmdsl")
    assert not compilation.ok
    offsets = [d.span.start for d in compilation.diagnostics if d.code == "MD202"]
    assert offsets == [where.decode("utf-8").index("\ufeff")]


def test_text_handed_over_by_a_program_is_taken_as_it_is() -> None:
    """Only the bytes of a file lose their mark: a string from the Python API is the text."""
    compilation = compile_source(Source("t.mmdsl", "\ufeff" + SHIPPED.read_text("utf-8")),
                                 directory=SHIPPED.parent)
    assert [(d.code, d.span.start) for d in compilation.diagnostics] == [("MD202", 0)]


def test_the_commands_read_a_file_with_a_byte_order_mark(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MMDSL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MMDSL_NO_CACHE", raising=False)
    plain, marked = tmp_path / "plain", tmp_path / "marked"
    plain.mkdir(), marked.mkdir()
    (plain / "small.mmdsl").write_bytes(SMALL.read_bytes())
    (marked / "small.mmdsl").write_bytes(BOM + SMALL.read_bytes())
    runner = CliRunner()
    checks = []
    for folder in (plain, marked):  # from inside each folder, to show the same path
        monkeypatch.chdir(folder)
        checks.append(runner.invoke(main, ["check", "small.mmdsl"]))
    assert [c.exit_code for c in checks] == [0, 0]
    assert "MD202" not in checks[1].stdout and checks[1].stdout == checks[0].stdout
    for folder in (plain, marked):
        assert runner.invoke(main, ["compile", str(folder), "-o", str(folder / "out")]).exit_code == 0
    assert {p.name: p.read_bytes() for p in (marked / "out").iterdir()} == {
        p.name: p.read_bytes() for p in (plain / "out").iterdir()}
    facts = '{"lines": 4, "refractory": ["dara"], "exposed": ["bort"], "weight": 70}'
    decisions = [runner.invoke(main, ["eval", str(marked / "small.mmdsl"), "--facts", "-"],
                               input=facts) for _ in range(2)]  # the second from the cache
    assert [d.exit_code for d in decisions] == [0, 0]
    assert decisions[0].stdout == decisions[1].stdout
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1


def test_fmt_reads_a_byte_order_mark_and_writes_none(tmp_path: Path) -> None:
    messy = 'guideline g "G"\ninput x :yes/no\ntable t\n  |x||o|\n  |yes||a|\n'
    tidy = CliRunner().invoke(main, ["fmt", "-"], input=messy.encode("utf-8"))
    marked = CliRunner().invoke(main, ["fmt", "-"], input=BOM + messy.encode("utf-8"))
    assert (marked.exit_code, marked.stdout) == (0, tidy.stdout)
    table = tmp_path / "messy.mmdsl"
    table.write_bytes(BOM + messy.encode("utf-8"))
    assert CliRunner().invoke(main, ["fmt", str(table)]).exit_code == 0
    assert table.read_text("utf-8") == tidy.stdout
