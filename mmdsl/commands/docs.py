"""`mmdsl docs`: the review documents of each guideline, and the page of diagnostic codes."""

from __future__ import annotations

import dataclasses
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from mmdsl.backends.review.changes import ChangesView
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
@click.option("--pdf", "pdf", is_flag=True,
              help="also print each HTML document to an A4 PDF with headless Chromium (must be installed)")
@click.option("--since", "since", metavar="REV|FILE",
              help="add what changed since an earlier version: the git revision REV of each table "
                   "file, or the earlier table FILE (one table only); the patients whose "
                   "recommendations change are found exactly, as `mmdsl diff` finds them")
def docs(paths: tuple[str, ...], out_dir: str, check_only: bool, diagnostics_page: bool, pdf: bool,
         since: str | None) -> None:
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
      mmdsl docs --pdf tables/ -o generated/docs
      mmdsl docs tables/ -o review/ --since v1.0.0     # for re-signing: what changed since then
    """
    from mmdsl.backends.review.pdf import find_chromium
    from mmdsl.commands.common import FAILED, OK, compile_files, finish, show_diagnostics

    if not paths and not diagnostics_page:
        raise click.UsageError("name table files or folders, or give --diagnostics")
    chromium = find_chromium() if pdf else None
    if pdf and check_only:
        raise click.UsageError("--pdf prints documents; it cannot be combined with --check")
    if pdf and chromium is None:
        raise click.UsageError("--pdf needs headless Chromium, and no `chromium` was found on PATH; "
                               "install it (Debian: apt-get install chromium) or leave out --pdf")
    wanted = _diagnostics_page() if diagnostics_page else {}
    compilations = compile_files(paths, machine_independent_names=True) if paths else []
    show_diagnostics([c for c in compilations if not c.ok], err=True)
    files = _table_files(paths, since)
    for file, compilation in zip(files, compilations, strict=True):
        wanted_changes = since is not None and compilation.guideline is not None
        changes = _changes(file, compilation, since) if since is not None and wanted_changes else None
        wanted |= _documents(compilation, Path(out_dir), changes)
    rerun = shlex.join(["mmdsl", "docs", *paths, "-o", out_dir]
                       + (["--diagnostics"] if diagnostics_page else [])
                       + (["--since", since] if since is not None else []))
    stale = _write_or_compare(wanted, check_only, rerun)
    if chromium is not None and not _print_pdfs(wanted, chromium):
        stale = True
    failed = stale or any(not c.ok for c in compilations)
    finish(FAILED if failed else OK)


def _print_pdfs(wanted: dict[Path, str], chromium: str) -> bool:
    """Print every HTML document just written to a PDF beside it; False if one failed."""
    from mmdsl.backends.review.pdf import PdfError, print_pdf

    ok = True
    for path in (p for p in wanted if p.suffix == ".html"):
        try:
            click.echo(f"wrote {print_pdf(path, path.with_suffix('.pdf'), chromium)}", err=True)
        except PdfError as problem:
            click.echo(f"error: {problem}", err=True)
            ok = False
    return ok


def _diagnostics_page() -> dict[Path, str]:
    from mmdsl.diagnostics.docs import render_code_names, render_diagnostics_markdown

    return {DIAGNOSTICS_PAGE: render_diagnostics_markdown(), CODE_NAMES_MODULE: render_code_names()}


def _table_files(paths: tuple[str, ...], since: str | None) -> list[Path]:
    """The table files in the order `compile_files` compiles them."""
    from mmdsl.pipeline import table_files

    files = list(dict.fromkeys(table_files(list(paths)))) if paths else []
    if since is not None and Path(since).is_file() and len(files) != 1:
        raise click.UsageError(f"--since {since} names one earlier table: give exactly one table file")
    return files


def _changes(file: Path, compilation: Compilation, since: str) -> ChangesView:
    """What changed since the earlier version, for the document's "Changes since" section."""
    from mmdsl.diff.report import compare
    from mmdsl.diff.review import changes_view
    from mmdsl.diff.revisions import RevisionError, earlier_text
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source

    try:
        text, name = earlier_text(str(file), since)
    except RevisionError as error:
        raise click.UsageError(str(error)) from error
    earlier = compile_source(Source(name, text), verify=False, directory=file.parent)
    if earlier.guideline is None:
        raise click.UsageError(f"{name} has errors (`mmdsl check` shows them): the changes since it "
                               "cannot be described")
    assert compilation.guideline is not None
    return changes_view(compare(earlier.guideline, compilation.guideline), name)


def _documents(compilation: Compilation, out_dir: Path,
               changes: ChangesView | None = None) -> dict[Path, str]:
    from mmdsl.backends.review import (
        render_html_document,
        render_markdown_document,
        run_examples,
    )
    from mmdsl.backends.review.build import build_review
    from mmdsl.pipeline import published
    from mmdsl.verify.coverage import fallback_coverage

    if compilation.guideline is None:
        return {}
    guideline = published(compilation.guideline)
    results = run_examples(guideline)
    verification = compilation.verification
    fallbacks = fallback_coverage(guideline)
    stem = Path(compilation.source.path).stem  # as the file system names it, like compile's outputs
    document = build_review(guideline, results, None, fallbacks, verification)
    if changes is not None:
        document = dataclasses.replace(document, changes=changes)
    return {out_dir / f"{stem}.md": render_markdown_document(document),
            out_dir / f"{stem}.html": render_html_document(document)}


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
