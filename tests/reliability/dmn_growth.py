"""DMN files grown along each dimension a hostile file can grow in, and the import timed on them.

`mmdsl import` reads untrusted files of up to 64 MiB, so its time must grow linearly with the
file: a reader that copies the text so far for each piece (`text +=`), or compares every name
with every other, takes hours on a file of a few hundred kilobytes. Each dimension here builds a
file of size `n`; `growth(dimension, n)` imports the file of size `n` and of size `4 n` and
gives the ratio of their CPU times (best of a few runs, so that a busy machine cannot fail it).
A linear import gives about 4, a quadratic one 16.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from mmdsl.backends.dmn.writer import export_dmn
from mmdsl.frontends.dmn.importer import ImportResult, import_dmn
from mmdsl.pipeline import compile_source
from mmdsl.source import Source

DMN15 = "https://www.omg.org/spec/DMN/20230324/MODEL/"
FLAG = '<inputData id="a" name="a"><variable name="a" typeRef="boolean"/></inputData>'


def _model(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="{DMN15}" id="m" '
            f'name="grown" namespace="urn:grown">{body}</definitions>\n').encode()


def long_description(n: int) -> bytes:
    """One `<description>` of n lines: expat hands its text over a line at a time."""
    return _model(FLAG.replace("<variable", "<description>" + "x\n" * n + "</description>"
                               "<variable"))


def character_references(n: int) -> bytes:
    """One description of n character references (`&#65;`), each its own piece of text."""
    return _model(FLAG.replace("<variable", "<description>" + "&#65;" * n + "</description>"
                               "<variable"))


def named_decisions(n: int) -> bytes:
    """n literal-expression decisions whose names hold a space, each reading the one before:
    every name is looked for in every expression, and the chain is n deep."""
    decisions, previous = [], "a"
    for i in range(n):
        decisions.append(
            f'<decision id="d{i}" name="d {i}"><variable name="d {i}" typeRef="boolean"/>'
            f"<literalExpression><text>{previous} and a</text></literalExpression></decision>")
        previous = f"d {i}"
    return _model(FLAG + "".join(decisions))


def decision_tables(n: int) -> bytes:
    """n decision tables, each reading the result of the one before in a column."""
    tables, previous = [], "a"
    for i in range(n):
        tables.append(
            f'<decision id="t{i}" name="t{i}"><variable name="t{i}" typeRef="boolean"/>'
            f'<decisionTable hitPolicy="FIRST"><input><inputExpression typeRef="boolean">'
            f"<text>{previous}</text></inputExpression></input>"
            f'<output name="o" typeRef="boolean"/>'
            "<rule><inputEntry><text>true</text></inputEntry><outputEntry><text>false</text>"
            "</outputEntry></rule><rule><inputEntry><text>-</text></inputEntry><outputEntry>"
            "<text>true</text></outputEntry></rule></decisionTable></decision>")
        previous = f"t{i}"
    return _model(FLAG + "".join(tables))


@cache
def exported_facts(n: int) -> bytes:
    """An mmdsl guideline of n facts exported by `mmdsl export --to dmn`."""
    text = 'guideline g "g"\ninput a: yes/no "a"\n' + "".join(
        f'fact f{i} "fact {i}" = a\n' for i in range(n))
    compilation = compile_source(Source("g.mmdsl", text))
    assert compilation.guideline is not None
    return export_dmn(compilation.guideline, text).text.encode()


@dataclass(frozen=True)
class Dimension:
    name: str
    build: Callable[[int], bytes]
    size: int  # a size whose import takes long enough to measure (tenths of a second)


DIMENSIONS = (
    Dimension("one long description", long_description, 40_000),
    Dimension("character references", character_references, 80_000),
    Dimension("decisions named with spaces", named_decisions, 250),
    Dimension("chained decision tables", decision_tables, 60),
    Dimension("an exported model of many facts", exported_facts, 600),
)


def import_seconds(data: bytes, runs: int = 3) -> tuple[float, ImportResult]:
    """The least CPU time of `runs` imports of `data`, and the last import's result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.process_time()
        result = import_dmn(data, "grown.dmn", "grown.mmdsl")
        best = min(best, time.process_time() - started)
    assert result is not None
    return best, result


@dataclass(frozen=True)
class Growth:
    dimension: str
    size: int
    small_bytes: int
    big_bytes: int
    small_seconds: float
    big_seconds: float
    problems: tuple[str, ...]

    @property
    def ratio(self) -> float:
        return self.big_seconds / max(self.small_seconds, 1e-3)


def growth(dimension: Dimension, size: int | None = None, runs: int = 3,
           limit: float = 5.5) -> Growth:
    """The import of the file of `size` and of `4 * size`, timed; problems if it is not linear
    or the import gives an internal error."""
    size = size or dimension.size
    small, big = dimension.build(size), dimension.build(4 * size)
    small_seconds, _ = import_seconds(small, runs)
    big_seconds, result = import_seconds(big, runs)
    problems = [f"internal error: {d.message}" for d in result.all_diagnostics
                if d.code == "MD900"]
    measured = Growth(dimension.name, size, len(small), len(big), small_seconds, big_seconds, ())
    if measured.ratio > limit and big_seconds > 0.05:
        problems.append(f"{dimension.name}: {len(small):,} bytes in {small_seconds:.3f} s, "
                        f"{len(big):,} bytes in {big_seconds:.3f} s ({measured.ratio:.1f}x)")
    return Growth(dimension.name, size, len(small), len(big), small_seconds, big_seconds,
                  tuple(problems))


MICROSECONDS_PER_BYTE = 10.0  # the import's CPU time per byte of file (measured: 0.2 to 2)


def campaign(scale: float = 2, runs: int = 2) -> tuple[int, list[str], list[str]]:
    """Every dimension grown from `scale` times its test size to four times that: (files
    imported, problems, one line of figures per dimension). A problem is an internal error, a
    growth past about 5x, or more than MICROSECONDS_PER_BYTE of CPU time per byte."""
    problems, figures = [], []
    for dimension in DIMENSIONS:
        measured = growth(dimension, max(int(dimension.size * scale), 1), runs, limit=6)  # 16x if quadratic
        problems += measured.problems
        per_byte = measured.big_seconds / measured.big_bytes * 1e6
        if per_byte > MICROSECONDS_PER_BYTE:
            problems.append(f"{dimension.name}: {per_byte:.1f} µs per byte")
        figures.append(f"{dimension.name}: {measured.big_bytes / 1e6:.1f} MB in "
                       f"{measured.big_seconds:.2f} s ({measured.ratio:.1f}x for 4x the size, "
                       f"{per_byte:.2f} µs/byte)")
    return 2 * runs * len(DIMENSIONS), problems, figures
