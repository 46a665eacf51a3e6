"""`make fuzz`: the long reliability run, in bounded time, on every core.

    python -m tests.reliability.fuzz [--inputs N] [--facts N] [--seed S] [--jobs J] [--minutes M]

Six campaigns (docs/reliability.md):

1. front end: N mutants of the corpus (`mutate.mutant`), each through the whole pipeline, each
   within a time limit, every worker within a memory limit (`promises.py`);
2. big inputs: every case of `big_inputs.CASES` in its own measured process;
3. shipped guidelines: N random valid facts per file of tables/, module against interpreter;
4. random guidelines: N facts over random guidelines (`guidelines.py`), a tenth of them broken;
5. DMN import: files grown 4x along every dimension (`dmn_growth.py`), within about 5x the time
   and a bound per byte;
6. cohort extremes: N/5 rows at every type's extremes through DuckDB, against the evaluator
   (`cohort_extremes.py`).

It prints how many inputs each campaign tried and how many failed, and exits with status 1 if
any failed or the run went past its time limit. Input `i` of the front end is always the same
for the same seed (`random.Random(f"{seed}:{i}")`), and every failing input is written to
`fuzz-failures/` with its problems, so a failure can be replayed alone:

    python -m tests.reliability.fuzz --replay fuzz-failures/frontend-1234.mmdsl
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tests.reliability.big_inputs import CASES, run_case
from tests.reliability.corpus import seeds
from tests.reliability.differential import Tally, compare_random, compare_shipped, shipped_tables
from tests.reliability.hostile_campaigns import Outcome, case_names, special_outputs
from tests.reliability.mutate import mutant
from tests.reliability.promises import TimeLimit, run_whole_pipeline

INPUT_SECONDS = 30  # one mutant, whole pipeline: a hang beyond this is a failure
WORKER_MEGABYTES = 3000  # the address space of each worker process
BATCH = 250
DMN_SCALE = 2.0  # the DMN growth campaign's sizes, in multiples of its test's sizes
T = TypeVar("T")


@dataclass
class Result:
    """One campaign: how many inputs it tried, which failed, how long it took."""

    name: str
    tried: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    detail: str = ""

    @property
    def failed(self) -> int:
        return len(self.failures)


# ---- workers --------------------------------------------------------------------------------------


def _start_worker() -> None:
    limit = WORKER_MEGABYTES * 1_000_000
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _alarm)


def _alarm(signum: int, frame: object) -> None:
    raise TimeLimit()


def frontend_batch(job: tuple[int, int, int]) -> tuple[int, int, float, list[tuple[int, str, bytes]]]:
    """Mutants start..stop-1 of `seed`: (tried, compiled, slowest seconds, failures)."""
    seed, start, stop = job
    corpus = list(seeds())
    compiled, slowest, failures = 0, 0.0, []
    for index in range(start, stop):
        text = mutant(corpus, random.Random(f"{seed}:{index}"))
        signal.alarm(INPUT_SECONDS)
        try:
            outcome = run_whole_pipeline(text)
            problems = outcome.problems
        except TimeLimit:
            problems = [f"took more than {INPUT_SECONDS} s"]
        finally:
            signal.alarm(0)
        if problems:
            data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
            failures.append((index, "\n".join(problems), data))
        else:
            compiled += outcome.compiled
            slowest = max(slowest, outcome.seconds)
    return stop - start, compiled, slowest, failures


def shipped_batch(job: tuple[str, int, int]) -> Tally:
    path, seed, count = job
    return compare_shipped(Path(path), seed, count)


def random_batch(job: tuple[int, int]) -> Tally:
    seed, count = job
    return compare_random(seed, count)


# ---- campaigns ------------------------------------------------------------------------------------


def in_pool(jobs: int, work: Callable[[Any], T], items: list[Any], deadline: float) -> Iterator[T]:
    """Results of `work` over `items` on `jobs` processes, until the deadline."""
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker) as pool:
        for result in pool.imap_unordered(work, items):
            yield result
            if time.monotonic() > deadline:
                pool.terminate()
                raise TimeoutError


def frontend(count: int, seed: int, jobs: int, deadline: float, out: Path) -> Result:
    result = Result("front end: mutated table files")
    compiled, slowest = 0, 0.0
    batches = [(seed, start, min(start + BATCH, count)) for start in range(0, count, BATCH)]
    for tried, ok, slow, failures in in_pool(jobs, frontend_batch, batches, deadline):
        result.tried += tried
        compiled += ok
        slowest = max(slowest, slow)
        for index, problems, data in failures:
            result.failures.append(f"input {index}: {problems.splitlines()[0]}")
            save(out, f"frontend-{index}", data, problems)
    result.detail = (f"{compiled:,} compiled, the others gave diagnostics; "
                     f"slowest input {slowest:.2f} s")
    return result


def big(jobs: int, deadline: float, out: Path) -> Result:
    result = Result("big inputs: 10 MB files, 50,000 rows, deep nesting")
    lines = []
    with ThreadPoolExecutor(jobs) as threads:
        for measured in threads.map(run_case, CASES):
            result.tried += 1
            lines.append(f"{measured.name}: {measured.seconds:.1f} s, {measured.megabytes:.0f} MB")
            if measured.problems:
                result.failures.append(f"{measured.name}: {'; '.join(measured.problems)}")
                save(out, f"big-{measured.name}", b"", "\n".join(measured.problems))
    result.detail = "; ".join(lines)
    if time.monotonic() > deadline:
        raise TimeoutError
    return result


def differential(name: str, work: Callable[[Any], Tally], items: list[Any], jobs: int,
                 deadline: float, out: Path) -> Result:
    result = Result(name)
    total = Tally()
    for tally in in_pool(jobs, work, items, deadline):
        total.add(tally)
    result.tried = total.compared
    result.failures = total.disagreements
    for number, disagreement in enumerate(total.disagreements):
        save(out, f"{name.split(':')[0].replace(' ', '-')}-{number}", b"", disagreement)
    result.detail = f"{total.refused:,} of them invalid and refused alike"
    return result


def hostile(name: str, work: Callable[[], Outcome], deadline: float) -> Result:
    """A campaign of tests/reliability/hostile_campaigns.py, in this process."""
    outcome = work()
    if time.monotonic() > deadline:
        raise TimeoutError
    return Result(name, tried=outcome.tried, failures=outcome.failures)
def dmn_growth() -> Result:
    from tests.reliability.dmn_growth import campaign

    result = Result("DMN import: files grown 4x along every dimension, time per byte")
    result.tried, result.failures, figures = campaign(DMN_SCALE)
    result.detail = "; ".join(figures)
    return result


def cohort_extremes(count: int, seed: int, jobs: int, deadline: float) -> Result:
    from tests.reliability.cohort_extremes import Tally

    result = Result("cohort rows at every type's extremes: DuckDB against eval")
    total = Tally()
    batches = [(seed * 1000 + n, 500) for n in range(max(count // 500, 1))]
    for tally in in_pool(jobs, _extremes_batch, batches, deadline):
        total.rows += tally.rows
        total.decided += tally.decided
        total.refused += tally.refused
        total.failures += tally.failures
    result.tried, result.failures = total.rows, total.failures
    result.detail = (f"{total.decided:,} decided alike, {total.refused:,} refused for values "
                     "DuckDB cannot hold, the others invalid in both")
    return result


def _extremes_batch(job: tuple[int, int]) -> Any:
    from tests.reliability.cohort_extremes import run_batch

    return run_batch(*job)


def save(out: Path, name: str, data: bytes, problems: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    if data:
        (out / f"{safe}.mmdsl").write_bytes(data)
    (out / f"{safe}.problems.txt").write_text(problems + "\n", "utf-8")


# ---- the run --------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> list[Result]:
    started = time.monotonic()
    deadline = started + args.minutes * 60
    out = Path(args.out)
    tables = shipped_tables()
    per_batch = 5_000
    campaigns: list[tuple[str, Callable[[], Result]]] = [
        ("front end", lambda: frontend(args.inputs, args.seed, args.jobs, deadline, out)),
        ("big inputs", lambda: big(args.jobs, deadline, out)),
        ("shipped", lambda: differential(
            f"shipped guidelines: {len(tables)} file(s), {args.facts:,} facts each",
            shipped_batch, [(str(t), args.seed + n, per_batch) for t in tables
                            for n in range(args.facts // per_batch)], args.jobs, deadline, out)),
        ("random", lambda: differential(
            f"random guidelines: {args.facts // 200:,} guidelines x 200 facts",
            random_batch, [(args.seed * 100_000 + n, 200) for n in range(args.facts // 200)],
            args.jobs, deadline, out)),
        ("case names", lambda: hostile("names differing in case, control characters in text: "
                                       f"{max(10, args.inputs // 20):,} guidelines",
                                       lambda: case_names(args.seed, max(10, args.inputs // 20)),
                                       deadline)),
        ("special outputs", lambda: hostile("outputs that are special files or the input",
                                            special_outputs, deadline)),
        ("dmn growth", dmn_growth),
        ("cohort extremes", lambda: cohort_extremes(args.facts // 5, args.seed, args.jobs,
                                                    deadline)),
    ]
    results = []
    for name, campaign in campaigns:
        began = time.monotonic()
        try:
            result = campaign()
        except TimeoutError:
            result = Result(name, failures=[f"stopped: the run went past {args.minutes} minutes"])
        result.seconds = time.monotonic() - began
        print(line(result), flush=True)
        results.append(result)
    return results


def line(result: Result) -> str:
    return (f"{result.name}\n    {result.tried:>9,} tried {result.failed:>4} failed "
            f"{result.seconds:7.1f} s   {result.detail}")


def summary(results: Iterable[Result], seconds: float) -> str:
    results = list(results)
    tried, failed = sum(r.tried for r in results), sum(r.failed for r in results)
    lines = [f"TOTAL {tried:,} inputs tried, {failed} failed, in {seconds:.0f} s"]
    lines += [f"  FAILED {f}" for r in results for f in r.failures[:20]]
    return "\n".join(lines)


def replay(path: Path) -> int:
    outcome = run_whole_pipeline(path.read_bytes(), path.name)
    print("\n".join(outcome.problems) or f"no problem ({outcome.seconds:.2f} s)")
    return 1 if outcome.problems else 0


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.fuzz",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="mutated table files")
    parser.add_argument("--facts", type=int, default=100_000,
                        help="random facts per shipped guideline, and over random guidelines")
    parser.add_argument("--seed", type=int, default=int(time.strftime("%Y%m%d")),
                        help="the run's seed (default: today's date, new inputs every day)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--minutes", type=float, default=20, help="stop (and fail) after this")
    parser.add_argument("--out", default="fuzz-failures", help="where failing inputs are written")
    parser.add_argument("--replay", type=Path, help="run one saved input and show its problems")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if args.replay:
        return replay(args.replay)
    started = time.monotonic()
    print(f"mmdsl fuzz: seed {args.seed}, {args.jobs} jobs, at most {args.minutes:g} minutes",
          flush=True)
    results = run(args)
    print(summary(results, time.monotonic() - started))
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
