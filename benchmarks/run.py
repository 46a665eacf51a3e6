"""The benchmark suite of issue 6: `make bench` runs it and rewrites benchmarks/RESULTS.md.

    python -m benchmarks.run                    # everything (under 10 minutes on 2 cores)
    python -m benchmarks.run --quick -o X.md    # tiny sizes, to check that the suite runs

Every figure comes from this one run; contenders of one comparison are measured in turns so
that the machine's noise falls on all of them alike, and the report gives medians and ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import (
    cohort_bench,
    coldstart,
    compilation,
    handwritten,
    install,
    report,
    serve_load,
    single,
)

ROOT = Path(__file__).resolve().parents[1]
MYELOMA = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
FIRST_HIT = ROOT / "benchmarks" / "tables" / "first_hit_8x8.mmdsl"
POLICIES = ROOT / "tests" / "fixtures" / "backend" / "policies.mmdsl"


@dataclass
class Sizes:
    patients: int = 1000
    peer_patients: int = 100
    repeats: int = 7
    synthetic: tuple[int, ...] = (100, 1000, 10_000)
    growth: tuple[int, ...] = (100, 200, 500, 1000, 2000, 10_000)
    targets: tuple[tuple[int, int, float], ...] = ((200, 10, 0.1), (1500, 5, 1.0), (1000, 10, 2.0))
    cohort: int = 1_000_000
    cohort_large: int = 10_000_000  # `mmdsl cohort` on the cohort's patients ten times over
    differential: int = 100_000
    interpreter_sample: int = 100_000
    timeout: float = 300.0  # a whole size, in its own process
    limit: float = 15.0  # one analysis
    profile_rules: int = 1000
    serve_requests: int = 10_000  # to each endpoint of `mmdsl serve`
    scores: tuple[tuple[int, int], ...] = ((8, 0), (15, 3), (20, 3), (30, 5))


QUICK = Sizes(patients=50, peer_patients=10, repeats=2, synthetic=(20, 40), growth=(20, 40),
              targets=((20, 10, 0.1), (30, 5, 1.0)), cohort=2000, cohort_large=20_000, differential=1000,
              interpreter_sample=200, timeout=120.0, limit=15.0, profile_rules=20,
              serve_requests=100, scores=((15, 3),))


@dataclass
class Results:
    sizes: Sizes
    command: str
    started: float = field(default_factory=time.time)
    machine: dict[str, str] = field(default_factory=dict)
    single: list[single.SingleResult] = field(default_factory=list)
    tables: dict[str, dict[str, float]] = field(default_factory=dict)
    synthetic: dict[int, dict[str, Any]] = field(default_factory=dict)
    growth: dict[int, dict[str, Any]] = field(default_factory=dict)
    targets: list[tuple[int, int, float, dict[str, Any]]] = field(default_factory=list)
    front_end: dict[str, Any] = field(default_factory=dict)  # CPU seconds per stage (issue 19)
    front_end_profile: dict[str, Any] = field(default_factory=dict)  # what bounds each stage
    install: dict[str, Any] = field(default_factory=dict)  # the slim install of `make demo`
    profile: str = ""
    coldstart: dict[str, float] = field(default_factory=dict)
    cohort: dict[str, Any] = field(default_factory=dict)
    differential: dict[str, tuple[int, int, float]] = field(default_factory=dict)
    serve: dict[str, Any] = field(default_factory=dict)
    scores: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    profile_path: Path = ROOT / "benchmarks" / "profiles" / "verify_synthetic.txt"


def machine() -> dict[str, str]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    cpu = "unknown"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip() for line in
                   Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    return {
        "cpu": cpu, "cores": str(len(__import__("os").sched_getaffinity(0))),
        "python": platform.python_version(), "platform": platform.platform(),
        "mmdsl": version("mmdsl"), "duckdb": version("duckdb"), "pyarrow": version("pyarrow"),
        "sqlglot": version("sqlglot"), "pyspark": version("pyspark"),
        "rule-engine": version("rule-engine"), "cel-python": version("cel-python"),
        "business-rules": version("business-rules"), "pyinstrument": version("pyinstrument"),
        "java": (java.stderr.splitlines() or ["none"])[0],
    }


def step(results: Results, name: str, action: Callable[[], None]) -> None:
    started = time.perf_counter()
    print(f"[bench] {name} …", file=sys.stderr, flush=True)
    try:
        action()
    except Exception:
        results.failures.append(f"{name}: {traceback.format_exc(limit=3)}")
    print(f"[bench] {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (for the tests)")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else Sizes()
    command = "make bench" if not args.quick else "python -m benchmarks.run --quick"
    results = Results(sizes, command, machine=machine())
    started = time.perf_counter()
    results.profile_path = args.output.parent / "profiles" / "verify_synthetic.txt"
    with tempfile.TemporaryDirectory(prefix="mmdsl-bench-") as temporary:
        folder = Path(temporary)
        run_all(results, sizes, folder)
    results.seconds = time.perf_counter() - started
    args.output.write_text(report.markdown(results), "utf-8")
    print(f"[bench] wrote {args.output} in {results.seconds:.0f} s", file=sys.stderr)
    return 1 if results.failures else 0


def run_all(results: Results, sizes: Sizes, folder: Path) -> None:
    def singles() -> None:
        for path, hand in ((FIRST_HIT, handwritten.first_hit_8x8),
                           (MYELOMA, handwritten.myeloma_recommendations)):
            sub = folder / path.stem
            sub.mkdir()
            results.single.append(single.run(path, hand, sub, sizes.patients,
                                             sizes.peer_patients, sizes.repeats))

    def tables() -> None:
        for path in sorted((ROOT / "tables").glob("*.mmdsl")):
            results.tables[path.name] = compilation.stages(path.read_text("utf-8"), path.name,
                                                           directory=path.parent)

    def synthetic() -> None:
        """Stages of compiling each size; the verifier only where it finished in the growth
        series (it is measured analysis by analysis there)."""
        finished = {rules for rules, found in results.growth.items()
                    if isinstance(found.get("verify (all findings)"), float)}
        for rules in sizes.synthetic:
            if rules in finished or (finished and rules <= max(finished)):
                found = compilation.in_subprocess(f"synthetic_stages({rules})", sizes.timeout)
            else:
                found = compilation.in_subprocess(f"synthetic_parse({rules})", sizes.timeout)
                found["verify"] = "not run: the verifier did not finish on this size or a smaller one"
            results.synthetic[rules] = found

    def front_end() -> None:
        rows = 10_000 if sizes is not QUICK else 200
        results.front_end = compilation.in_subprocess(f"front_end_cpu({rows})", sizes.timeout)
        if any(isinstance(v, float) and v >= 1.0 for v in results.front_end.values()) or \
                sizes is QUICK:  # a stage over its target: what bounds it, from a profile
            results.front_end_profile = compilation.in_subprocess(
                f"front_end_profile({rows})", sizes.timeout)

    def slim() -> None:
        results.install = install.slim_install(ROOT)

    def growth() -> None:
        remaining = (*compilation.ANALYSES, "verify (all findings)")
        for rules in sizes.growth:
            if not remaining:
                results.growth[rules] = {"error": "not run: every analysis was stopped on a "
                                                  "smaller table"}
                continue
            found = compilation.in_subprocess(
                f"analyses({rules}, 10, repeats=1, limit={sizes.limit}, only={remaining!r})",
                sizes.timeout)
            results.growth[rules] = found
            remaining = tuple(a for a in remaining if isinstance(found.get(a), float))

    def targets() -> None:
        for rules, width, limit in sizes.targets:
            found = compilation.in_subprocess(
                f"analyses({rules}, {width}, limit={sizes.limit})", sizes.timeout)
            results.targets.append((rules, width, limit, found))

    def score_tables() -> None:
        for flags, ranged in sizes.scores:
            results.scores[(flags, ranged)] = compilation.in_subprocess(
                f"score_verification({flags}, {ranged})", sizes.timeout)

    def profile() -> None:
        results.profile_path.parent.mkdir(exist_ok=True)
        results.profile = compilation.profile_verifier(sizes.profile_rules, 10,
                                                       results.profile_path)

    def cold() -> None:
        module = folder / "myeloma_post_daratumumab.py"
        from mmdsl.backends.python import render_module

        guideline, _ = single.load_guideline(MYELOMA)
        module.write_text(render_module(guideline), "utf-8")
        table, facts = MYELOMA.relative_to(ROOT), Path("examples/patient.json")
        results.coldstart = {**coldstart.import_times(module),
                             **coldstart.cli_times(ROOT, table, facts),
                             **coldstart.eval_parts(ROOT, table, facts)}

    def cohort() -> None:
        guideline, _ = single.load_guideline(MYELOMA)
        sub = folder / "cohort"
        sub.mkdir()
        results.cohort = cohort_bench.run(guideline, MYELOMA, sub, sizes.cohort,
                                          interpreter_sample=sizes.interpreter_sample,
                                          large_count=sizes.cohort_large)

    def differential() -> None:
        from mmdsl.pipeline import compile_path, compile_source

        for path in (MYELOMA, POLICIES):
            compiled = compile_path(path, path.name)
            unverified = compile_source(compiled.source, verify=False,  # overlaps on purpose
                                        directory=path.parent)  # the clinical source's folder
            assert unverified.guideline is not None
            sub = folder / f"differential_{path.stem}"
            sub.mkdir()
            results.differential[path.name] = cohort_bench.differential(
                unverified.guideline, sub, sizes.differential)

    def serving() -> None:
        results.serve = serve_load.run(sizes.serve_requests, clients=4, seconds=180.0)
        for endpoint in ("JSON API", "CDS Hooks"):
            if results.serve[endpoint]["errors"]:
                raise RuntimeError(f"{endpoint}: {results.serve[endpoint]['first errors']}")

    for name, action in (("single-patient evaluation", singles), ("compile tables/", tables),
                         ("verifier growth", growth), ("synthetic tables", synthetic),
                         ("front end at 10,000 rows", front_end), ("slim install", slim),
                         ("verifier targets", targets), ("score tables", score_tables),
                         ("verifier profile", profile),
                         ("cold start", cold), ("cohort", cohort),
                         ("cohort differential", differential), ("serve load", serving)):
        step(results, name, action)


if __name__ == "__main__":
    sys.exit(main())
