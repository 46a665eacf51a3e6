"""Worked examples: run each one through the interpreter and compare it with its expectations.

An expectation names what it checks (its subject):

- `status`: the decision's status (`ok`, `out_of_scope`, `error`);
- a derived fact: its value under `derived`;
- `table.output`: for a table that gives a list (collect, rule order, output order) the list of
  that output's values across the rows, for a single-hit table that output's value or none;
- `table`: an aggregating table's number; for a table with one output the same as
  `table.output`; and `none` for "the table gives nothing" whatever its outputs.

The command `mmdsl test` and the review documents both use `check_example`; neither decides
on its own what an example means.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mmdsl.ir.model import IRExample, IRExpectation, IRGuideline, IRTable, JsonValue

if TYPE_CHECKING:
    from mmdsl.runtime.prelude import InputError


@dataclass(frozen=True, slots=True)
class ExpectationResult:
    expectation: IRExpectation
    actual: JsonValue
    status: str  # the decision's status, to explain an empty table result

    @property
    def holds(self) -> bool:
        return same_value(self.expectation.expected, self.actual)

    def problem(self) -> str:
        """`expected SUBJECT = X, got Y`, with the status when the decision is out of scope."""
        subject = self.expectation.subject
        got = shown_value(self.actual)
        if subject != "status" and self.status != "ok":
            got += f" (status {self.status})"
        return f"expected {subject} = {shown_value(self.expectation.expected)}, got {got}"


@dataclass(frozen=True, slots=True)
class ExampleOutcome:
    """What happened to one example: its decision and each expectation, or its invalid facts."""

    example: IRExample
    decision: dict[str, Any] | None  # None when the facts are invalid
    input_error: InputError | None
    results: tuple[ExpectationResult, ...]

    @property
    def passed(self) -> bool:
        return self.input_error is None and all(r.holds for r in self.results) and not self.errors

    @property
    def errors(self) -> list[str]:
        """The errors of a decision in error (a conflict, no rule in a complete table) that the
        example does not expect (`status: error`): such a patient has no valid decision."""
        if self.decision is None or self.decision.get("status") != "error":
            return []
        if any(r.expectation.subject == "status" for r in self.results):
            return []  # the example's own expectation of the status says whether it holds
        return [f"{e['table']}: {e['message']}" for e in self.decision.get("errors", [])]


def check_example(guideline: IRGuideline, example: IRExample) -> ExampleOutcome:
    """Evaluate the example's facts and compare the decision with every expectation."""
    from mmdsl.interpreter import evaluate
    from mmdsl.runtime.prelude import InputError

    try:
        decision = evaluate(guideline, dict(example.facts))
    except InputError as error:
        return ExampleOutcome(example, None, error, ())
    status = str(decision.get("status"))
    results = tuple(ExpectationResult(e, actual_value(guideline, decision, e.subject), status)
                    for e in example.expectations)
    return ExampleOutcome(example, decision, None, results)


# ---- what the decision says about a subject ------------------------------------------------------


def actual_value(guideline: IRGuideline, decision: Mapping[str, Any], subject: str) -> JsonValue:
    """The value of an expectation's subject in a decision, in the form expectations use."""
    if subject == "status":
        return decision.get("status")
    if any(fact.name == subject for fact in guideline.facts) or any(
            computed.name == subject for computed in guideline.computed) or any(
            label.name == subject for label in guideline.labels):
        derived = decision.get("derived") or {}
        return derived.get(subject)
    table_name, _, output = subject.partition(".")
    table = next((t for t in guideline.tables if t.name == table_name), None)
    if table is None:
        return None
    return table_value(table, decision.get(table_name), output)


def table_value(table: IRTable, result: JsonValue, output: str) -> JsonValue:
    if output:
        return output_values(table, result, output)
    if table.result_kind == "number":
        return result
    if len(table.outputs) == 1:
        return output_values(table, result, table.outputs[0].name)
    return result or (None if table.result_kind == "single" else [])


def output_values(table: IRTable, result: JsonValue, output: str) -> JsonValue:
    """One output of a table result: a value (or None) for a single hit, else a list of values."""
    if table.result_kind == "single":
        return result.get(output) if isinstance(result, dict) else None
    rows = result if isinstance(result, list) else []
    return [row.get(output) for row in rows if isinstance(row, dict)]


