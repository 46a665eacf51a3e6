"""`mmdsl export --to json-schema`, and `mmdsl compile` writing and checking the schema beside
the module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.backends.schema.facts import render_schema
from mmdsl.cli import main
from mmdsl.pipeline import compile_path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cli" / "triage.mmdsl"
SCHEMA = Path("generated/triage.schema.json")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "tables").mkdir()
    shutil.copy(FIXTURE, tmp_path / "tables" / "triage.mmdsl")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def expected_schema() -> str:
    compilation = compile_path("tables/triage.mmdsl", "triage.mmdsl")  # named by file name alone
    assert compilation.guideline is not None
    return render_schema(compilation.guideline)


def test_export_prints_the_schema(folder: Path) -> None:
    status, out, _ = run("export", "--to", "json-schema", "tables/triage.mmdsl")
    assert (status, out) == (0, expected_schema())


def test_export_writes_the_schema_to_a_file(folder: Path) -> None:
    status, out, err = run("export", "--to", "json-schema", "tables/triage.mmdsl", "-o", "t.json")
    assert (status, out) == (0, "")
    assert "wrote t.json" in err
    assert Path("t.json").read_text("utf-8") == expected_schema()
    assert "t.json is up to date" in run("export", "--to", "json-schema", "tables/triage.mmdsl",
                                         "-o", "t.json")[2]


def test_export_of_a_file_with_errors_writes_nothing(folder: Path) -> None:
    Path("bad.mmdsl").write_text('guideline g "G"\ninput x yes/no\n', "utf-8")
    status, out, err = run("export", "--to", "json-schema", "bad.mmdsl", "-o", "bad.json")
    assert (status, out) == (1, "")
    assert "error[MD100]" in err
    assert not Path("bad.json").exists()


def test_export_needs_a_known_format(folder: Path) -> None:
    assert run("export", "--to", "xml", "tables/triage.mmdsl")[0] == 2
    assert run("export", "tables/triage.mmdsl")[0] == 2


def test_export_to_dmn_is_delegated_to_the_dmn_writer(folder: Path) -> None:
    status, out, _ = run("export", "--to", "dmn", "tables/triage.mmdsl")
    assert status == 0
    assert out.startswith("<?xml")


def test_compile_writes_the_schema_beside_the_module(folder: Path) -> None:
    status, out, _ = run("compile", "tables/", "-o", "generated/")
    assert status == 0
    assert "wrote generated/triage.schema.json" in out
    assert SCHEMA.read_text("utf-8") == expected_schema()


def test_compile_check_fails_when_the_schema_is_stale_or_missing(folder: Path) -> None:
    run("compile", "tables/", "-o", "generated/")
    assert run("compile", "--check", "tables/", "-o", "generated/")[0] == 0
    SCHEMA.write_text(SCHEMA.read_text("utf-8") + "\n", "utf-8")
    status, _, err = run("compile", "--check", "tables/", "-o", "generated/")
    assert status == 1
    assert "generated/triage.schema.json is stale: run `mmdsl compile tables/ -o generated/`" in err
    SCHEMA.unlink()
    status, _, err = run("compile", "--check", "tables/", "-o", "generated/")
    assert status == 1
    assert "generated/triage.schema.json is missing" in err
    assert not SCHEMA.exists()
