"""The cohort against `mmdsl eval` on random guidelines whose names and texts are the ones SQL
gets wrong (issue 14, item 1 and its "Done when").

Names that differ only in case inside one namespace, and control characters in quoted text, are
refused by `check` (MD204, MD110): a share of the guidelines carries one on purpose and must be
refused. What stays legal is just as dangerous for SQL, and every guideline is made of it:

- names that differ only in case across namespaces the language keeps apart (an enumeration
  member `PI` and an input `pi`, an output `Status` of table `T` and an input `status`, a table
  named like a member), and SQL keywords and the cohort's own column names in any case
  (`Select`, `ROW`, `t`, `_row`, `Reason`);
- names in other scripts (`größe`, `δόση`, `доза`, `نسبة`, `用量`), and texts with emoji,
  right-to-left words, combining marks, U+2028, U+0085, tabs, quotes and backslashes, in titles,
  text outputs, text cells and the patients' values.

Each guideline's random patients are decided by its generated module (what `mmdsl eval` runs)
and by the DuckDB cohort (`evaluate_cohort`), and, for a sample, by Spark SQL in a local
session: every decision must be the same. `make fuzz` runs it at scale; the pytest version
(tests/reliability/test_sql_names.py) runs a few guidelines in seconds.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmdsl.backends.sql import SqlUnsupported, render_sql
from mmdsl.cohort.compare import as_decision, expected, read_rules, same
from mmdsl.cohort.rows import evaluator
from mmdsl.cohort.synthetic import patients as synthetic_patients
from mmdsl.ir.model import IRGuideline
from mmdsl.pipeline import compile_source
from mmdsl.source import Source
from tests.reliability.hostile_campaigns import CONTROLS
from tests.reliability.promises import COHORT_THREADS

# Words SQL reads as keywords or the cohort writes as its own columns, and words of other scripts.
SQL_WORDS = ["select", "from", "where", "row", "rows", "table", "order", "group", "by", "null",
             "true", "false", "case", "when", "end", "t", "value", "values", "key", "status",
             "reason", "errors", "derived", "_row", "row_1", "pi", "e", "id", "count", "sum",
             "limit", "offset", "join", "on", "as", "is", "and", "or", "not", "in", "all", "any",
             "user", "date", "time", "interval", "struct", "map", "array", "list"]
SCRIPT_WORDS = ["größe", "straße", "café", "naïve", "ñandú", "δόση", "πίεση", "доза", "давление",
                "نسبة", "جرعة", "מינון", "用量", "血圧", "용량", "ıi"]
# Legal in quoted text (MD110 refuses CONTROLS, MD202 the bidirectional and invisible ones, the
# zero-width joiner of emoji sequences included). Names are letters, digits and `_` (`\w`): a
# combining mark (a Bengali virama, the dot of `i̇`, which `İ`.lower() gives) is MD102 in a name,
# a compatibility character (`ŉ`, `ǅ`) MD202.
TEXT_PIECES = ["😀", "👩⚕", "שלום", "مرحبا", "e\u0301", "a\u0308\u0323", "\u2028", "\u2029",
               "\u0085", "\t", "\\\"", "\\\\", "'", "''", "--", "/*", "*/", ";", "%", "_",
               "\u00a0", "ß", "ﬁ", "İ", "ǅ", "\U0010fffd", "\ue000", "{{", "}}", "NULL", "\\n",
               "< >", "&amp;"]


# A member named like a word that starts a cell (`any of`, `all of`, `not`, `has`) cannot be
# written in a cell: `| any |` reads as the start of `any of (…)` (MD100); an input so named
# cannot be read in a fact (`= x or noT` ends too early). The language's keywords, left alone.
CELL_WORDS = frozenset({"any", "all", "not", "has", "in", "is", "and", "or", "yes", "no", "none"})


def _cased(rng: random.Random, word: str) -> str:
    """`word` with the case of each letter chosen at random (a legal name either way)."""
    return "".join(c.swapcase() if c.isalpha() and rng.random() < 0.5 else c for c in word)


def _text(rng: random.Random) -> str:
    pieces = [rng.choice(TEXT_PIECES) if rng.random() < 0.5 else rng.choice(SQL_WORDS)
              for _ in range(rng.randint(0, 5))]
    return " ".join(pieces)


class Names:
    """Names for one namespace: never two that fold to the same, but often one that folds to a
    name of another namespace."""

    def __init__(self, rng: random.Random, shared: list[str]) -> None:
        self.rng, self.shared, self.folded, self.mine = rng, shared, set[str](), list[str]()

    def new(self, avoid: frozenset[str] = frozenset()) -> str:
        for _ in range(100):
            word = self.rng.choice(self.shared if self.shared and self.rng.random() < 0.5
                                   else SQL_WORDS + SCRIPT_WORDS)
            name = _cased(self.rng, word)
            if name.casefold() not in self.folded and name.casefold() not in avoid:
                self.folded.add(name.casefold())
                self.shared.append(name)
                self.mine.append(name)
                return name
        name = f"n{len(self.folded)}"
        self.folded.add(name)
        return name


@dataclass
class Made:
    text: str
    refused_for: str | None  # the code check must give, when a refused name or text was put in


def expected_refusal(values: list[str], tables: list[str], fact: str) -> str | None:
    """The code check gives for names the generator may draw: a value name that starts with `_`
    (the query's own columns: MD120), a table named like a key of the decision (MD201)."""
    from mmdsl.check.duplicates import DECISION_KEYS

    if any(name.startswith("_") for name in values):
        return "MD120"
    if any(name.casefold() in DECISION_KEYS for name in tables) or fact.casefold() == "status":
        return "MD201"
    return None


def random_guideline(rng: random.Random) -> Made:
    """A guideline of inputs of every kind, a fact, and two chained tables, with tricky names."""
    shared: list[str] = []
    values, members = Names(rng, shared), Names(rng, shared)
    enum = Names(rng, shared).new()
    kinds = [members.new(CELL_WORDS) for _ in range(3)]
    number, flag, choice, amount, words = (values.new(CELL_WORDS) for _ in range(5))
    fact, first, second = (values.new(CELL_WORDS) for _ in range(3))
    outputs = Names(rng, shared)
    said, chose, level = outputs.new(), outputs.new(), Names(rng, shared).new()
    cell_texts = [_text(rng) for _ in range(2)]
    lines = [
        f'guideline g "{_text(rng)}"',
        f'enum {enum} "{_text(rng)}" = ' + ", ".join(f'{m} "{_text(rng)}"' for m in kinds),
        f'input {number}: integer 0..99 "{_text(rng)}"',
        f'input {flag}: yes/no "{_text(rng)}"',
        f'input {choice}: one of {enum} "{_text(rng)}"',
        f'input {amount}: decimal "{_text(rng)}"',
        f'input {words}: text "{_text(rng)}"',
        # in brackets: `fact f = time > 50` reads as the start of `time from a to b` (MD100)
        f'fact {fact} "{_text(rng)}" = ({number} > 50) or {flag}',
        f'table {first} "{_text(rng)}"',
        f"  hit {rng.choice(['first', 'collect', 'rule order'])}",
        f'  output {said}: text "{_text(rng)}"',
        f"  output {chose}: one of {enum}",
        f"  | {number} | {choice} | {amount} | {words} | {fact} || {said} | {chose} |",
    ]
    for _ in range(rng.randint(1, 5)):
        cells = [rng.choice(["-", f"> {rng.randint(0, 99)}", f"<= {rng.randint(0, 99)}"]),
                 rng.choice(["-", *kinds]), rng.choice(["-", f"> {rng.randint(-5, 5)}.5"]),
                 rng.choice(["-", *(f'"{t}"' for t in cell_texts)]),
                 rng.choice(["-", "yes", "no"])]
        lines.append(f'  | {" | ".join(cells)} || "{_text(rng)}" | {rng.choice(kinds)} |')
    lines += [f'  | - | - | - | - | - || "{_text(rng)}" | {kinds[0]} |',
              f'table {second} "{_text(rng)}"', "  hit first", f"  output {level}: integer",
              f"  | {first}.{chose} | {flag} || {level} |"]
    lines += [f"  | {kind} | {rng.choice(['-', 'yes', 'no'])} || {i} |"
              for i, kind in enumerate(kinds)]
    lines.append("  | - | - || 99 |")
    made = Made("\n".join(lines) + "\n", expected_refusal(
        [number, flag, choice, amount, words, fact, first, second], [first, second], fact))
    spoil = made.refused_for is None and rng.random() < 0.2
    return _spoiled(rng, made, values) if spoil else made


def _spoiled(rng: random.Random, made: Made, values: Names) -> Made:
    """The guideline with a refused thing put in: an input whose name differs from a value name
    only in case (MD204), or a control character in its title (MD110)."""
    cased = [n for n in values.mine if n.swapcase().casefold() == n.casefold() != n.swapcase()]
    if cased and rng.random() < 0.5:
        twin = rng.choice(cased).swapcase()
        return Made(made.text.replace("\nfact", f'\ninput {twin}: yes/no "t"\nfact', 1), "MD204")
    control = rng.choice(CONTROLS)
    return Made(made.text.replace('guideline g "', f'guideline g "{control}', 1), "MD110")


@dataclass
class Tally:
    guidelines: int = 0
    refused: int = 0
    patients: int = 0
    spark_patients: int = 0
    failures: list[str] = field(default_factory=list)
    reproducers: list[tuple[str, str]] = field(default_factory=list)  # (name, file text)


def run_batch(seed: int, guidelines: int, patients: int, spark: Any = None,
              spark_patients: int = 0) -> Tally:
    """`guidelines` random guidelines of seed `seed`, `patients` patients each through the
    module and DuckDB (and the first `spark_patients` of them through Spark, given a session)."""
    tally = Tally()
    for number in range(guidelines):
        label = f"seed {seed} guideline {number}"
        made = random_guideline(random.Random(f"sql-names:{seed}:{number}"))
        tally.guidelines += 1
        try:
            _one(made, label, number, patients, tally, spark, spark_patients)
        except Exception as error:  # any exception is a failure this campaign looks for
            _fail(tally, label, made.text, f"raised {type(error).__name__}: {str(error)[:300]}")
    return tally


def _fail(tally: Tally, label: str, text: str, problem: str) -> None:
    tally.failures.append(f"{label}: {problem}")
    comment = "".join(f"# {line}\n" for line in problem.splitlines())
    tally.reproducers.append((label.replace(" ", "-"), comment + text))


def _one(made: Made, label: str, number: int, count: int, tally: Tally, spark: Any,
         spark_count: int) -> None:
    compilation = compile_source(Source(f"names{number}.mmdsl", made.text), verify=False)
    codes = sorted({d.code for d in compilation.diagnostics if d.severity.value == "error"})
    if made.refused_for is not None:
        tally.refused += 1
        if compilation.guideline is not None or made.refused_for not in codes or "MD900" in codes:
            _fail(tally, label, made.text, f"expected {made.refused_for}, got {codes}")
        return
    if compilation.guideline is None:
        _fail(tally, label, made.text, f"a legal guideline refused: {codes} "
              f"{[d.message for d in compilation.diagnostics][:2]}")
        return
    guideline = compilation.guideline
    if any(t.name.casefold() == "row" for t in guideline.tables):
        tally.refused += 1  # the cohort's own column `row`: the SQL back end refuses the table
        try:
            render_sql(guideline)
        except SqlUnsupported:
            return
        _fail(tally, label, made.text, "a table named `row` in some case reached the SQL")
        return
    columns = synthetic_patients(guideline, count, seed=number)
    rows = list(_rows(columns))
    with tempfile.TemporaryDirectory(prefix="mmdsl-names-") as scratch:
        folder = Path(scratch)
        wrong = duckdb_disagreements(guideline, rows, folder)
        tally.patients += len(rows)
        if not wrong and spark is not None and spark_count:
            wrong = spark_disagreements(spark, guideline, rows[:spark_count], folder)
            tally.spark_patients += min(spark_count, len(rows))
    if wrong:
        _fail(tally, label, made.text, wrong)


def _rows(columns: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
    names = list(columns)
    for values in zip(*columns.values(), strict=True):
        yield {name: value for name, value in zip(names, values, strict=True) if value is not None}


def duckdb_disagreements(guideline: IRGuideline, rows: list[dict[str, Any]], folder: Path) -> str:
    """'' when the DuckDB cohort decides every row as the module; else the first difference."""
    import pyarrow.parquet as pq

    from mmdsl.cohort.engine import evaluate_cohort

    source, output = folder / "patients.jsonl", folder / "decisions.parquet"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    report = evaluate_cohort(guideline, source, output, threads=COHORT_THREADS)
    if report.invalid_rows:
        return f"the cohort refused rows eval decides: {report.problems[:2]}"
    table = pq.read_table(output)
    decided, rules = table.to_pylist(), read_rules(table.schema.metadata)
    module = evaluator(guideline)
    for patient, row in zip(rows, decided, strict=True):
        cohort, python = as_decision(guideline, row, rules), expected(module.evaluate(patient))
        if not same(cohort, python):
            return f"DuckDB decided {cohort} but eval {python} for {patient}"
    return ""


def spark_disagreements(spark: Any, guideline: IRGuideline, rows: list[dict[str, Any]],
                        folder: Path) -> str:
    """'' when Spark SQL decides every row as DuckDB; else the first difference."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from mmdsl.backends.sql import transpiled
    from mmdsl.cohort.engine import evaluate_cohort
    from mmdsl.cohort.synthetic import arrow_type

    source, output = folder / "sample.jsonl", folder / "sample.parquet"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    evaluate_cohort(guideline, source, output, threads=COHORT_THREADS)
    duck = pq.read_table(output).to_pylist()
    module = evaluator(guideline)
    values = [module.read_facts(row) for row in rows]
    columns = {"_row": pa.array(range(1, len(rows) + 1), pa.int64())}
    for item in guideline.inputs:
        column = [sorted(v[item.name]) if item.type.kind == "set" else v[item.name] for v in values]
        columns[item.name] = pa.array(column, arrow_type(pa, item.type.kind))
    pq.write_table(pa.table(columns), folder / "spark_input.parquet")
    spark.read.parquet(str(folder / "spark_input.parquet")).createOrReplaceTempView("patients")
    result = spark.sql(transpiled(guideline, "spark").rstrip().rstrip(";"))
    decided = sorted((r.asDict(recursive=True) for r in result.collect()), key=lambda r: r["row"])
    if len(decided) != len(duck):
        return f"Spark gave {len(decided)} rows for {len(duck)}"
    for theirs, ours in zip(decided, duck, strict=True):
        if _comparable(theirs) != _comparable(ours):
            return f"Spark decided {theirs} but DuckDB {ours}"
    return ""


def _comparable(row: dict[str, Any]) -> str:
    parsed = {key: json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value
              for key, value in row.items()}
    return json.dumps(parsed, sort_keys=True, ensure_ascii=False)


def spark_session() -> Any:
    """A local Spark session on the loopback interface, one core (None without pyspark/java)."""
    import os
    import shutil

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    if shutil.which("java") is None:
        return None
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    session = (SparkSession.builder.master("local[1]").appName("mmdsl-fuzz")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session
