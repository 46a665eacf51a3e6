"""Single-patient evaluation of the same table by every contender, side by side in one run."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.peers import PEERS
from benchmarks.timing import Measure, side_by_side
from mmdsl.backends.python import render_module, table_identifier
from mmdsl.cohort.synthetic import patients
from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir import model as ir
from mmdsl.pipeline import compile_path


@dataclass
class SingleResult:
    table: str
    rules: int
    inputs: int
    hit: str
    measures: dict[str, Measure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def load_guideline(path: Path) -> tuple[ir.IRGuideline, list[str]]:
    compilation = compile_path(path, path.name)
    if compilation.guideline is not None:
        return compilation.guideline, []
    from mmdsl.pipeline import compile_source

    unverified = compile_source(compilation.source, verify=False)
    assert unverified.guideline is not None, [d.message for d in unverified.diagnostics]
    errors = sorted({d.message for d in compilation.diagnostics if d.severity.value == "error"})
    return unverified.guideline, [f"{path.name} does not compile cleanly today ({errors[0]}); "
                                  "measured on its unverified IR"]


def generated_module(guideline: ir.IRGuideline, folder: Path) -> Any:
    path = folder / f"{guideline.name}.py"
    path.write_text(render_module(guideline), "utf-8")
    spec = importlib.util.spec_from_file_location(f"bench_{guideline.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run(path: Path, handwritten: Callable[[dict[str, Any]], object], folder: Path,
        count: int = 1000, peer_count: int = 200, repeats: int = 7) -> SingleResult:
    guideline, notes = load_guideline(path)
    table = guideline.tables[0]
    module = generated_module(guideline, folder)
    facts = _facts(guideline, count)
    checked = [module.read_facts(f) for f in facts]
    with_facts = []
    for values in checked:
        copy = dict(values)
        module.derive_facts(copy)
        with_facts.append(copy)
    core = getattr(module, f"{table_identifier(1, table.name)}_core")
    result = SingleResult(table.name, len(table.rules), len(table.columns), table.hit, notes=notes)
    _agree(result, "hand-written", [core(v) for v in with_facts], [handwritten(v) for v in with_facts])
    contenders: dict[str, tuple[Callable[[Any], object], list[Any]]] = {
        "generated decision core": (core, with_facts),
        "hand-written if/elif": (handwritten, with_facts),
        "generated evaluate()": (module.evaluate, facts),
        "reference interpreter": (lambda f: interpret(guideline, f), facts),
    }
    in_scope = [v for v in with_facts if module.scope_holds(v)]
    for name, make in PEERS.items():
        try:
            peer = make(guideline, table)
        except Exception as error:  # a construct the engine cannot express
            result.notes.append(f"{name}: not measured ({type(error).__name__}: {error})")
            continue
        sample = checked[:peer_count]
        expected = [core(v) if module.scope_holds(v) else None for v in with_facts[:peer_count]]
        _agree(result, name, expected, [peer(v) for v in sample])
        contenders[name] = (peer, sample)
    del in_scope
    result.measures = side_by_side_items(contenders, repeats)
    return result


def side_by_side_items(contenders: dict[str, tuple[Callable[[Any], object], list[Any]]],
                       repeats: int) -> dict[str, Measure]:
    """side_by_side, each contender over its own items (the slow engines over fewer)."""
    found: dict[str, Measure] = {name: Measure(name) for name in contenders}
    for _ in range(repeats):
        for name, (fn, items) in contenders.items():
            found[name].seconds += side_by_side({name: fn}, items, repeats=1)[name].seconds
    return found


def _facts(guideline: ir.IRGuideline, count: int) -> list[dict[str, Any]]:
    columns = patients(guideline, count, seed=42)
    names = list(columns)
    return [{n: v for n, v in zip(names, values, strict=True) if v is not None}
            for values in zip(*columns.values(), strict=True)]


def _agree(result: SingleResult, name: str, expected: list[object], actual: list[object]) -> None:
    wrong = sum(a != b for a, b in zip(expected, actual, strict=True))
    if wrong:
        result.notes.append(f"{name} disagrees with the generated core on {wrong} of "
                            f"{len(expected)} patients")
    else:
        result.notes.append(f"{name}: same decision as the generated core on all "
                            f"{len(expected)} patients")
