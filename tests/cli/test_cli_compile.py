"""`mmdsl compile`: one module per table file, written atomically, checked for staleness."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from mmdsl.backends.python import render_module
from mmdsl.pipeline import compile_path
from mmdsl.writing import write_atomically

from .conftest import Run

Edit = Callable[[Path, str, str], None]
MODULE = Path("generated/triage.py")


def expected_module(table: str, shown: str) -> str:
    compilation = compile_path(table, shown)
    assert compilation.guideline is not None
    return render_module(compilation.guideline)


def test_compile_writes_one_module_per_table(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("compile", "tables/", "-o", "generated/")
    assert result.exit_code == 0, result.stderr
    assert "wrote generated/triage.py" in result.stdout
    assert sorted(os.listdir("generated")) == ["triage.py"]
    assert MODULE.read_text(encoding="utf-8") == expected_module("tables/triage.mmdsl",
                                                                 "tables/triage.mmdsl")


def test_the_default_output_folder_is_generated(mmdsl: Run, workdir: Path) -> None:
    assert mmdsl("compile", "tables").exit_code == 0
    assert MODULE.exists()


def test_the_module_names_its_source_relative_to_the_current_directory(
    mmdsl: Run, workdir: Path,
) -> None:
    assert mmdsl("compile", str(workdir / "tables" / "triage.mmdsl")).exit_code == 0
    text = MODULE.read_text(encoding="utf-8")
    assert "tables/triage.mmdsl" in text
    assert str(workdir) not in text


def test_a_table_outside_the_current_directory_is_named_by_its_file_name(
    mmdsl: Run, workdir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (workdir / "elsewhere").mkdir()
    monkeypatch.chdir(workdir / "elsewhere")
    assert mmdsl("compile", "../tables/triage.mmdsl").exit_code == 0
    text = Path("generated/triage.py").read_text(encoding="utf-8")
    assert text == expected_module("../tables/triage.mmdsl", "triage.mmdsl")
    assert "../tables" not in text and str(workdir) not in text


def test_check_passes_when_the_modules_are_fresh(mmdsl: Run, workdir: Path) -> None:
    mmdsl("compile", "tables/", "-o", "generated/")
    result = mmdsl("compile", "--check", "tables/", "-o", "generated/")
    assert result.exit_code == 0, result.stderr
    assert "generated/triage.py is up to date" in result.stdout


def test_check_fails_after_the_table_changes(mmdsl: Run, workdir: Path, edit: Edit) -> None:
    mmdsl("compile", "tables/", "-o", "generated/")
    before = MODULE.read_bytes()
    edit(Path("tables/triage.mmdsl"), 'version "1.0"', 'version "1.1"')
    result = mmdsl("compile", "--check", "tables/", "-o", "generated/")
    assert result.exit_code == 1
    assert ("generated/triage.py is stale: run `mmdsl compile tables/ -o generated/`"
            in result.stderr)
    assert MODULE.read_bytes() == before


def test_check_fails_when_a_module_is_missing_and_writes_nothing(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("compile", "--check", "tables", "-o", "out")
    assert result.exit_code == 1
    assert "out/triage.py is missing: run `mmdsl compile tables -o out`" in result.stderr
    assert not Path("out").exists()


def test_a_table_with_errors_leaves_the_previous_module_untouched(
    mmdsl: Run, workdir: Path, edit: Edit,
) -> None:
    mmdsl("compile", "tables/")
    before = MODULE.read_bytes()
    edit(Path("tables/triage.mmdsl"), "input age: integer", "input age integer")
    result = mmdsl("compile", "tables/")
    assert result.exit_code == 1
    assert "error[MD100]" in result.stderr
    assert "tables/triage.mmdsl has errors: generated/triage.py was left as it was" in result.stderr
    assert MODULE.read_bytes() == before
    assert os.listdir("generated") == ["triage.py"]


def test_a_table_with_errors_fails_the_check_too(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("compile", "--check", "broken.mmdsl")
    assert result.exit_code == 1
    assert "error[MD100]" in result.stderr


def test_an_unchanged_module_is_not_rewritten(mmdsl: Run, workdir: Path) -> None:
    mmdsl("compile", "tables/")
    os.utime(MODULE, (1_000_000, 1_000_000))
    result = mmdsl("compile", "tables/")
    assert result.exit_code == 0
    assert "generated/triage.py is up to date" in result.stdout
    assert MODULE.stat().st_mtime == 1_000_000


def test_two_tables_with_one_module_name_are_refused(mmdsl: Run, workdir: Path) -> None:
    (workdir / "other").mkdir()
    (workdir / "other" / "triage.mmdsl").write_bytes(Path("tables/triage.mmdsl").read_bytes())
    result = mmdsl("compile", "tables", "other")
    assert result.exit_code == 2
    assert "would both be compiled to generated/triage.py" in result.stderr
    assert not Path("generated").exists()


def test_json_reports_each_file(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("compile", "tables", "broken.mmdsl", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["files"] == [
        {"source": "tables/triage.mmdsl", "output": "generated/triage.py", "status": "written"},
        {"source": "broken.mmdsl", "output": "generated/broken.py", "status": "errors"},
    ]
    assert [d["code"] for d in report["diagnostics"]] == ["MD100", "MD101"]


# ---- writing files atomically ------------------------------------------------------------------


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "module.py"
    target.write_text("old\n")

    def broken_replace(source: str, destination: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, "new\n")
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["module.py"]


def test_a_new_module_is_readable_by_everyone_under_the_usual_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomically(tmp_path / "module.py", "text\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "module.py").stat().st_mode) == 0o644


def test_a_replaced_module_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "module.py"
    target.write_text("old\n")
    target.chmod(0o640)
    write_atomically(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() == "new\n"
