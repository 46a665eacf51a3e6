"""What `why_not` costs the generated evaluator: evaluate() on the myeloma guideline's worked
examples, with the why-not explanations and with them switched off (docs/cohort.md).

    PYTHONPATH=. python benchmarks/why_not_cost.py
"""

from __future__ import annotations

import importlib.util
import timeit
from pathlib import Path

from mmdsl.pipeline import compile_path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
MODULE = ROOT / "generated" / "myeloma_post_daratumumab.py"


def main() -> None:
    guideline = compile_path(TABLE).guideline
    assert guideline is not None
    facts = [dict(example.facts) for example in guideline.examples]
    spec = importlib.util.spec_from_file_location("why_not_cost", MODULE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def per_decision() -> float:
        def run() -> None:
            for item in facts:
                module.evaluate(item)
        return min(timeit.repeat(run, number=200, repeat=7)) / (200 * len(facts)) * 1e6

    with_why_not = per_decision()
    module.TABLES = tuple((table, core, None) for table, core, _ in module.TABLES)
    without = per_decision()
    print(f"{len(facts)} worked examples: evaluate() {with_why_not:.2f} µs with why_not, "
          f"{without:.2f} µs without (+{with_why_not - without:.2f} µs, "
          f"{with_why_not / without:.2f}x)")


if __name__ == "__main__":
    main()
