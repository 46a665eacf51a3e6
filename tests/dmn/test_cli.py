"""`mmdsl import` and `mmdsl export --to dmn` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mmdsl.cli import main
from tests.dmn.support import input_data, model, table

ROOT = Path(__file__).resolve().parents[2]
MYELOMA = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"


def mmdsl(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def approval(tmp_path: Path) -> Path:
    path = tmp_path / "approval.dmn"
    path.write_bytes(model(input_data("Age", "number") + table(
        "Approval Status", 'hitPolicy="FIRST"', ["Age"], ['<output typeRef="string"/>'],
        [[">= 18", '"Approved"'], ["-", '"Declined"']])))
    return path


def test_import_writes_a_file_that_checks(approval: Path, tmp_path: Path) -> None:
    target = tmp_path / "approval.mmdsl"
    result = mmdsl("import", str(approval), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stderr
    assert "table Approval_Status" in target.read_text(encoding="utf-8")
    assert mmdsl("check", str(target)).exit_code == 0


def test_import_to_standard_output(approval: Path) -> None:
    result = mmdsl("import", str(approval), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Imported from a DMN model")


def test_an_unsupported_model_writes_nothing_and_says_where(tmp_path: Path) -> None:
    source = tmp_path / "fee.dmn"
    source.write_bytes(model('<businessKnowledgeModel id="b" name="fee"/>'))
    target = tmp_path / "fee.mmdsl"
    result = mmdsl("import", str(source), "-o", str(target))
    assert result.exit_code == 1
    assert not target.exists()
    assert "error[MD702]: a business knowledge model (BKM) (`fee`)" in result.stderr
    assert "fee.dmn:3:1" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_problems_as_json(tmp_path: Path) -> None:
    source = tmp_path / "bad.dmn"
    source.write_bytes(b"<definitions")
    result = mmdsl("import", str(source), "-o", str(tmp_path / "bad.mmdsl"), "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["diagnostics"]
    assert (problem["code"], problem["line"]) == ("MD700", 1)


def test_export_then_import_on_the_command_line(tmp_path: Path) -> None:
    exported = tmp_path / "myeloma.dmn"
    result = mmdsl("export", "--to", "dmn", str(MYELOMA), "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    assert "warning[MD709]" in result.stderr and "order by tier" in result.stderr
    back = tmp_path / "myeloma.mmdsl"
    assert mmdsl("import", str(exported), "-o", str(back)).exit_code == 0
    assert mmdsl("check", str(back)).exit_code == 0
    assert mmdsl("test", str(back)).exit_code == 0  # no examples travel; nothing fails
