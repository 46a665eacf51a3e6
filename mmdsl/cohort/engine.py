"""A cohort through DuckDB: read the patients, check every row, decide in one query, write Parquet.

1. The input is opened where it lies (Parquet and CSV are read by DuckDB; JSON Lines, which must
   be read as strictly as `mmdsl eval` reads JSON, by Python, line by line into columns).
2. Each row is checked (checks.py): plain rows go straight on; the others are checked by the
   evaluator's own validation (rows.py), which accepts them with the same values or names every
   problem. Refused rows are reported with their row number, never evaluated, never dropped
   unsaid.
3. The decision query of the SQL back end runs over the accepted rows and DuckDB writes its
   result to Parquet, row numbers first, in the order of the input.
Data stays in columns the whole way: DuckDB's own, or Arrow for the rows Python checked.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmdsl.backends.sql import (
    COHORT_SCHEMA,
    QueryView,
    cohort_tables,
    identifier,
    input_type,
    masked,
    query_view,
    render_impossible_sql,
    render_view,
    staged,
    string_literal,
)
from mmdsl.cohort.checks import checked_input, same_offsets
from mmdsl.cohort.progress import Progress
from mmdsl.cohort.rows import Problem, RowChecker, evaluator, facts_from_cells, json_lines
from mmdsl.extras import require
from mmdsl.ir import model as ir
from mmdsl.writing import replacing

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl",
           ".ndjson": "jsonl"}
FETCH_BATCH = 10_000


class CohortError(Exception):
    """A cohort that cannot be evaluated at all: the message says why and what to do."""


@dataclass
class CohortReport:
    rows: int = 0  # rows read
    decided: int = 0  # rows evaluated and written
    invalid_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each stage
    cpu: dict[str, float] = field(default_factory=dict)  # CPU time of each stage (all threads)
    error_rows: int = 0  # decided with status `error` (a conflict, no rule in a complete table)
    errors: list[tuple[int, str]] = field(default_factory=list)  # the first few: row, errors JSON


@contextlib.contextmanager
def _stage(report: CohortReport, name: str) -> Iterator[None]:
    """Time one stage, wall and CPU (the process's, so DuckDB's threads count): the benchmark
    reports where a cohort's time goes from these."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    report.seconds[name] = time.perf_counter() - wall
    report.cpu[name] = time.process_time() - cpu


def input_format(path: Path, given: str | None) -> str:
    if given:
        return given
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise CohortError(f"cannot tell the format of {path} from its name: use --input-format "
                          "parquet, csv or jsonl")
    return found


def connect(threads: int | None = None) -> Any:
    duckdb = require("duckdb")
    require("pyarrow")
    connection = duckdb.connect(":memory:")
    if threads:
        connection.execute(f"SET threads = {int(threads)}")
    connection.execute("SET preserve_insertion_order = true")
    return connection


def evaluate_cohort(guideline: ir.IRGuideline, source: Path, output: Path, *,
                    fmt: str | None = None, id_column: str | None = None,
                    progress: Progress | None = None, threads: int | None = None) -> CohortReport:
    """Decide every valid row of `source` into the Parquet file `output` (written whole or not
    at all); the report counts the rows and lists the problems of the refused ones."""
    progress = progress or Progress(enabled=False)
    report = CohortReport()
    with _stage(report, "query and evaluator"):
        carry = [("_id", id_column)] if id_column else []
        whole = query_view(guideline, carry=carry)  # first: SQL that cannot decide reads nothing
        connection = connect(threads)
        module = evaluator(guideline)
    with _stage(report, "read and check"):
        kind = input_format(source, fmt)
        if kind == "jsonl":
            checker = _read_json_lines(guideline, module, source, id_column, progress)
            id_type = "VARCHAR"
        else:
            checker, id_type = _read_table(connection, guideline, module, source, kind,
                                           id_column, progress)
        _register(connection, guideline, checker, id_type if id_column else None,
                  with_plain_rows=kind != "jsonl")
        view = _staged(connection, whole)
        _refuse_impossible(connection, guideline, checker, view)
    with _stage(report, "decide and write"):
        query = render_view(view)
        report.decided = _write(connection, guideline, query, (output, source), progress,
                                ordered=bool(checker.accepted.rows) and kind != "jsonl")
    with _stage(report, "count decisions in error"):
        report.error_rows, report.errors = _decisions_in_error(connection, output)
    report.invalid_rows = checker.invalid_rows
    report.problems = sorted(checker.problems, key=lambda p: p.row)
    report.rows = report.decided + report.invalid_rows
    progress.done()
    return report


