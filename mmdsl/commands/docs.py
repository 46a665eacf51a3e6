"""`mmdsl docs`: the review documents of each guideline, and the page of diagnostic codes."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from mmdsl.pipeline import Compilation

DIAGNOSTICS_PAGE = Path("docs/diagnostics.md")
CODE_NAMES_MODULE = Path("mmdsl/diagnostics/names.py")  # the codes as a type, for mypy


@click.command(name="docs")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option("-o", "--output", "out_dir", default="generated/docs", show_default=True,
              type=click.Path(file_okay=False, path_type=str),
              help="the folder for the review documents")
@click.option("--check", "check_only", is_flag=True,
              help="write nothing; fail if a document is missing or out of date")
@click.option("--diagnostics", "diagnostics_page", is_flag=True,
              help=f"also write the page of diagnostic codes, {DIAGNOSTICS_PAGE}")
def docs(paths: tuple[str, ...], out_dir: str, check_only: bool, diagnostics_page: bool) -> None:
    """Write the review documents of guidelines: Markdown and one self-contained HTML file each.

    Each document holds the scope, inputs, every table as written and every rule as a sentence,
    the evidence and caveats, the worked examples with their results, the authors' notes, and
    what the algorithm does not cover (from the verifier): the explicit gaps, and the patients
    only a fallback rule answers, each with an example patient. With --check nothing is written and
    the command fails when a document is stale, which is what CI wants. A document file that
    is a device, a FIFO, a folder or read-only is refused (exit status 2), not replaced; a
    symbolic link is written through to its target.

    \b
    Example:
      mmdsl docs tables/ -o generated/docs
      mmdsl docs --check tables/ -o generated/docs
      mmdsl docs --diagnostics
    """
    from mmdsl.commands.common import FAILED, OK, compile_files, finish, show_diagnostics

    if not paths and not diagnostics_page:
        raise click.UsageError("name table files or folders, or give --diagnostics")
    wanted = _diagnostics_page() if diagnostics_page else {}
    compilations = compile_files(paths, machine_independent_names=True) if paths else []
    show_diagnostics([c for c in compilations if not c.ok], err=True)
    for compilation in compilations:
        wanted |= _documents(compilation, Path(out_dir))
    rerun = shlex.join(["mmdsl", "docs", *paths, "-o", out_dir]
                       + (["--diagnostics"] if diagnostics_page else []))
    stale = _write_or_compare(wanted, check_only, rerun)
    failed = stale or any(not c.ok for c in compilations)
    finish(FAILED if failed else OK)


def _diagnostics_page() -> dict[Path, str]:
    from mmdsl.diagnostics.docs import render_code_names, render_diagnostics_markdown

    return {DIAGNOSTICS_PAGE: render_diagnostics_markdown(), CODE_NAMES_MODULE: render_code_names()}


def _documents(compilation: Compilation, out_dir: Path) -> dict[Path, str]:
    from mmdsl.backends.review import render_html, render_markdown, run_examples
    from mmdsl.backends.review_coverage import fallback_coverage
    from mmdsl.pipeline import published

    if compilation.guideline is None:
        return {}
    guideline = published(compilation.guideline)
    results = run_examples(guideline)
    verification = compilation.verification
    fallbacks = fallback_coverage(guideline)
    stem = Path(compilation.source.path).stem  # as the file system names it, like compile's outputs
    return {out_dir / f"{stem}.md": render_markdown(guideline, results, None, fallbacks, verification),
            out_dir / f"{stem}.html": render_html(guideline, results, None, fallbacks, verification)}


def _write_or_compare(wanted: dict[Path, str], check_only: bool, rerun: str) -> bool:
    """Write each document whose text changed (or, with --check, report it); True if any was stale."""
    from mmdsl.writing import is_up_to_date, remove_stale_temporaries, write_atomically

    stale = False
    for path, text in wanted.items():
        if not check_only:
            remove_stale_temporaries(path)  # left by a run that was killed
        if is_up_to_date(path, text):
            click.echo(f"{path} is up to date", err=True)
        elif check_only:
            stale = True
            click.echo(f"{path} is {'stale' if path.exists() else 'missing'}: run `{rerun}`", err=True)
        else:
            write_atomically(path, text)
            click.echo(f"wrote {path}", err=True)
    return stale
