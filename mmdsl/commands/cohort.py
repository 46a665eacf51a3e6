"""`mmdsl cohort`: decisions for many patients at once (DuckDB), synthetic cohorts, the SQL itself.

Everything heavy (DuckDB, pyarrow, sqlglot) is imported only when the command runs, and only
from the optional extra `cohort`: without it the command says how to install it (exit 2).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from mmdsl.commands.common import DECISION_ERROR, FAILED, OK, USAGE

if TYPE_CHECKING:
    from mmdsl.cohort.engine import CohortReport
    from mmdsl.ir.model import IRGuideline

SOME_ROWS_INVALID = 4  # the decisions of the valid rows were written; the others are listed
SHOWN_PROBLEMS = 10
MAX_THREADS = 1024  # DuckDB aborts the process (SIGABRT) asked for 100,000 threads


@click.command(name="cohort")
@click.argument("table_file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--input", "input_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="the patients: a .parquet, .csv or .jsonl file, one patient per row")
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="the decisions (.parquet); with --generate, the patients (.parquet, .csv, "
                   ".jsonl); with --emit-sql, the SQL (standard output without it)")
@click.option("--input-format", type=click.Choice(["parquet", "csv", "jsonl"]),
              help="the format of --input when its name does not tell")
@click.option("--id", "id_column", metavar="COLUMN",
              help="a column of --input (a patient identifier) to copy into the decisions")
@click.option("--invalid", "invalid_path", type=click.Path(dir_okay=False, path_type=Path),
              help="where to list the rows that were not evaluated, one problem a line (JSON); "
                   "default: next to the output, OUTPUT.invalid.jsonl")
@click.option("--generate", "generate_count", type=click.IntRange(min=0), metavar="N",
              help="write N synthetic patients to --output instead of deciding")
@click.option("--seed", default=0, show_default=True, help="the seed of --generate")
@click.option("--emit-sql", is_flag=True, help="print the decision query instead of running it")
@click.option("--dialect", default="duckdb", show_default=True,
              help="with --emit-sql: the SQL dialect (spark, and the others sqlglot writes)")
@click.option("--threads", type=click.IntRange(min=1, max=MAX_THREADS),
              help=f"DuckDB threads, 1 to {MAX_THREADS} (default: all cores)")
@click.option("--despite-findings", is_flag=True,
              help="decide with tables whose only errors are the verifier's findings (a gap in a "
                   "complete table, an overlap), as written; the findings are shown on standard error")
def cohort(table_file: str, input_path: Path | None, output_path: Path | None,
           input_format: str | None, id_column: str | None, invalid_path: Path | None,
           generate_count: int | None, seed: int, emit_sql: bool, dialect: str,
           threads: int | None, despite_findings: bool) -> None:
    """Decide for a whole cohort of patients at once, through SQL (DuckDB).

    Each row of --input is one patient's facts, checked by the same rules as `mmdsl eval`
    (docs/decision.md); the valid rows are decided in one SQL query and written to --output
    (Parquet): row number, status, reason, conflicts, each table's result and the derived
    facts, the same decision as the Python evaluator's without the trace (docs/cohort.md).
    Rows that are not valid are left out and listed with their row number and every problem;
    the decisions of the valid rows are still written, and the exit status is 4 (2 is a bad
    command line; 3, a decision in error, comes first). A progress bar shows on standard error
    when it is a terminal.

    Output files: -o or --invalid that names a device, a FIFO, a folder, a read-only file or a
    file the command reads (the table, --input) is refused before anything is decided, and
    nothing is written (exit status 2); a symbolic link is written through to its target.

    \b
    Example:
      mmdsl cohort tables/x.mmdsl --generate 1000000 -o patients.parquet
      mmdsl cohort tables/x.mmdsl --input patients.parquet -o decisions.parquet
      mmdsl cohort tables/x.mmdsl --emit-sql --dialect spark
    """
    from mmdsl.extras import MissingExtra

    modes = sum([input_path is not None, generate_count is not None, emit_sql])
    if modes != 1:
        raise click.UsageError("give one of --input, --generate N or --emit-sql")
    if not emit_sql and output_path is None:
        raise click.UsageError("give the file to write with -o/--output")
    reads: list[str | Path] = [table_file, *([input_path] if input_path is not None else [])]
    _refuse_unsafe_outputs(output_path, invalid_path, input_path, reads)
    guideline = _guideline(table_file, despite_findings)
    try:
        if emit_sql:
            _emit_sql(guideline, dialect, output_path, reads)
        elif generate_count is not None:
            assert output_path is not None
            _generate(guideline, generate_count, seed, output_path)
        else:
            assert input_path is not None and output_path is not None
            _decide(guideline, input_path, output_path, input_format, id_column,
                    invalid_path, threads, reads)
    except MissingExtra as error:
        _fail(str(error), USAGE)


def _refuse_unsafe_outputs(output: Path | None, invalid: Path | None, input_path: Path | None,
                           reads: list[str | Path]) -> None:
    """Every file this run may write, checked before any work (mmdsl/writing.py): a refusal
    leaves everything as it was, the patients and the table above all."""
    from mmdsl.writing import target

    if output is not None:
        target(output, reads)
        if input_path is not None:
            target(invalid or _default_invalid(output), [*reads, output])


def _default_invalid(output: Path) -> Path:
    return output.with_name(output.stem + ".invalid.jsonl")


def _guideline(table_file: str, despite_findings: bool = False) -> IRGuideline:
    """The compiled table (from the compile cache when unchanged, as `mmdsl eval` does)."""
    from mmdsl.commands.common import compiled_guideline

    return compiled_guideline(table_file, "text", despite_findings)


def _fail(message: str, status: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    click.get_current_context().exit(status)


# ---- --emit-sql -------------------------------------------------------------------------------------


def _emit_sql(guideline: IRGuideline, dialect: str, output_path: Path | None,
              reads: list[str | Path]) -> None:
    from mmdsl.backends.sql import SqlUnsupported, transpiled

    try:
        text = transpiled(guideline, dialect.lower())
    except SqlUnsupported as error:
        _fail(str(error), FAILED)
    except (ValueError, KeyError) as error:  # sqlglot: an unknown dialect
        _fail(f"cannot write SQL for the dialect `{dialect}`: {error}", USAGE)
    if output_path is None:
        click.echo(text.encode("utf-8"), nl=False)
    else:
        from mmdsl.writing import write_atomically

        write_atomically(output_path, text, reads=reads)


# ---- --generate -----------------------------------------------------------------------------------


def _generate(guideline: IRGuideline, count: int, seed: int, output_path: Path) -> None:
    from mmdsl.cohort.synthetic import write_patients

    started = time.perf_counter()
    write_patients(guideline, count, seed, output_path)  # checked: _refuse_unsafe_outputs
    click.echo(f"wrote {count:,} synthetic patients to {output_path} "
               f"in {time.perf_counter() - started:.1f} s", err=True)


# ---- --input ------------------------------------------------------------------------------------------


def _decide(guideline: IRGuideline, input_path: Path, output_path: Path, input_format: str | None,
            id_column: str | None, invalid_path: Path | None, threads: int | None,
            reads: list[str | Path]) -> None:
    from mmdsl.backends.sql import SqlUnsupported
    from mmdsl.cohort.engine import CohortError, evaluate_cohort
    from mmdsl.cohort.progress import Progress

    started = time.perf_counter()
    try:
        report = evaluate_cohort(guideline, input_path, output_path, fmt=input_format,
                                 id_column=id_column, progress=Progress(), threads=threads)
    except CohortError as error:
        _fail(str(error), USAGE)
    except SqlUnsupported as error:
        _fail(str(error), FAILED)
    invalid = invalid_path or _default_invalid(output_path)
    _write_invalid(report, invalid, explicit=invalid_path is not None, reads=[*reads, output_path])
    _summary(report, output_path, invalid, time.perf_counter() - started)
    click.get_current_context().exit(
        DECISION_ERROR if report.error_rows else SOME_ROWS_INVALID if report.invalid_rows else OK)


def _write_invalid(report: CohortReport, path: Path, explicit: bool,
                   reads: list[str | Path]) -> None:
    """The problems, one JSON object a line; no file when every row was valid (a stale default
    file from an earlier run is removed, so that it cannot be mistaken for this run's)."""
    from mmdsl.writing import write_atomically

    if report.problems or explicit:
        write_atomically(path, "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n"
                                       for p in report.problems), reads=reads)
    elif path.is_file():  # checked before the run (`_refuse_unsafe_outputs`): never an input
        path.unlink()


def _summary(report: CohortReport, output: Path, invalid: Path, seconds: float) -> None:
    lines = [f"decided {report.decided:,} of {report.rows:,} patients in {seconds:.1f} s: "
             f"wrote {output}"]
    if report.invalid_rows:
        lines.append(f"error: {report.invalid_rows:,} rows were not valid and were not "
                     f"evaluated; every problem is in {invalid}")
        lines += [f"  row {p.row}: {_printable(p.field)}: {_printable(p.message)}"
                  for p in report.problems[:SHOWN_PROBLEMS]]
        if len(report.problems) > SHOWN_PROBLEMS:
            lines.append(f"  … and {len(report.problems) - SHOWN_PROBLEMS:,} more problems")
    if report.error_rows:
        lines.append(f"error: {report.error_rows:,} patients got a decision in error (status "
                     "`error`: rules in conflict, or no rule of a table declared complete); "
                     "their errors are in the output's `errors` column")
        lines += [f"  row {row}: {_printable(errors)}" for row, errors in report.errors]
    click.echo("\n".join(lines), err=True)


def _printable(text: Any) -> str:
    text = str(text)
    return text if text.isprintable() else json.dumps(text)[1:-1]
