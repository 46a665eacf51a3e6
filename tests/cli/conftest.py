"""Running `mmdsl` two ways: in-process through click's CliRunner, and as the installed program.

Each test that takes the `mmdsl` fixture runs twice, once per way, and sees the same `Result`.
Tests work in a temporary directory holding copies of the fixture tables under `tables/`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cli"
PROGRAM = Path(sys.executable).with_name("mmdsl")


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


def run_in_process(*args: str, input: bytes | None = None,
                   env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input, env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def run_program(*args: str, input: bytes | None = None,
                env: dict[str, str] | None = None) -> Result:
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | (env or {})
    done = subprocess.run([str(PROGRAM), *args], input=input, capture_output=True, timeout=60,
                          env=environment, check=False)
    return Result(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


@pytest.fixture(params=["runner", "program"])
def mmdsl(request: pytest.FixtureRequest) -> Run:
    """`mmdsl(*args, input=None, env=None) -> Result`, in-process or as a subprocess."""
    return run_in_process if request.param == "runner" else run_program


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary current directory with the fixture tables copied to `tables/`."""
    shutil.copytree(FIXTURES, tmp_path / "tables")
    (tmp_path / "tables" / "broken.mmdsl").rename(tmp_path / "broken.mmdsl")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def replace_in_file(path: Path, old: str, new: str) -> None:
    """Replace one passage of a file, failing loudly if the passage is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """`edit(path, old, new)`: change a copied table the way an author would."""
    return replace_in_file