# ---- Parquet and CSV: DuckDB reads, SQL checks, Python checks what SQL doubts ---------------------


def _read_table(connection: Any, guideline: ir.IRGuideline, module: Any, source: Path, kind: str,
                id_column: str | None, progress: Progress) -> tuple[RowChecker, str]:
    path = string_literal(str(source))
    if kind == "parquet":
        reader = f"read_parquet({path}, file_row_number = true)"
        numbered = f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS _row FROM {reader}"
    else:
        reader = f"read_csv({path}, all_varchar = true, header = true, auto_detect = true)"
        numbered = f"SELECT *, row_number() OVER () AS _row FROM {reader}"
    try:
        connection.execute(f"CREATE TEMP VIEW source AS {numbered}")
        columns = dict(connection.execute("SELECT column_name, column_type FROM "
                                          "(DESCRIBE source)").fetchall())
    except Exception as error:  # DuckDB's own errors: unreadable, not Parquet, bad CSV
        raise CohortError(f"cannot read {source} as {kind}: {error}") from error
    _check_columns(guideline, columns, id_column)
    if kind == "parquet":
        _refuse_durations(source, guideline)
    checks = {item.name: checked_input(item, columns.get(item.name), kind == "csv")
              for item in guideline.inputs}
    plain = " AND ".join([c.plain for c in checks.values()] + same_offsets(guideline, checks)) \
        or "TRUE"
    checker = RowChecker(guideline, module)
    given = [item.name for item in guideline.inputs if item.name in columns]
    values = "".join(f", {checks[item.name].value} AS {identifier(item.name)}"
                     for item in guideline.inputs)
    carried = f", {identifier(id_column)} AS _id" if id_column else ""
    # One scan checks every row and keeps its typed values (sets as masks: the lists are decoded
    # once); only the rows SQL doubts are read again, for Python to check.
    with progress.polling("checking", lambda: _fraction(connection)):
        prepared = "".join(f", {p}" for c in checks.values() for p in c.prepared)
        connection.execute(f"CREATE TEMP TABLE checked AS SELECT _row{carried}, ({plain}) AS "
                           f"_plain{values} FROM (SELECT *{prepared} FROM source)")
    doubted = connection.execute("SELECT count(*) FROM checked WHERE NOT _plain").fetchall()[0][0]
    if doubted:
        cursor = connection.execute(
            f"SELECT _row{', ' + identifier(id_column) if id_column else ''}"
            f"{''.join(', ' + identifier(n) for n in given)} FROM source WHERE _row IN "
            "(SELECT _row FROM checked WHERE NOT _plain) ORDER BY _row")
        _check_doubtful(checker, cursor, guideline, given, kind == "csv", id_column is not None)
    names = "".join(f", {identifier(item.name)}" for item in guideline.inputs)
    connection.execute(f"CREATE TEMP VIEW plain_rows AS SELECT _row{', _id' if id_column else ''}"
                       f"{names} FROM checked{' WHERE _plain' if doubted else ''}")
    return checker, columns.get(id_column, "VARCHAR") if id_column else "VARCHAR"


def _refuse_durations(source: Path, guideline: ir.IRGuideline) -> None:
    """DuckDB reads a Parquet `duration` column as a bare BIGINT whose meaning depends on its
    unit (7 seconds and 7 milliseconds both read 7): an input must not take such a number."""
    parquet = require("pyarrow.parquet")
    try:
        schema = parquet.read_schema(source)
    except Exception as error:  # pyarrow's own errors: DuckDB read it, so this is rare
        raise CohortError(f"cannot read the schema of {source}: {error}") from error
    names = {item.name for item in guideline.inputs}
    for column in schema:
        if column.name in names and str(column.type).startswith("duration"):
            raise CohortError(f"the column `{column.name}` is a duration ({column.type}); give "
                              "the input as a plain number of the unit the table means")


