"""`mmdsl export --to FORMAT`: a guideline for other tools (JSON Schema of its facts, DMN).

Each format is a function from a compiled guideline to the text of a file and the warnings about
it; the DMN writer (`mmdsl.dmn.writer`) is imported only when used.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from mmdsl.ir.model import IRGuideline

Exporter = Callable[["IRGuideline"], tuple[str, list[object]]]


def json_schema_text(guideline: IRGuideline) -> tuple[str, list[object]]:
    from mmdsl.backends.json_schema import render_schema
    from mmdsl.pipeline import published

    return render_schema(published(guideline)), []  # the same bytes as `mmdsl compile` writes


def dmn_text(guideline: IRGuideline) -> tuple[str, list[object]]:
    """The DMN 1.5 document of a compiled guideline and the warnings about it; the warnings point
    into the guideline's file when it can be read."""
    from mmdsl.dmn.writer import export_dmn
    from mmdsl.source import decode_text

    try:
        source_text = decode_text(Path(guideline.source_path).read_bytes())
    except (OSError, UnicodeDecodeError):
        source_text = ""
    exported = export_dmn(guideline, source_text)
    return exported.text, list(exported.diagnostics)


EXPORTERS: dict[str, Exporter] = {"json-schema": json_schema_text, "dmn": dmn_text}


@click.command(name="export")
@click.argument("table_file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--to", "target_format", required=True, type=click.Choice(list(EXPORTERS)),
              help="json-schema: a JSON Schema (2020-12) of the patient facts; dmn: a DMN 1.5 model")
@click.option("-o", "--output", default="-", show_default=True,
              type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
              help="the file to write (atomically), or - for standard output")
def export(table_file: str, target_format: str, output: str) -> None:
    """Export a guideline for other tools.

    --to json-schema writes the JSON Schema (draft 2020-12) of the guideline's patient facts:
    descriptions, types, enumerations, ranges, defaults and required fields, for the systems
    that send facts to the generated module (`mmdsl compile` writes it too, next to the
    module). --to dmn writes a DMN 1.5 model of its tables. A file with errors exports nothing
    (exit status 1).

    \b
    Example:
      mmdsl export --to json-schema tables/x.mmdsl -o generated/x.schema.json
      mmdsl export --to dmn tables/x.mmdsl -o x.dmn
    """
    from mmdsl.pipeline import compile_path, shown_path

    compilation = compile_path(table_file, shown_path(table_file))
    sources = {compilation.source.path: compilation.source.text}
    if compilation.guideline is None:
        _show_diagnostics(list(compilation.diagnostics), sources)
        click.get_current_context().exit(1)
    text, warnings = EXPORTERS[target_format](compilation.guideline)
    _show_diagnostics([*compilation.diagnostics, *warnings], sources)
    _write(output, text)


def _write(output: str, text: str) -> None:
    from mmdsl.writing import is_up_to_date, write_atomically

    if output == "-":
        click.echo(text.encode("utf-8"), nl=False)
    elif is_up_to_date(Path(output), text):
        click.echo(f"{output} is up to date", err=True)
    else:
        write_atomically(Path(output), text)
        click.echo(f"wrote {output}", err=True)


def _show_diagnostics(diagnostics: list[object], sources: dict[str, str]) -> None:
    from mmdsl.commands.common import painter
    from mmdsl.diagnostics import Diagnostic
    from mmdsl.diagnostics.render import render_text

    shown: list[Diagnostic] = []
    for diagnostic in diagnostics:  # an exporter may repeat the warnings of the checks
        if isinstance(diagnostic, Diagnostic) and diagnostic not in shown:
            shown.append(diagnostic)
    if shown:
        click.echo(render_text(shown, sources, painter(sys.stderr)), err=True)
