"""The decision query, translated by sqlglot to Spark SQL, decides in a local Spark session as it
does in DuckDB on a few thousand patients (one session, loopback only, one core; skipped without
pyspark or java)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mmdsl.backends.sql import masked, string_literal, translated, transpiled
from mmdsl.cohort.checks import set_mask
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.rows import evaluator
from mmdsl.cohort.synthetic import arrow_type
from tests.cohort.support import (
    FIXTURES,
    ROOT,
    decisions,
    lowered,
    lowered_text,
    pa,
    patients,
    pq,
    write_parquet,
)

pytest.importorskip("pyspark")
pytest.importorskip("sqlglot")
if shutil.which("java") is None:
    pytest.skip("java is not installed", allow_module_level=True)

GUIDELINES = [FIXTURES / "policies.mmdsl", ROOT / "tables" / "myeloma_post_daratumumab.mmdsl",
              ROOT / "examples" / "second_dose.mmdsl",  # durations: date_diff, last_day
              ROOT / "examples" / "cha2ds2_vasc_score.mmdsl",  # a computed score (issue 18)
              ROOT / "examples" / "bmi_referral.mmdsl",  # a decimal fact, exact ratios (issue 18)
              FIXTURES / "fixed_days.mmdsl"]  # a date against fixed days: DATE literals (issue 18)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("mmdsl-tests")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def comparable(row: dict[str, Any]) -> str:
    """A decision row as JSON, its JSON-text columns parsed (the two engines may space them)."""
    parsed = {key: json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value
              for key, value in row.items()}
    return json.dumps(parsed, sort_keys=True)


def checked_patients(guideline: Any, source: Path, target: Path) -> None:
    """The patients as the query expects them: checked values, defaults filled in, `_row`."""
    module = evaluator(guideline)
    rows = pq.read_table(source).to_pylist()
    unknown = {item.name for item in guideline.inputs if item.unknown}  # NULL: unknown (null)
    values = [module.read_facts({k: v.isoformat() if isinstance(v, date) else v  # facts: text
                                 for k, v in row.items() if v is not None or k in unknown})
              for row in rows]
    columns = {"_row": pa.array(range(1, len(rows) + 1), pa.int64())}
    for item in guideline.inputs:
        column = [set_mask(item, list(v[item.name])) if masked(item) and v[item.name] is not None
                  else v[item.name] for v in values]  # a set as its bit mask (docs/cohort.md)
        kind = pa.int64() if masked(item) else arrow_type(pa, item.type.kind)
        columns[item.name] = pa.array(column, kind)
    pq.write_table(pa.table(columns), target)


def decided_by_both(spark: Any, guideline: Any, source: Path,
                    tmp_path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The cohort's decisions by DuckDB (`evaluate_cohort`) and by Spark SQL over the same
    checked patients, each in row order."""
    out = tmp_path / "d.parquet"
    evaluate_cohort(guideline, source, out)
    duck, _ = decisions(out)
    checked_patients(guideline, source, tmp_path / "spark_input.parquet")
    spark.read.parquet(str(tmp_path / "spark_input.parquet")).createOrReplaceTempView("patients")
    result = spark.sql(transpiled(guideline, "spark").rstrip().rstrip(";"))
    spark_rows = sorted((r.asDict(recursive=True) for r in result.collect()), key=lambda r: r["row"])
    return duck, spark_rows


def test_spark_decides_as_duckdb(spark: Any, tmp_path: Path) -> None:
    for path in GUIDELINES:
        guideline = lowered(path)
        source = write_parquet(guideline, patients(guideline, 1500, seed=11),
                               tmp_path / f"{path.stem}.parquet")
        out = tmp_path / f"{path.stem}.decisions.parquet"
        evaluate_cohort(guideline, source, out)
        duck, _ = decisions(out)
        checked_patients(guideline, source, tmp_path / "spark_input.parquet")
        spark.read.parquet(str(tmp_path / "spark_input.parquet")).createOrReplaceTempView("patients")
        result = spark.sql(transpiled(guideline, "spark").rstrip().rstrip(";"))
        rows = sorted((r.asDict(recursive=True) for r in result.collect()), key=lambda r: r["row"])
        assert len(rows) == len(duck)
        wrong = [(s, d) for s, d in zip(rows, duck, strict=True) if comparable(s) != comparable(d)]
        assert not wrong, (path.stem, [{k: (s[k], d[k]) for k in s if s[k] != d[k]} for s, d in wrong[:3]])


