"""Big and extreme table files, each compiled in a fresh process whose time and memory are measured.

    python -m tests.reliability.big_inputs NAME     # one case; prints its outcome as JSON

`run_case(name)` starts that process under a memory limit (RLIMIT_AS) and a limit of CPU time
(RLIMIT_CPU), and reads back its CPU time (the child's `getrusage`) and its peak resident memory
(`VmHWM`); wall time is shown, never judged, so a loaded machine cannot fail a case. Every case must
keep the promises of `promises.py` within its limits: a clean compile or diagnostics, never a
crash, a hang or memory without bound. `make test` runs the quick cases, `make fuzz` all of them.
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEGABYTE = 1_000_000
HEAD = 'guideline big "A big file"\ninput a: integer 0..1000000 "a"\ninput b: yes/no "b"\n'


def _table(rows: list[str], hit: str = "first", columns: str = "a | b") -> str:
    """A table with the file's head, `rows` and a last row of `-`."""
    header = f'table t "t"\n  hit {hit}\n  output o: integer "o"\n  | {columns} || o |\n'
    return HEAD + header + "".join(rows) + "  | - | - || 0 |\n"


def _tail(columns: str = "a | b", rows: tuple[str, ...] = ()) -> str:
    """The table alone, to follow other statements."""
    return _table(list(rows), columns=columns).removeprefix(HEAD)


def rows_few_thresholds(count: int) -> str:
    """Rows over 50 thresholds, a thousand copies of each: findings by the thousand."""
    return _table([f"  | {i % 50} | yes || {i} |\n" for i in range(count)])


def rows_distinct_thresholds(count: int) -> str:
    """A threshold per row: more values than the verifier may tell apart."""
    return _table([f"  | {i} | yes || {i} |\n" for i in range(count)])


def rows_with_errors(count: int) -> str:
    """Every row a mistake: as many diagnostics, each rendered with its line."""
    return _table([f"  | {i} | maybe || {i} |\n" for i in range(count)])


def comment(size: int) -> str:
    return HEAD + "# " + "x" * size + "\n" + _tail()


