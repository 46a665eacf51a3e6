"""`mmdsl diff OLD NEW`: what changed between two versions of a guideline, and for which patients."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from mmdsl.diff.cohort import CohortCounts
    from mmdsl.ir.model import IRGuideline

SAME, TABLE_ERRORS, USAGE, CHANGED, NOT_CHECKED = 0, 1, 2, 4, 5


@click.command(name="diff")
@click.argument("old_file", type=click.Path(dir_okay=False, path_type=str))
@click.argument("new_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--from", "from_rev", metavar="REV",
              help="compare OLD_FILE as it was at this git revision (then NEW_FILE is not given)")
@click.option("--to", "to_rev", metavar="REV",
              help="with --from: compare with OLD_FILE at this revision instead of the file as it is")
@click.option("--cohort", "cohort_path", type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="also count, per change, the patients of this cohort it reaches (Parquet, CSV or "
                   "JSON Lines, decided by both versions as `mmdsl cohort` does)")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True, help="text, Markdown (for a review), or JSON")
def diff(old_file: str, new_file: str | None, from_rev: str | None, to_rev: str | None,
         cohort_path: str | None, output_format: str) -> None:
    """Compare two versions of a guideline: the statements that changed, and exactly which
    patients get a different decision, each group of them in the table's words with an example
    patient and the decision before and after.

    The comparison is exact (every patient is accounted for, not a sample). Exit status: 0 no
    patient's decision changes; 4 some patients' decisions change; 5 the change in decisions could
    not be computed (said why; nothing is claimed); 1 a version has errors; 2 a bad command line.

    \b
    Example:
      mmdsl diff old/x.mmdsl tables/x.mmdsl
      mmdsl diff tables/x.mmdsl --from v1.0.0            # that revision against the file now
      mmdsl diff tables/x.mmdsl --from v1.0.0 --to HEAD --format markdown
      mmdsl diff old/x.mmdsl tables/x.mmdsl --cohort patients.parquet
    """
    old_text, old_name, new_text, new_name = _texts(old_file, new_file, from_rev, to_rev)
    old, new = _compiled(old_text, old_name), _compiled(new_text, new_name)
    from mmdsl.diff.report import compare, render_json, render_text

    report = compare(old, new)
    if cohort_path is not None:
        report = replace(report, cohort=_cohort(old, new, cohort_path))
    if output_format == "json":
        click.echo(json.dumps(render_json(report), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(report, markdown=output_format == "markdown"), nl=False)
    behaviour = report.behaviour
    _exit(NOT_CHECKED if behaviour.unchecked else CHANGED if behaviour.changed else SAME)


def _cohort(old: IRGuideline, new: IRGuideline, path: str) -> CohortCounts:
    from mmdsl.cohort.engine import CohortError
    from mmdsl.diff.cohort import cohort_counts
    from mmdsl.extras import MissingExtra

    try:
        return cohort_counts(old, new, Path(path))
    except (CohortError, MissingExtra) as error:
        _usage(f"the cohort {path} cannot be decided: {error}")


def _texts(old_file: str, new_file: str | None, from_rev: str | None,
           to_rev: str | None) -> tuple[str, str, str, str]:
    """The two versions' texts and the names they are shown under."""
    if from_rev is None:
        if new_file is None or to_rev is not None:
            _usage("give two files (OLD NEW), or one file with --from REV [--to REV]")
        assert new_file is not None
        return _read(old_file), old_file, _read(new_file), new_file
    if new_file is not None:
        _usage("with --from, give one file: its version at REV is compared with the file now (or at --to)")
    old_text = _at_revision(old_file, from_rev)
    new_text = _at_revision(old_file, to_rev) if to_rev else _read(old_file)
    return old_text, f"{old_file}@{from_rev}", new_text, f"{old_file}@{to_rev}" if to_rev else old_file


def _read(path: str) -> str:
    from mmdsl.diff.revisions import RevisionError, read_text

    try:
        return read_text(path)
    except RevisionError as error:
        _usage(str(error))


def _at_revision(path: str, revision: str) -> str:
    from mmdsl.diff.revisions import RevisionError, text_at_revision

    try:
        return text_at_revision(path, revision)
    except RevisionError as error:
        _usage(str(error))


def _compiled(text: str, name: str) -> IRGuideline:
    from mmdsl.diagnostics.render import render_text as render_diagnostics
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source

    compilation = compile_source(Source(name, text), verify=False)
    if compilation.guideline is None:
        click.echo(render_diagnostics(compilation.diagnostics, {name: text}), err=True)
        click.echo(f"error: {name} has errors: the versions are not compared", err=True)
        _exit(TABLE_ERRORS)
    return compilation.guideline


def _usage(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    _exit(USAGE)


def _exit(status: int) -> NoReturn:
    sys.stdout.flush()
    raise SystemExit(status)
