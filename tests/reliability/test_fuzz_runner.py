"""`make fuzz` itself (`tests/reliability/fuzz.py`), on a few inputs: it prints how many inputs
each campaign tried and how many failed, exits with status 1 on any failure (and writes the
failing input where `--replay` runs it again), and stops, failing, past its time limit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.reliability import fuzz
from tests.reliability.big_inputs import CASES
from tests.reliability.promises import Outcome

SMALL = ["--inputs", "12", "--facts", "5000", "--seed", "7", "--jobs", "1"]


@pytest.fixture(autouse=True)
def one_big_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quickest big input alone: the others take minutes."""
    monkeypatch.setattr(fuzz, "CASES", [next(c for c in CASES if c.name == "10 MB of one comment")])
    monkeypatch.setattr(fuzz, "DMN_SCALE", 0.05)  # small files: a second, not minutes


def totals(output: str) -> tuple[int, int]:
    match = re.search(r"^TOTAL ([\d,]+) inputs tried, (\d+) failed, in \d+ s$", output, re.MULTILINE)
    assert match, output
    return int(match.group(1).replace(",", "")), int(match.group(2))


def test_a_clean_run_prints_its_totals_and_exits_0(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert fuzz.main([*SMALL, "--out", str(tmp_path / "failures")]) == 0
    output = capsys.readouterr().out
    tried = [int(n.replace(",", "")) for n in re.findall(r"^ +([\d,]+) tried +0 failed", output,
                                                         re.MULTILINE)]
    assert len(tried) == 8 and tried[:2] == [12, 1]  # the eight campaigns, none failed
    assert tried[4:6] == [10, 24]  # names differing in case; special outputs
    assert totals(output) == (sum(tried), 0)
    assert not (tmp_path / "failures").exists()


def test_a_failure_is_counted_saved_for_replay_and_exits_1(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(text: str | bytes, name: str = "fuzz.mmdsl", **_: object) -> Outcome:
        return Outcome(problems=["a broken promise"])

    monkeypatch.setattr(fuzz, "run_whole_pipeline", broken)  # inherited by the forked workers
    out = tmp_path / "failures"
    assert fuzz.main([*SMALL, "--out", str(out)]) == 1
    output = capsys.readouterr().out
    saved = sorted(out.glob("frontend-*.mmdsl"))
    assert len(saved) == 12 and totals(output)[1] == 12
    assert "FAILED input 0: a broken promise" in output
    assert fuzz.main(["--replay", str(saved[0])]) == 1


def test_a_run_past_its_time_limit_stops_and_exits_1(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert fuzz.main([*SMALL, "--minutes", "0", "--out", str(tmp_path / "failures")]) == 1
    output = capsys.readouterr().out
    assert "FAILED stopped: the run went past 0.0 minutes" in output
    assert totals(output)[1] >= 1
