"""`mmdsl check`: every error and warning in table files, and what the verifier proves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from mmdsl.commands.common import (
    FAILED,
    OK,
    OutputFormat,
    all_diagnostics,
    any_errors,
    compile_files,
    finish,
    format_option,
    paths_argument,
    plural,
    print_utf8,
    show_diagnostics,
)

if TYPE_CHECKING:
    from mmdsl.diagnostics import Diagnostic


@click.command(name="check")
@paths_argument
@format_option
def check(paths: tuple[str, ...], output_format: OutputFormat) -> None:
    """Report every error and warning in table files.

    PATHS are table files or folders (every *.mmdsl below them, in sorted order). Besides the
    mistakes in the tables, it reports what the verifier proves about their rules (gaps,
    overlaps, dead and unreachable rules, each with a patient as witness) and the worked
    examples that the tables contradict.

    \b
    Example:
      mmdsl check tables/
      mmdsl check tables/myeloma_post_daratumumab.mmdsl --format json
    """
    compilations = compile_files(paths, run_examples=True)
    diagnostics = all_diagnostics(compilations)
    if output_format == "json":
        from mmdsl.diagnostics.render import render_json

        verification = {c.source.path: c.verification.to_json() for c in compilations
                         if c.verification is not None}
        print_utf8(render_json(diagnostics, verification))
    else:
        show_diagnostics(compilations, err=False)
        click.echo(summary(diagnostics, len(compilations)))
    finish(FAILED if any_errors(compilations) else OK)


def summary(diagnostics: Sequence[Diagnostic], file_count: int) -> str:
    """`2 errors, 1 warning in 1 file`, or `no problems in 3 files`."""
    from mmdsl.diagnostics import Severity

    counts = [plural(sum(d.severity is severity for d in diagnostics), severity.value)
              for severity in (Severity.ERROR, Severity.WARNING)]
    problems = ", ".join(c for c in counts if not c.startswith("0 ")) or "no problems"
    return f"{problems} in {plural(file_count, 'file')}"
