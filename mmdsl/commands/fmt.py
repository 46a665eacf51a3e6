"""`mmdsl fmt`: rewrite table files in the canonical layout, or (for CI) say which would change."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

if TYPE_CHECKING:
    from mmdsl.diagnostics import Diagnostic
    from mmdsl.source import Source

Status = Literal["unchanged", "reformatted", "would change", "errors"]


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    status: Status


@click.command(name="fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@click.option("--check", "check_only", is_flag=True,
              help="write nothing; list the files that would change and exit 1 if there are any")
@click.option("--diff", "show_diff", is_flag=True,
              help="write nothing; print the changes as a unified diff and exit 1 if there are any")
def fmt(paths: tuple[str, ...], check_only: bool, show_diff: bool) -> None:
    """Lay out table files the canonical way: columns lined up, spacing made consistent.

    PATHS are table files or folders (every *.mmdsl below them), or - to format standard input
    to standard output. Only the layout changes: comments stay where they were, quoted text
    and the text of cells stay as written, and each file is checked to read the same after
    formatting as before. A file with syntax errors is left as it is (exit status 1). Files
    are replaced in one step, never half-written; a symbolic link is written through to the
    file it points to, and a read-only file is refused (exit status 2), not replaced.

    \b
    Example:
      mmdsl fmt tables/
      mmdsl fmt --check tables/          # in CI: exit 1 and the files that would change
      mmdsl fmt --diff tables/x.mmdsl    # the changes, without writing them
    """
    if "-" in paths:
        if len(paths) > 1 or check_only or show_diff:
            raise click.UsageError("- (standard input) goes alone, without --check or --diff")
        _format_stdin()
    results = [format_file(path, check_only or show_diff, show_diff)
               for path in _files(paths)]
    click.echo(summary(results, check_only or show_diff), err=show_diff)
    failed = any(r.status in ("errors", "would change") for r in results)
    click.get_current_context().exit(1 if failed else 0)


def _files(paths: Sequence[str]) -> list[Path]:
    from mmdsl.pipeline import table_files

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise click.BadParameter(f"{', '.join(missing)} does not exist", param_hint="PATHS")
    files = list(dict.fromkeys(table_files(list(paths))))
    if not files:
        raise click.UsageError(f"no .mmdsl files in {', '.join(paths)}")
    return files


def format_file(path: Path, dry_run: bool, show_diff: bool) -> FileResult:
    """Format one file: rewrite it, or with `dry_run` only report (and show) the change."""
    from mmdsl.diagnostics import Diagnostic
    from mmdsl.pipeline import read_source
    from mmdsl.writing import write_atomically

    source = read_source(path)
    if isinstance(source, Diagnostic):
        _show_problems([source], {})
        return FileResult(str(path), "errors")
    formatted = _formatted(source)
    if formatted is None:
        return FileResult(str(path), "errors")
    if formatted == source.text:
        return FileResult(str(path), "unchanged")
    if show_diff:
        _echo_utf8(unified_diff(source.path, source.text, formatted))
    if dry_run:
        click.echo(f"would reformat {path}", err=show_diff)
        return FileResult(str(path), "would change")
    write_atomically(path, formatted)  # a symbolic link is written through (mmdsl/writing.py)
    click.echo(f"reformatted {path}")
    return FileResult(str(path), "reformatted")


def _formatted(source: Source) -> str | None:
    """The formatted text, or None after printing why the file cannot be formatted."""
    from mmdsl.format import FormatterBug, format_source

    try:
        result = format_source(source)
    except FormatterBug as error:
        click.echo(f"error: {error}; the file was left as it was", err=True)
        click.echo("  = help: this is a bug in mmdsl, not in your tables; please report it "
                   "with this file", err=True)
        return None
    if result.text is None:
        _show_problems(result.diagnostics, {source.path: source.text})
    return result.text


def _format_stdin() -> None:
    from mmdsl.source import Source, decode_text

    try:
        text = decode_text(sys.stdin.buffer.read())
    except UnicodeDecodeError as error:
        click.echo(f"error: standard input is not UTF-8 text: {error.reason} at byte {error.start}",
                   err=True)
        click.get_current_context().exit(1)
    formatted = _formatted(Source("<stdin>", text))
    if formatted is None:
        click.get_current_context().exit(1)
    _echo_utf8(formatted)
    click.get_current_context().exit(0)


def _show_problems(diagnostics: Sequence[Diagnostic], sources: dict[str, str]) -> None:
    from mmdsl.commands.common import painter
    from mmdsl.diagnostics.render import render_text

    click.echo(render_text(diagnostics, sources, painter(sys.stderr)), err=True)


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"{path} (as written)", tofile=f"{path} (formatted)")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)


def summary(results: Sequence[FileResult], dry_run: bool) -> str:
    """`1 file reformatted, 2 files left unchanged, 1 file with errors`."""
    from mmdsl.commands.common import plural

    changed = sum(r.status in ("reformatted", "would change") for r in results)
    unchanged = sum(r.status == "unchanged" for r in results)
    errors = sum(r.status == "errors" for r in results)
    verb = "would be reformatted" if dry_run else "reformatted"
    parts = [f"{plural(changed, 'file')} {verb}", f"{plural(unchanged, 'file')} left unchanged"]
    if errors:
        parts.append(f"{plural(errors, 'file')} with errors, not formatted")
    return ", ".join(parts)


def _echo_utf8(text: str) -> None:
    click.echo(text.encode("utf-8"), nl=False)
