"""One guard for every file the tool writes (issue 14, item 2; mmdsl/writing.py `target`).

The atomic rename replaces whatever `-o` names: before the guard it turned a device node into
a regular file (as root, `-o /dev/null` replaced the system's /dev/null), read a copy of
/dev/zero forever in the up-to-date check, hung on a FIFO, replaced the table with XML,
replaced the patients with decisions, truncated the table given as --invalid, replaced a
symbolic link with a copy and silently replaced read-only files. Each reproducer is here."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.cli import main
from mmdsl.writing import RefusedOutput, target, write_atomically

ROOT = Path(__file__).resolve().parents[2]
TRIAGE = ROOT / "tests" / "fixtures" / "cli" / "triage.mmdsl"
SMALL = ROOT / "tests" / "fixtures" / "backend" / "small.mmdsl"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def table(tmp_path: Path) -> Path:
    copy = tmp_path / "t.mmdsl"
    copy.write_bytes(TRIAGE.read_bytes())
    return copy


def test_a_character_device_is_refused_and_stays_a_device(tmp_path: Path, table: Path) -> None:
    if not IS_ROOT:
        pytest.skip("mknod needs root (the symlink to /dev/null below runs for everyone)")
    node = tmp_path / "n"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    status, out = run("export", "--to", "json-schema", table, "-o", node)
    assert status == 2 and "character device" in out
    assert stat.S_ISCHR(node.stat().st_mode)


def test_a_link_to_dev_null_is_refused_and_written_nowhere(tmp_path: Path, table: Path) -> None:
    null = Path(os.devnull)
    if not null.exists() or not stat.S_ISCHR(null.stat().st_mode):
        pytest.skip("no character device at os.devnull")
    link = tmp_path / "null"
    link.symlink_to(null)
    status, out = run("export", "--to", "dmn", table, "-o", link)
    assert status == 2 and "character device" in out, out
    assert link.is_symlink() and stat.S_ISCHR(null.stat().st_mode)


def test_a_fifo_is_refused_without_hanging(tmp_path: Path, table: Path) -> None:
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-c", "from mmdsl.cli import main; main()", "export",
                           "--to", "dmn", str(table), "-o", str(fifo)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2 and "FIFO" in done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_folder_is_refused(tmp_path: Path, table: Path) -> None:
    dmn = tmp_path / "t.dmn"
    assert run("export", "--to", "dmn", table, "-o", dmn)[0] == 0
    folder = tmp_path / "out.mmdsl"
    folder.mkdir()
    status, out = run("import", dmn, "-o", folder)
    assert status == 2 and "folder" in out
    assert folder.is_dir() and not list(folder.iterdir())


def test_export_over_its_own_table_is_refused(table: Path) -> None:
    before = table.read_bytes()
    status, out = run("export", "--to", "dmn", table, "-o", table)
    assert status == 2 and "the command reads it" in out
    assert table.read_bytes() == before


def test_import_over_its_own_dmn_file_is_refused(tmp_path: Path, table: Path) -> None:
    dmn = tmp_path / "t.dmn"
    assert run("export", "--to", "dmn", table, "-o", dmn)[0] == 0
    before = dmn.read_bytes()
    status, out = run("import", dmn, "-o", dmn)
    assert status == 2 and dmn.read_bytes() == before, out


def test_a_link_to_the_input_is_the_input(tmp_path: Path, table: Path) -> None:
    link = tmp_path / "alias.json"
    link.symlink_to(table)
    before = table.read_bytes()
    assert run("export", "--to", "json-schema", table, "-o", link)[0] == 2
    assert table.read_bytes() == before and link.is_symlink()


@pytest.fixture
def patients(tmp_path: Path) -> Path:
    pytest.importorskip("duckdb")
    path = tmp_path / "p.jsonl"
    assert run("cohort", SMALL, "--generate", "20", "-o", path)[0] == 0
    return path


def test_cohort_never_writes_over_its_patients(patients: Path) -> None:
    before = patients.read_bytes()
    status, out = run("cohort", SMALL, "--input", patients, "-o", patients)
    assert status == 2 and "the command reads it" in out
    assert patients.read_bytes() == before


@pytest.mark.parametrize("which", ["table", "input"])
def test_invalid_never_truncates_an_input(tmp_path: Path, patients: Path, which: str) -> None:
    table = tmp_path / "small.mmdsl"
    table.write_bytes(SMALL.read_bytes())
    victim = table if which == "table" else patients
    before = victim.read_bytes()
    out_file = tmp_path / "d.parquet"
    status, out = run("cohort", table, "--input", patients, "-o", out_file, "--invalid", victim)
    assert status == 2 and "the command reads it" in out
    assert victim.read_bytes() == before
    assert not out_file.exists()  # refused before anything was decided


def test_generate_never_writes_over_the_table(table: Path) -> None:
    pytest.importorskip("duckdb")
    before = table.read_bytes()
    assert run("cohort", table, "--generate", "3", "-o", table)[0] == 2
    assert table.read_bytes() == before


def test_fmt_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "real.mmdsl"
    real.write_text(TRIAGE.read_text("utf-8").replace("\n  hit", "\n     hit", 1), "utf-8")
    link = tmp_path / "link.mmdsl"
    link.symlink_to(real.name)
    status, out = run("fmt", link)
    assert status == 0, out
    assert link.is_symlink() and os.readlink(link) == real.name
    assert run("fmt", "--check", real)[0] == 0  # the real file was formatted


def test_a_read_only_output_is_refused(tmp_path: Path, table: Path) -> None:
    output = tmp_path / "t.schema.json"
    output.write_text("{}", "utf-8")
    output.chmod(0o444)
    status, out = run("export", "--to", "json-schema", table, "-o", output)
    assert status == 2 and "read-only" in out
    assert output.read_text("utf-8") == "{}"


def test_the_up_to_date_check_reads_no_special_file() -> None:
    from mmdsl.writing import is_up_to_date

    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero")
    assert not is_up_to_date(zero, "x")  # it used to read forever (MemoryError)


def test_the_guard_is_in_the_writer_itself(tmp_path: Path) -> None:
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    with pytest.raises(RefusedOutput, match="FIFO"):
        write_atomically(fifo, "x")
    assert target(tmp_path / "new.txt") == (tmp_path / "new.txt").resolve()


@pytest.mark.parametrize("command", [["export"], ["import"], ["cohort"], ["fmt"], ["compile"],
                                     ["docs"]])
def test_each_writing_command_documents_the_refusal(command: list[str]) -> None:
    status, out = run(*command, "--help")
    assert status == 0
    words = " ".join(out.split())
    assert "refused" in words and "symbolic link is written through" in words, words
