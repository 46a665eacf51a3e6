"""Cohorts: `mmdsl cohort` on synthetic patients against a per-patient Python loop; and the
differential check of the cohort's decisions against the Python evaluator, patient by patient."""

from __future__ import annotations

import gc
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from mmdsl.cohort.compare import as_decision, expected, read_rules, same
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.rows import evaluator
from mmdsl.cohort.synthetic import patients, write_parquet
from mmdsl.interpreter import evaluate as interpret
from mmdsl.ir import model as ir

BATCH = 50_000


def _mmdsl() -> str:
    return str(Path(sys.executable).with_name("mmdsl"))


def _wall(command: list[str]) -> float:
    return _timed(command)[0]


def _timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system of the process and its threads)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True, timeout=1800)  # 3: decisions in error
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def repeated(source: Path, target: Path, times: int) -> None:
    """`times` copies of the patients of `source`, one after the other, in one Parquet file."""
    import duckdb

    path = str(source).replace("'", "''")
    union = " UNION ALL ".join([f"SELECT * FROM read_parquet('{path}')"] * times)
    duckdb.connect().execute(f"COPY ({union}) TO '{str(target).replace(chr(39), chr(39) * 2)}' "
                             "(FORMAT parquet)")


def large(guideline: ir.IRGuideline, table_path: Path, folder: Path, source: Path, count: int, times: int,
          repeats: int) -> dict[str, Any]:
    """`mmdsl cohort` end to end on `times` copies of the `count` patients of `source`."""
    big = folder / "patients_large.parquet"
    repeated(source, big, times)
    out = folder / "decisions_large.parquet"
    command = [_mmdsl(), "cohort", str(table_path), "--input", str(big), "-o", str(out)]
    load = os.getloadavg()
    runs = [_timed(command) for _ in range(repeats)]
    report = evaluate_cohort(guideline, big, out)  # once more in-process: its stages' CPU
    big.unlink()
    out.unlink()
    return {"patients": count * times, "runs": [wall for wall, _ in runs],
            "cpu": [cpu for _, cpu in runs], "median": statistics.median(w for w, _ in runs),
            "cpu median": statistics.median(c for _, c in runs), "load": load,
            "stages": report.seconds, "cpu stages": report.cpu}


def facts_of(table: Any, start: int, stop: int) -> list[dict[str, Any]]:
    """Facts dicts of rows start..stop of an Arrow table (None: not given)."""
    columns = {name: table.column(name).slice(start, stop - start).to_pylist()
               for name in table.column_names}
    names = list(columns)
    return [{n: v for n, v in zip(names, values, strict=True) if v is not None}
            for values in zip(*columns.values(), strict=True)]


def run(guideline: ir.IRGuideline, table_path: Path, folder: Path, count: int,
        repeats: int = 3, interpreter_sample: int = 100_000, large_count: int = 0
        ) -> dict[str, Any]:
    import pyarrow.parquet as pq

    result: dict[str, Any] = {"patients": count, "load": os.getloadavg()}
    source = folder / "patients.parquet"
    result["generate (mmdsl cohort --generate)"] = _wall(
        [_mmdsl(), "cohort", str(table_path), "--generate", str(count), "-o", str(source)])
    out = folder / "decisions.parquet"
    command = [_mmdsl(), "cohort", str(table_path), "--input", str(source), "-o", str(out)]
    result["command"] = " ".join(["mmdsl", "cohort", table_path.name, "--input",
                                  "patients.parquet", "-o", "decisions.parquet"])
    timed = [_timed(command) for _ in range(repeats)]
    result["cohort runs"] = [wall for wall, _ in timed]
    result["cohort cpu"] = [cpu for _, cpu in timed]
    engine_runs, engine_cpu = [], []
    for _ in range(repeats):
        started, cpu = time.perf_counter(), time.process_time()
        report = evaluate_cohort(guideline, source, folder / "engine.parquet")
        engine_runs.append(time.perf_counter() - started)
        engine_cpu.append(time.process_time() - cpu)
        result["engine stages"] = report.seconds
        result["engine cpu stages"] = report.cpu  # of the last run: what bounds the cohort
    result["engine runs"] = engine_runs
    result["engine cpu"] = engine_cpu
    result["decided"] = report.decided
    module = evaluator(guideline)
    table = pq.read_table(source)
    gc.disable()  # the loop's best case: no collections while a million dicts are made
    try:
        started, cpu = time.perf_counter(), time.process_time()
        facts = facts_of(table, 0, table.num_rows)
        result["columns to facts dicts"] = time.perf_counter() - started
        result["columns to facts dicts cpu"] = time.process_time() - cpu
    finally:
        gc.enable()
    gc.freeze()
    loop_runs, loop_cpu = [], []
    evaluate = module.evaluate
    for _ in range(repeats):
        started, cpu = time.perf_counter(), time.process_time()
        for patient in facts:
            evaluate(patient)
        loop_runs.append(time.perf_counter() - started)
        loop_cpu.append(time.process_time() - cpu)  # one thread: its CPU is the loop's
    result["loop runs"] = loop_runs
    result["loop cpu"] = loop_cpu
    sample = facts[:interpreter_sample]
    started = time.perf_counter()
    for patient in sample:
        interpret(guideline, patient)
    result["interpreter seconds per patient"] = (time.perf_counter() - started) / len(sample)
    del facts
    gc.unfreeze()
    result["identical"], result["compared"] = compare_file(guideline, source, out)
    if large_count:
        result["large"] = large(guideline, table_path, folder, source, count, max(1, large_count // count),
                                repeats)
    result["cohort median"] = statistics.median(result["cohort runs"])
    result["cohort cpu median"] = statistics.median(result["cohort cpu"])
    result["engine median"] = statistics.median(engine_runs)
    result["engine cpu median"] = statistics.median(engine_cpu)
    result["loop median"] = statistics.median(loop_runs)
    result["loop cpu median"] = statistics.median(loop_cpu)
    return result


def compare_file(guideline: ir.IRGuideline, source: Path, decisions: Path) -> tuple[int, int]:
    """(patients on which the cohort and the generated evaluator agree, patients compared)."""
    import pyarrow.parquet as pq

    module = evaluator(guideline)
    patients_table = pq.read_table(source)
    decided = pq.read_table(decisions)
    rules = read_rules(decided.schema.metadata)
    agree = 0
    for start in range(0, patients_table.num_rows, BATCH):
        stop = min(start + BATCH, patients_table.num_rows)
        rows = decided.slice(start, stop - start).to_pylist()
        for patient, row in zip(facts_of(patients_table, start, stop), rows, strict=True):
            agree += same(as_decision(guideline, row, rules), expected(module.evaluate(patient)))
    return agree, patients_table.num_rows


def differential(guideline: ir.IRGuideline, folder: Path, count: int, seed: int = 5
                 ) -> tuple[int, int, float]:
    """(agreeing, compared, seconds): `count` generated patients through the cohort engine and
    through the generated evaluator."""
    started = time.perf_counter()
    source = folder / f"{guideline.name}.patients.parquet"
    write_parquet(guideline, patients(guideline, count, seed), source)
    out = folder / f"{guideline.name}.decisions.parquet"
    evaluate_cohort(guideline, source, out)
    agree, compared = compare_file(guideline, source, out)
    return agree, compared, time.perf_counter() - started
