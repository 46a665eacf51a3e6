"""`make fuzz`: the long reliability run, in bounded time, on every core.

    python -m tests.reliability.fuzz [--inputs N] [--facts N] [--seed S] [--jobs J] [--minutes M]

Eleven campaigns (docs/reliability.md):

1. front end: N mutants of the corpus (`mutate.mutant`), each through the whole pipeline, each
   within a limit of CPU time, every worker within a memory limit (`promises.py`);
2. big inputs: every case of `big_inputs.CASES` in its own measured process;
3. shipped guidelines: N random valid facts per file of tables/, module against interpreter;
4. random guidelines: N facts over random guidelines (`guidelines.py`), a tenth of them broken;
5. names differing in case (refused), 6. outputs that are special files or the input (refused);
7. SQL names: random guidelines named with SQL keywords, the cohort's columns, other scripts and
   case twins across namespaces, their patients decided by DuckDB against eval
   (`sql_names.py`);
8. text through every back end, each output read back by its own reader (`backend_text.py`);
9. DMN import: files grown 4x along every dimension (`dmn_growth.py`), within about 5x the time
   and a bound per byte;
10. cohort extremes: N/5 rows at every type's extremes through DuckDB, against the evaluator
    (`cohort_extremes.py`);
11. a sample of the SQL names campaign by Spark SQL in a local session (last: no pool is forked
    from a process with a live Java gateway).

Time: every campaign gets its share of `--minutes` (`WEIGHTS`; what a campaign leaves unused
goes to the ones after it), so that all of them run however loaded the machine is; one that
runs out of its share stops and says how many of its inputs it tried ("short"), one that could
try nothing is a failure. Limits per input are CPU time of the work (`ITIMER_PROF` in the worker,
`RLIMIT_CPU` and `getrusage` for a big input's process), so other processes on the machine
cannot fail an input; a wall-clock limit, ten times as long, still catches an input that blocks.

It prints how many inputs each campaign tried and how many failed, and exits with status 1 if
any failed. Input `i` of the front end is always the same for the same seed
(`random.Random(f"{seed}:{i}")`), and every failing input is written to `fuzz-failures/` with
its seed and problems, so a failure can be replayed alone:

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
from tests.reliability.promises import COHORT_THREADS, TimeLimit, run_whole_pipeline

INPUT_SECONDS = 30  # CPU time of one mutant, whole pipeline: beyond it, a failure
WALL_FACTOR = 10  # an input still running after this many times its CPU limit in wall time blocks
WORKER_MEGABYTES = 3000  # the address space a worker may add to what it inherited at the fork
BATCH = 250
DMN_SCALE = 2.0  # the DMN growth campaign's sizes, in multiples of its test's sizes
# Each campaign's share of the run's minutes (of what is left when it starts, among those left).
WEIGHTS = {"front end": 40, "big inputs": 20, "shipped": 4, "random": 6, "case names": 1,
           "special outputs": 1, "sql names": 8, "backend text": 5, "dmn growth": 6,
           "cohort extremes": 5, "spark": 4}
T = TypeVar("T")


@dataclass
class Result:
    """One campaign: how many inputs it tried (of how many planned), which failed, how long."""

    name: str
    tried: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    detail: str = ""
    planned: int = 0
    share: float = 0.0  # the seconds it was given

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def short(self) -> bool:
        return self.tried < self.planned


# ---- workers --------------------------------------------------------------------------------------


def _start_worker() -> None:
    # Relative to the address space inherited at the fork: under pytest the parent has already
    # mapped several GB (DuckDB, Arrow, Spark's client), and a fixed limit below that left the
    # worker no room at all, so harmless inputs failed with MemoryError (CI, 2026-12-05).
    limit = _address_space() + WORKER_MEGABYTES * 1_000_000
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _few_arrow_threads()
    install_alarms()


def _address_space() -> int:
    """This process's mapped address space in bytes (what RLIMIT_AS counts)."""
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    return pages * resource.getpagesize()


