"""`docs/diagnostics.md` is the page generated from the registry of codes, word for word."""

from __future__ import annotations

from pathlib import Path

from mmdsl.diagnostics.docs import all_codes, render_diagnostics_markdown

PAGE = Path(__file__).parent.parent.parent / "docs" / "diagnostics.md"


def test_committed_page_equals_the_generated_one() -> None:
    assert PAGE.read_text(encoding="utf-8") == render_diagnostics_markdown(), (
        "regenerate it: python -m mmdsl.diagnostics.docs > docs/diagnostics.md")


def test_page_documents_every_code_with_why_example_and_fix() -> None:
    page = render_diagnostics_markdown()
    for entry in all_codes():
        section = page.split(f"### {entry.code} {entry.name}\n", 1)[1].split("\n### ", 1)[0]
        assert f"**Severity:** {entry.severity.value}" in section
        assert entry.why in section and entry.fix in section
        assert f"```mmdsl\n{entry.example}\n```" in section


def test_page_is_the_same_on_every_run() -> None:
    assert render_diagnostics_markdown() == render_diagnostics_markdown()