def description(size: int) -> str:
    words = " ".join("word" for _ in range(size // 5))
    return HEAD.replace('"A big file"', f'"{words}"') + _tail()


def many_inputs(size: int) -> str:
    lines = [f'input x{i}: integer 0..9 "input number {i}"\n' for i in range(size // 48)]
    return HEAD + "".join(lines) + _tail()


def chained_facts(count: int) -> str:
    """Each fact defined by the one before: a dependency chain as long as the file."""
    facts = [f"fact f{i} = f{i - 1}\n" for i in range(1, count)]
    return HEAD + "fact f0 = b\n" + "".join(facts) + _tail(f"a | f{count - 1}")


def chained_facts_backwards(count: int) -> str:
    """Each fact defined by the one after it: every stage must order them without recursion."""
    facts = [f"fact f{i} = f{i + 1}\n" for i in range(count - 1)]
    return HEAD + "".join(facts) + f"fact f{count - 1} = b\n" + _tail("a | f0")


def chained_tables(count: int) -> str:
    """Each table reads the result of the table before it."""
    first = 'table t0 "t"\n  hit first\n  output o: one of x, y\n  | b || o |\n  | yes || x |\n'
    tables = [first + "  | - || y |\n"]
    tables += [f'table t{i} "t"\n  hit first\n  output o: one of x, y\n  | t{i - 1}.o || o |\n'
               f"  | x || y |\n  | - || x |\n" for i in range(1, count)]
    return HEAD.replace('input a: integer 0..1000000 "a"\n', "") + "".join(tables)


def many_members(count: int) -> str:
    members = ", ".join(f"m{i}" for i in range(count))
    return (HEAD + f"enum e = {members}\ninput s: set of e \"s\"\n"
            + _tail("s | b", (f"  | has m{count - 1} | - || 1 |\n",)))


def syntax_errors(size: int) -> str:
    return HEAD + "input broken\n" * (size // 13)


def junk(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def all_members(count: int) -> str:
    """A rule that needs every member of a large enumeration: one long path in the verifier."""
    members = ", ".join(f"m{i}" for i in range(count))
    return (HEAD + f"enum e = {members}\ninput s: set of e \"s\"\n"
            + _tail("s | b", (f"  | all of ({members}) | - || 1 |\n",)))


def deep_not(depth: int) -> str:
    return HEAD + "fact f = " + "not " * depth + "b\n" + _table([]).removeprefix(HEAD)


def deep_brackets(depth: int) -> str:
    return HEAD + "fact f = " + "(b and " * depth + "b" + ")" * depth + "\n"


def long_row(cells: int) -> str:
    return HEAD + 'table t "t"\n  output o: integer\n  | a || o |\n  |' + " 1 |" * cells + "\n"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], str | bytes]
    seconds: float  # the limit of CPU time of the whole pipeline, process start included
    megabytes: int  # the limit of its peak resident memory
    quick: bool = False  # part of `make test` as well as `make fuzz`


CASES = (
    Case("10 MB of one comment", lambda: comment(10 * MEGABYTE), 10, 200, quick=True),
    Case("10 MB of random bytes", lambda: junk(10 * MEGABYTE), 10, 200, quick=True),
    Case("10 MB of table rows", lambda: rows_few_thresholds(450_000), 10, 250, quick=True),
    Case("1.9 MB of one comment", lambda: comment(1_900_000), 20, 300, quick=True),
    Case("1.9 MB of one description", lambda: description(1_900_000), 60, 600, quick=True),
    Case("100,000 nested nots", lambda: deep_not(100_000), 20, 300, quick=True),
    Case("100,000 nested brackets", lambda: deep_brackets(100_000), 20, 300, quick=True),
    Case("a row of 400,000 cells", lambda: long_row(400_000), 60, 1500),
    Case("1.9 MB of inputs", lambda: many_inputs(1_900_000), 120, 1500),
    Case("1.9 MB of syntax errors", lambda: syntax_errors(1_900_000), 120, 1500),
    Case("10,000 chained facts", lambda: chained_facts(10_000), 60, 1000, quick=True),
    Case("10,000 facts chained backwards", lambda: chained_facts_backwards(10_000), 60, 1000,
         quick=True),
    Case("2,000 chained tables", lambda: chained_tables(2_000), 120, 1500),
    Case("enumeration of 20,000 members", lambda: many_members(20_000), 120, 1500),
    Case("a rule over 5,000 members: the verifier's variables", lambda: all_members(5_000), 30, 600,
         quick=True),
    Case("1,000 rows, a threshold each: the verifier's recursion room",
         lambda: rows_distinct_thresholds(1_000), 30, 700, quick=True),
    Case("5,000 rows, a threshold each", lambda: rows_distinct_thresholds(5_000), 60, 600,
         quick=True),
    Case("50,000 rows, 50 thresholds", lambda: rows_few_thresholds(50_000), 240, 2000),
    Case("50,000 rows, 50,000 thresholds", lambda: rows_distinct_thresholds(50_000), 240, 2000),
    Case("50,000 rows, each a mistake", lambda: rows_with_errors(50_000), 240, 2000),
)


@dataclass(frozen=True)
class Measured:
    name: str
    seconds: float  # wall time, shown only: a loaded machine stretches it
    megabytes: float
    outcome: dict[str, object]  # what the child printed: codes, compiled, problems
    problems: list[str]
    cpu_seconds: float = 0.0  # the child's CPU time, process start included: what is judged
    cut: bool = False  # stopped by the caller's wall limit (its share of a run), not judged


WALL_FACTOR = 10  # a case still running after ten times its CPU limit in wall time is blocked


def run_case(case: Case, memory_limit: int = 4000, wall_limit: float | None = None) -> Measured:
    """The case in a fresh interpreter limited to `memory_limit` MB of address space and twice
    its CPU time (RLIMIT_CPU: the kernel stops it, however loaded the machine); `wall_limit`
    seconds, when given, cut it short without judging it."""
    def limit() -> None:
        size = memory_limit * MEGABYTE
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
        cpu = int(case.seconds * 2) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))

    started = time.monotonic()
    blocked = case.seconds * WALL_FACTOR
    wait = min(blocked, wall_limit) if wall_limit is not None else blocked
    child = subprocess.Popen([sys.executable, "-m", "tests.reliability.big_inputs", case.name],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=limit)
    try:
        out, err = child.communicate(timeout=wait)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        seconds = time.monotonic() - started
        if wait < blocked:
            return Measured(case.name, seconds, 0, {}, [], cut=True)
        return Measured(case.name, seconds, 0, {}, [f"blocked: still running after {wait:.0f} s"])
    seconds = time.monotonic() - started
    try:
        outcome = json.loads(out.decode("utf-8"))
    except ValueError:
        past = child.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
        return Measured(case.name, seconds, 0, {}, [
            f"took more than {case.seconds * 2} s of CPU time: stopped" if past else
            f"exit status {child.returncode}, no outcome; stderr: "
            f"{err.decode('utf-8', 'replace')[-500:]}"])
    megabytes = float(outcome["peak_megabytes"])
    cpu = float(outcome.get("cpu_seconds", seconds))
    return Measured(case.name, seconds, megabytes, outcome,
                    _judged(case, outcome, cpu, megabytes), cpu_seconds=cpu)


def _judged(case: Case, outcome: dict[str, object], cpu: float, megabytes: float) -> list[str]:
    problems = [str(p) for p in outcome["problems"]]  # type: ignore[attr-defined]
    if cpu > case.seconds:
        problems.append(f"took {cpu:.1f} s of CPU time, more than {case.seconds} s")
    if megabytes > case.megabytes:
        problems.append(f"peaked at {megabytes:.0f} MB, more than {case.megabytes} MB")
    return problems


def main(name: str) -> None:
    from tests.reliability.promises import run_whole_pipeline

    case = next(c for c in CASES if c.name == name)
    text = case.make()
    outcome = run_whole_pipeline(text, "big.mmdsl")
    codes = sorted(set(outcome.codes))
    print(json.dumps({"characters": len(text), "compiled": outcome.compiled, "codes": codes,
                      "diagnostics": len(outcome.codes), "problems": outcome.problems,
                      "stages": {k: round(v, 2) for k, v in outcome.stages.items()},
                      "peak_megabytes": peak_megabytes(), "cpu_seconds": round(cpu_seconds(), 2)}))


def cpu_seconds() -> float:
    """This process's CPU time since its program started (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_megabytes() -> float:
    """This process's peak resident memory since it started its program. (`ru_maxrss` would
    count the parent's size as well: Linux carries it over a fork and an exec.)"""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kilobytes) * 1024 / MEGABYTE


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main(sys.argv[1])
