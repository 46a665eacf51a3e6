"""Writing the documents: deterministic bytes, both files, all at once."""

from __future__ import annotations

import os
from pathlib import Path

from mmdsl.backends.review import render_html, render_markdown, write_review_documents
from tests.review.support import DEMO, compiled, demo, demo_results


def test_rendering_twice_gives_the_same_bytes() -> None:
    assert render_markdown(demo(), demo_results()) == render_markdown(demo(), demo_results())
    assert render_html(demo(), demo_results()) == render_html(demo(), demo_results())


def test_the_documents_do_not_depend_on_where_they_are_made(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / DEMO.name
    copy.parent.mkdir()
    copy.write_bytes(DEMO.read_bytes())
    here = render_html(compiled(DEMO, "same.mmdsl"), None)
    there = render_html(compiled(copy, "same.mmdsl"), None)
    assert here == there


def test_write_review_documents_writes_markdown_and_html(tmp_path: Path) -> None:
    written = write_review_documents(demo(), tmp_path / "docs", example_results=demo_results())
    assert written == [tmp_path / "docs" / "anticoagulation_demo.md",
                       tmp_path / "docs" / "anticoagulation_demo.html"]
    assert written[0].read_text(encoding="utf-8") == render_markdown(demo(), demo_results())
    assert written[1].read_text(encoding="utf-8") == render_html(demo(), demo_results())
    assert sorted(os.listdir(tmp_path / "docs")) == ["anticoagulation_demo.html", "anticoagulation_demo.md"]


def test_write_review_documents_runs_the_examples_itself(tmp_path: Path) -> None:
    [markdown, _] = write_review_documents(demo(), tmp_path)
    assert "All 2 worked examples give the expected results." in markdown.read_text(encoding="utf-8")


def test_rewriting_replaces_the_files_whole(tmp_path: Path) -> None:
    def write() -> list[bytes]:
        paths = write_review_documents(demo(), tmp_path, example_results=demo_results())
        return [path.read_bytes() for path in paths]

    first, second = write(), write()
    assert first == second
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
