"""Cohort rows at every type's extremes, through DuckDB, compared with `mmdsl eval`'s module.

Each batch writes random rows, drawn from the extreme values of each input type (integers at and
past 64 bits, doubles at their ends, text with lone surrogates and control characters, members
that are not, sets with repeats), to JSON Lines and decides them with `mmdsl cohort`'s engine.
The promises: the cohort never raises; a row the evaluator refuses is an invalid row; a row the
evaluator accepts is decided as the evaluator decides, or (a value DuckDB cannot hold) refused
with its field, never decided differently.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmdsl import pipeline
from mmdsl.cohort.compare import as_decision, expected, read_rules, same
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.cohort.rows import evaluator
from mmdsl.source import Source
from tests.reliability.promises import COHORT_THREADS

GUIDELINE = '''guideline extremes "Extremes"
enum drug "drug" = dara, pom, bort
input n: integer "unbounded integer"
input r: integer 0..120 "ranged integer"
input w: decimal "decimal"
input t: text "text"
input e: one of drug "member"
input s: set of drug "set"
input b: yes/no "flag"
fact big = n > 100000000000000
table verdict "verdict"
  hit first
  output o: text "o"
  | n                    | w      | t   | e    | s              | b   || o        |
  | > 900719925474099   | -      | -   | -    | -              | -   || "huge"   |
  | < -900719925474099  | -      | -   | -    | -              | -   || "tiny"   |
  | -                    | > 100000000000000 | -  | -    | -              | -   || "far"    |
  | -                    | -      | "x" | -    | -              | -   || "x"      |
  | -                    | -      | -   | dara | has any of (pom) | yes || "combo" |
  | -                    | -      | -   | -    | -              | -   || "other"  |
table total "total"
  hit collect sum
  output v: integer "v"
  | r    | big || v |
  | > 60 | -   || 1 |
  | -    | yes || 2 |
'''

INTEGERS = [0, 1, -1, 2 ** 53, 2 ** 53 + 1, 2 ** 62, 2 ** 63 - 1, 2 ** 63, -2 ** 63,
            -2 ** 63 - 1, 10 ** 30, -(10 ** 30), 900719925474099, 900719925474100]
# per input: values the evaluator accepts (at the type's extremes), then values it refuses
POOLS: dict[str, tuple[list[Any], list[Any]]] = {
    "n": (INTEGERS, [1.5, "1", True, None]),
    "r": ([0, 1, 60, 61, 120], [121, -1, 2 ** 63, 10 ** 30]),
    "w": ([0.0, -0.0, 1e308, -1e308, 5e-324, 1e300, 1.5, 2 ** 53 + 1, 10 ** 20, 10 ** 400, 7],
          ["1", None]),
    "t": (["", "x", "\ud800", "a\udfffb", "\x00", "\u2028", "é", "\U0010ffff", "x" * 5000], [7]),
    "e": (["dara", "pom", "bort"], ["DARA", "", "\ud800", 1]),
    "s": ([[], ["pom"], ["dara", "pom", "bort"]], [["pom", "pom"], ["nope"], "pom", [1]]),
    "b": ([True, False], [0, 1, "yes"]),
}
KEYS = ["\ud800", "N", "n "]


def random_row(rng: random.Random) -> dict[str, Any]:
    row = {}
    for name, (valid, refused) in POOLS.items():
        if rng.random() < 0.95:
            row[name] = rng.choice(refused if rng.random() < 0.03 else valid)
    if rng.random() < 0.03:
        row[rng.choice(KEYS)] = 1
    return row


@dataclass
class Tally:
    rows: int = 0
    decided: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)


def run_batch(seed: int, count: int) -> Tally:
    """`count` random rows of seed `seed` through the cohort engine and the module."""
    rng = random.Random(f"cohort-extremes:{seed}")
    compilation = pipeline.compile_source(Source("extremes.mmdsl", GUIDELINE), verify=False)
    guideline = compilation.guideline
    assert guideline is not None, [d.message for d in compilation.diagnostics]
    module = evaluator(guideline)
    rows = [random_row(rng) for _ in range(count)]
    tally = Tally(rows=count)
    with tempfile.TemporaryDirectory() as folder:
        source, output = Path(folder) / "rows.jsonl", Path(folder) / "decisions.parquet"
        lines = [json.dumps(row, ensure_ascii=True) for row in rows]
        source.write_text("".join(line + "\n" for line in lines), "ascii")
        try:
            report = evaluate_cohort(guideline, source, output, threads=COHORT_THREADS)
        except Exception as error:  # any exception is the failure this campaign looks for
            tally.failures.append(f"seed {seed}: the cohort raised {type(error).__name__}: {error}")
            return tally
        import pyarrow.parquet as pq

        table = pq.read_table(output)
        decided = {row["row"]: row for row in table.to_pylist()}
        rules = read_rules(table.schema.metadata)
        invalid = {p.row: p for p in report.problems}
        for number, line in enumerate(lines, start=1):
            try:
                facts = module.parse_facts_json(line.encode())
                python = expected(module.evaluate(facts))
            except ValueError:
                python = None
            if python is None:
                if number not in invalid or number in decided:
                    tally.failures.append(f"seed {seed} row {number}: eval refuses {line[:200]} "
                                          "but the cohort decided it")
                continue
            if number in decided:
                tally.decided += 1
                cohort = as_decision(guideline, decided[number], rules)
                if not same(cohort, python):
                    tally.failures.append(f"seed {seed} row {number}: {line[:200]}: cohort "
                                          f"{cohort} but eval {python}")
            elif number in invalid and any(why in invalid[number].message
                                           for why in ("cohort engine", "lone surrogate")):
                tally.refused += 1
            else:
                tally.failures.append(f"seed {seed} row {number}: eval decides {line[:200]} but "
                                      "the cohort neither decided nor refused it for its engine")
    return tally