def _few_arrow_threads() -> None:
    """Arrow's thread pools, like DuckDB's, default to one thread per core, each reserving
    address space under the worker's limit: a machine with many cores must not fail the run."""
    import pyarrow

    pyarrow.set_cpu_count(COHORT_THREADS)
    pyarrow.set_io_thread_count(COHORT_THREADS)


def install_alarms() -> None:
    signal.signal(signal.SIGPROF, _alarm)  # CPU time of this process: ITIMER_PROF
    signal.signal(signal.SIGALRM, _alarm)  # wall time: only for an input that blocks


def _alarm(signum: int, frame: object) -> None:
    raise TimeLimit(signum)


def limited(work: Callable[[], T], cpu_seconds: float) -> tuple[T | None, str]:
    """`work()` within `cpu_seconds` of this process's CPU time (and ten times that of wall
    time): (its result, "") or (None, what it went past)."""
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    signal.setitimer(signal.ITIMER_REAL, cpu_seconds * WALL_FACTOR)
    try:
        return work(), ""
    except TimeLimit as limit:
        wall = limit.args and limit.args[0] == signal.SIGALRM
        return None, (f"blocked: still running after {cpu_seconds * WALL_FACTOR:.0f} s" if wall
                      else f"took more than {cpu_seconds:g} s of CPU time")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)


def frontend_batch(job: tuple[int, int, int]) -> tuple[int, int, float, list[tuple[int, str, bytes]]]:
    """Mutants start..stop-1 of `seed`: (tried, compiled, most CPU seconds, failures)."""
    seed, start, stop = job
    corpus = list(seeds())
    compiled, slowest, failures = 0, 0.0, []
    for index in range(start, stop):
        text = mutant(corpus, random.Random(f"{seed}:{index}"))
        began = time.process_time()
        outcome, past = limited(lambda: run_whole_pipeline(text), INPUT_SECONDS)  # noqa: B023
        problems = [past] if outcome is None else outcome.problems
        if problems:
            data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
            failures.append((index, "\n".join(problems), data))
        else:
            compiled += outcome.compiled  # type: ignore[union-attr]
            slowest = max(slowest, time.process_time() - began)
    return stop - start, compiled, slowest, failures


def shipped_batch(job: tuple[str, int, int]) -> Tally:
    path, seed, count = job
    return compare_shipped(Path(path), seed, count)


def random_batch(job: tuple[int, int]) -> Tally:
    seed, count = job
    tally = compare_random(seed, count)
    tally.disagreements = [f"seed {seed}: {d}" for d in tally.disagreements]
    return tally


# ---- campaigns ------------------------------------------------------------------------------------


def in_pool(jobs: int, work: Callable[[Any], T], items: list[Any], deadline: float) -> Iterator[T]:
    """Results of `work` over `items` on `jobs` processes, until the deadline (then it stops)."""
    if not items:
        return
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker) as pool:
        results = pool.imap_unordered(work, items)
        for _ in items:
            try:  # a worker that cannot start is replaced forever: wait no longer than the deadline
                result = results.next(timeout=max(1.0, deadline - time.monotonic()))
            except multiprocessing.TimeoutError:
                pool.terminate()
                return
            yield result
            if time.monotonic() > deadline:
                pool.terminate()
                return


def frontend(count: int, seed: int, jobs: int, deadline: float, out: Path) -> Result:
    result = Result("front end: mutated table files", planned=count)
    compiled, slowest = 0, 0.0
    batches = [(seed, start, min(start + BATCH, count)) for start in range(0, count, BATCH)]
    for tried, ok, slow, failures in in_pool(jobs, frontend_batch, batches, deadline):
        result.tried += tried
        compiled += ok
        slowest = max(slowest, slow)
        for index, problems, data in failures:
            result.failures.append(f"input {index}: {problems.splitlines()[0]}")
            save(out, f"frontend-{index}", data, f"seed {seed} input {index}\n{problems}")
    result.detail = (f"{compiled:,} compiled, the others gave diagnostics; "
                     f"most CPU time for an input {slowest:.2f} s")
    return result