def test_spark_decides_unknown_values_as_duckdb(spark: Any, tmp_path: Path) -> None:
    """Inputs declared `or unknown`, NULL for some patients: Kleene facts, unknown numbers and
    `unknown` cells decide alike in Spark SQL (DuckDB against the module: test_unknown.py)."""
    from mmdsl.cohort.synthetic import write_parquet as write_typed
    from tests.cohort.test_unknown import guideline as unknown_guideline
    from tests.cohort.test_unknown import with_unknowns

    guideline = unknown_guideline()
    columns, _ = with_unknowns(guideline, 400, seed=7)
    source = tmp_path / "p.parquet"
    write_typed(guideline, columns, source)
    duck, spark_rows = decided_by_both(spark, guideline, source, tmp_path)
    assert len(duck) == 400
    assert [comparable(r) for r in spark_rows] == [comparable(r) for r in duck]
    assert any(value is None for r in duck for value in r["derived"].values())


def test_spark_decides_durations_over_null_dates_as_duckdb(spark: Any, tmp_path: Path) -> None:
    """A date declared `or unknown`, NULL for some patients: the durations counted from it are
    NULL, their tests do not hold and `unknown` cells read them, alike in Spark SQL."""
    from mmdsl.cohort.synthetic import write_parquet as write_typed
    from tests.cohort.test_unknown import with_unknowns
    from tests.unknown.support import DOSE

    guideline = lowered_text(DOSE)
    columns, _ = with_unknowns(guideline, 300, seed=8)
    assert any(v is None for v in columns["last_dose"])
    source = tmp_path / "p.parquet"
    write_typed(guideline, columns, source)
    duck, spark_rows = decided_by_both(spark, guideline, source, tmp_path)
    assert len(duck) == 300
    assert [comparable(r) for r in spark_rows] == [comparable(r) for r in duck]
    assert any(r["derived"]["recent"] is None for r in duck)


# Issue 14, item 6: Spark's chr(n) is chr(n % 256), so `CHR(8232)` read back as `(`; the text
# above U+00FF that string_literal joins in with chr() is written for Spark as a Unicode escape.
WIDE = ["\u2028", "\u2029", "\ufffe", "\uffff", "\ud7ff", "\ue000", "\U000fffff", "\U0010ffff"]
NARROW = ["\x01", "\x1f", "\x7f", "\x85", "a'b", "back\\slash"]


def test_spark_reads_each_literal_back_as_the_text(spark: Any) -> None:
    texts = [*WIDE, *NARROW, "x" + "".join(WIDE) + "y"]
    query = "SELECT " + ", ".join(f"{string_literal(t)} AS c{i}" for i, t in enumerate(texts))
    row = spark.sql(translated(query, "spark").rstrip().rstrip(";")).collect()[0]
    assert [row[f"c{i}"] for i in range(len(texts))] == texts


def test_spark_matches_wide_text_as_duckdb(spark: Any, tmp_path: Path) -> None:
    """Patients' text (from Parquet, as it is) against authored text above U+00FF: each patient
    matches its own rule in both engines (with `CHR(8232)` read as `(`, none would)."""
    authored = [t for t in WIDE if t not in "\ufffe\uffff"]  # those two: MD110
    rows = "\n".join(f'  | "o{t}" || {i} |' for i, t in enumerate(authored))
    guideline = lowered_text(f'guideline w "w"\ninput s: text "s"\ntable t "t"\n'
                             f'  hit first\n  output o: integer\n  | s || o |\n{rows}\n'
                             f'  | - || 99 |\n')
    source = tmp_path / "p.parquet"
    pq.write_table(pa.table({"s": pa.array([f"o{t}" for t in authored] + ["other"])}), source)
    duck, spark_rows = decided_by_both(spark, guideline, source, tmp_path)
    assert [comparable(r) for r in spark_rows] == [comparable(r) for r in duck]
    assert [r["t"] for r in duck] == list(range(len(authored) + 1))  # each its own rule's position


def test_the_documented_mask_expression_gives_each_sets_mask(spark: Any) -> None:
    """docs/cohort.md shows how to turn checked lists of names into masks on a cluster; the
    expression, as written there, gives what `set_mask` gives."""
    text = (ROOT / "docs" / "cohort.md").read_text("utf-8")
    expression = "aggregate(" + text.split("```sql\naggregate(", 1)[1].split("```", 1)[0].strip()
    guideline = lowered_text('guideline g "g"\nenum drug "d" = a, b, c\ninput refractory: set of '
                             'drug "r"\ntable t "t"\n  hit first\n  output o: yes/no\n'
                             '  | refractory || o |\n  | has a || yes |\n')
    lists = [["a", "c"], [], ["b"], ["c", "b", "a"]]
    values = ", ".join("(CAST(array(" + ", ".join(f"'{m}'" for m in names) + ") AS ARRAY<STRING>))"
                       for names in lists)
    rows = spark.sql(f"SELECT {expression} FROM VALUES {values} AS t(refractory)").collect()
    item = guideline.inputs[0]
    assert [row["refractory"] for row in rows] == [set_mask(item, names) for names in lists]


