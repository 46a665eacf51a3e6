"""`mmdsl check`, `--help`, `--version`, colour, and the summary line."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
from pathlib import Path

import pytest

from mmdsl import __version__
from mmdsl.commands.check import summary
from mmdsl.diagnostics.codes import lookup
from mmdsl.source import NO_SPAN

from .conftest import PROGRAM, Run, run_in_process


def test_a_clean_file_has_no_problems(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("check", "tables/triage.mmdsl")
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("no problems in 1 file")


def test_every_error_is_shown_with_its_source_line(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("check", "broken.mmdsl")
    assert result.exit_code == 1
    assert "error[MD100]" in result.stdout and "error[MD101]" in result.stdout
    assert "--> broken.mmdsl:3:19" in result.stdout
    assert "3 | input prior_lines integer 0..30" in result.stdout
    assert result.stdout.strip().endswith("2 errors in 1 file")
    assert "Traceback" not in result.stdout + result.stderr


def test_folders_are_searched_for_table_files(mmdsl: Run, workdir: Path) -> None:
    (workdir / "tables" / "more").mkdir()
    (workdir / "broken.mmdsl").rename(workdir / "tables" / "more" / "broken.mmdsl")
    result = mmdsl("check", "tables")
    assert result.exit_code == 1
    assert "tables/more/broken.mmdsl:3:19" in result.stdout
    assert result.stdout.strip().endswith("2 errors in 2 files")


def test_json_lists_the_diagnostics(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("check", "broken.mmdsl", "tables/triage.mmdsl", "--format", "json")
    assert result.exit_code == 1
    records = json.loads(result.stdout)["diagnostics"]
    assert [(r["code"], r["file"], r["line"]) for r in records] == [
        ("MD100", "broken.mmdsl", 3), ("MD101", "broken.mmdsl", 4),
        ("MD610", "tables/triage.mmdsl", 22)]  # a note: its overlapping rules agree (`hit any`)


def test_a_file_that_is_not_utf8_is_a_diagnostic_not_a_crash(mmdsl: Run, workdir: Path) -> None:
    (workdir / "latin1.mmdsl").write_bytes('guideline x "café"\n'.encode("latin-1"))
    result = mmdsl("check", "latin1.mmdsl")
    assert result.exit_code == 1
    assert "error[MD106]" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("args", [["check"], ["check", "nowhere.mmdsl"], ["check", "empty"],
                                  ["check", "--format", "xml", "broken.mmdsl"], ["frobnicate"]])
def test_bad_usage_exits_2(mmdsl: Run, workdir: Path, args: list[str]) -> None:
    (workdir / "empty").mkdir()
    result = mmdsl(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_summary_counts_errors_and_warnings() -> None:
    error = lookup("MD100").at("a.mmdsl", NO_SPAN, "oops")
    warning = lookup("MD408").at("a.mmdsl", NO_SPAN, "unused")
    assert summary([error, error, warning], 1) == "2 errors, 1 warning in 1 file"
    assert summary([warning], 3) == "1 warning in 3 files"
    assert summary([], 1) == "no problems in 1 file"


@pytest.mark.parametrize("command", [[], ["check"], ["compile"], ["eval"], ["test"], ["diff"]])
def test_every_help_shows_an_example(mmdsl: Run, command: list[str]) -> None:
    result = mmdsl(*command, "--help")
    assert result.exit_code == 0
    assert re.search(r"^\s*Example:\n\s+mmdsl \w+", result.stdout, re.MULTILINE)


def test_version(mmdsl: Run) -> None:
    result = mmdsl("--version")
    assert result.exit_code == 0
    assert result.stdout == f"mmdsl, version {__version__}\n"


def test_a_bug_in_mmdsl_is_one_line_not_a_traceback(
    workdir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(*args: object) -> None:
        raise RuntimeError("the back end fell over")

    monkeypatch.setattr("mmdsl.backends.python.render_module", crash)
    result = run_in_process("compile", "tables/")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: internal error in mmdsl: RuntimeError: the back end fell over\n")
    assert "Traceback" not in result.stderr
    with pytest.raises(RuntimeError):
        run_in_process("compile", "tables/", env={"MMDSL_DEBUG": "1"})


# ---- colour: only on a terminal, and never with NO_COLOR ---------------------------------------


def output_on_a_terminal(args: list[str], cwd: Path, no_color: bool) -> str:
    """What `mmdsl` prints when its standard output is a terminal (a pseudo-terminal here)."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color:
        env["NO_COLOR"] = "1"
    with subprocess.Popen([str(PROGRAM), *args], stdout=follower, stderr=follower, cwd=cwd,
                          env=env) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closes when the program ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


def test_colour_on_a_terminal(workdir: Path) -> None:
    assert "\x1b[1;31merror[MD100]" in output_on_a_terminal(["check", "broken.mmdsl"], workdir,
                                                            no_color=False)


def test_no_colour_with_no_color(workdir: Path) -> None:
    output = output_on_a_terminal(["check", "broken.mmdsl"], workdir, no_color=True)
    assert "error[MD100]" in output
    assert "\x1b[" not in output


def test_no_colour_when_piped(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("check", "broken.mmdsl")
    assert "error[MD100]" in result.stdout
    assert "\x1b[" not in result.stdout