# ---- comparing and showing values -------------------------------------------------------------


def same_value(expected: JsonValue, actual: JsonValue) -> bool:
    """Equal as JSON values, where yes/no is never a number and "none" is no value or no rows."""
    if isinstance(expected, list) and not isinstance(actual, list):
        actual = [] if actual is None else [actual]
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            same_value(e, a) for e, a in zip(expected, actual, strict=True))
    return expected == actual and isinstance(expected, bool) == isinstance(actual, bool)


def shown_value(value: JsonValue | Any) -> str:
    """A value as an author writes it in an example: `yes`, `none`, `IsaPd, IsaKd`."""
    if value is None or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(shown_value(item) for item in value)
    if isinstance(value, str) and value.replace("-", "_").isidentifier():
        return value
    return json.dumps(value, ensure_ascii=False)


# ---- a report over a whole file ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Failure:
    """One line of the `mmdsl test` report: where, which example, and what went wrong."""

    path: str
    line: int
    example: str
    problem: str
    subject: str | None = None
    expected: JsonValue = None
    actual: JsonValue = None

    @property
    def message(self) -> str:
        return f"{self.path}:{self.line}: example {self.example}: {self.problem}"

    def to_json(self) -> dict[str, JsonValue]:
        record: dict[str, JsonValue] = {"file": self.path, "line": self.line,
                                        "example": self.example, "message": self.problem}
        if self.subject is not None:
            record |= {"subject": self.subject, "expected": self.expected, "actual": self.actual}
        return record


@dataclass(frozen=True, slots=True)
class UnreachedRule:
    table: str
    rule: str
    line: int


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    outcomes: tuple[ExampleOutcome, ...]
    unreached: tuple[UnreachedRule, ...]

    @property
    def failed(self) -> list[ExampleOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.passed]

    @property
    def failures(self) -> list[Failure]:
        return [f for outcome in self.outcomes for f in failures_of(self.path, outcome)]


def run_file_examples(guideline: IRGuideline) -> FileReport:
    """Every example of a guideline checked, and the rules that none of them reaches."""
    outcomes = tuple(check_example(guideline, example) for example in guideline.examples)
    return FileReport(guideline.source_path, outcomes, unreached_rules(guideline, outcomes))


def failures_of(path: str, outcome: ExampleOutcome) -> list[Failure]:
    name = outcome.example.name
    if outcome.input_error is not None:
        return [Failure(path, outcome.example.line, name, f"invalid facts: {problem}")
                for problem in str(outcome.input_error).splitlines()]
    return [Failure(path, r.expectation.line, name, r.problem(), r.expectation.subject,
                    r.expectation.expected, r.actual)
            for r in outcome.results if not r.holds] + [
        Failure(path, outcome.example.line, name, f"the decision is in error: {error}", "status",
                "ok", "error") for error in outcome.errors]


def unreached_rules(guideline: IRGuideline, outcomes: Sequence[ExampleOutcome]) -> tuple[UnreachedRule, ...]:
    """The rules, in table order, whose conditions held for no example."""
    reached = {rule for outcome in outcomes for rule in reached_rules(guideline, outcome)}
    return tuple(UnreachedRule(table.name, rule.name, rule.line)
                 for table in guideline.tables for rule in table.rules
                 if (table.name, rule.name) not in reached)


def reached_rules(guideline: IRGuideline, outcome: ExampleOutcome) -> set[tuple[str, str]]:
    """(table, rule) for every rule whose conditions held for the example's patient.

    The interpreter's own `holds` re-runs each rule's tests on the values the decision was made
    from: the checked facts, the derived facts, and the results of the tables before it.
    """
    if outcome.decision is None:
        return set()
    from mmdsl.interpreter import durations, holds, publish
    from mmdsl.runtime.inputs import input_fields
    from mmdsl.runtime.prelude import validate_facts

    values = validate_facts(dict(outcome.example.facts), input_fields(guideline.inputs))
    values.update(outcome.decision["derived"])
    values.update(durations(guideline, values))
    reached: set[tuple[str, str]] = set()
    for table in guideline.tables:
        if table.name not in outcome.decision:  # out of scope: no table was looked at
            break
        reached |= {(table.name, rule.name) for rule in table.rules
                    if all(holds(test, values) for test in rule.tests)}
        publish(table, outcome.decision[table.name], values)
    return reached
