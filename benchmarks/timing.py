"""Timing on a noisy machine: contenders measured in turns within one run, medians, ratios."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Measure:
    name: str
    seconds: list[float] = field(default_factory=list)  # per item, one per repeat

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def per_second(self) -> float:
        return 1.0 / self.median if self.median > 0 else float("inf")


def side_by_side(contenders: dict[str, Callable[[Any], object]], items: Sequence[Any],
                 repeats: int = 7, budget: float = 0.15) -> dict[str, Measure]:
    """Seconds per item of each contender: in every round each one runs over all the items
    (as many passes as fill `budget` seconds), so that noise falls on all of them alike."""
    passes = {name: _passes(fn, items, budget) for name, fn in contenders.items()}
    found = {name: Measure(name) for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            found[name].seconds.append(_one_round(fn, items, passes[name]))
    return found


def _passes(fn: Callable[[Any], object], items: Sequence[Any], budget: float) -> int:
    started = time.perf_counter()
    for item in items:
        fn(item)
    once = max(time.perf_counter() - started, 1e-9)
    return max(1, round(budget / once))


def _one_round(fn: Callable[[Any], object], items: Sequence[Any], passes: int) -> float:
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        for _ in range(passes):
            for item in items:
                fn(item)
        return (time.perf_counter() - started) / (passes * len(items))
    finally:
        if enabled:
            gc.enable()


def median_seconds(fn: Callable[[], object], repeats: int = 5) -> tuple[float, list[float]]:
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), runs


def rate(seconds: float) -> str:
    """Decisions per second, readable: `4.5 M/s`, `45 k/s`."""
    per = 1 / seconds if seconds > 0 else float("inf")
    if per >= 1e6:
        return f"{per / 1e6:.2f} M/s"
    if per >= 1e3:
        return f"{per / 1e3:.1f} k/s"
    return f"{per:.0f}/s"


def micro(seconds: float) -> str:
    return f"{seconds * 1e6:.2f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"
