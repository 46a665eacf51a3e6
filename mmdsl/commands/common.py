"""What the commands share: compiling the files named, showing diagnostics, colour, output and
exit status. `mmdsl/cli.py` (the group) and every module of `mmdsl/commands/` import it; it imports
no command, so no command depends on another or on the group.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, NoReturn

import click

if TYPE_CHECKING:
    from mmdsl.diagnostics import Diagnostic
    from mmdsl.diagnostics.render import Paint
    from mmdsl.ir.model import IRGuideline
    from mmdsl.pipeline import Compilation

OK, FAILED, USAGE, DECISION_ERROR = 0, 1, 2, 3
OutputFormat = Literal["text", "json"]

format_option = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="text for people, json for tools")
paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def compiled_guideline(table_file: str, output_format: OutputFormat,
                       despite_findings: bool = False) -> IRGuideline:
    """The IR of a table file without errors, from the compile cache when the file and the
    compiler are unchanged (mmdsl/compile_cache.py); tables with errors fail with status 1.
    With `despite_findings`, tables whose only errors are the verifier's findings give their IR
    as written, their diagnostics shown on standard error."""
    from mmdsl import compile_cache

    text = Path(table_file).read_bytes()
    shown = f"{os.path.abspath(table_file)}\0{os.getcwd()}"  # what shown_path depends on
    cached = compile_cache.load(text, shown)
    if cached is not None and compile_cache.clinical_source_unchanged(cached, Path(table_file)):
        return cached
    from mmdsl.pipeline import compile_path, shown_path

    compilation = compile_path(table_file, shown_path(table_file))
    if compilation.guideline is None and despite_findings and compilation.as_written is not None:
        show_diagnostics([compilation], err=True)
        return compilation.as_written
    if compilation.guideline is None:
        fail_with_diagnostics([compilation], output_format)
    if compilation.source.text.encode("utf-8") == text.removeprefix(codecs.BOM_UTF8):
        compile_cache.store(text, shown, compilation.guideline)
    return compilation.guideline


def compile_files(
    paths: Sequence[str], *, machine_independent_names: bool = False, run_examples: bool = False,
) -> list[Compilation]:
    """Every table file named or found under the folders named, compiled (errors included)."""
    from mmdsl.pipeline import compile_path, shown_path, table_files

    files = list(dict.fromkeys(table_files(list(paths))))
    if not files:
        raise click.UsageError(f"no .mmdsl files in {', '.join(paths)}")
    name: Callable[[Path], str | None] = shown_path if machine_independent_names else str
    return [compile_path(path, name(path), run_examples=run_examples) for path in files]


def all_diagnostics(compilations: Sequence[Compilation]) -> list[Diagnostic]:
    return [d for c in compilations for d in c.diagnostics]


def any_errors(compilations: Sequence[Compilation]) -> bool:
    return not all(c.ok for c in compilations)


def show_diagnostics(compilations: Sequence[Compilation], *, err: bool) -> None:
    """The diagnostics like rustc, with source lines and carets, coloured on a terminal."""
    from mmdsl.diagnostics.render import render_text

    diagnostics = all_diagnostics(compilations)
    if diagnostics:
        sources = {c.source.path: c.source.text for c in compilations}
        paint = painter(sys.stderr if err else sys.stdout)
        click.echo(render_text(diagnostics, sources, paint), err=err)


def fail_with_diagnostics(compilations: Sequence[Compilation], output_format: OutputFormat) -> NoReturn:
    if output_format == "json":
        from mmdsl.diagnostics.render import render_json

        print_utf8(render_json(all_diagnostics(compilations)))
    else:
        show_diagnostics(compilations, err=True)
    finish(FAILED)


def painter(stream: IO[str]) -> Paint:
    """ANSI colours on a terminal unless NO_COLOR is set (https://no-color.org), else none."""
    from mmdsl.diagnostics.render import ansi, plain

    return ansi if stream.isatty() and not os.environ.get("NO_COLOR") else plain


def print_json(value: object) -> None:
    print_utf8(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def print_utf8(text: str) -> None:
    """Text for programs on standard output: UTF-8 whatever the locale, as given. A lone
    surrogate (a JSON key `"\\ud800"` read from the facts) has no UTF-8: it is written as the
    escape `\\ud800`, which is what JSON writes for it. A closed standard output is an error,
    not a silent success."""
    if sys.stdout is None:
        raise click.ClickException("standard output is closed: the result could not be written")
    click.echo(text.encode("utf-8", "backslashreplace"), nl=False)


def _silence_stdout() -> None:
    """After the reader of our output went away (`mmdsl eval … | head`), flush nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def finish(status: int) -> NoReturn:
    click.get_current_context().exit(status)
