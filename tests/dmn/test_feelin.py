"""Exported DMN evaluated by a third-party FEEL engine, feelin (npm, installed by `make feelin`,
which `make test` runs first), compared with mmdsl on the worked examples and seeded random
patients: the myeloma guideline's export and the export of every TCK model mmdsl imports.

The DMN file is read here with the standard library's ElementTree, not with mmdsl's reader; the
FEEL texts (input expressions, cells, output entries, literal expressions, output values) are
evaluated by feelin and DMN's hit policies applied by tests/dmn/feelin_eval.mjs, so that mmdsl
takes no part in the other side of the comparison. What a DMN engine does not apply by design
(docs/dmn.md: the scope, `order by`, `distinct by`) is compared as DMN means it: tables are
compared only for patients in scope, and a list that mmdsl sorts or thins is compared as a set.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.dmn.model import MMDSL_NAMESPACE
from mmdsl.interpreter import evaluate
from mmdsl.ir import model as ir
from mmdsl.pipeline import compile_path
from mmdsl.runtime.inputs import input_fields
from mmdsl.runtime.prelude import InputError, validate_facts
from mmdsl.semantics import calendar
from tests.backend.facts import named_values, random_facts
from tests.dmn.tck import (
    facts_for,
    imported,
    level_2_cases,
    level_3_table_cases,
    outcome_of,
    unread_fillers,
)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("feelin_eval.mjs")
FEELIN = ROOT / "node_modules" / "feelin" / "package.json"
DMN = "{https://www.omg.org/spec/DMN/20230324/MODEL/}"
EXT = f"{{{MMDSL_NAMESPACE}}}"
PATIENTS = 60


@dataclass(frozen=True)
class Job:
    """One exported model: its decisions as read from the DMN file, the patients, the scope."""

    guideline: ir.IRGuideline
    decisions: list[dict[str, Any]]
    patients: list[dict[str, Any]]
    scope: str | None


def job_for(guideline: ir.IRGuideline, cases: list[dict[str, Any]] | None = None) -> Job:
    """The export's job; `cases`: more patients (a TCK model's test cases, as mmdsl facts)."""
    document = export_dmn(guideline).text
    return Job(guideline, decisions_of(document), patients_of(guideline, cases or []),
               scope_decision(document))


def feelin(jobs: list[Job]) -> list[list[dict[str, Any]]]:
    """feelin's decisions for every patient of every job, in one run of Node."""
    assert FEELIN.is_file(), "feelin is not installed: run `make feelin` (npm)"
    node = shutil.which("node")
    assert node is not None, "the feelin comparison needs Node.js (`node`) on the path"
    sent = json.dumps([{"decisions": j.decisions, "patients": j.patients,
                        "dates": [i.name for i in j.guideline.inputs if i.type.kind == "date"],
                        "moments": [i.name for i in j.guideline.inputs
                                    if i.type.kind == "datetime"],
                        "clocks": [i.name for i in j.guideline.inputs if i.type.kind == "time"]}
                       for j in jobs])
    done = subprocess.run([node, str(SCRIPT)], input=sent, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


# ---- the DMN file, read without mmdsl -------------------------------------------------------------


def text_of(element: ET.Element | None) -> str:
    found = element.find(f"{DMN}text") if element is not None else None
    return (found.text or "") if found is not None else ""


def decisions_of(document: str) -> list[dict[str, Any]]:
    """The decisions in document order (the export writes each after those it reads)."""
    root = ET.fromstring(document)
    found = []
    for decision in root.findall(f"{DMN}decision"):
        literal = decision.find(f"{DMN}literalExpression")
        table = decision.find(f"{DMN}decisionTable")
        if literal is not None:
            found.append({"name": decision.get("name"), "kind": "literal",
                          "text": text_of(literal)})
        elif table is not None:
            found.append(table_of(decision.get("name") or "", table))
    return found


def table_of(name: str, table: ET.Element) -> dict[str, Any]:
    outputs = table.findall(f"{DMN}output")
    return {
        "name": name, "kind": "table", "hit": table.get("hitPolicy", "UNIQUE"),
        "aggregation": table.get("aggregation"),
        "inputs": [text_of(i.find(f"{DMN}inputExpression")) for i in table.findall(f"{DMN}input")],
        "outputs": [o.get("name") or "" for o in outputs],
        "outputValues": [text_of(o.find(f"{DMN}outputValues")) or None for o in outputs],
        "rules": [{"inputs": [text_of(e) for e in rule.findall(f"{DMN}inputEntry")],
                   "outputs": [text_of(e) for e in rule.findall(f"{DMN}outputEntry")]}
                  for rule in table.findall(f"{DMN}rule")],
        "orderBy": (table.get(f"{EXT}orderBy") or "").split(),
        "distinctBy": (table.get(f"{EXT}distinctBy") or "").split(),
    }


def scope_decision(document: str) -> str | None:
    root = ET.fromstring(document)
    scope = root.find(f".//{EXT}scope")
    return scope.get("decision", "").removeprefix("decision_") if scope is not None else None


# ---- mmdsl's side ----------------------------------------------------------------------------------


def patients_of(guideline: ir.IRGuideline, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The worked examples, the given cases and random patients, as mmdsl validates them
    (defaults and included members filled in: DMN has neither, so the DMN engine gets the values
    mmdsl decides on)."""
    rng = random.Random(20261204)
    named = named_values(guideline)
    fields = input_fields(guideline.inputs)
    found = []
    for facts in [dict(e.facts) for e in guideline.examples] + cases + \
            [random_facts(guideline, rng, named) for _ in range(PATIENTS)]:
        try:
            values = validate_facts(facts, fields)
            evaluate(guideline, facts)  # also refuses a combination declared impossible
        except InputError:
            assert not any(facts is case for case in cases), "a passed TCK case is refused"
            continue  # mmdsl decides nothing for these facts: nothing to compare
        found.append({item.name: dmn_input(values[item.name], item) for item in guideline.inputs})
    return found


def dmn_input(value: Any, item: ir.IRInput) -> Any:
    if isinstance(value, datetime):  # sent as text; feelin_eval.mjs makes it a FEEL date and time
        return value.isoformat(timespec="seconds")
    if isinstance(value, time):  # sent as text; feelin_eval.mjs makes it a FEEL time
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):  # sent as text; feelin_eval.mjs makes it a FEEL date
        return value.isoformat()
    if isinstance(value, frozenset):
        return [m for m in item.type.members if m in value]
    return value


def mmdsl_value(decision: dict[str, Any], table: ir.IRTable) -> Any:
    """A table's result in DMN's shape: a value, a context, a list of them, or a number."""
    result = decision.get(table.name)
    if table.result_kind == "number" or result is None:
        return result
    names = [o.name for o in table.outputs]

    def shaped(row: dict[str, Any]) -> Any:
        return row[names[0]] if len(names) == 1 else {n: row[n] for n in names}

    return [shaped(r) for r in result] if isinstance(result, list) else shaped(result)


def same(mine: Any, theirs: Any, table: dict[str, Any]) -> bool:
    """Equal as DMN values; a list mmdsl sorts (`order by`) as a multiset, one it thins
    (`distinct by`: the first row of each key kept) as the same keys from fewer rows."""
    if isinstance(mine, float) or isinstance(theirs, float):
        return isinstance(theirs, (int, float)) and isinstance(mine, (int, float)) \
            and not isinstance(mine, bool) and math.isclose(mine, theirs, rel_tol=1e-9)
    if isinstance(mine, list) and isinstance(theirs, list) and table.get("distinctBy"):
        def key(row: Any) -> str:
            picked = {k: row[k] for k in table["distinctBy"]} if isinstance(row, dict) else row
            return json.dumps(picked, sort_keys=True)

        rows = {json.dumps(v, sort_keys=True) for v in theirs}
        return all(json.dumps(v, sort_keys=True) in rows for v in mine) \
            and len({key(v) for v in mine}) == len(mine) \
            and {key(v) for v in mine} == {key(v) for v in theirs}
    if isinstance(mine, list) and isinstance(theirs, list) and table.get("orderBy"):
        return sorted(json.dumps(v, sort_keys=True) for v in mine) == \
            sorted(json.dumps(v, sort_keys=True) for v in theirs)
    return bool(json.dumps(mine, sort_keys=True) == json.dumps(theirs, sort_keys=True))


def differences(job: Job, theirs: list[dict[str, Any]]) -> list[str]:
    guideline, scope = job.guideline, job.scope
    tables = {d["name"]: d for d in job.decisions}
    found = []
    for patient, dmn in zip(job.patients, theirs, strict=True):
        decision = evaluate(guideline, patient)
        for fact in guideline.facts:
            if dmn[fact.name] is not decision["derived"][fact.name]:
                found.append(f"fact {fact.name}: mmdsl {decision['derived'][fact.name]}, "
                             f"feelin {dmn[fact.name]} for {patient}")
        for label in guideline.labels:  # text facts: their words, or null where unknown
            if dmn[label.name] != decision["derived"][label.name]:
                found.append(f"fact {label.name}: mmdsl {decision['derived'][label.name]!r}, "
                             f"feelin {dmn[label.name]!r} for {patient}")
        if scope is not None and (dmn[scope] is True) != (decision["status"] != "out_of_scope"):
            found.append(f"scope: mmdsl {decision['status']}, feelin {dmn[scope]} for {patient}")
        if decision["status"] == "out_of_scope":
            continue
        for table in guideline.tables:
            mine = mmdsl_value(decision, table)
            if not same(mine, dmn[table.name], tables[table.name]):
                found.append(f"table {table.name}: mmdsl {mine!r}, feelin {dmn[table.name]!r} "
                             f"for {patient}")
    return found


def test_the_myeloma_export_decides_alike_in_feelin() -> None:
    compilation = compile_path(ROOT / "tables" / "myeloma_post_daratumumab.mmdsl")
    assert compilation.guideline is not None
    job = job_for(compilation.guideline)
    assert len(job.patients) >= PATIENTS
    found = differences(job, feelin([job])[0])
    assert found == [], "\n".join(found[:5])


def test_durations_export_decides_alike_in_feelin() -> None:
    """Days and completed calendar months spelt out in FEEL (backends/dmn/durations.py) count as mmdsl
    counts them, at the ends of months too (the random patients are often there)."""
    compilation = compile_path(ROOT / "examples" / "second_dose.mmdsl")
    assert compilation.guideline is not None
    job = job_for(compilation.guideline)
    assert len(job.patients) >= PATIENTS
    theirs = feelin([job])[0]
    found = differences(job, theirs)
    for patient, dmn in zip(job.patients, theirs, strict=True):
        for interval in compilation.guideline.intervals:
            start, end = (date.fromisoformat(patient[n]) for n in (interval.start, interval.end))
            counted = {"days": calendar.days(start, end), "months": calendar.months(start, end)}
            found += [f"{interval.name} in {unit}: mmdsl {count}, feelin "
                      f"{dmn[f'{interval.name}_{unit}']} for {patient}"
                      for unit, count in counted.items() if dmn[f"{interval.name}_{unit}"] != count]
    assert found == [], "\n".join(found[:5])


def imported_tck_models() -> list[Path]:
    """The TCK models mmdsl imports, wholly or partly (the decisions it can say; tests/dmn/tck.py)."""
    models = sorted({case.model for case in level_2_cases() + level_3_table_cases()})
    return [model for model in models if compiled(model) is not None]


def compiled(model: Path) -> ir.IRGuideline | None:
    compilation = imported(model).compilation
    return compilation.guideline if compilation is not None else None


def passed_case_facts(model: Path) -> list[dict[str, Any]]:
    """The model's TCK cases that mmdsl passes, as mmdsl facts: feelin deciding alike on them
    means the export gives the TCK's expected results too."""
    cases = [case for case in level_2_cases() + level_3_table_cases()
             if case.model == model and outcome_of(case).status == "passed"]
    translation, guideline = imported(model).translation, compiled(model)
    found = []
    for case in cases:  # with the runner's values for the inputs the case's decisions do not read
        facts = facts_for(case, translation)
        found.append(facts | unread_fillers(guideline, case, translation, facts))
    return found


@cache
def tck_results() -> dict[Path, list[str]]:
    """The differences of every exported TCK model, all evaluated by feelin in one run."""
    jobs = {}
    for model in imported_tck_models():
        guideline = compiled(model)
        assert guideline is not None
        jobs[model] = job_for(guideline, passed_case_facts(model))
        assert jobs[model].patients, model.name
    results = feelin(list(jobs.values()))
    return {model: differences(job, theirs)
            for (model, job), theirs in zip(jobs.items(), results, strict=True)}


@pytest.mark.parametrize("model", imported_tck_models(), ids=lambda model: model.parent.name)
def test_an_exported_tck_model_decides_alike_in_feelin(model: Path) -> None:
    found = tck_results()[model]
    assert found == [], "\n".join(found[:5])


def test_every_model_mmdsl_imports_is_compared() -> None:
    """The TCK models compared are those the import takes, wholly or partly; they must not fall
    below today's, and every TCK case mmdsl passes is one of their patients."""
    assert len(imported_tck_models()) >= 28
    passed = sum(outcome_of(case).status == "passed"
                 for case in level_2_cases() + level_3_table_cases())
    assert sum(len(passed_case_facts(model)) for model in imported_tck_models()) == passed


def test_unknown_dates_export_decides_alike_in_feelin() -> None:
    """A duration from or to a date given as null is null in FEEL (date arithmetic with null),
    as it is unknown in mmdsl: its cells do not match, `null` / `not(null)` read it, and the
    facts over it are true, false or null alike."""
    from tests.backend.support import compile_text
    from tests.unknown.support import DOSE

    guideline = compile_text(DOSE)
    job = job_for(guideline)
    assert sum(p["last_dose"] is None for p in job.patients) >= 5
    found = differences(job, feelin([job])[0])
    assert found == [], "\n".join(found[:5])
