"""`mmdsl eval`: the decision on standard output, invalid facts with exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import mmdsl as package

from .conftest import Run

PATIENT = {"temperature": 39.2, "age": 30, "symptoms": ["stiff_neck"]}
BAD_PATIENT = {"temperature": "hot", "age": 200, "symptoms": ["stiff_nek"], "colour": "red"}
BAD_FIELDS = ["temperature", "age", "symptoms[0]", "colour"]


def write_facts(facts: object, name: str = "patient.json") -> str:
    Path(name).write_text(json.dumps(facts), encoding="utf-8")
    return name


def test_eval_prints_the_decision(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("eval", "tables/triage.mmdsl", "--facts", write_facts(PATIENT))
    assert result.exit_code == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["status"] == "ok"
    assert decision["disposition"]["place"] == "emergency"
    assert result.stderr == ""


def test_eval_prints_what_the_api_gives_byte_for_byte(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("eval", "tables/triage.mmdsl", "--facts", write_facts(PATIENT))
    decision = package.load("tables/triage.mmdsl").evaluate(PATIENT)
    assert result.stdout == json.dumps(decision, indent=2, ensure_ascii=False) + "\n"


def test_eval_prints_what_the_generated_module_prints_byte_for_byte(
    mmdsl: Run, workdir: Path,
) -> None:
    assert mmdsl("compile", "tables/").exit_code == 0
    facts = json.dumps(PATIENT).encode()
    module = subprocess.run([sys.executable, "generated/triage.py"], input=facts,
                            capture_output=True, check=True, timeout=60)
    result = mmdsl("eval", "tables/triage.mmdsl", "--facts", write_facts(PATIENT))
    assert result.stdout.encode("utf-8") == module.stdout


def test_eval_reads_facts_from_standard_input(mmdsl: Run, workdir: Path) -> None:
    from_file = mmdsl("eval", "tables/triage.mmdsl", "--facts", write_facts(PATIENT))
    from_stdin = mmdsl("eval", "tables/triage.mmdsl", "--facts", "-",
                       input=json.dumps(PATIENT).encode())
    assert from_stdin.exit_code == 0
    assert from_stdin.stdout == from_file.stdout


def test_invalid_facts_name_every_bad_field(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("eval", "tables/triage.mmdsl", "--facts", write_facts(BAD_PATIENT))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines)
    assert [line.split(": ")[1] for line in lines] == BAD_FIELDS
    assert "did you mean `stiff_neck`?" in result.stderr


def test_invalid_facts_as_json(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("eval", "tables/triage.mmdsl", "--facts", write_facts(BAD_PATIENT),
                   "--format", "json")
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["errors"]
    assert [e["field"] for e in errors] == BAD_FIELDS
    assert all(e["message"] for e in errors)
    assert result.stderr == ""


@pytest.mark.parametrize("text", [b'{"age": 30, "age": 31}', b"{\"temperature\": NaN}",
                                  b"\xff\xfe", b"", b"[1, 2", b"[]"])
def test_malformed_facts_exit_2_without_a_traceback(mmdsl: Run, workdir: Path, text: bytes) -> None:
    Path("facts.json").write_bytes(text)
    result = mmdsl("eval", "tables/triage.mmdsl", "--facts", "facts.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_a_missing_facts_file_is_bad_usage(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("eval", "tables/triage.mmdsl", "--facts", "nowhere.json")
    assert result.exit_code == 2
    assert "nowhere.json" in result.stderr


def test_a_table_with_errors_exits_1_with_its_diagnostics(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("eval", "broken.mmdsl", "--facts", write_facts(PATIENT))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error[MD100]" in result.stderr


def test_a_table_with_errors_as_json(mmdsl: Run, workdir: Path) -> None:
    result = mmdsl("eval", "broken.mmdsl", "--facts", write_facts(PATIENT), "--format", "json")
    assert result.exit_code == 1
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["MD100", "MD101"]


# ---- start-up: only what a command needs is imported ---------------------------------------------


def modules_loaded_by(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> set[str]:
    """The modules a command imports (run in a fresh interpreter, as the console script does)."""
    script = ("import sys\nfrom mmdsl.cli import main\n"
              "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write('\\n'.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                          cwd=cwd, check=False, timeout=60, env=env)
    return set(done.stderr.split("\n"))


def test_help_does_not_load_the_parser(workdir: Path) -> None:
    loaded = modules_loaded_by(["--help"], workdir)
    assert "click" in loaded
    assert "lark" not in loaded


def test_eval_does_not_load_the_templates(workdir: Path) -> None:
    loaded = modules_loaded_by(["eval", "tables/triage.mmdsl", "--facts", write_facts(PATIENT)],
                               workdir)
    assert "mmdsl.interpreter" in loaded
    assert "jinja2" not in loaded


def test_eval_from_the_compile_cache_loads_only_what_it_runs(workdir: Path) -> None:
    """With the guideline in the compile cache, `mmdsl eval` imports its own command and the
    interpreter: no other command, no parser, checks, verifier or templates, not the cache's
    writer (tempfile) nor hashlib (OpenSSL) -- each would add to the start-up of every call
    (benchmarks/coldstart.py)."""
    cached = os.environ | {"MMDSL_CACHE_DIR": str(workdir / "cache")}
    command = ["eval", "tables/triage.mmdsl", "--facts", write_facts(PATIENT)]
    compiled = modules_loaded_by(command, workdir, cached)  # compiles, and fills the cache
    assert "mmdsl.pipeline" in compiled and "lark" in compiled
    loaded = modules_loaded_by(command, workdir, cached)
    assert {"mmdsl.commands.eval", "mmdsl.interpreter", "mmdsl.compile_cache"} <= loaded
    others = {m for m in loaded if m.startswith("mmdsl.commands.")} - {
        "mmdsl.commands.eval", "mmdsl.commands.common"}
    assert others == set()
    heavy = {"lark", "jinja2", "mmdsl.pipeline", "mmdsl.syntax", "mmdsl.check", "mmdsl.verify",
             "mmdsl.backends", "mmdsl.writing", "tempfile", "hashlib"}
    assert heavy & loaded == set()


def test_importing_the_package_loads_neither_parser_nor_click() -> None:
    done = subprocess.run([sys.executable, "-c", "import sys, mmdsl; print(sorted(sys.modules))"],
                          capture_output=True, text=True, check=True, timeout=60)
    assert "'lark'" not in done.stdout and "'click'" not in done.stdout
