"""Small random guidelines whose whole input space can be enumerated, for exactness tests."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

from mmdsl.ir import model as ir

HEADER = '''guideline random "Random"
enum colour = red, green, blue
class warm of colour = red
input flag: yes/no
input count: integer 0..5
input colour: one of colour
input drugs: set of colour
input level: decimal 0..2
input more: set of colour includes drugs
fact hot = colour is red or drugs has any of warm
'''
COLUMNS = ("flag", "count", "colour", "drugs", "hot", "level", "more")
POLICIES = ("unique", "any", "first", "priority", "collect", "rule order", "output order")


def random_cell(rng: random.Random, column: str) -> str:
    choices = {
        "flag": ["-", "yes", "no"],
        "hot": ["-", "yes", "no"],
        "count": ["-", ">= 2", "< 3", "1..3", "0, 5", "not 2", "[1..4[", "4", "> 4"],
        "colour": ["-", "red", "green, blue", "not red", "warm", "any of (red, blue)"],
        "drugs": ["-", "has red", "has any of (green, blue)", "none of warm", "all of (red, green)",
                  "has blue"],
        "level": ["-", ">= 1", "< 0.5", "]0.5..1.5]", "1.5", "not 1"],
        "more": ["-", "has red", "none of (green, blue)", "all of (red, blue)"],
    }[column]
    return rng.choice(choices)


def random_source(seed: int, columns: tuple[int, int] = (1, 3), rows: tuple[int, int] = (1, 6)) -> str:
    """A random guideline with one table of columns[0]..columns[1] columns, rows[0]..rows[1] rows."""
    rng = random.Random(seed)
    chosen = rng.sample(COLUMNS, rng.randint(*columns))
    policy = rng.choice(POLICIES)
    scope = rng.choice(["", 'scope "some" = count <= 4\n', 'scope "warm" = not hot or flag\n'])
    lines = [" | ".join(random_cell(rng, c) for c in chosen) + " || " + rng.choice(["a", "b", "c"])
             for _ in range(rng.randint(*rows))]
    table = (f"table t\n  hit {policy}\n  output o: one of a, b, c\n"
             f"  | {' | '.join(chosen)} || o |\n" + "".join(f"  | {r} |\n" for r in lines))
    return HEADER + scope + table


AGGREGATES = ("sum", "count", "min", "max")
SCORE_CELLS = ["-", ">= 2", "< 3", "1..3", "0", "not 2", ">= 4", "3, 5"]


def random_score_source(seed: int) -> str:
    """A random guideline whose last table reads the number of a random `collect sum` (count,
    min, max) table of 2..7 rules of 0..3 points (or none)."""
    rng = random.Random(seed)
    aggregate = rng.choice(AGGREGATES)
    scored = rng.sample(COLUMNS, rng.randint(1, 3))
    points = [rng.choice(["0", "1", "2", "3", "1", "2", "-"]) for _ in range(rng.randint(2, 7))]
    score_rows = "".join(f"  | {' | '.join(random_cell(rng, c) for c in scored)} || {p} |\n"
                         for p in points)
    score = (f"table score\n  hit collect {aggregate}\n  output points: integer 0..30\n"
             f"  | {' | '.join(scored)} || points |\n" + score_rows)
    others = rng.sample(COLUMNS, rng.randint(0, 2))
    policy = rng.choice(POLICIES)
    lines = [" | ".join([rng.choice(SCORE_CELLS), *(random_cell(rng, c) for c in others)])
             + " || " + rng.choice(["a", "b", "c"]) for _ in range(rng.randint(1, 6))]
    table = (f"table t\n  hit {policy}\n  output o: one of a, b, c\n"
             f"  | {' | '.join(['score', *others])} || o |\n" + "".join(f"  | {r} |\n" for r in lines))
    return HEADER + score + table


IMPOSSIBLE = (
    "count = 0 and flag", "colour is red and drugs has blue", "hot and level >= 1",
    "count >= 4 or colour is green", "more has green and not flag",
    "drugs has none of (red, green, blue) and count > 2",
)


def random_impossible_source(seed: int) -> str:
    """A random guideline (as random_source) with one or two combinations declared impossible."""
    rng = random.Random(seed)
    declared = rng.sample(IMPOSSIBLE, rng.randint(1, 2))
    lines = "".join(f'impossible i{n} "cannot occur" = {c}\n' for n, c in enumerate(declared))
    source = random_source(seed + 10_000, columns=(1, 4), rows=(2, 10))
    at = source.index("table t")
    return source[:at] + lines + source[at:]


def every_patient() -> Iterator[dict[str, ir.JsonValue]]:
    """Every valid patient of HEADER, up to the values the random cells can tell apart."""
    colours = ["red", "green", "blue"]
    sets = [list(c) for n in range(4) for c in itertools.combinations(colours, n)]
    levels = [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    for flag, count, colour, drugs, level in itertools.product(
            [False, True], range(6), colours, sets, levels):
        for extra in (s for s in sets if not set(s) & set(drugs)):  # `more` includes `drugs`
            yield {"flag": flag, "count": count, "colour": colour, "drugs": drugs, "level": level,
                   "more": sorted(set(drugs) | set(extra))}
