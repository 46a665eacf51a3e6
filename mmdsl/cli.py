"""The command line: `mmdsl check`, `compile`, `eval` and `test`.

Exit status: 0 when all is well; 1 when the tables have errors, an example fails or generated
files are stale; 2 for a bad command line or invalid facts; 3 when `mmdsl eval` or `mmdsl cohort`
gives a decision in error (status `error`: rules in conflict, or no rule of a complete table).
The compiler is imported inside the commands, so `mmdsl --help` starts without loading the
parser and `mmdsl eval` without the templates of the back ends.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import click

from mmdsl.commands.cohort import cohort
from mmdsl.commands.common import (
    DECISION_ERROR,
    FAILED,
    OK,
    USAGE,
    OutputFormat,
    _silence_stdout,
    all_diagnostics,
    any_errors,
    compile_files,
    compiled_guideline,
    finish,
    format_option,
    painter,
    paths_argument,
    plural,
    print_json,
    print_utf8,
    show_diagnostics,
)
from mmdsl.commands.diff import diff
from mmdsl.commands.dmn import import_command
from mmdsl.commands.docs import docs
from mmdsl.commands.export import export
from mmdsl.commands.fmt import fmt
from mmdsl.commands.lsp import lsp
from mmdsl.serve.command import serve
from mmdsl.version import __version__
from mmdsl.writing import RefusedOutput

if TYPE_CHECKING:
    from mmdsl.diagnostics import Diagnostic
    from mmdsl.diagnostics.render import Paint
    from mmdsl.examples import FileReport
    from mmdsl.pipeline import Compilation
    from mmdsl.runtime.prelude import InputError


class Commands(click.Group):
    """The command group; a bug inside mmdsl is reported in one line, not as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(FAILED)
        except RefusedOutput as error:  # an output file the tool must not replace (writing.py)
            click.echo(f"error: {error}", err=True)
            ctx.exit(USAGE)
        except Exception as error:
            if os.environ.get("MMDSL_DEBUG"):
                raise
            click.echo(f"error: internal error in mmdsl: {type(error).__name__}: {error}", err=True)
            click.echo("  = help: this is a bug in mmdsl, not in your tables; "
                       "run with MMDSL_DEBUG=1 to see where it happened", err=True)
            ctx.exit(FAILED)


@click.group(name="mmdsl", cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="mmdsl")
def main() -> None:
    """mmdsl: check, compile, evaluate and test clinical decision tables.

    \b
    Example:
      mmdsl check tables/
      mmdsl compile tables/ -o generated/
      mmdsl eval tables/myeloma_post_daratumumab.mmdsl --facts examples/patient.json
      mmdsl test tables/

    Exit status: 0 all is well; 1 the tables have errors, an example fails or generated files
    are stale; 2 a bad command line or invalid facts; 3 a decision in error (`mmdsl eval`,
    `mmdsl cohort`: rules in conflict, or no rule of a table declared complete). Colour is used
    on terminals unless NO_COLOR is set.
    """


# ---- mmdsl check -------------------------------------------------------------------------------


@main.command()
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


# ---- mmdsl compile -----------------------------------------------------------------------------


@main.command(name="compile")
@paths_argument
@click.option("-o", "--output", "out_dir", default="generated/", show_default=True,
              type=click.Path(file_okay=False, path_type=str),
              help="the folder for the generated modules")
@click.option("--check", "check_only", is_flag=True,
              help="write nothing; fail if a generated file is missing or differs")
