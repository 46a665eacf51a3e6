"""The clinical source lives beside the tables: its quotes are checked word for word, its SHA-256
is in every decision, and the review document knows which statements each rule carries out."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import mmdsl
from mmdsl.clinical_source import found_lines, nearest_passage, passages, searchable
from mmdsl.pipeline import compile_path

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
SOURCE = ROOT / "tables" / "sources" / "refractory-myeloma-post-daratumumab.txt"
PATIENT = {"prior_lines": 5, "exposed": [], "refractory": ["daratumumab"], "t11_14": False,
           "car_t_access": True}


def copied_guideline(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "tables" / "sources", tmp_path / "sources")
    return Path(shutil.copy(TABLE, tmp_path / TABLE.name))


def test_every_quote_of_the_guideline_is_found_in_the_source() -> None:
    guideline = mmdsl.load(str(TABLE)).ir
    assert guideline.quotes and all(quote.lines for quote in guideline.quotes)


def test_a_quote_edited_by_one_word_is_reported_with_the_nearest_passage(tmp_path: Path) -> None:
    table = copied_guideline(tmp_path)
    text = table.read_text(encoding="utf-8")
    assert text.count("markedly superior efficacy") == 1
    table.write_text(text.replace("markedly superior efficacy", "much better efficacy"),
                     encoding="utf-8")
    found = [d for d in compile_path(table).diagnostics if d.code == "MD430"]
    assert len(found) == 1
    assert "src_car_t_efficacy" in found[0].message
    assert found[0].help is not None and "CAR-T demonstrates markedly superior" in found[0].help


def test_an_edited_source_is_reported_too(tmp_path: Path) -> None:
    table = copied_guideline(tmp_path)
    source = tmp_path / "sources" / SOURCE.name
    source.write_text(source.read_text(encoding="utf-8").replace("median OS of only 5.6",
                                                                 "median OS of 5.6"),
                      encoding="utf-8")
    codes = [d.code for d in compile_path(table).diagnostics]
    assert codes.count("MD430") == 1


def test_the_source_hash_is_in_every_decision_and_in_the_module() -> None:
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    guideline = mmdsl.load(str(TABLE))
    decision = guideline.evaluate(PATIENT)
    assert decision["clinical_source_sha256"] == digest
    assert list(decision)[:5] == ["guideline", "version", "source_sha256",
                                  "clinical_source_sha256", "status"]
    module = (ROOT / "generated" / "myeloma_post_daratumumab.py").read_text(encoding="utf-8")
    assert "CLINICAL_SOURCE_SHA256: str | None = (" in module and repr(digest) in module


def test_a_guideline_without_a_source_has_no_source_hash() -> None:
    text = TABLE.read_text(encoding="utf-8")
    start = text.index("source \"sources/")
    end = text.index("\n\n", start)
    guideline = mmdsl.load(text[:start] + text[end + 2:])
    assert guideline.ir.clinical_source is None
    assert "clinical_source_sha256" not in guideline.evaluate(PATIENT)


def test_white_space_alone_is_normalised() -> None:
    source = searchable("First line of the text.\nSecond   line, with  spaces. 2\n")
    assert found_lines("text. Second line,", source) == (1, 2)
    assert found_lines("  Second line, with\n spaces.  ", source) == (2,)
    assert found_lines("second line", source) is None  # case counts
    assert found_lines("Second line with", source) is None  # punctuation counts


def test_passages_and_headings() -> None:
    found = passages("Title of the text\n\nA statement. 1\n- A bulleted statement 2, 5\n")
    assert [(p.line, p.heading) for p in found] == [(1, True), (3, False), (4, False)]
    nearest = nearest_passage("A statment.", "Title\nA statement. 1\nOther things\n")
    assert nearest is not None and nearest.line == 2


def test_a_nul_in_the_declared_path_is_a_diagnostic_not_an_internal_error(tmp_path: Path) -> None:
    """Found by `make fuzz`: the path reached the operating system, which raised ValueError."""
    from mmdsl.clinical_source import read_clinical_source
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source

    assert "NUL" in str(read_clinical_source(tmp_path, "sources/a\0b.txt"))
    text = 'guideline g "g"\nsource "sources/a\0b.txt" "t" "2024-01-01"\ninput x: yes/no "x"\n'
    codes = {d.code for d in compile_source(Source("g.mmdsl", text), directory=tmp_path).diagnostics}
    assert codes and "MD900" not in codes
