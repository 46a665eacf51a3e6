"""`mmdsl fmt`: in place, `--check` and `--diff` for CI, standard input, files it must not touch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.cli import main
from mmdsl.format import format_text

MESSY = 'guideline g "G"\ninput x :yes/no\ntable t\n  |x||o|\n  |yes||a|\n'
TIDY = format_text(MESSY)
BROKEN = 'guideline g "G"\ninput x yes/no\n'


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fmt", *args], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "messy.mmdsl").write_text(MESSY, "utf-8")
    (tmp_path / "tables" / "tidy.mmdsl").write_text(TIDY, "utf-8")
    return tmp_path


def test_files_are_rewritten_in_place(folder: Path) -> None:
    status, out, _ = run("tables")
    assert status == 0
    assert out == "reformatted tables/messy.mmdsl\n1 file reformatted, 1 file left unchanged\n"
    assert Path("tables/messy.mmdsl").read_text("utf-8") == TIDY
    assert sorted(os.listdir("tables")) == ["messy.mmdsl", "tidy.mmdsl"]  # no temporary file


def test_a_formatted_file_is_not_written_again(folder: Path) -> None:
    os.utime("tables/tidy.mmdsl", (1_000_000, 1_000_000))
    assert run("tables/tidy.mmdsl")[0] == 0
    assert Path("tables/tidy.mmdsl").stat().st_mtime == 1_000_000


def test_check_lists_the_files_that_would_change_and_writes_nothing(folder: Path) -> None:
    status, out, _ = run("--check", "tables")
    assert status == 1
    assert out == ("would reformat tables/messy.mmdsl\n"
                   "1 file would be reformatted, 1 file left unchanged\n")
    assert Path("tables/messy.mmdsl").read_text("utf-8") == MESSY


def test_check_passes_on_formatted_files(folder: Path) -> None:
    status, out, _ = run("--check", "tables/tidy.mmdsl")
    assert (status, out) == (0, "0 files would be reformatted, 1 file left unchanged\n")


def test_diff_prints_the_changes_alone_on_standard_output(folder: Path) -> None:
    status, out, err = run("--diff", "tables")
    assert status == 1
    assert out.startswith("--- tables/messy.mmdsl (as written)\n"
                          "+++ tables/messy.mmdsl (formatted)\n@@")
    assert "-input x :yes/no\n+input x: yes/no\n" in out
    assert "would reformat tables/messy.mmdsl" in err
    assert Path("tables/messy.mmdsl").read_text("utf-8") == MESSY


def test_a_file_with_syntax_errors_is_reported_and_left_alone(folder: Path) -> None:
    Path("tables/broken.mmdsl").write_text(BROKEN, "utf-8")
    status, out, err = run("tables")
    assert status == 1
    assert "error[MD100]" in err and "tables/broken.mmdsl:2:9" in err
    assert Path("tables/broken.mmdsl").read_text("utf-8") == BROKEN
    assert Path("tables/messy.mmdsl").read_text("utf-8") == TIDY  # the others are formatted
    assert out.endswith("1 file with errors, not formatted\n")


def test_a_file_that_is_not_utf8_is_reported_and_left_alone(folder: Path) -> None:
    Path("tables/latin1.mmdsl").write_bytes(MESSY.replace("G", "é").encode("latin-1"))
    status, _, err = run("tables/latin1.mmdsl")
    assert status == 1
    assert "is not UTF-8" in err


def test_a_formatter_bug_leaves_the_file_as_it_was(
    folder: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import mmdsl.format as formatting

    monkeypatch.setattr(formatting, "format_text", lambda text: text.replace("yes/no", "text"))
    status, _, err = run("tables/messy.mmdsl")
    assert status == 1
    assert "would change it" in err and "this is a bug in mmdsl" in err
    assert Path("tables/messy.mmdsl").read_text("utf-8") == MESSY


def test_standard_input_is_formatted_to_standard_output() -> None:
    assert run("-", stdin=MESSY.encode("utf-8"))[:2] == (0, TIDY)
    status, out, err = run("-", stdin=BROKEN.encode("utf-8"))
    assert (status, out) == (1, "")
    assert "<stdin>:2:9" in err


def test_bad_command_lines_exit_with_status_2(folder: Path) -> None:
    assert run("nowhere")[0] == 2
    (folder / "empty").mkdir()
    assert run("empty")[0] == 2
    assert run("--check", "-")[0] == 2


def test_the_installed_program_formats_the_shipped_guideline_without_change() -> None:
    """What `make test` runs."""
    program = Path(sys.executable).with_name("mmdsl")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([str(program), "fmt", "--check", "tables/"], cwd=root,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
