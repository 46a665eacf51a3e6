"""Points scores for the verifier's benchmark (issue 12): a `collect sum` table of yes/no items
and ranged items, read by a complete `unique` table in three bands.

The verifier encodes the score value by value (verify/encode.py `numbers`); the target is a score
of 15 yes/no items and 3 ranged items verified in under 1 s.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

TARGET = (15, 3, 1.0)  # yes/no items, ranged items, seconds


def score_text(flags: int, ranged: int) -> str:
    """`flags` yes/no items of 1 or 2 points and `ranged` numbers of 0, 1 or 2 points each, read
    by a complete unique table whose three bands cover every value once."""
    inputs = [f'input f{i}: yes/no "item {i}"' for i in range(flags)]
    inputs += [f'input n{i}: integer 0..200 "measure {i}"' for i in range(ranged)]
    columns = [f"f{i}" for i in range(flags)] + [f"n{i}" for i in range(ranged)]
    rows = [["-"] * len(columns) + ["0"]]
    for i in range(flags):
        rows.append(["yes" if c == f"f{i}" else "-" for c in columns] + [str(1 + i % 2)])
    for i in range(ranged):
        for cell, points in (("50..99", "1"), (">= 100", "2")):
            rows.append([cell if c == f"n{i}" else "-" for c in columns] + [points])
    top = sum(1 + i % 2 for i in range(flags)) + 2 * ranged
    score = "\n".join("  | " + " | ".join(row[:-1]) + " || " + row[-1] + " |" for row in rows)
    return ('guideline s "S"\n' + "\n".join(inputs) + "\n"
            f"table score \"Score\"\n  hit collect sum\n  output points: integer 0..{top}\n"
            f"  | {' | '.join(columns)} || points |\n{score}\n"
            'table band "Band"\n  hit unique\n  complete\n  output b: one of low, mid, high\n'
            "  | score || b |\n  | 0..3 || low |\n  | 4..9 || mid |\n  | >= 10 || high |\n")


def verification(flags: int, ranged: int, repeats: int = 3) -> dict[str, Any]:
    """Median seconds of the whole verification (`verify_guideline`) of the score and the table
    reading it, with fresh BDDs each time; the values the score takes; whether it is verified."""
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source
    from mmdsl.verify.encode import Encoder
    from mmdsl.verify.report import verify_guideline

    guideline = compile_source(Source("score.mmdsl", score_text(flags, ranged)), verify=False).guideline
    assert guideline is not None
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = verify_guideline(guideline)
        times.append(time.perf_counter() - started)
    assert result is not None
    values = len(Encoder(guideline).numbers(guideline.tables[0]))
    return {"seconds": statistics.median(times), "values": values,
            "fully verified": result.fully_verified,
            "findings": len([f for t in result.tables for f in t.findings])}
