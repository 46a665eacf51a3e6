"""One fixture per diagnostic code: `tests/fixtures/diagnostics/MDxxx-name.mmdsl` triggers that
code and no other, and its rendered diagnostics equal `MDxxx-name.expected`. A code with several
specific messages (a hint for one habit of authors) has more: `MDxxx-name.habit.mmdsl`.

After an intended change of a message, `MMDSL_UPDATE_GOLDEN=1 pytest tests/check` rewrites the
golden files; review their diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mmdsl.diagnostics.codes import CODES
from mmdsl.diagnostics.docs import all_codes
from mmdsl.diagnostics.render import render_text
from mmdsl.pipeline import compile_path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "diagnostics"
SOURCES = sorted(FIXTURES.glob("MD*.mmdsl"))

# Codes that no table file can trigger through `compile_path`, and where they are tested instead.
NOT_FROM_TABLE_FILES = {
    "MD7": "DMN import and export (tests/dmn)",
    "MD440": "DMN import of an mmdsl export's examples, notes and quotes (tests/dmn)",
    "MD900": "an internal error, never expected (test_internal_errors.py)",
}


def code_of(source: Path) -> str:
    return source.stem.split("-", 1)[0]


def rendered(path: Path) -> tuple[str, list[str]]:
    """The diagnostics of a fixture as text, and their codes, as `mmdsl check` reports them."""
    compilation = compile_path(path, path.name, run_examples=True)
    text = render_text(compilation.diagnostics, {path.name: compilation.source.text})
    return text, [d.code for d in compilation.diagnostics]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_fixture_triggers_its_code_alone(source: Path) -> None:
    text, codes = rendered(source)
    expected_code = code_of(source)
    assert codes, f"{source.name} gives no diagnostic"
    assert set(codes) == {expected_code}, text


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_fixture_renders_as_its_golden_file(source: Path) -> None:
    text, _ = rendered(source)
    golden = source.with_suffix(".expected")
    if os.environ.get("MMDSL_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no {golden.name}: run MMDSL_UPDATE_GOLDEN=1 pytest tests/check"
    assert text == golden.read_text(encoding="utf-8"), (
        "the diagnostics changed; if intended, run MMDSL_UPDATE_GOLDEN=1 pytest tests/check")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_fixture_is_named_after_a_registered_code(source: Path) -> None:
    code, name = source.stem.split(".", 1)[0].split("-", 1)
    assert code in CODES, f"{source.name}: no code {code}"
    assert CODES[code].name == name, f"{source.name}: {code} is `{CODES[code].name}`"


def test_every_registered_code_has_a_fixture() -> None:
    have = {code_of(source) for source in SOURCES}
    wanted = {entry.code for entry in all_codes()
              if not any(entry.code.startswith(prefix) for prefix in NOT_FROM_TABLE_FILES)}
    assert sorted(wanted - have) == []


def test_every_fixture_has_a_golden_file_and_no_golden_is_orphaned() -> None:
    goldens = {p.stem for p in FIXTURES.glob("MD*.expected")}
    assert goldens == {p.stem for p in SOURCES}
