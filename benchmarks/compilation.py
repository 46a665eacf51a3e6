"""Compile and check time, stage by stage, of tables/ and of synthetic tables; verification speed.

Every synthetic size runs in its own process with a time and memory limit, so that a verifier
that blows up on one size is reported as such and the run goes on.
"""

from __future__ import annotations

import contextlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.synthetic import table_text

ROOT = Path(__file__).resolve().parents[1]
ANALYSES = ("dead_rules", "unreachable_rules", "overlaps", "gaps", "redundant_rules")
HIT_FOR = {"dead_rules": "unique", "overlaps": "unique", "gaps": "unique",
           "unreachable_rules": "first", "redundant_rules": "collect"}
MEMORY_LIMIT = 8 * 2 ** 30


def stages(text: str, path: str = "table.mmdsl", repeats: int = 3,
           directory: Path | None = None) -> dict[str, Any]:
    """Median seconds of each stage: parse+check+lower, verify, render the Python module.
    `directory`: where the table's clinical source is found (a path relative to the table)."""
    from mmdsl.backends.python import render_module
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source
    from mmdsl.verify.report import verify

    found: dict[str, list[float]] = {"parse, check, lower": [], "verify": [],
                                     "render Python": [], "rules": []}
    for _ in range(repeats):
        started = time.perf_counter()
        compilation = compile_source(Source(path, text), verify=False, directory=directory)
        found["parse, check, lower"].append(time.perf_counter() - started)
        assert compilation.guideline is not None and compilation.symbols is not None
        started = time.perf_counter()
        findings = verify(path, compilation.symbols, compilation.guideline)
        found["verify"].append(time.perf_counter() - started)
        gave_up = any(d.code == "MD606" for d in findings)
        started = time.perf_counter()
        render_module(compilation.guideline)
        found["render Python"].append(time.perf_counter() - started)
        found["rules"].append(sum(len(t.rules) for t in compilation.guideline.tables))
    medians: dict[str, Any] = {key: sorted(values)[len(values) // 2] for key, values in found.items()}
    if gave_up:
        medians["verify"] = f"gave up after {medians['verify'] * 1e3:.0f} ms (MD606: not verified)"
    return medians


class OverTime(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise OverTime


def analyses(rules: int, width: int, repeats: int = 3, limit: float = 15.0,
             only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Median seconds of each analysis of the verifier on a synthetic table (each under the hit
    policy it applies to), and of the whole `verify` (unique hit policy). An analysis still
    running after `limit` seconds is stopped and reported as such (`only`: the ones to run)."""
    import signal

    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source
    from mmdsl.verify.analyses import TableAnalysis
    from mmdsl.verify.encode import Encoder
    from mmdsl.verify.report import verify

    signal.signal(signal.SIGALRM, _alarm)
    result: dict[str, Any] = {}
    wanted = only or (*ANALYSES, "verify (all findings)")
    for hit in ("unique", "first", "collect"):
        names = [a for a in ANALYSES if HIT_FOR[a] == hit and a in wanted]
        whole = hit == "unique" and "verify (all findings)" in wanted
        if not names and not whole:
            continue
        text = table_text(rules, width, hit=hit)
        compilation = compile_source(Source("synthetic.mmdsl", text), verify=False)
        assert compilation.guideline is not None and compilation.symbols is not None
        guideline, symbols = compilation.guideline, compilation.symbols

        def one(name: str, guideline: Any = guideline) -> None:
            """One analysis as `verify` runs it: its own budget of BDD operations."""
            from mmdsl.verify import bdd, report

            room = getattr(report, "recursion_for_variables", contextlib.nullcontext)
            with room():
                encoder = Encoder(guideline)  # fresh caches: nothing carried over
                if hasattr(encoder.bdd, "allow"):
                    encoder.bdd.allow(bdd.MAX_STEPS)
                table = TableAnalysis(encoder, guideline.tables[0], encoder.in_scope)
                list(getattr(table, name)())

        def everything(guideline: Any = guideline, symbols: Any = symbols) -> None:
            result["findings"] = sorted({d.code for d in verify("synthetic.mmdsl", symbols,
                                                                guideline)})

        for name, action in [(n, lambda n=n: one(n)) for n in names] + (
                [("verify (all findings)", everything)] if whole else []):
            result[name] = _timed(action, repeats, limit)
    return result


def _timed(action: Any, repeats: int, limit: float) -> float | str:
    import signal

    runs = []
    for _ in range(repeats):
        signal.setitimer(signal.ITIMER_REAL, limit)
        started = time.perf_counter()
        try:
            action()
        except OverTime:
            return f"stopped after {limit:.0f} s"
        except MemoryError:
            signal.setitimer(signal.ITIMER_REAL, 0)
            return f"out of memory after {time.perf_counter() - started:.0f} s"
        except Exception as error:  # e.g. the BDD engine's own limit (TooComplex)
            return (f"gave up after {time.perf_counter() - started:.1f} s: "
                    f"{type(error).__name__}: {error}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        runs.append(time.perf_counter() - started)
        if sum(runs) > limit:
            break
    return sorted(runs)[len(runs) // 2]


def in_subprocess(call: str, timeout: float) -> dict[str, Any]:
    """Run `benchmarks.compilation.<call>` in a fresh process under a time and memory limit."""
    code = ("import json, sys; from benchmarks import compilation as c; "
            f"print(json.dumps(c.{call}))")
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout, preexec_fn=_limit_memory, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f} s"}
    if done.returncode != 0:
        killed = done.returncode < 0 or "MemoryError" in done.stderr
        reason = (f"ran out of memory (limit {MEMORY_LIMIT // 2 ** 30} GiB) after "
                  f"{time.perf_counter() - started:.0f} s" if killed
                  else (done.stderr.strip().splitlines() or ["failed"])[-1][-200:])
        return {"error": reason}
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def synthetic_stages(rules: int, width: int = 10) -> dict[str, Any]:
    return stages(table_text(rules, width), f"synthetic_{rules}.mmdsl", repeats=1 if rules > 1000 else 3)


def synthetic_parse(rules: int, width: int = 10) -> dict[str, float]:
    """Parse, check and lower only (when the verifier cannot finish on the size)."""
    from mmdsl.backends.python import render_module
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source

    text = table_text(rules, width)
    started = time.perf_counter()
    compilation = compile_source(Source("synthetic.mmdsl", text), verify=False)
    parsed = time.perf_counter() - started
    assert compilation.guideline is not None
    started = time.perf_counter()
    render_module(compilation.guideline)
    return {"parse, check, lower": parsed, "render Python": time.perf_counter() - started}


def profile_verifier(rules: int, width: int, output: Path) -> str:
    """A pyinstrument profile of the whole verification of a synthetic table, as text."""
    from pyinstrument import Profiler

    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source
    from mmdsl.verify.report import verify

    compilation = compile_source(Source("synthetic.mmdsl", table_text(rules, width)), verify=False)
    assert compilation.guideline is not None and compilation.symbols is not None
    profiler = Profiler(interval=0.005)
    profiler.start()
    verify("synthetic.mmdsl", compilation.symbols, compilation.guideline)
    profiler.stop()
    text: str = profiler.output_text(unicode=False, color=False)
    output.write_text(text, "utf-8")
    return text


def score_verification(flags: int, ranged: int) -> dict[str, Any]:
    """A points score of `flags` yes/no and `ranged` ranged items, verified (benchmarks/scores.py)."""
    from benchmarks.scores import verification

    return verification(flags, ranged)


FRONT_END_STAGES = ("parse, check, lower", "verify", "render Python", "render review (Markdown)")


def front_end_cpu(rules: int = 10_000, width: int = 10, repeats: int = 3) -> dict[str, Any]:
    """CPU seconds (median of `repeats`) of each stage of compiling one synthetic table of
    `rules` rows (issue 19 item 2: each under 1 s at 10,000 rows x 10 columns). CPU time, not
    wall time: the benchmark machine is shared, and waiting for a core is not the compiler's."""
    from mmdsl.backends.python import render_module
    from mmdsl.backends.review import render_markdown
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source
    from mmdsl.syntax.parser import lark_parser
    from mmdsl.verify.report import verify

    lark_parser()  # the grammar's tables, loaded once per process, are not the table's cost
    text = table_text(rules, width)
    found: dict[str, list[float]] = {stage: [] for stage in FRONT_END_STAGES}
    for _ in range(repeats):
        started = time.process_time()
        compilation = compile_source(Source("synthetic.mmdsl", text), verify=False)
        found["parse, check, lower"].append(time.process_time() - started)
        assert compilation.guideline is not None and compilation.symbols is not None
        started = time.process_time()
        verify("synthetic.mmdsl", compilation.symbols, compilation.guideline)
        found["verify"].append(time.process_time() - started)
        started = time.process_time()
        render_module(compilation.guideline)
        found["render Python"].append(time.process_time() - started)
        started = time.process_time()
        render_markdown(compilation.guideline, None)
        found["render review (Markdown)"].append(time.process_time() - started)
    result: dict[str, Any] = {key: sorted(v)[len(v) // 2] for key, v in found.items()}
    result["rules"], result["width"] = rules, width
    return result


def front_end_profile(rules: int = 10_000, width: int = 10, top: int = 8) -> dict[str, Any]:
    """What bounds each stage of front_end_cpu: the functions with the most time of their own
    (cProfile, sorted by own time), each with its share of the stage's profiled time. Profiled
    times are inflated by the profiler; the shares are what count."""
    import cProfile
    import pstats

    from mmdsl.backends.python import render_module
    from mmdsl.backends.review import render_markdown
    from mmdsl.pipeline import compile_source
    from mmdsl.source import Source
    from mmdsl.syntax.parser import lark_parser
    from mmdsl.verify.report import verify

    lark_parser()
    text = table_text(rules, width)
    compiled: dict[str, Any] = {}

    def parse() -> None:
        compiled["c"] = compile_source(Source("synthetic.mmdsl", text), verify=False)

    actions = {"parse, check, lower": parse,
               "verify": lambda: verify("synthetic.mmdsl", compiled["c"].symbols,
                                        compiled["c"].guideline),
               "render Python": lambda: render_module(compiled["c"].guideline),
               "render review (Markdown)": lambda: render_markdown(compiled["c"].guideline, None)}
    result: dict[str, Any] = {"rules": rules, "width": width}
    for stage, action in actions.items():
        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(action)
        stats = pstats.Stats(profiler)
        total = stats.total_tt  # type: ignore[attr-defined]
        entries = [(_function_name(key), own / total, cumulative / total)
                   for key, (_, _, own, cumulative, _) in stats.stats.items()]  # type: ignore[attr-defined]
        # phases: mmdsl's functions by the share of the stage spent in them and their callees,
        # leaving out the stage's own entry points (nearly all of it)
        phases = sorted((e for e in entries if e[0].startswith("mmdsl/") and e[2] < 0.9),
                        key=lambda e: -e[2])
        result[stage] = {"profiled seconds": total,
                         "own": sorted(entries, key=lambda e: -e[1])[:top],
                         "phases": _outermost(phases)[:top]}
    return result


def _outermost(phases: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
    """The phases without the recursive re-entries of a function already listed."""
    seen: set[str] = set()
    kept = []
    for phase in phases:
        if phase[0] not in seen:
            seen.add(phase[0])
            kept.append(phase)
    return kept


def _function_name(key: tuple[str, int, str]) -> str:
    """`mmdsl/verify/boxes.py:359 mask_of_cell`, or the built-in's name."""
    filename, line, name = key
    if filename == "~":
        return name
    path = filename.replace("\\", "/")
    for marker in ("/mmdsl/", "/site-packages/", "/lib/python"):
        if marker in path:
            path = path[path.index(marker) + 1:]
            break
    return f"{path}:{line} {name}"


if __name__ == "__main__":
    for stage, seconds in front_end_cpu(repeats=int(sys.argv[1]) if len(sys.argv) > 1 else 3).items():
        print(f"{stage}: {seconds if isinstance(seconds, int) else f'{seconds:.3f} s CPU'}")
