"""`mmdsl eval`: the decision for one patient's facts."""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

import click

from mmdsl.commands.common import (
    DECISION_ERROR,
    OK,
    USAGE,
    OutputFormat,
    compiled_guideline,
    finish,
    painter,
    print_json,
    print_utf8,
)

if TYPE_CHECKING:
    from mmdsl.runtime.prelude import InputError


@click.command(name="eval")
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
        from mmdsl.backends.review.decision_view import read_decision, render_text

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