@format_option
def compile_command(
    paths: tuple[str, ...], out_dir: str, check_only: bool, output_format: OutputFormat,
) -> None:
    """Compile table files to dependency-free Python modules.

    Each file without errors becomes OUTPUT/<name>.py and, beside it, OUTPUT/<name>.schema.json
    (the JSON Schema of its patient facts) and OUTPUT/<name>.decision.schema.json (that of its
    decisions), each written atomically; a file with errors leaves
    its previous files untouched. With --check nothing is written: the command fails if a
    generated file is missing or out of date, which is what CI wants. A generated file that
    is a device, a FIFO, a folder or read-only is refused (exit status 2), not replaced; a
    symbolic link is written through to its target.

    \b
    Example:
      mmdsl compile tables/ -o generated/
      mmdsl compile --check tables/ -o generated/
    """
    compilations = compile_files(paths, machine_independent_names=True)
    modules = output_paths(compilations, Path(out_dir))
    rerun = shlex.join(["mmdsl", "compile", *paths, "-o", out_dir])
    outputs = [(c, module.with_name(module.stem + suffix), render)
               for c, module in zip(compilations, modules, strict=True)
               for suffix, render in GENERATED_FILES]
    texts = [render(c) if c.guideline is not None else None for c, _, render in outputs]
    # every text is made before the first file is written: a failure leaves every file as it was
    outcomes = [compile_one(text, target, check_only)
                for text, (_, target, _) in zip(texts, outputs, strict=True)]
    if output_format == "json":
        print_json({
            "diagnostics": [d.to_json() for d in all_diagnostics(compilations)],
            "files": [{"source": c.source.path, "output": str(t), "status": s}
                      for (c, t, _), s in zip(outputs, outcomes, strict=True)],
        })
    else:
        show_diagnostics(compilations, err=True)
        for (compilation, target, _), outcome in zip(outputs, outcomes, strict=True):
            report_output(compilation.source.path, str(target), outcome, rerun)
    finish(FAILED if any(o in FAILED_OUTCOMES for o in outcomes) else OK)


Outcome = Literal["written", "up to date", "stale", "missing", "errors"]
FAILED_OUTCOMES = ("stale", "missing", "errors")


def output_paths(compilations: Sequence[Compilation], out_dir: Path) -> list[Path]:
    """OUTPUT/<stem>.py for each file; two files that would share a module are a usage error."""
    targets: dict[Path, str] = {}
    for compilation in compilations:
        target = out_dir / f"{Path(compilation.source.path).stem}.py"
        if target in targets:
            raise click.UsageError(f"{targets[target]} and {compilation.source.path} would both "
                                   f"be compiled to {target}; rename one of them")
        targets[target] = compilation.source.path
    return list(targets)


def compile_one(text: str | None, target: Path, check_only: bool) -> Outcome:
    """Write (or with --check, compare) one generated file; `text` is None for a file with errors."""
    from mmdsl.writing import is_up_to_date, remove_stale_temporaries, write_atomically

    if text is None:
        return "errors"
    if not check_only:
        remove_stale_temporaries(target)  # left by a compile that was killed
    if is_up_to_date(target, text):
        return "up to date"
    if check_only:
        return "stale" if target.exists() else "missing"
    write_atomically(target, text)
    return "written"


def generated_module(compilation: Compilation) -> str:
    from mmdsl.backends.python import render_module
    from mmdsl.pipeline import published

    assert compilation.guideline is not None
    return render_module(published(compilation.guideline))


def generated_schema(compilation: Compilation) -> str:
    from mmdsl.backends.json_schema import render_schema
    from mmdsl.pipeline import published

    assert compilation.guideline is not None
    return render_schema(published(compilation.guideline))


def generated_decision_schema(compilation: Compilation) -> str:
    from mmdsl.backends.decision_schema import render_decision_schema
    from mmdsl.pipeline import published

    assert compilation.guideline is not None
    return render_decision_schema(published(compilation.guideline))


GENERATED_FILES: tuple[tuple[str, Callable[[Compilation], str]], ...] = (
    (".py", generated_module),
    (".schema.json", generated_schema),
    (".decision.schema.json", generated_decision_schema),
)
"""What `compile` writes for each table file: OUTPUT/<name> + suffix, made by the function."""


def report_output(source: str, target: str, outcome: Outcome, rerun: str) -> None:
    messages: dict[Outcome, str] = {
        "written": f"wrote {target}",
        "up to date": f"{target} is up to date",
        "stale": f"{target} is stale: run `{rerun}`",
        "missing": f"{target} is missing: run `{rerun}`",
        "errors": f"{source} has errors: {target} was left as it was",
    }
    click.echo(messages[outcome], err=outcome in FAILED_OUTCOMES)


