"""What exact decimal facts cost the cohort: examples/bmi_referral.mmdsl (the BMI computed in SQL as
an exact ratio, docs/cohort.md) against the same table reading the BMI as a decimal input, on the
same patients, in CPU time of the cohort's stages (DuckDB's threads included), best of three.

    python -m benchmarks.exact_decimals [PATIENTS]
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from mmdsl import pipeline
from mmdsl.cohort.engine import evaluate_cohort
from mmdsl.extras import require
from mmdsl.ir.model import IRGuideline
from mmdsl.source import Source

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bmi_referral.mmdsl"
AS_INPUT = """guideline bmi_input "The referral table, the BMI given"
input bmi: decimal 0.3..3400.0 "body mass index"
input diabetes: yes/no "type 2 diabetes"
fact obese = bmi >= 30.0
table referral "Referral"
  hit first
  output advice: one of refer, discuss, no_referral
  | rule          | bmi     | diabetes || advice      |
  |---------------|---------|----------||-------------|
  | obese         | >= 30.0 | -        || refer       |
  | overweight_dm | >= 25.0 | yes      || discuss     |
  | otherwise     | -       | -        || no_referral |
"""


def lowered(text: str, name: str) -> IRGuideline:
    compilation = pipeline.compile_source(Source(name, text), verify=False)
    assert compilation.guideline is not None
    return compilation.guideline


def main(count: int) -> None:
    pa, pq = require("pyarrow"), require("pyarrow.parquet")
    rnd = random.Random(7)
    weight = [round(rnd.uniform(2.0, 300.0), rnd.randint(0, 3)) for _ in range(count)]
    height = [round(rnd.uniform(0.3, 2.5), rnd.randint(1, 3)) for _ in range(count)]
    diabetes = [rnd.random() < 0.5 for _ in range(count)]
    with tempfile.TemporaryDirectory() as folder:
        computed, given = Path(folder, "computed.parquet"), Path(folder, "given.parquet")
        pq.write_table(pa.table({"weight_kg": weight, "height_m": height, "diabetes": diabetes}),
                       computed)
        pq.write_table(pa.table({"bmi": [w / (h * h) for w, h in zip(weight, height, strict=True)],
                                 "diabetes": diabetes}), given)
        for name, guideline, source in (
                ("BMI computed exactly", lowered(EXAMPLE.read_text("utf-8"), EXAMPLE.name), computed),
                ("BMI given as an input", lowered(AS_INPUT, "bmi_input.mmdsl"), given)):
            runs = [evaluate_cohort(guideline, source, Path(folder, "out.parquet"), threads=2)
                    for _ in range(3)]
            best = min(runs, key=lambda report: report.cpu["decide and write"])
            print(f"{name}: {best.decided:,} decided; CPU s, best of 3: "
                  + ", ".join(f"{stage} {seconds:.3f}" for stage, seconds in best.cpu.items()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