def big(jobs: int, deadline: float, out: Path) -> Result:
    result = Result("big inputs: 10 MB files, 50,000 rows, deep nesting", planned=len(CASES))
    lines, not_run = [], []

    def measured(case: Any) -> Any:
        left = deadline - time.monotonic()
        return run_case(case, wall_limit=left) if left > 0 else None

    with ThreadPoolExecutor(jobs) as threads:
        for case, done in zip(CASES, threads.map(measured, CASES), strict=True):
            if done is None or done.cut:
                not_run.append(case.name)
                continue
            result.tried += 1
            lines.append(f"{done.name}: {done.cpu_seconds:.1f} s CPU ({done.seconds:.1f} s), "
                         f"{done.megabytes:.0f} MB")
            if done.problems:
                result.failures.append(f"{done.name}: {'; '.join(done.problems)}")
                save(out, f"big-{done.name}", b"", "\n".join(done.problems))
    result.detail = "; ".join(lines) + (f"; not run in its share: {', '.join(not_run)}"
                                        if not_run else "")
    return result


def differential(name: str, work: Callable[[Any], Tally], items: list[Any], planned: int,
                 jobs: int, deadline: float, out: Path, text_of: Callable[[str], str] | None = None
                 ) -> Result:
    result = Result(name, planned=planned)
    total = Tally()
    for tally in in_pool(jobs, work, items, deadline):
        total.add(tally)
    result.tried = total.compared
    result.failures = total.disagreements
    for number, disagreement in enumerate(total.disagreements):
        data = text_of(disagreement).encode("utf-8") if text_of else b""
        save(out, f"{name.split(':')[0].replace(' ', '-')}-{number}", data, disagreement)
    result.detail = f"{total.refused:,} of them invalid and refused alike"
    return result


def random_text(disagreement: str) -> str:
    """The random guideline of a disagreement ("seed N: …"), to replay or read."""
    from tests.reliability.guidelines import random_guideline_text

    return random_guideline_text(int(disagreement.split(":")[0].removeprefix("seed ")))


def hostile(name: str, work: Callable[[], Outcome], planned: int) -> Result:
    """A campaign of tests/reliability/hostile_campaigns.py, in this process."""
    outcome = work()
    return Result(name, tried=outcome.tried, failures=outcome.failures, planned=planned)


