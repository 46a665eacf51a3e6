"""Running DMN TCK test cases through `mmdsl import` and the reference interpreter.

A TCK folder holds a model (`*.dmn`) and test files (`*-test-01.xml`): each test case gives input
values and the expected result of some decisions. A case runs like this: import the model (the
whole import: safe XML, translation to mmdsl text, the ordinary compiler with all its checks),
turn the case's inputs into mmdsl facts through the import's name map, evaluate with the
interpreter, and turn the decision JSON back into DMN results:

- a single-hit table with one output gives the value, with several outputs a context;
- a collecting table gives a list (of values or of contexts), an aggregation the number;
- a derived fact (a literal expression) gives true or false, or its number;
- `null` is None, enumeration members become their DMN strings again, numbers are compared as
  decimals (a float's shortest repr, so 64.32 stays 64.32).

The TCK is vendored in tests/fixtures/dmn-tck (its SOURCE.txt says from where, under which licence).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from mmdsl.diagnostics.model import Severity
from mmdsl.frontends.dmn.importer import ImportResult, import_dmn
from mmdsl.frontends.dmn.safexml import Element, parse
from mmdsl.frontends.dmn.translate import DecisionName, InputName, Translation
from mmdsl.frontends.dmn.types import ValueType
from mmdsl.interpreter import evaluate

ROOT = Path(__file__).resolve().parents[2]
XSI = "http://www.w3.org/2001/XMLSchema-instance"

Value = Decimal | str | bool | None | list["Value"] | dict[str, "Value"]


def tck_folder() -> Path:
    return ROOT / "tests" / "fixtures" / "dmn-tck"


# ---- reading test files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    decision: str
    value: Value
    error_result: bool


@dataclass(frozen=True)
class Case:
    folder: str  # "compliance-level-2/0004-simpletable-U"
    model: Path
    id: str
    description: str
    inputs: dict[str, Value]
    expected: tuple[Expected, ...]

    @property
    def label(self) -> str:
        return f"{self.folder.split('/')[-1]}:{self.id}"


def cases_in(folder: Path) -> list[Case]:
    """The test cases of one TCK folder, from its `*-test-01.xml` files."""
    relative = folder.relative_to(tck_folder()).as_posix()
    cases = []
    for test_file in sorted(folder.glob("*-test-01.xml")):
        root = parse(test_file.read_bytes())
        model = folder / (_child(root, "modelName").text.strip())
        cases += [_case(relative, model, element) for element in _children(root, "testCase")]
    return cases


def _children(element: Element, tag: str) -> list[Element]:
    return [c for c in element.children if c.tag == tag]


def _child(element: Element, tag: str) -> Element:
    found = _children(element, tag)
    assert found, f"<{element.tag}> has no <{tag}>"
    return found[0]


def _case(folder: str, model: Path, element: Element) -> Case:
    description = _children(element, "description")
    return Case(
        folder, model, element.attributes.get("id", ""),
        description[0].text.strip() if description else "",
        {node.attributes["name"]: _value_of(node) for node in _children(element, "inputNode")},
        tuple(Expected(node.attributes["name"], _value_of(_child(node, "expected")),
                       node.attributes.get("errorResult") == "true")
              for node in _children(element, "resultNode")))


def _value_of(node: Element) -> Value:
    """The value held by an inputNode, expected, component or item element."""
    for child in node.children:
        if child.tag == "value":
            return _simple(child)
        if child.tag == "list":
            return [_value_of(item) for item in _children(child, "item")]
        if child.tag == "component":
            return {c.attributes["name"]: _value_of(c) for c in _children(node, "component")}
    return None


def _simple(element: Element) -> Value:
    if element.attributes.get(f"{{{XSI}}}nil") == "true":
        return None
    kind = element.attributes.get(f"{{{XSI}}}type", "").split(":")[-1]
    text = element.text.strip()
    if kind in ("decimal", "integer", "double", "int", "long"):
        return Decimal(text)
    if kind == "boolean":
        return text == "true"
    return element.text


# ---- running a case ---------------------------------------------------------------------------------


@cache
def imported(model: Path) -> ImportResult:
    """The import of a model, once per model (its compilation includes all of mmdsl's checks).

    A partial import: a decision mmdsl cannot say is left out with its reason, and the cases
    that ask for it are refused with that reason; the other decisions of the model still run.
    The inputs that some case of the folder gives as null are imported `or unknown` (null is
    then a value, and FEEL's three-valued logic is mmdsl's); the others stay required."""
    nulls = frozenset(name for case in cases_in(model.parent) if case.model == model
                      for name, value in case.inputs.items() if value is None)
    return import_dmn(model.read_bytes(), model.name, f"{model.stem}.mmdsl", partial=True,
                      unknown=nulls)


def problems_of(result: ImportResult) -> str:
    from mmdsl.diagnostics.render import render_text

    return render_text(result.all_diagnostics, result.sources)


@dataclass(frozen=True)
class Outcome:
    """What happened to one case: `passed`; `wrong` (mmdsl answered and the answer differs from
    the TCK's, or mmdsl itself failed); `refused` (the model does not import, or mmdsl rejects the
    case's inputs, with the reason). Only `wrong` is a defect: refusing is mmdsl saying what it
    cannot express."""

    status: str
    reason: str = ""


_OUTCOMES: dict[tuple[str, str], Outcome] = {}


def outcome_of(case: Case) -> Outcome:
    """The case's outcome, once per case; never raises."""
    key = (case.folder, case.id)
    if key not in _OUTCOMES:
        _OUTCOMES[key] = _outcome(case)
    return _OUTCOMES[key]


def _outcome(case: Case) -> Outcome:
    """An exception in mmdsl is a wrong answer, with its text: never a crash of the runner."""
    from mmdsl.runtime.prelude import InputError

    try:
        result = imported(case.model)
        guideline = result.compilation.guideline if result.compilation else None
        left_out = left_out_reason(case, result.translation)
        if left_out:
            return Outcome("refused", left_out)
        if guideline is None:
            return Outcome("refused", refusal_reason(result))
        try:
            facts = facts_for(case, result.translation)
            facts |= unread_fillers(guideline, case, result.translation, facts)
            decision = evaluate(guideline, facts)
        except (InputError, UnsupportedInput) as error:
            return Outcome("refused", f"inputs rejected: {_first_line(error)}")
        problem = differences(case, decision, result.translation)
    except Exception as error:
        return Outcome("wrong", f"mmdsl failed: {type(error).__name__}: {error}")
    return Outcome("wrong", problem) if problem else Outcome("passed")


def run_case(case: Case, result: ImportResult) -> str | None:
    """None when every expected result is produced; otherwise what differs or why it did not run."""
    del result  # imported(case.model), cached
    outcome = outcome_of(case)
    return None if outcome.status == "passed" else f"{outcome.status}: {outcome.reason}"


class UnsupportedInput(ValueError):
    """A case input the translation has no place for."""


def refusal_reason(result: ImportResult) -> str:
    """The first error of the import, as `MD702 literal expression ...` (one line)."""
    compiled = result.compilation.diagnostics if result.compilation else []
    if result.translation.left_out:  # a partial import: what failed is the text's compilation
        errors = [d for d in compiled if d.severity is Severity.ERROR]
        if errors:
            return f"the imported text does not compile: {errors[0].code} {errors[0].message}"
    errors = [d for d in result.all_diagnostics if d.severity is Severity.ERROR]
    if not errors:
        return "does not import"
    first = errors[0]
    return f"{first.code} {first.message}"


def left_out_reason(case: Case, translation: Translation) -> str | None:
    """Why the partial import cannot answer the case: a decision it asks for was left out."""
    for expected in case.expected:
        reason = translation.left_out.get(expected.decision)
        if reason is not None:  # the name as `…`, so that the cases of one reason list together
            return f"left out: {reason.replace(f'`{expected.decision}`', '`…`')}"
    return None


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]


def differences(case: Case, decision: dict[str, Any], translation: Translation) -> str | None:
    found = []
    for expected in case.expected:
        mapping = translation.decisions.get(expected.decision)
        if mapping is None:
            found.append(f"{expected.decision}: not a decision of the import")
            continue
        actual = dmn_result(decision, mapping)
        if not same(expected.value, actual):
            found.append(f"{expected.decision}: expected {expected.value!r}, got {actual!r}")
    return "; ".join(found) or None


def facts_for(case: Case, translation: Translation) -> dict[str, Any]:
    facts = {}
    for dmn_name, value in case.inputs.items():
        if dmn_name in translation.components:  # a context, one input per component
            facts.update(component_facts(dmn_name, value, translation.components[dmn_name]))
            continue
        mapping = translation.inputs.get(dmn_name)
        if mapping is None and dmn_name in translation.left_out:
            continue  # no decision that is kept reads it
        if mapping is None:
            raise UnsupportedInput(f"the model has no input `{dmn_name}`")
        if value is None and mapping.unknown:  # declared `or unknown`: null is a value
            facts[mapping.name] = None
            continue
        if value is None:  # docs/dmn.md, "Null inputs"
            raise UnsupportedInput(f"{dmn_name} is null; an mmdsl input always has a value")
        facts[mapping.name] = fact_value(value, mapping.type)
    return facts


def unread_fillers(guideline: Any, case: Case, translation: Translation,
                   facts: dict[str, Any]) -> dict[str, Any]:
    """A value for each input the case does not give and that no decision it asks for reads.

    A TCK case gives only the inputs of the decisions it tests (0017's case 004 gives dateD
    and dateE, not the structure the other tables read), where mmdsl asks for every input. An
    input that the tested decisions do not read, through any fact, duration or table, nor the
    scope, cannot change their results, so any valid value does; one that they read is left
    missing, and mmdsl refuses the case."""
    roots = {translation.decisions[e.decision].name for e in case.expected
             if e.decision in translation.decisions}
    read = _reads_closure(guideline, roots)
    return {i.name: _any_value(i.type) for i in guideline.inputs
            if i.required and i.name not in facts and i.name not in read}


def _reads_closure(guideline: Any, roots: set[str]) -> set[str]:
    """Every name the roots read, directly or through facts, durations and tables."""
    from mmdsl.ir.walk import choices, numbers_read, refs_read

    reads: dict[str, set[str]] = {f.name: set(refs_read(f.condition)) for f in guideline.facts}
    for computed in guideline.computed:
        reads[computed.name] = set(numbers_read(computed.expr)) \
            | {r for c in choices(computed.expr) for r in refs_read(c)}
    for interval in guideline.intervals:
        reads[interval.name] = {interval.start, interval.end}
    for table in guideline.tables:
        reads[table.name] = {c.ref for c in table.columns} \
            | {r for rule in table.rules for test in rule.tests for r in refs_read(test)}
    pending = set(roots) | (set(refs_read(guideline.scope.condition)) if guideline.scope else set())
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        seen.add(name)
        pending |= {r.split(".")[0] if r not in reads else r for r in reads.get(name, ())} - seen
    return seen


def _any_value(value_type: Any) -> Any:
    kind = value_type.kind
    if kind in ("integer", "decimal"):
        number = value_type.low if value_type.low is not None else 0
        return int(number) if kind == "integer" else float(number)
    return {"bool": False, "text": "", "date": "2000-01-01", "set": [],
            "enum": value_type.members[0] if value_type.members else ""}[kind]


def component_facts(dmn_name: str, value: Value, components: dict[str, InputName]
                    ) -> dict[str, Any]:
    """A context's values on the inputs its components became; a component the case does not
    give is left out (mmdsl then refuses the case: its inputs are required)."""
    if not isinstance(value, dict):
        raise UnsupportedInput(f"{dmn_name}: expected a context, got {value!r}")
    paths = dict(_paths(value))
    unknown = sorted(set(paths) - set(components))
    if unknown:
        raise UnsupportedInput(f"{dmn_name}: the model has no component `{unknown[0]}`")
    return {components[c].name: fact_value(v, components[c].type) for c, v in paths.items()}


def _paths(value: dict[str, Value], prefix: str = "") -> list[tuple[str, Value]]:
    """A context's simple values by path: `{"Monthly": {"Income": 1}}` gives `Monthly.Income`."""
    found: list[tuple[str, Value]] = []
    for key, item in value.items():
        if isinstance(item, dict):
            found += _paths(item, f"{prefix}{key}.")
        else:
            found.append((f"{prefix}{key}", item))
    return found


def fact_value(value: Value, value_type: ValueType) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value_type.kind == "integer" else float(value)
    if isinstance(value, str) and value_type.kind == "enum":
        return value_type.members.get(value, value)
    if isinstance(value, list) and value_type.kind == "set":
        return [value_type.members.get(v, v) if isinstance(v, str) else v for v in value]
    return value


def dmn_result(decision: dict[str, Any], mapping: DecisionName) -> Value:
    """The DMN result of one decision, from mmdsl's decision JSON."""
    if mapping.result == "fact":  # yes, no, or unknown (null) over inputs that may be null
        value = decision["derived"][mapping.name]
        return None if value is None else bool(value)
    if mapping.result == "computed":  # a computed number (`fact NAME = EXPR`)
        return _number(decision["derived"][mapping.name])
    if mapping.result == "text":  # a text fact (`fact NAME = "a" + b`): text, never null
        return str(decision["derived"][mapping.name])
    result = decision.get(mapping.name)
    if mapping.result == "number":
        return _number(result)
    if mapping.result == "list":
        return [_row(row, mapping) for row in result or []]
    return None if result is None else _row(result, mapping)


def _row(row: dict[str, Any], mapping: DecisionName) -> Value:
    """A table with one output gives that output's value; with several, a context."""
    if len(mapping.outputs) == 1:
        output = mapping.outputs[0]
        return _dmn_value(row[output.name], output.type)
    return {o.dmn_name or o.name: _dmn_value(row[o.name], o.type) for o in mapping.outputs}


def _dmn_value(value: Any, value_type: ValueType) -> Value:
    if value is None or isinstance(value, bool):
        return value  # type: ignore[no-any-return]
    if isinstance(value, (int, float)):
        return _number(value)
    if value_type.kind == "enum":
        return {member: text for text, member in value_type.members.items()}[value]
    return str(value)


def _number(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def same(expected: Value, actual: Value) -> bool:
    """Equal as DMN values: numbers as decimals, booleans only with booleans."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) \
            and all(same(e, a) for e, a in zip(expected, actual, strict=True))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and expected.keys() == actual.keys() \
            and all(same(expected[k], actual[k]) for k in expected)
    return expected == actual


# ---- the summary printed at the end of the test session ------------------------------------------------


@dataclass
class FolderTally:
    passed: int = 0
    wrong: int = 0
    refused: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    out_of_scope: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def not_passed(self) -> int:
        return self.wrong + sum(len(ids) for ids in self.refused.values())

    @property
    def total(self) -> int:
        return self.passed + self.not_passed


TALLY: dict[str, FolderTally] = defaultdict(FolderTally)


def record(case: Case, passed: bool) -> None:
    """A case whose outcome is only passed or not (0072-feel-in's own way of running)."""
    record_outcome(case, Outcome("passed") if passed else Outcome("wrong", "differs"))


def record_outcome(case: Case, outcome: Outcome) -> None:
    tally = TALLY[case.folder]
    if outcome.status == "passed":
        tally.passed += 1
    elif outcome.status == "wrong":
        tally.wrong += 1
    else:
        tally.refused[outcome.reason].append(case.id)


def record_out_of_scope(case: Case, reason: str) -> None:
    TALLY[case.folder].out_of_scope[reason].append(case.id)


def group_of(folder: str) -> str:
    """The line of the summary a folder counts in: level 2, the level-3 table models, or
    0072-feel-in (run in its own way, case by case with the out-of-scope ones set apart)."""
    level, name = folder.split("/")
    if level == "compliance-level-2":
        return "compliance-level-2"
    return f"{level} {name}" if name == "0072-feel-in" else f"{level} (decision-table models)"


def summary_lines() -> list[str]:
    """`DMN TCK compliance-level-2: 57/116 passed, 0 wrong`, then a line per folder."""
    lines: list[str] = []
    groups: dict[str, list[str]] = defaultdict(list)
    for folder in sorted(TALLY):
        groups[group_of(folder)].append(folder)
    for group, folders in groups.items():
        passed = sum(TALLY[f].passed for f in folders)
        total = sum(TALLY[f].total for f in folders)
        wrong = sum(TALLY[f].wrong for f in folders)
        lines.append(f"DMN TCK {group}: {passed}/{total} passed, {wrong} wrong")
        for folder in folders:
            lines += _folder_lines(folder, TALLY[folder])
    return lines


def _folder_lines(folder: str, tally: FolderTally) -> list[str]:
    name = folder.split("/")[-1]
    skipped = sum(len(ids) for ids in tally.out_of_scope.values())
    scope = f" ({skipped} out of scope)" if skipped else ""
    wrong = f", {tally.wrong} wrong" if tally.wrong else ""
    lines = [f"  {name}: {tally.passed}/{tally.total} passed{wrong}{scope}"]
    for reason, ids in sorted(tally.refused.items()):
        lines.append(f"    not run, {reason}: {len(ids)} ({_families(ids)})")
    for reason, ids in sorted(tally.out_of_scope.items()):
        lines.append(f"    out of scope, {reason}: {len(ids)} ({_families(ids)})")
    return lines

def _families(ids: list[str]) -> str:
    """`number_001, number_002` when there are few; else counts by family, `date ×43`."""
    if len(ids) <= 12:
        return ", ".join(ids)
    families: dict[str, int] = defaultdict(int)
    for case_id in ids:
        families[case_id.split("_0")[0]] += 1
    if len(families) == len(ids):
        return f"{ids[0]} … {ids[-1]}"
    return ", ".join(f"{family} ×{count}" for family, count in families.items())


# ---- the list of cases not passed in docs/dmn.md, generated from the runner ------------------------

DOCS = ROOT / "docs" / "dmn.md"
BEGIN = "<!-- tck-results: generated by `python -m tests.dmn.tck`; do not edit by hand -->"
END = "<!-- end of tck-results -->"


def level_folders(level: str) -> list[Path]:
    return [folder for folder in sorted((tck_folder() / level).iterdir()) if folder.is_dir()]


def table_model_folders() -> list[Path]:
    """The level-3 folders whose model has a decision table."""
    return [folder for folder in level_folders("compliance-level-3")
            if any(b"decisionTable" in model.read_bytes() for model in folder.glob("*.dmn"))]


def level_2_cases() -> list[Case]:
    return [case for folder in level_folders("compliance-level-2") for case in cases_in(folder)]


def level_3_table_cases() -> list[Case]:
    return [case for folder in table_model_folders() for case in cases_in(folder)]


def results_markdown() -> str:
    """The counts and every case not passed with its reason, level 2 and level-3 table models."""
    lines = [BEGIN, ""]
    for title, cases in (("Compliance level 2", level_2_cases()),
                         ("Compliance level 3, the models built on decision tables",
                          level_3_table_cases())):
        outcomes = [(case, outcome_of(case)) for case in cases]
        passed = sum(outcome.status == "passed" for _, outcome in outcomes)
        wrong = sum(outcome.status == "wrong" for _, outcome in outcomes)
        lines += [f"**{title}: {passed}/{len(cases)} passed, {wrong} wrong.** Not passed:", ""]
        lines += _not_passed_lines(outcomes) or ["(none)"]
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def _not_passed_lines(outcomes: list[tuple[Case, Outcome]]) -> list[str]:
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for case, outcome in outcomes:
        if outcome.status != "passed":
            reason = outcome.reason.splitlines()[0] if outcome.reason else ""
            grouped[(case.folder.split("/")[-1], outcome.status, reason)].append(case.id)
    return [f"- {folder}, {len(ids)} case{'s' if len(ids) > 1 else ''} ({_families(ids)}): "
            f"{'WRONG ' if status == 'wrong' else ''}{_markdown(reason)}"
            for (folder, status, reason), ids in sorted(grouped.items())]


def _markdown(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


def docs_with_results(text: str) -> str:
    """docs/dmn.md with its generated section replaced by the current results."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + results_markdown() + text[end:]


if __name__ == "__main__":
    DOCS.write_text(docs_with_results(DOCS.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DOCS.relative_to(ROOT)}")
