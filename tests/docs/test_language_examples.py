"""Every complete example in docs/language.md is a valid mmdsl file that does what the page says.

A fenced block marked ```mmdsl whose first statement is `guideline` is a whole file: it must
parse without a single diagnostic, compile without errors, and pass its own worked examples.
Fragments of files are fenced as ```text, so that every ```mmdsl block a reader sees is one
they can copy and use as it stands. Each block is checked as a file whose line numbers are
those of docs/language.md, so a failure points at the line of the page to fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from mmdsl.diagnostics import Diagnostic, Severity
from mmdsl.diagnostics.render import render_text
from mmdsl.examples import run_file_examples
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from mmdsl.syntax.parser import parse_module

LANGUAGE_MD = Path(__file__).resolve().parents[2] / "docs" / "language.md"
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def fenced_blocks(text: str) -> list[tuple[str, int, str]]:
    """(info string, line of the opening fence, body) of every fenced block of a Markdown text."""
    return [(m.group("info").strip(), text.count("\n", 0, m.start()) + 1, m.group("body"))
            for m in FENCE.finditer(text)]


def first_statement(body: str) -> str:
    """The first line that is not blank and not a comment."""
    lines = (line.strip() for line in body.splitlines())
    return next((line for line in lines if line and not line.startswith("#")), "")


def is_whole_file(body: str) -> bool:
    return re.match(r"guideline(?![\w-])", first_statement(body)) is not None


def mmdsl_blocks() -> list[tuple[int, str]]:
    text = LANGUAGE_MD.read_text(encoding="utf-8")
    return [(line, body) for info, line, body in fenced_blocks(text) if info == "mmdsl"]


def whole_files() -> list[Any]:
    return [pytest.param(line, body, id=f"language.md:{line}")
            for line, body in mmdsl_blocks() if is_whole_file(body)]


def as_source(line: int, body: str) -> Source:
    """The block as a file whose line numbers are those of docs/language.md."""
    return Source("docs/language.md", "\n" * line + body)


def rendered(diagnostics: list[Diagnostic], source: Source) -> str:
    return render_text(diagnostics, {source.path: source.text})


def test_the_page_has_complete_examples() -> None:
    assert len(whole_files()) >= 8


def test_every_mmdsl_block_is_a_whole_file() -> None:
    fragments = [line for line, body in mmdsl_blocks() if not is_whole_file(body)]
    assert fragments == [], (
        f"```mmdsl blocks at lines {fragments} of docs/language.md do not start with `guideline`;"
        " fence fragments as ```text"
    )


@pytest.mark.parametrize(("line", "body"), whole_files())
def test_example_parses_without_diagnostics(line: int, body: str) -> None:
    source = as_source(line, body)
    _module, diagnostics = parse_module(source)
    assert diagnostics == [], rendered(diagnostics, source)


@pytest.mark.parametrize(("line", "body"), whole_files())
def test_example_compiles_without_errors(line: int, body: str) -> None:
    source = as_source(line, body)
    compilation = compile_source(source)
    errors = [d for d in compilation.diagnostics if d.severity is Severity.ERROR]
    assert errors == [], rendered(errors, source)
    assert compilation.guideline is not None


@pytest.mark.parametrize(("line", "body"), whole_files())
def test_worked_examples_of_the_block_pass(line: int, body: str) -> None:
    compilation = compile_source(as_source(line, body))
    assert compilation.guideline is not None, "the block does not compile"
    failures = run_file_examples(compilation.guideline).failures
    assert failures == [], "\n".join(failure.message for failure in failures)
