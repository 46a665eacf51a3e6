"""Running DMN TCK test cases through `mmdsl import` and the reference interpreter.

A TCK folder holds a model (`*.dmn`) and test files (`*-test-01.xml`): each test case gives input
values and the expected result of some decisions. A case runs like this: import the model (the
whole import: safe XML, translation to mmdsl text, the ordinary compiler with all its checks),
turn the case's inputs into mmdsl facts through the import's name map, evaluate with the
interpreter, and turn the decision JSON back into DMN results:

- a single-hit table with one output gives the value, with several outputs a context;
- a collecting table gives a list (of values or of contexts), an aggregation the number;
- a derived fact (a boolean literal expression) gives true or false;
- `null` is None, enumeration members become their DMN strings again, numbers are compared as
  decimals (a float's shortest repr, so 64.32 stays 64.32).

The TCK folder is `MMDSL_DMN_TCK`, by default `../shared/dmn-tck` beside the repository.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from mmdsl.dmn.importer import ImportResult, import_dmn
from mmdsl.dmn.safexml import Element, parse
from mmdsl.dmn.translate import DecisionName, Translation
from mmdsl.dmn.types import ValueType
from mmdsl.interpreter import evaluate

ROOT = Path(__file__).resolve().parents[2]
XSI = "http://www.w3.org/2001/XMLSchema-instance"

Value = Decimal | str | bool | None | list["Value"] | dict[str, "Value"]


def tck_folder() -> Path:
    return Path(os.environ.get("MMDSL_DMN_TCK") or ROOT.parent / "shared" / "dmn-tck")


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
    """The import of a model, once per model (its compilation includes all of mmdsl's checks)."""
    return import_dmn(model.read_bytes(), model.name, f"{model.stem}.mmdsl")


def problems_of(result: ImportResult) -> str:
    from mmdsl.diagnostics.render import render_text

    return render_text(result.all_diagnostics, result.sources)


def run_case(case: Case, result: ImportResult) -> str | None:
    """None when every expected result is produced; otherwise what differs."""
    guideline = result.compilation.guideline if result.compilation else None
    if guideline is None:
        return f"the model does not import:\n{problems_of(result)}"
    decision = evaluate(guideline, facts_for(case, result.translation))
    differences = []
    for expected in case.expected:
        actual = dmn_result(decision, result.translation.decisions[expected.decision])
        if not same(expected.value, actual):
            differences.append(f"{expected.decision}: expected {expected.value!r}, got {actual!r}")
    return "; ".join(differences) or None


def facts_for(case: Case, translation: Translation) -> dict[str, Any]:
    facts = {}
    for dmn_name, value in case.inputs.items():
        mapping = translation.inputs[dmn_name]
        facts[mapping.name] = fact_value(value, mapping.type)
    return facts


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
    if mapping.result == "fact":
        return bool(decision["derived"][mapping.name])
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
    failed: int = 0
    out_of_scope: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def run(self) -> int:
        return self.passed + self.failed


TALLY: dict[str, FolderTally] = defaultdict(FolderTally)


def record(case: Case, passed: bool) -> None:
    tally = TALLY[case.folder]
    if passed:
        tally.passed += 1
    else:
        tally.failed += 1


def record_out_of_scope(case: Case, reason: str) -> None:
    TALLY[case.folder].out_of_scope[reason].append(case.id)


def summary_lines() -> list[str]:
    """`DMN TCK compliance-level-2: 51/51 passed`, a line per folder, out-of-scope reasons."""
    lines: list[str] = []
    levels: dict[str, list[str]] = defaultdict(list)
    for folder in sorted(TALLY):
        levels[folder.split("/")[0]].append(folder)
    for level, folders in levels.items():
        passed = sum(TALLY[f].passed for f in folders)
        run = sum(TALLY[f].run for f in folders)
        lines.append(f"DMN TCK {level}: {passed}/{run} passed")
        for folder in folders:
            lines += _folder_lines(folder, TALLY[folder])
    return lines


def _folder_lines(folder: str, tally: FolderTally) -> list[str]:
    name = folder.split("/")[-1]
    skipped = sum(len(ids) for ids in tally.out_of_scope.values())
    scope = f" ({skipped} out of scope)" if skipped else ""
    lines = [f"  {name}: {tally.passed}/{tally.run} passed{scope}"]
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
    return ", ".join(f"{family} ×{count}" for family, count in families.items())