# Found by make fuzz's Spark campaign (tests/reliability/sql_names.py): sqlglot wrote the derived
# facts' struct as `STRUCT(_f0 AS strAße)`, a bare alias that Spark refuses beyond ASCII
# (INVALID_IDENTIFIER); every identifier is quoted now.
def test_spark_decides_names_in_other_scripts_as_duckdb(spark: Any, tmp_path: Path) -> None:
    guideline = lowered_text('guideline g "g"\ninput доза: integer 0..99 "dose"\n'
                             'input nAïve: yes/no "naive"\n'
                             'fact strAße "f" = (доза > 50) or nAïve\n'
                             'table 용량 "t"\n  hit first\n  output größe: text\n'
                             '  | strAße || größe |\n  | yes || "groß" |\n  | - || "klein" |\n')
    source = tmp_path / "p.parquet"
    pq.write_table(pa.table({"доза": pa.array([10, 60, 70], pa.int64()),
                             "nAïve": pa.array([False, False, True], pa.bool_())}), source)
    duck, spark_rows = decided_by_both(spark, guideline, source, tmp_path)
    assert [comparable(r) for r in spark_rows] == [comparable(r) for r in duck]
    assert [r["derived"] for r in duck] == [{"strAße": v} for v in (False, True, True)]


# Issue 18: decimal numeric facts as exact ratios of DECIMAL(38, 0) (backends/sql/exact.py).
# Spark raises on a DECIMAL overflow in ANSI mode and gives NULL without it; the query's bounds
# keep every step within 38 digits, so both modes decide as DuckDB does, boundaries included.
@pytest.mark.parametrize("ansi", ["true", "false"])
@pytest.mark.parametrize("shape", ["bmi", "shapes"])
def test_spark_decides_decimal_facts_exactly_as_duckdb(spark: Any, tmp_path: Path, ansi: str,
                                                        shape: str) -> None:
    from tests.cohort import test_exact_decimals as exact

    guideline = (lowered(ROOT / "examples" / "bmi_referral.mmdsl") if shape == "bmi"
                 else lowered_text(exact.SHAPES))
    rows = exact.bmi_patients() if shape == "bmi" else exact.shape_patients()
    arrow = {"decimal": pa.float64(), "integer": pa.int64(), "bool": pa.bool_()}
    source = tmp_path / "p.parquet"
    pq.write_table(pa.table({i.name: pa.array([r[i.name] for r in rows], arrow[i.type.kind])
                             for i in guideline.inputs}), source)
    out = tmp_path / "d.parquet"
    report = evaluate_cohort(guideline, source, out)
    duck, _ = decisions(out)
    assert report.invalid_rows > 0  # values of more than 6 decimals: refused, in Spark left out
    checked_patients(guideline, source, tmp_path / "spark_input.parquet")
    spark.read.parquet(str(tmp_path / "spark_input.parquet")).createOrReplaceTempView("patients")
    spark.conf.set("spark.sql.ansi.enabled", ansi)
    try:
        result = spark.sql(transpiled(guideline, "spark").rstrip().rstrip(";"))
        spark_rows = sorted((r.asDict(recursive=True) for r in result.collect()),
                            key=lambda r: r["row"])
    finally:
        spark.conf.unset("spark.sql.ansi.enabled")
    assert [comparable(r) for r in spark_rows] == [comparable(r) for r in duck]


def test_spark_decides_random_decimal_facts_as_duckdb(spark: Any, tmp_path: Path) -> None:
    """Random arithmetic (tests/cohort/test_exact_decimals.py), a few guidelines; more with
    MMDSL_EXACT_SPARK=N."""
    import random

    from mmdsl.backends.sql import SqlUnsupported
    from tests.cohort import test_exact_decimals as exact

    rnd, compared = random.Random(exact.SEED + 1), 0
    for number in range(int(os.environ.get("MMDSL_EXACT_SPARK", "3"))):
        made = exact.random_guideline(rnd, number)
        if made is None:
            continue
        guideline = lowered_text(made[0])
        try:
            query = transpiled(guideline, "spark")
        except SqlUnsupported:
            continue
        source = tmp_path / f"p{number}.parquet"
        arrow = {"decimal": pa.float64(), "integer": pa.int64()}
        pq.write_table(pa.table({i.name: pa.array([r[i.name] for r in made[1]], arrow[i.type.kind])
                                 for i in guideline.inputs}), source)
        out = tmp_path / f"d{number}.parquet"
        evaluate_cohort(guideline, source, out)
        duck, _ = decisions(out)
        checked_patients(guideline, source, tmp_path / f"spark_input{number}.parquet")
        spark.read.parquet(str(tmp_path / f"spark_input{number}.parquet")) \
            .createOrReplaceTempView("patients")
        rows = sorted((r.asDict(recursive=True) for r in spark.sql(query.rstrip().rstrip(";"))
                       .collect()), key=lambda r: r["row"])
        assert [comparable(r) for r in rows] == [comparable(r) for r in duck], made[0]
        compared += len(rows)
    print("Spark, random decimal facts:", compared, "patients decided as by DuckDB")
    assert compared > 100