# ---- mmdsl eval --------------------------------------------------------------------------------


@main.command(name="eval")
@click.argument("table_file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--facts", "facts_file", required=True, type=click.File("rb"),
              help="a JSON file of patient facts or a FHIR QuestionnaireResponse, or - for "
                   "standard input")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default=None,
              help="text: the decision as a clinician reads it; json: the decision JSON, and "
                   "invalid facts as {\"errors\": [...]} [default: the decision JSON]")
@click.option("--despite-findings", is_flag=True,
              help="evaluate tables whose only errors are the verifier's findings (a gap in a "
                   "complete table, an overlap), as written: to try the witness patient a finding "
                   "names; the findings are shown on standard error")
def eval_command(table_file: str, facts_file: IO[bytes], output_format: OutputFormat | None,
                 despite_findings: bool) -> None:
    """Print the decision for one patient's facts.

    The facts are the JSON object of docs/decision.md, or a FHIR QuestionnaireResponse that
    answers the guideline's Questionnaire (`mmdsl export --to fhir`). Without --format the
    decision JSON is printed, byte for byte what the generated module prints; --format text
    prints it for people: each table's options in order with their tier, evidence and
    caveats, and what was not given and why.

    Exit status 0 for a decision whose status is ok or out_of_scope; 3 for a decision in error
    (status error: rules of a unique or any table in conflict, or no rule of a table declared
    complete; its `errors` name the table and the kind). Invalid facts exit with status 2 and
    name every bad field (for a QuestionnaireResponse, every item): on standard error, one per
    line, or as {"errors": [...]} on standard output with --format json. Tables with errors
    exit with status 1 and their diagnostics (as
    {"diagnostics": [...]} with --format json), unless --despite-findings is given and their
    only errors are the verifier's findings (MD6xx): then the tables as written are evaluated,
    and a patient the finding names gets the status the run-time checks give (exit 3).

    \b
    Example:
      mmdsl eval tables/myeloma_post_daratumumab.mmdsl --facts examples/patient.json
      mmdsl eval tables/myeloma_post_daratumumab.mmdsl --facts response.json --format text
      echo '{"prior_lines": 4, ...}' | mmdsl eval tables/x.mmdsl --facts -
    """
    shown_format: OutputFormat = output_format or "text"
    guideline = compiled_guideline(table_file, shown_format, despite_findings)
    from mmdsl.fhir.response import facts_from_any
    from mmdsl.interpreter import evaluate
    from mmdsl.runtime.prelude import MAX_FACTS_SIZE, InputError, decision_json, parse_facts_json

    try:
        facts = facts_from_any(guideline, parse_facts_json(facts_file.read(MAX_FACTS_SIZE + 1)))
        decision = evaluate(guideline, facts)
    except InputError as error:
        report_invalid_facts(error, shown_format)
        finish(USAGE)
    if output_format == "text":
        from mmdsl.backends.decision_view import read_decision, render_text

        print_utf8(render_text(read_decision(guideline, decision)))
    else:
        print_utf8(decision_json(decision) + "\n")
    finish(DECISION_ERROR if decision["status"] == "error" else OK)


def report_invalid_facts(error: InputError, output_format: OutputFormat) -> None:
    """Every problem of the facts: `error: FIELD: MESSAGE` lines, or {"errors": [...]}."""
    if output_format == "json":
        print_json({"errors": error.errors})
        return
    paint = painter(sys.stderr)
    for problem in str(error).splitlines():
        click.echo(f"{paint('error', 'error')}: {problem}", err=True)


# ---- mmdsl test --------------------------------------------------------------------------------


@main.command(name="test")
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


# ---- commands that live in mmdsl/commands/ -----------------------------------------------------

main.add_command(fmt)
main.add_command(import_command)
main.add_command(export)
main.add_command(docs)
main.add_command(cohort)
main.add_command(serve)
main.add_command(lsp)
main.add_command(diff)
