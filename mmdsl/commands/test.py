"""`mmdsl test`: run the worked examples in table files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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
    painter,
    paths_argument,
    plural,
    print_json,
    show_diagnostics,
)

if TYPE_CHECKING:
    from mmdsl.diagnostics.render import Paint
    from mmdsl.examples import FileReport


@click.command(name="test")
@paths_argument
@click.option("--require-coverage", is_flag=True,
              help="fail when a rule is reached by no worked example")
@format_option
def test_command(paths: tuple[str, ...], require_coverage: bool, output_format: OutputFormat) -> None:
    """Run the worked examples in table files.

    Prints each expectation that does not hold (expected and actual), a count, and the rules
    that no example reaches (a warning; an error with --require-coverage).

    \b
    Example:
      mmdsl test tables/
      mmdsl test tables/myeloma_post_daratumumab.mmdsl --require-coverage
    """
    from mmdsl.examples import run_file_examples

    compilations = compile_files(paths)
    reports = [run_file_examples(c.guideline) for c in compilations if c.guideline is not None]
    if output_format == "json":
        print_json({"diagnostics": [d.to_json() for d in all_diagnostics(compilations)],
                    **examples_json(reports)})
    else:
        show_diagnostics(compilations, err=True)
        not_run = [c.source.path for c in compilations if c.guideline is None]
        click.echo(examples_report(reports, not_run, require_coverage, painter(sys.stdout)),
                   nl=False)
    failed = any(r.failed for r in reports) or any_errors(compilations)
    uncovered = require_coverage and any(r.unreached for r in reports)
    finish(FAILED if failed or uncovered else OK)


def examples_report(reports: Sequence[FileReport], not_run: Sequence[str],
                    require_coverage: bool, paint: Paint) -> str:
    """The files whose examples could not run, one line per failed expectation, the count (of
    the files that ran: none, no count, so that `0 failed` never stands for a file that did not
    run), and the rules no example reaches."""
    lines = [f"{paint('error', 'error')}: {path} has errors: its examples were not run"
             for path in not_run]
    lines += [failure.message for report in reports for failure in report.failures]
    examples = sum(len(r.outcomes) for r in reports)
    failed = sum(len(r.failed) for r in reports)
    if reports:
        lines.append(f"{plural(examples, 'example')}, {failed} failed")
    severity = "error" if require_coverage else "warning"
    for report in reports:
        if report.unreached:
            where = f"{report.path}: " if len(reports) > 1 else ""
            rules = ", ".join(f"{r.table}.{r.rule} (line {r.line})" for r in report.unreached)
            lines.append(f"{paint(severity, severity)}: {where}rules no example reaches: {rules}")
    return "\n".join(lines) + "\n"


def examples_json(reports: Sequence[FileReport]) -> dict[str, Any]:
    return {
        "examples": sum(len(r.outcomes) for r in reports),
        "failed": sum(len(r.failed) for r in reports),
        "failures": [f.to_json() for r in reports for f in r.failures],
        "unreached_rules": [{"file": r.path, "table": u.table, "rule": u.rule, "line": u.line}
                            for r in reports for u in r.unreached],
    }
