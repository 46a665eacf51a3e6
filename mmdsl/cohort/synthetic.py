"""Writing synthetic patients (generate.py) to Parquet, CSV or JSON Lines, column by column."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mmdsl.cohort.generate import Columns, generate
from mmdsl.cohort.rows import evaluator
from mmdsl.extras import require
from mmdsl.ir import model as ir
from mmdsl.writing import replacing, write_atomically


def patients(guideline: ir.IRGuideline, count: int, seed: int) -> Columns:
    """`count` patients, nine in ten inside the scope (by the guideline's own evaluator)."""
    module = evaluator(guideline)

    def in_scope(facts: dict[str, Any]) -> bool:
        values = module.read_facts(facts)
        module.derive_facts(values)
        return bool(module.scope_holds(values))

    def possible(facts: dict[str, Any]) -> bool:
        values = module.read_facts(facts)
        module.derive_facts(values)
        return not module.impossible_found(values)

    return generate(guideline, count, seed=seed, in_scope=in_scope,
                    possible=possible if guideline.impossible else None)


def write_patients(guideline: ir.IRGuideline, count: int, seed: int, path: Path) -> None:
    columns = patients(guideline, count, seed)
    suffix = path.suffix.lower()
    writers: dict[str, Callable[[ir.IRGuideline, Columns, Path], None]] = {
        ".parquet": write_parquet, ".pq": write_parquet, ".csv": write_csv, ".jsonl": write_jsonl,
        ".ndjson": write_jsonl}
    if suffix not in writers:
        raise ValueError(f"cannot tell the format from {path.name}: use .parquet, .csv or .jsonl")
    path.parent.mkdir(parents=True, exist_ok=True)
    writers[suffix](guideline, columns, path)


def arrow_type(pyarrow: Any, kind: str) -> Any:
    return {"bool": pyarrow.bool_(), "integer": pyarrow.int64(), "decimal": pyarrow.float64(),
            "text": pyarrow.string(), "enum": pyarrow.string(),
            "set": pyarrow.list_(pyarrow.string()), "date": pyarrow.date32(),
            "datetime": pyarrow.string(),  # a date and time: the facts' text
            "time": pyarrow.string()}[kind]  # a time of day: the facts' text, `14:30`


def write_parquet(guideline: ir.IRGuideline, columns: Columns, path: Path) -> None:
    pyarrow = require("pyarrow")
    parquet = require("pyarrow.parquet")
    table = pyarrow.table({item.name: pyarrow.array(_typed(columns[item.name], item.type.kind),
                                                    arrow_type(pyarrow, item.type.kind))
                           for item in guideline.inputs})
    with replacing(path) as partial:  # the whole file or none (mmdsl/writing.py)
        parquet.write_table(table, partial)


def _typed(column: list[Any], kind: str) -> list[Any]:
    """Dates, drawn as the facts write them (text), as dates for a DATE column."""
    if kind != "date":
        return column
    return [None if v is None else datetime.date.fromisoformat(v) for v in column]


def write_csv(guideline: ir.IRGuideline, columns: Columns, path: Path) -> None:
    """Cells as docs/cohort.md reads them: text as it is, the rest as JSON; empty: not given (or
    unknown, for an input declared `or unknown`)."""
    import csv
    import io

    kinds = {item.name: item.type.kind for item in guideline.inputs}
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(list(columns))
    cells = [[_cell(value, kinds[name]) for value in column] for name, column in columns.items()]
    writer.writerows(zip(*cells, strict=True))
    write_atomically(path, stream.getvalue())


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    return value if kind in ("text", "enum", "date", "datetime", "time") \
        else json.dumps(value, ensure_ascii=False)


def write_jsonl(guideline: ir.IRGuideline, columns: Columns, path: Path) -> None:
    """One JSON object a line: an input left out has no key; an unknown one is null."""
    names = list(columns)
    unknown = {item.name for item in guideline.inputs if item.unknown}
    lines = []
    for values in zip(*columns.values(), strict=True):
        facts = {name: value for name, value in zip(names, values, strict=True)
                 if value is not None or name in unknown}
        lines.append(json.dumps(facts, ensure_ascii=False) + "\n")
    write_atomically(path, "".join(lines))