def _check_columns(guideline: ir.IRGuideline, columns: dict[str, str], id_column: str | None) -> None:
    names = {item.name for item in guideline.inputs}
    unknown = sorted(c for c in columns if c not in names and c not in ("_row", id_column))
    if unknown:
        raise CohortError(f"the input has columns that are not inputs of {guideline.name}: "
                          f"{', '.join(unknown)} (pass an identifier through with --id COLUMN)")
    missing = [item.name for item in guideline.inputs if item.required and item.name not in columns]
    if missing:
        raise CohortError(f"the input has no column for the required input"
                          f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if id_column is not None and id_column not in columns:
        raise CohortError(f"the input has no column `{id_column}` (given with --id)")
    if id_column in names:
        raise CohortError(f"--id {id_column} names an input of the guideline; pick another column")


def _check_doubtful(checker: RowChecker, cursor: Any, guideline: ir.IRGuideline,
                    given: list[str], text_cells: bool, with_id: bool) -> None:
    kinds = {item.name: item.type.kind for item in guideline.inputs}
    unknown = frozenset(item.name for item in guideline.inputs if item.unknown)
    parse = checker.module.parse_facts_json
    while batch := cursor.fetchmany(FETCH_BATCH):
        for record in batch:
            row, identity = record[0], record[1] if with_id else None
            cells = record[2:] if with_id else record[1:]
            checker.check(row, facts_from_cells(given, kinds, cells, text_cells, parse, unknown),
                          identity)


def _fraction(connection: Any) -> float | None:
    try:
        done = connection.query_progress()
    except Exception:
        return None
    return None if done is None or done < 0 else done / 100


# ---- JSON Lines: Python reads, as strictly as `mmdsl eval` ---------------------------------------


def _read_json_lines(guideline: ir.IRGuideline, module: Any, source: Path, id_column: str | None,
                     progress: Progress) -> RowChecker:
    checker = RowChecker(guideline, module)
    size = max(source.stat().st_size, 1)
    read = 0
    with source.open("rb") as stream:
        for number, line in json_lines(stream):
            read += len(line) + 1
            checker.check_json_line(number, line, id_column)
            if number % 50_000 == 0:
                progress.show("reading", read / size)
    return checker


# ---- the decision ------------------------------------------------------------------------------------


def _register(connection: Any, guideline: ir.IRGuideline, checker: RowChecker,
              id_type: str | None, with_plain_rows: bool) -> None:
    """`patients`: the plain rows (if any were read by DuckDB) and the rows Python accepted."""
    pyarrow = require("pyarrow")
    accepted = checker.accepted
    fields = [pyarrow.field("_row", pyarrow.int64())]
    arrays: list[Any] = [pyarrow.array(accepted.rows, pyarrow.int64())]
    if id_type is not None:
        ids = accepted.ids if with_plain_rows else [_id_text(i) for i in accepted.ids]
        arrays.append(pyarrow.array(ids))
        fields.append(pyarrow.field("_id", arrays[-1].type))
    for item in guideline.inputs:
        arrow_type = (pyarrow.int64() if masked(item)  # a checked set: its bit mask
                      else _arrow_type(pyarrow, item.type.kind))
        arrays.append(pyarrow.array(accepted.values[item.name], arrow_type))
        fields.append(pyarrow.field(item.name, arrow_type))
    connection.register("accepted_rows", pyarrow.Table.from_arrays(arrays, schema=pyarrow.schema(fields)))
    columns = ["_row", *(["_id"] if id_type else []), *(identifier(i.name) for i in guideline.inputs)]
    typed = ", ".join(["_row", *([f"CAST(_id AS {id_type}) AS _id"] if id_type else []),
                       *(f"CAST({identifier(i.name)} AS {input_type(i)}) AS "
                         f"{identifier(i.name)}" for i in guideline.inputs)])
    union = f"SELECT {', '.join(columns)} FROM plain_rows UNION ALL " if with_plain_rows else ""
    connection.execute(f"CREATE TEMP VIEW patients AS {union}SELECT {typed} FROM accepted_rows")


def _id_text(value: Any) -> str | None:
    """An identifier from JSON Lines as text: a string as it is, anything else as JSON."""
    import json

    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _arrow_type(pyarrow: Any, kind: str) -> Any:
    return {"bool": pyarrow.bool_(), "integer": pyarrow.int64(), "decimal": pyarrow.float64(),
            "text": pyarrow.string(), "enum": pyarrow.string(),
            "set": pyarrow.list_(pyarrow.string()), "date": pyarrow.date32(),
            "datetime": pyarrow.int64(),  # a date and time: its moment code
            "time": pyarrow.int64()}[kind]  # a time of day: its seconds since midnight


SHOWN_ERRORS = 10


def _staged(connection: Any, view: QueryView) -> QueryView:
    """The decision query of a guideline whose chain of facts and tables is too long for one
    query: its first stages computed into temporary tables; the rest, to run, comes back."""
    stages, last = staged(view)
    for name, stage in stages:
        connection.execute(f"CREATE TEMP TABLE {name} AS {render_view(stage)}")
    return last


def _refuse_impossible(connection: Any, guideline: ir.IRGuideline, checker: RowChecker,
                       view: QueryView) -> None:
    """Rows whose facts fall in a combination declared impossible are invalid, as the evaluators
    say (one problem per declaration); so are rows with a decimal input of more decimal places
    than the query reads exactly for a decimal fact (the Python module would decide them: the
    problem says so). The decision query leaves them out."""
    if not guideline.impossible and not view.guards:
        return
    reasons = [(i.name, f"the facts are an impossible combination: {i.description}")
               for i in guideline.impossible]
    reasons += [(guard.name, f"has more than {guard.scale} decimal places; the cohort's SQL "
                 f"computes the decimal facts that read `{guard.name}` exactly from at most "
                 f"{guard.scale} (decide this patient with `mmdsl eval`)") for guard in view.guards]
    for row, *flags in connection.execute(render_impossible_sql(guideline, view)).fetchall():
        checker.invalid_rows += 1
        checker.problems += [Problem(int(row), name, message)
                             for (name, message), held in zip(reasons, flags, strict=True) if held]


def _decisions_in_error(connection: Any, output: Path) -> tuple[int, list[tuple[int, str]]]:
    """How many patients got a decision in error, and the first few (row, the errors as JSON)."""
    decisions = f"read_parquet({string_literal(str(output))})"
    count = connection.execute(f"SELECT count(*) FROM {decisions} WHERE status = 'error'").fetchall()
    first = connection.execute(f'SELECT "row", errors FROM {decisions} WHERE status = \'error\' '
                               f'ORDER BY "row" LIMIT {SHOWN_ERRORS}').fetchall()
    return int(count[0][0]), [(int(row), str(errors)) for row, errors in first]


def _write(connection: Any, guideline: ir.IRGuideline, query: str, files: tuple[Path, Path],
           progress: Progress, ordered: bool) -> int:
    """COPY the decisions to Parquet next to `output`, then move the file into place (never
    over `source`, the patients: mmdsl/writing.py)."""
    output, source = files
    metadata = ", ".join(f"{key}: {string_literal(value)}" for key, value in (
        ("mmdsl_guideline", guideline.name), ("mmdsl_version", guideline.version),
        ("mmdsl_source_sha256", guideline.source_sha256),
        ("mmdsl_compiler", guideline.mmdsl_version),
        ("mmdsl_cohort_schema", COHORT_SCHEMA),
        ("mmdsl_tables", json.dumps(cohort_tables(guideline), ensure_ascii=False))))
    ordering = ' ORDER BY "row"' if ordered else ""
    with replacing(output, reads=[source]) as partial:  # the whole file or none (mmdsl/writing.py)
        copy = (f"COPY (SELECT * FROM ({query}){ordering}) TO {string_literal(str(partial))} "
                f"(FORMAT parquet, KV_METADATA {{{metadata}}})")
        with progress.polling("evaluating", lambda: _fraction(connection)):
            written = connection.execute(copy).fetchall()[0]
    return int(written[0]) if written else 0