def test_spark_joins_text_facts_as_duckdb(spark: Any, tmp_path: Path) -> None:
    """Text facts (issue 18, item 3): authored text with quotes, a backslash, a tab and text above
    U+00FF, joined with patients' text and an enumeration member's name, the same in both."""
    guideline = lowered_text(
        'guideline w "w"\ninput s: text "s"\ninput c: one of red, blue_green "c"\n'
        'input n: integer 0..9 "n"\n'
        'fact big = n >= 5\n'
        'fact label = if big then "it\'s \\"big\\" \\\\ \t\u2028" + s else "small: " + c + s\n'
        'fact again = label + " / " + label\n'
        'table t "t"\n  output o: yes/no\n  | big || o |\n  | yes || yes |\n  | no || no |\n')
    texts = ["a'b", 'q"q', "back\\slash", "tab\t", "\x01\x7f\x85", "\u2028\U0010ffff", ""]
    source = tmp_path / "p.parquet"
    pq.write_table(pa.table({"s": pa.array(texts), "c": pa.array(["red", "blue_green"] * 3 + ["red"]),
                             "n": pa.array([n % 10 for n in range(3, 3 + len(texts) * 3, 3)],
                                           pa.int64())}), source)
    duck, spark_rows = decided_by_both(spark, guideline, source, tmp_path)
    assert [comparable(r) for r in spark_rows] == [comparable(r) for r in duck]
    labels = [r["derived"]["label"] for r in duck]
    assert labels[0] == "small: reda'b" and labels[1] == 'it\'s "big" \\ \t\u2028q"q'


def test_spark_decides_dates_and_times_as_duckdb(spark: Any, tmp_path: Path) -> None:
    """Moment codes (backends/sql `moment_code`): fixed dates and times and durations to the
    second, with offsets and without, as whole numbers in both engines (issue 18)."""
    from mmdsl.backends.sql import moment_code
    from tests.cohort.test_datetime import INPUTS, triage_rows
    from tests.datetime.test_datetime import CELLS

    guideline = lowered_text(CELLS)
    rows = triage_rows(100, seed=7)
    source = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source)
    out = tmp_path / "d.parquet"
    evaluate_cohort(guideline, source, out)
    duck, _ = decisions(out)
    module = evaluator(guideline)
    columns = {"_row": pa.array(range(1, len(rows) + 1), pa.int64())}
    for name in INPUTS:
        columns[name] = pa.array([moment_code(module.read_facts(row)[name]) for row in rows],
                                 pa.int64())
    pq.write_table(pa.table(columns), tmp_path / "spark_input.parquet")
    spark.read.parquet(str(tmp_path / "spark_input.parquet")).createOrReplaceTempView("patients")
    result = spark.sql(transpiled(guideline, "spark").rstrip().rstrip(";"))
    spark_rows = sorted((r.asDict(recursive=True) for r in result.collect()), key=lambda r: r["row"])
    assert [comparable(r) for r in spark_rows] == [comparable(r) for r in duck]
    assert len({r["triage"] for r in duck}) >= 4


def test_spark_decides_times_of_day_as_duckdb(spark: Any, tmp_path: Path) -> None:
    """Clock codes (backends/sql `clock_code`): fixed times of day to the second, as seconds
    since midnight in both engines (issue 18)."""
    from mmdsl.backends.sql import clock_code
    from tests.cohort.test_time_of_day import ward_rows
    from tests.timeofday.test_time_of_day import WARD

    guideline = lowered_text(WARD)
    rows = ward_rows(100, seed=7)
    source = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source)
    out = tmp_path / "d.parquet"
    evaluate_cohort(guideline, source, out)
    duck, _ = decisions(out)
    module = evaluator(guideline)
    columns = {"_row": pa.array(range(1, len(rows) + 1), pa.int64()),
               "arrival_clock": pa.array([clock_code(module.read_facts(row)["arrival_clock"])
                                          for row in rows], pa.int64()),
               "urgent": pa.array([row["urgent"] for row in rows])}
    pq.write_table(pa.table(columns), tmp_path / "spark_input.parquet")
    spark.read.parquet(str(tmp_path / "spark_input.parquet")).createOrReplaceTempView("patients")
    result = spark.sql(transpiled(guideline, "spark").rstrip().rstrip(";"))
    spark_rows = sorted((r.asDict(recursive=True) for r in result.collect()), key=lambda r: r["row"])
    assert [comparable(r) for r in spark_rows] == [comparable(r) for r in duck]
    assert len({r["review"] for r in duck}) >= 4
