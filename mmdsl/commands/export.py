"""`mmdsl export --to FORMAT`: a guideline for other tools (JSON Schema of its facts, DMN, FHIR).

Each format is a function from a compiled guideline to the text of a file and the warnings about
it; the DMN writer (`mmdsl.backends.dmn.writer`) is imported only when used.
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
    from mmdsl.backends.schema.facts import render_schema
    from mmdsl.pipeline import published

    return render_schema(published(guideline)), []  # the same bytes as `mmdsl compile` writes


def dmn_text(guideline: IRGuideline) -> tuple[str, list[object]]:
    """The DMN 1.5 document of a compiled guideline and the warnings about it; the warnings point
    into the guideline's file when it can be read."""
    from mmdsl.backends.dmn.feel_text import ExportProblem
    from mmdsl.backends.dmn.writer import export_dmn
    from mmdsl.source import decode_text

    try:
        source_text = decode_text(Path(guideline.source_path).read_bytes())
    except (OSError, UnicodeDecodeError):
        source_text = ""
    try:
        exported = export_dmn(guideline, source_text)
    except ExportProblem as problem:  # a cell DMN cannot hold (dmn/durations.py): nothing written
        raise click.ClickException(f"cannot export {guideline.source_path} to DMN: {problem}") \
            from problem
    return exported.text, list(exported.diagnostics)


EXPORTERS: dict[str, Exporter] = {"json-schema": json_schema_text, "dmn": dmn_text}
FHIR = "fhir"  # three resources: a folder of files, or one Bundle on standard output


@click.command(name="export")
@click.argument("table_file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--to", "target_format", required=True, type=click.Choice([*EXPORTERS, FHIR]),
              help="json-schema: a JSON Schema (2020-12) of the patient facts; dmn: a DMN 1.5 "
                   "model; fhir: a FHIR R4 Questionnaire, PlanDefinition and Library")
@click.option("-o", "--output", default="-", show_default=True,
              type=click.Path(allow_dash=True, path_type=str),
              help="the file to write (atomically), or - for standard output; for fhir, a folder")
@click.option("--base-url", default=None, metavar="URL",
              help="fhir: the base of the resources' canonical URLs [default: "
                   "https://mmdsl.example/fhir]")
def export(table_file: str, target_format: str, output: str, base_url: str | None) -> None:
    """Export a guideline for other tools.

    --to json-schema writes the JSON Schema (draft 2020-12) of the guideline's patient facts:
    descriptions, types, enumerations, ranges, defaults and required fields, for the systems
    that send facts to the generated module (`mmdsl compile` writes it too, next to the
    module). --to dmn writes a DMN 1.5 model of its tables. --to fhir writes FHIR R4 resources
    into the folder -o names: NAME.Questionnaire.json (one item per input; a
    QuestionnaireResponse to it is facts for `mmdsl eval` and `mmdsl serve`),
    NAME.PlanDefinition.json (one action per rule, its condition in words, evidence and
    caveats) and NAME.Library.json (the table file, base64); with -o - they are printed as one
    collection Bundle. A file with errors exports nothing (exit status 1).

    \b
    Example:
      mmdsl export --to json-schema tables/x.mmdsl -o generated/x.schema.json
      mmdsl export --to dmn tables/x.mmdsl -o x.dmn
      mmdsl export --to fhir tables/x.mmdsl -o fhir/

    Output files: -o that names a device, a FIFO, a read-only file or the table file is refused
    and nothing is written (exit status 2); a symbolic link is written through to its target.
    """
    from mmdsl.pipeline import compile_path, shown_path
    from mmdsl.writing import target

    if output != "-" and target_format != FHIR and not Path(output).is_dir():
        target(Path(output), [table_file])  # refused before any work (mmdsl/writing.py)

    compilation = compile_path(table_file, shown_path(table_file))
    sources = {compilation.source.path: compilation.source.text}
    if compilation.guideline is None:
        _show_diagnostics(list(compilation.diagnostics), sources)
        click.get_current_context().exit(1)
    if target_format == FHIR:
        _show_diagnostics(list(compilation.diagnostics), sources)
        _export_fhir(compilation.guideline, compilation.source.text, output, base_url, [table_file])
        return
    if base_url is not None:
        raise click.UsageError("--base-url is for --to fhir")
    if output != "-" and Path(output).is_dir():
        raise click.UsageError(f"{output} is a folder: name the file to write")
    text, warnings = EXPORTERS[target_format](compilation.guideline)
    _show_diagnostics([*compilation.diagnostics, *warnings], sources)
    _write(output, text, [table_file])


def _export_fhir(guideline: IRGuideline, source_text: str, output: str, base_url: str | None,
                 reads: list[str]) -> None:
    from mmdsl.fhir.names import DEFAULT_BASE
    from mmdsl.fhir.resources import fhir_bundle_text, fhir_files
    from mmdsl.pipeline import published

    base = base_url or DEFAULT_BASE
    if output == "-":
        _write(output, fhir_bundle_text(published(guideline), source_text, base), reads)
        return
    if Path(output).exists() and not Path(output).is_dir():
        raise click.UsageError(f"--to fhir writes three files: -o names a folder, and {output} "
                               f"is a file")
    for name, text in fhir_files(published(guideline), source_text, base).items():
        _write(str(Path(output) / name), text, reads)


def _write(output: str, text: str, reads: list[str]) -> None:
    from mmdsl.writing import is_up_to_date, write_atomically

    if output == "-":
        click.echo(text.encode("utf-8"), nl=False)
    elif is_up_to_date(Path(output), text):
        click.echo(f"{output} is up to date", err=True)
    else:
        write_atomically(Path(output), text, reads=reads)
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
