"""`mmdsl import` (DMN to mmdsl) and the DMN format of `mmdsl export`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mmdsl.commands.common import FAILED, OK

if TYPE_CHECKING:
    from mmdsl.diagnostics import Diagnostic


@click.command(name="import")
@click.argument("dmn_file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="the mmdsl file to write, or - for standard output")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="how to show problems: text for people, json for tools")
def import_command(dmn_file: str, output: str, output_format: str) -> None:
    """Translate the decision tables of a DMN 1.3-1.5 model into an mmdsl file.

    Input data become inputs, decision tables become tables (a decision that reads another
    decision reads `table.output`), boolean literal expressions become derived facts. DMN
    names that are not mmdsl names are renamed, the DMN names kept as descriptions. Every DMN
    construct that mmdsl cannot express with the same meaning (general FEEL, boxed expressions,
    business knowledge models, dates) is reported with its line and column in the DMN file, and
    then nothing is written (exit status 1). When the translation succeeds but mmdsl's checks
    find errors in the tables (an overlap in a UNIQUE table, say), the file is written so that
    it can be fixed, and the exit status is 1. The file is checked with the same checks as
    `mmdsl check` before this command finishes.

    \b
    Example:
      mmdsl import approval.dmn -o tables/approval.mmdsl
      mmdsl import approval.dmn -o - --format json

    Output files: -o that names a device, a FIFO, a folder, a read-only file or the DMN file is
    refused and nothing is written (exit status 2); a symbolic link is written through.
    """
    from mmdsl.frontends.dmn.importer import import_dmn
    from mmdsl.pipeline import shown_path
    from mmdsl.writing import target as writable
    from mmdsl.writing import write_atomically

    if output == "-" and output_format == "json":
        raise click.UsageError("--format json writes the problems to standard output: "
                               "give the mmdsl file with -o FILE")
    if output != "-":
        writable(Path(output), [dmn_file])  # refused before any work (mmdsl/writing.py)
    data = Path(dmn_file).read_bytes()
    target = "<stdout>" if output == "-" else shown_path(output)
    result = import_dmn(data, shown_path(dmn_file), target)
    if result.text is not None:
        if output == "-":
            click.echo(result.text.encode("utf-8"), nl=False)
        else:
            write_atomically(Path(output), result.text, reads=[dmn_file])
    _show(result.all_diagnostics, result.sources, output_format)
    if result.text is not None and output != "-":
        click.echo(f"wrote {target}", err=True)
    click.get_current_context().exit(OK if result.ok else FAILED)


def _show(diagnostics: Sequence[Diagnostic], sources: dict[str, str], output_format: str) -> None:
    """The problems: as JSON on standard output, or rendered on standard error."""
    import sys

    from mmdsl.commands.common import painter
    from mmdsl.diagnostics.render import render_json, render_text

    if output_format == "json":
        click.echo(render_json(diagnostics), nl=False)
    elif diagnostics:
        click.echo(render_text(diagnostics, sources, painter(sys.stderr)), err=True)
