"""`make fuzz` itself (`tests/reliability/fuzz.py`), on a few inputs: it prints how many inputs
each campaign tried and how many failed, exits with status 1 on any failure (and writes the
failing input, with its seed, where `--replay` runs it again), gives every campaign its share of
the time (one cut short says so; one that could try nothing fails), and judges an input by the
CPU time of its work, so a loaded machine cannot fail it."""

from __future__ import annotations

import mmap
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability import fuzz
from tests.reliability.big_inputs import CASES
from tests.reliability.promises import Outcome

# Spark aside: starting a session takes longer than this whole test (`make fuzz` runs it).
CAMPAIGNS = [key for key in fuzz.WEIGHTS if key != "spark"]
SMALL = ["--inputs", "12", "--facts", "5000", "--seed", "7", "--jobs", "1",
         "--only", ",".join(CAMPAIGNS)]


@pytest.fixture(autouse=True)
def one_big_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quickest big input alone: the others take minutes."""
    monkeypatch.setattr(fuzz, "CASES", [next(c for c in CASES if c.name == "10 MB of one comment")])
    monkeypatch.setattr(fuzz, "DMN_SCALE", 0.05)  # small files: a second, not minutes


def totals(output: str) -> tuple[int, int]:
    match = re.search(r"^TOTAL ([\d,]+) inputs tried, (\d+) failed, in \d+ s ", output, re.MULTILINE)
    assert match, output
    return int(match.group(1).replace(",", "")), int(match.group(2))


def test_a_clean_run_prints_its_totals_and_exits_0(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert fuzz.main([*SMALL, "--out", str(tmp_path / "failures")]) == 0
    output = capsys.readouterr().out
    tried = [int(n.replace(",", "")) for n in re.findall(r"^ +([\d,]+) tried +0 failed", output,
                                                         re.MULTILINE)]
    assert len(tried) == len(CAMPAIGNS) == 10 and tried[:2] == [12, 1]  # none failed
    assert tried[4:6] == [10, 24]  # names differing in case; special outputs
    assert tried[6] == 10  # SQL names: 10 guidelines
    assert totals(output) == (sum(tried), 0)
    assert not (tmp_path / "failures").exists()


def test_a_failure_is_counted_saved_for_replay_and_exits_1(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(text: str | bytes, name: str = "fuzz.mmdsl", **_: object) -> Outcome:
        return Outcome(problems=["a broken promise"])

    monkeypatch.setattr(fuzz, "run_whole_pipeline", broken)  # inherited by the forked workers
    out = tmp_path / "failures"
    # the front end alone: the clean run above runs every campaign; this one is about a failure
    assert fuzz.main([*SMALL, "--only", "front end", "--out", str(out)]) == 1
    output = capsys.readouterr().out
    saved = sorted(out.glob("frontend-*.mmdsl"))
    assert len(saved) == 12 and totals(output)[1] == 12
    assert "FAILED input 0: a broken promise" in output
    assert (out / "frontend-0.problems.txt").read_text().startswith("seed 7 input 0\n")
    assert fuzz.main(["--replay", str(saved[0])]) == 1


def test_without_time_every_campaign_is_still_reported(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert fuzz.main([*SMALL, "--minutes", "0", "--out", str(tmp_path / "failures")]) == 1
    output = capsys.readouterr().out
    assert len(re.findall(r"^ +[\d,]+ tried +\d+ failed", output, re.MULTILINE)) == len(CAMPAIGNS)
    # each pool stops after its first batch and says so; the big inputs could not start at all
    assert "SHORT front end: mutated table files: 0 of 12" not in output
    assert re.search(r"SHORT SQL names.*: \d+ of 10 tried in its share of 0 s", output) \
        or "SQL names" not in output.split("TOTAL")[1]
    assert "FAILED could not run: tried nothing in its 0 s" in output


@pytest.fixture
def alarms() -> Iterator[None]:
    before = signal.getsignal(signal.SIGPROF), signal.getsignal(signal.SIGALRM)
    fuzz.install_alarms()
    yield
    signal.signal(signal.SIGPROF, before[0])
    signal.signal(signal.SIGALRM, before[1])


def test_an_input_is_judged_by_its_cpu_time_not_the_clock(alarms: None) -> None:
    def waiting() -> str:  # as an input on a loaded machine: long in wall time, little CPU
        time.sleep(0.6)
        return "done"

    def spinning() -> str:
        while True:
            pass

    assert fuzz.limited(waiting, 0.2) == ("done", "")
    assert fuzz.limited(spinning, 0.2) == (None, "took more than 0.2 s of CPU time")


def test_an_input_that_blocks_is_still_stopped(alarms: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzz, "WALL_FACTOR", 2)
    assert fuzz.limited(lambda: time.sleep(5), 0.2) == (None, "blocked: still running after 0 s")


def test_a_worker_has_its_room_whatever_the_parent_has_mapped(tmp_path: Path) -> None:
    # As under the whole test suite, where pytest has mapped GB of DuckDB and Arrow before this
    # runs: 4 GB of address space, never touched, so it costs no memory.
    ballast = mmap.mmap(-1, 4_000_000_000)
    try:
        assert fuzz.main([*SMALL, "--only", "front end,backend text", "--minutes", "1",
                          "--out", str(tmp_path / "failures")]) == 0
    finally:
        ballast.close()
