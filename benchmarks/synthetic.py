"""Synthetic decision tables as mmdsl TEXT, shaped like clinical tables: a partition of the
patients by a decision tree (each rule a leaf: the tests along its path, `-` elsewhere), with a
few seeded mistakes, as authors make them: a deleted row (a gap), a widened row (an overlap),
a row that contradicts a derived fact (dead).

The same seed gives the same text. Columns cycle through the kinds clinical tables use:
integer ranges, decimals, yes/no, enumerations, a derived fact and a set of drugs.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from mmdsl.verify.values import alike

DRUGS = ("dara", "isa", "lena", "poma", "bort", "carf", "ixa", "sel")
SPLIT_DRUGS = ("dara", "isa", "lena", "poma", "sel")
COLUMNS = (
    ("age", "integer", (18, 100)),
    ("ecog", "integer", (0, 4)),
    ("crcl", "decimal", (0.0, 200.0)),
    ("lines", "integer", (0, 12)),
    ("stage", "enum", ("I", "II", "III")),
    ("fit", "bool", ()),
    ("refractory", "set", DRUGS),
    ("hb", "decimal", (4.0, 20.0)),
    ("risk", "enum", ("standard", "high", "very_high")),
    ("pi_refractory", "fact", ()),
    ("t11_14", "bool", ()),
    ("weight", "integer", (30, 200)),
)


@dataclass
class Region:
    """What a tree path has fixed so far, per column: a range, members, a yes/no, a set test."""

    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    sets: dict[str, tuple[bool, str]] = field(default_factory=dict)  # (has it?, member)


def columns_for(width: int) -> list[tuple[str, str, tuple[object, ...]]]:
    return list(COLUMNS[:width])


def table_text(rules: int, width: int = 10, seed: int = 1, hit: str = "unique",
               mistakes: bool = True) -> str:
    """A guideline with one table of `rules` rules over `width` columns."""
    rng = random.Random(seed)
    columns = columns_for(width)
    leaves = _partition(columns, rules, rng)
    rows = [_row(columns, leaf) for leaf in leaves]
    if mistakes and len(rows) > 10:
        rows = _with_mistakes(rows, columns, rng)
    header = _header(columns, hit)
    body = "".join(f"  | r{i + 1} | {' | '.join(cells)} || {rng.choice(OUTCOMES)} |\n"
                   for i, cells in enumerate(rows))
    return header + body + _unread_values_note(columns, rows, header)


def _unread_values_note(columns: list[tuple[str, str, tuple[object, ...]]], rows: list[list[str]],
                        header: str) -> str:
    """A note on the values no row tells apart (MD607: drugs no row names, enumeration members
    every row takes together), so that the table holds its seeded mistakes and no other finding."""
    values = []
    for index, (name, kind, domain) in enumerate(columns):
        cells = [row[index] for row in rows if row[index] != "-"]
        if kind == "enum":
            tests = [frozenset(cell.split(", ")) for cell in cells]
            values += [f"{name}.{group[0]}" for group in alike(tuple(str(d) for d in domain), tests)]
    if "input refractory" in header:
        named = {d for row in rows for cell in row for d in DRUGS if re.search(rf"\b{d}\b", cell)}
        named |= {"bort", "carf", "ixa"} if "fact pi_refractory" in header else set()
        values += [f"refractory.{d}" for d in DRUGS if d not in named]
    return f'note unread_values on {", ".join(values)}: "No synthetic rule reads them."\n' if values else ""


OUTCOMES = ("observe", "treat", "refer", "trial")


def _partition(columns: list[tuple[str, str, tuple[object, ...]]], count: int,
               rng: random.Random) -> list[Region]:
    """Split the largest splittable region until there are `count` leaves."""
    leaves = [Region()]
    while len(leaves) < count:
        index = rng.randrange(len(leaves))
        split = _split(leaves[index], columns, rng)
        if split is None:
            continue
        leaves[index:index + 1] = list(split)
    return leaves


def _split(region: Region, columns: list[tuple[str, str, tuple[object, ...]]],
           rng: random.Random) -> tuple[Region, Region] | None:
    for _ in range(20):
        name, kind, domain = rng.choice(columns)
        made = _split_on(region, name, kind, domain, rng)
        if made is not None:
            return made
    return None


def _copy(region: Region) -> Region:
    return Region(dict(region.bounds), dict(region.members), dict(region.flags), dict(region.sets))


def _split_on(region: Region, name: str, kind: str, domain: tuple[object, ...],
              rng: random.Random) -> tuple[Region, Region] | None:
    left, right = _copy(region), _copy(region)
    if kind in ("integer", "decimal"):
        low, high = region.bounds.get(name, (float(domain[0]), float(domain[1])))  # type: ignore[arg-type]
        step = 1.0 if kind == "integer" else 0.5
        if high - low < 2 * step:
            return None
        cut = low + step * rng.randint(1, int((high - low) / step) - 1)
        left.bounds[name], right.bounds[name] = (low, cut), (cut, high)
    elif kind == "enum":
        members = region.members.get(name, tuple(str(d) for d in domain))
        if len(members) < 2:
            return None
        cut = rng.randint(1, len(members) - 1)
        left.members[name], right.members[name] = members[:cut], members[cut:]
    elif kind in ("bool", "fact"):
        if name in region.flags:
            return None
        left.flags[name], right.flags[name] = True, False
    else:
        if name in region.sets:
            return None
        member = rng.choice(SPLIT_DRUGS)  # not a PI: the fact pi_refractory speaks of those
        left.sets[name], right.sets[name] = (True, member), (False, member)
    return left, right


def _row(columns: list[tuple[str, str, tuple[object, ...]]], leaf: Region) -> list[str]:
    cells = []
    for name, kind, domain in columns:
        if name in leaf.bounds:
            cells.append(_range_cell(kind, leaf.bounds[name], domain))
        elif name in leaf.members:
            cells.append(", ".join(leaf.members[name]))
        elif name in leaf.flags:
            cells.append("yes" if leaf.flags[name] else "no")
        elif name in leaf.sets:
            has, member = leaf.sets[name]
            cells.append(f"has {member}" if has else f"none of ({member})")
        else:
            cells.append("-")
    return cells


def _range_cell(kind: str, bounds: tuple[float, float], domain: tuple[object, ...]) -> str:
    low, high = bounds
    top = float(domain[1])  # type: ignore[arg-type]
    if kind == "integer":
        last = int(high) if high == top else int(high) - 1
        if low == float(domain[0]) and high == top:  # type: ignore[arg-type]
            return "-"
        return str(int(low)) if int(low) == last else f"{int(low)}..{last}"
    closing = "]" if high == top else "["
    return f"[{low:.1f}..{high:.1f}{closing}"


def _with_mistakes(rows: list[list[str]], columns: list[tuple[str, str, tuple[object, ...]]],
                   rng: random.Random) -> list[list[str]]:
    """Delete one row (a gap), copy one row (an overlap), add a dead row."""
    rows = [list(r) for r in rows]
    del rows[rng.randrange(len(rows))]
    copied = rng.randrange(len(rows))
    rows.insert(copied + 1, list(rows[copied]))
    names = [name for name, _, _ in columns]
    if "pi_refractory" in names and "refractory" in names:
        dead = ["-"] * len(columns)
        dead[names.index("pi_refractory")] = "yes"
        dead[names.index("refractory")] = "none of (bort, carf, ixa)"
        rows.append(dead)
    return rows


def _header(columns: list[tuple[str, str, tuple[object, ...]]], hit: str) -> str:
    lines = ['guideline synthetic "A synthetic table for benchmarks"',
             f'enum drug "drugs" = {", ".join(DRUGS)}',
             'class PI of drug "proteasome inhibitors" = bort, carf, ixa']
    for name, kind, domain in columns:
        if kind == "integer":
            lines.append(f'input {name}: integer {domain[0]}..{domain[1]} "{name}"')
        elif kind == "decimal":
            lines.append(f'input {name}: decimal {float(domain[0]):.1f}..{float(domain[1]):.1f} "{name}"')  # type: ignore[arg-type]
        elif kind == "enum":
            lines.append(f'input {name}: one of {", ".join(str(d) for d in domain)} "{name}"')
        elif kind == "bool":
            lines.append(f'input {name}: yes/no "{name}"')
        elif kind == "set":
            lines.append(f'input {name}: set of drug "{name}"')
    if any(kind == "fact" for _, kind, _ in columns):
        if not any(kind == "set" for _, kind, _ in columns):
            lines.append('input refractory: set of drug "refractory"')
        lines.append('fact pi_refractory "refractory to a PI" = refractory has any of PI')
    header = " | ".join(name for name, _, _ in columns)
    rule = "|".join("-" * (len(name) + 2) for name, _, _ in columns)
    lines += ['table decide "A synthetic decision"', f"  hit {hit}",
              f'  output plan: one of {", ".join(OUTCOMES)}',
              f"  | rule | {header} || plan |", f"  |------|{rule}||------|"]
    return "\n".join(lines) + "\n"