def sql_names(count: int, seed: int, jobs: int, deadline: float, out: Path) -> Result:
    result = Result("SQL names: keywords, the cohort's columns, other scripts, case across "
                    f"namespaces; DuckDB against eval ({count:,} guidelines x 50 patients)",
                    planned=count)
    batches = [(seed * 1000 + n, 10) for n in range(max(count // 10, 1))]
    refused = patients = 0
    for tally in in_pool(jobs, _sql_names_batch, batches, deadline):
        result.tried += tally.guidelines
        refused, patients = refused + tally.refused, patients + tally.patients
        result.failures += tally.failures
        for name, text in tally.reproducers:
            save(out, f"sql-names-{name}", text.encode("utf-8"), name)
    result.detail = (f"{refused:,} refused by check as they must be (MD120, MD201, MD204, MD110) "
                     f"or by the SQL back end (a table `row`); {patients:,} patients decided alike")
    return result


def _sql_names_batch(job: tuple[int, int]) -> Any:
    from tests.reliability.sql_names import run_batch

    return run_batch(job[0], job[1], 50)


def spark(count: int, seed: int, deadline: float, out: Path) -> Result:
    """A sample of the SQL names campaign through Spark SQL in a local session (one process:
    Spark starts slowly), Spark against DuckDB against eval."""
    from tests.reliability.sql_names import run_batch, spark_session

    result = Result(f"SQL names through Spark SQL (local session): {count:,} guidelines x 20 "
                    "patients", planned=count)
    session = spark_session()
    if session is None:
        result.failures.append("could not run: pyspark or java is missing")
        return result
    spark_patients = 0
    try:
        for number in range(count):
            if time.monotonic() > deadline:
                break
            tally = run_batch(seed * 1000 + 500 + number, 1, 20, spark=session, spark_patients=20)
            result.tried += tally.guidelines
            spark_patients += tally.spark_patients
            result.failures += tally.failures
            for name, text in tally.reproducers:
                save(out, f"spark-{name}", text.encode("utf-8"), name)
    finally:
        session.stop()
    result.detail = f"{spark_patients:,} patients decided by Spark as by DuckDB and eval"
    return result


def backend_text(count: int, seed: int, jobs: int, deadline: float, out: Path) -> Result:
    from tests.reliability.backend_text import SINGLES

    result = Result("text through every back end, read back by its own reader: each character "
                    f"alone, {count:,} random strings", planned=len(SINGLES) + count)
    batches = [(seed * 1000 + n, min(50, count - start), n == 0)
               for n, start in enumerate(range(0, count, 50))]
    refused = 0
    for tally in in_pool(jobs, _backend_text_batch, batches, deadline):
        result.tried += tally.tried
        refused += tally.refused
        result.failures += tally.failures
        for name, text in tally.reproducers:
            save(out, name, text.encode("utf-8"), name)
    result.detail = (f"{refused:,} refused as they must be (MD110, MD202), the others read back "
                     "unchanged from 7 back ends")
    return result


def _backend_text_batch(job: tuple[int, int, bool]) -> Any:
    from tests.reliability.backend_text import run

    tally = run(*job)
    tally.reproducers = [(f"{name}-seed-{job[0]}", text) for name, text in tally.reproducers]
    return tally


def dmn_growth() -> Result:
    from tests.reliability.dmn_growth import campaign

    result = Result("DMN import: files grown 4x along every dimension, time per byte")
    result.tried, result.failures, figures = campaign(DMN_SCALE)
    result.planned = result.tried
    result.detail = "; ".join(figures)
    return result


def cohort_extremes(count: int, seed: int, jobs: int, deadline: float) -> Result:
    from tests.reliability.cohort_extremes import Tally

    result = Result("cohort rows at every type's extremes: DuckDB against eval", planned=count)
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
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120]
    if data:
        (out / f"{safe}.mmdsl").write_bytes(data)
    (out / f"{safe}.problems.txt").write_text(problems + "\n", "utf-8", errors="backslashreplace")


# ---- the run --------------------------------------------------------------------------------------

Campaign = Callable[[float], Result]  # given its deadline


def campaigns(args: argparse.Namespace, out: Path) -> list[tuple[str, Campaign]]:
    tables = shipped_tables()
    per_batch = 5_000
    names = max(10, args.inputs // 200)
    return [
        ("front end", lambda end: frontend(args.inputs, args.seed, args.jobs, end, out)),
        ("big inputs", lambda end: big(args.jobs, end, out)),
        ("shipped", lambda end: differential(
            f"shipped guidelines: {len(tables)} file(s), {args.facts:,} facts each",
            shipped_batch, [(str(t), args.seed + n, per_batch) for t in tables
                            for n in range(args.facts // per_batch)],
            len(tables) * (args.facts // per_batch) * per_batch, args.jobs, end, out)),
        ("random", lambda end: differential(
            f"random guidelines: {args.facts // 200:,} guidelines x 200 facts",
            random_batch, [(args.seed * 100_000 + n, 200) for n in range(args.facts // 200)],
            args.facts // 200 * 200, args.jobs, end, out, random_text)),
        ("case names", lambda end: hostile("names differing in case, control characters in text: "
                                           f"{max(10, args.inputs // 20):,} guidelines",
                                           lambda: case_names(args.seed, max(10, args.inputs // 20)),
                                           max(10, args.inputs // 20))),
        ("special outputs", lambda end: hostile("outputs that are special files or the input",
                                                special_outputs, 24)),
        ("sql names", lambda end: sql_names(names, args.seed, args.jobs, end, out)),
        ("backend text", lambda end: backend_text(max(10, args.inputs // 50), args.seed,
                                                  args.jobs, end, out)),
        ("dmn growth", lambda end: dmn_growth()),
        ("cohort extremes", lambda end: cohort_extremes(args.facts // 5, args.seed, args.jobs,
                                                        end)),
        # last: a live Java gateway in this process is no parent to fork pools from
        ("spark", lambda end: spark(max(3, names // 50), args.seed, end, out)),
    ]


def run(args: argparse.Namespace) -> list[Result]:
    """Every campaign in turn, each within its share of the time left."""
    ends = time.monotonic() + args.minutes * 60
    planned = [c for c in campaigns(args, Path(args.out)) if c[0] in args.only]
    results = []
    for position, (key, campaign) in enumerate(planned):
        began = time.monotonic()
        weights = [WEIGHTS[k] for k, _ in planned[position:]]
        share = max(ends - began, 0) * weights[0] / sum(weights)
        try:
            result = campaign(began + share)
        except Exception as error:  # a campaign that breaks is reported, never dropped
            result = Result(key, failures=[f"could not run: {type(error).__name__}: {error}"])
        if result.tried == 0 and not result.failures:
            result.failures.append(f"could not run: tried nothing in its {share:.0f} s")
        result.seconds, result.share = time.monotonic() - began, share
        print(line(result), flush=True)
        results.append(result)
    return results


def line(result: Result) -> str:
    short = (f"   SHORT: {result.tried:,} of {result.planned:,} in its share of "
             f"{result.share:.0f} s" if result.short else "")
    return (f"{result.name}\n    {result.tried:>9,} tried {result.failed:>4} failed "
            f"{result.seconds:7.1f} s   {result.detail}{short}")


def summary(results: Iterable[Result], seconds: float) -> str:
    results = list(results)
    tried, failed = sum(r.tried for r in results), sum(r.failed for r in results)
    planned = sum(max(r.planned, r.tried) for r in results)
    lines = [f"TOTAL {tried:,} inputs tried, {failed} failed, in {seconds:.0f} s "
             f"({planned:,} planned; CPU {cpu_seconds():.0f} s)"]
    lines += [f"  SHORT {r.name}: {r.tried:,} of {r.planned:,} tried in its share of "
              f"{r.share:.0f} s" for r in results if r.short]
    lines += [f"  FAILED {f}" for r in results for f in r.failures[:20]]
    return "\n".join(lines)


def cpu_seconds() -> float:
    """The CPU time of this run: this process and every process it waited for."""
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


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
    parser.add_argument("--minutes", type=float, default=20,
                        help="the time every campaign shares (each stops at its share)")
    parser.add_argument("--only", default=",".join(WEIGHTS),
                        help=f"the campaigns to run, by key (default: all: {','.join(WEIGHTS)})")
    parser.add_argument("--out", default="fuzz-failures", help="where failing inputs are written")
    parser.add_argument("--replay", type=Path, help="run one saved input and show its problems")
    args = parser.parse_args(argv)
    args.only = [key.strip() for key in args.only.split(",")]
    unknown = [key for key in args.only if key not in WEIGHTS]
    if unknown:
        parser.error(f"unknown campaign(s) {', '.join(unknown)}; the campaigns: {', '.join(WEIGHTS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if args.replay:
        return replay(args.replay)
    started = time.monotonic()
    print(f"mmdsl fuzz: seed {args.seed}, {args.jobs} jobs, {args.minutes:g} minutes shared by "
          f"{len(args.only)} campaigns", flush=True)
    results = run(args)
    print(summary(results, time.monotonic() - started))
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
