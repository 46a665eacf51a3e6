"""Facts are checked, never guessed: a corpus of invalid facts, each refused by every way in.

tests/fixtures/invalid_facts/ holds one file per case and `manifest.json`, which names the fields
each case must report (a list item is named by its list; `$` is the text or the object as a
whole). Every case goes to `mmdsl eval` (in-process for all, as a program for some), to the
committed generated module imported by its path (`evaluate_json`, and `evaluate` when the text is
JSON), and to that module run as a script: each must refuse it (exit status 2, nothing on standard
output, no decision) and name exactly the manifest's fields, quickly and in little memory.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from mmdsl.cli import main
from tests.backend.support import load_module

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "invalid_facts"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
TABLE = ROOT / MANIFEST["guideline"]
MODULE_PATH = ROOT / MANIFEST["module"]
CASES = sorted(MANIFEST["cases"])
PROGRAM = Path(sys.executable).with_name("mmdsl")
VALID = {"prior_lines": 5, "exposed": ["daratumumab", "lenalidomide"],
         "refractory": ["daratumumab", "pomalidomide"], "t11_14": False, "car_t_access": True}


@pytest.fixture(scope="module")
def module() -> ModuleType:
    return load_module(MODULE_PATH)


def fields(errors: list[dict[str, str]]) -> set[str]:
    """The fields named, a list item counted as its list (`refractory[3]` as `refractory`)."""
    return {re.sub(r"\[\d+\]$", "", error["field"]) for error in errors}


def expected(case: str) -> set[str]:
    return set(MANIFEST["cases"][case]["fields"])


def assert_mentions(case: str, errors: list[dict[str, str]]) -> None:
    """The words the manifest expects in the problems: the nearest name, what was given."""
    said = " | ".join(error["message"] for error in errors)
    for words in MANIFEST["cases"][case].get("mentions", []):
        assert words in said, (words, said)


def test_the_corpus_has_at_least_fifty_cases_each_documented() -> None:
    assert len(CASES) >= 50
    assert sorted(p.name for p in CORPUS.glob("*.json") if p.name != "manifest.json") == CASES
    assert all(MANIFEST["cases"][c]["why"] and MANIFEST["cases"][c]["fields"] for c in CASES)


def test_the_valid_facts_the_corpus_breaks_are_valid(module: ModuleType) -> None:
    assert module.evaluate(VALID)["status"] == "ok"


@pytest.mark.parametrize("case", CASES)
def test_the_module_refuses_each_case_naming_its_fields(module: ModuleType, case: str) -> None:
    data = (CORPUS / case).read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(module.InputError) as raised:
        module.evaluate_json(data)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert fields(raised.value.errors) == expected(case), raised.value.errors
    assert_mentions(case, raised.value.errors)
    assert isinstance(raised.value, ValueError)
    assert seconds < 1 and peak < 20_000_000, (seconds, peak)


def given_as_values() -> list[str]:
    """The cases whose text is strict JSON the reader accepts: only those can also be given as
    Python values (the others, not JSON, a repeated key, NaN, deep nesting, are refused as text)."""
    from mmdsl.runtime.prelude import InputError, parse_facts_json

    kept = []
    for case in CASES:
        try:
            parse_facts_json((CORPUS / case).read_bytes())
        except InputError:
            continue
        kept.append(case)
    return kept


def test_most_cases_can_also_be_given_as_values() -> None:
    assert len(given_as_values()) >= 30


@pytest.mark.parametrize("case", given_as_values())
def test_the_module_refuses_the_same_facts_given_as_python_values(module: ModuleType,
                                                                  case: str) -> None:
    facts = json.loads((CORPUS / case).read_bytes())
    with pytest.raises(module.InputError) as raised:
        module.evaluate(facts)
    assert fields(raised.value.errors) == expected(case)


def run_cli(case: str, output_format: str = "text") -> Any:
    return CliRunner().invoke(main, ["eval", str(TABLE), "--facts", str(CORPUS / case),
                                     "--format", output_format])


@pytest.mark.parametrize("case", CASES)
def test_mmdsl_eval_refuses_each_case_with_status_2_and_no_decision(case: str) -> None:
    result = run_cli(case)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    problems = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert problems, result.stderr
    as_json = run_cli(case, "json")
    assert as_json.exit_code == 2
    errors = json.loads(as_json.stdout)["errors"]
    assert fields(errors) == expected(case), errors
    assert_mentions(case, errors)
    assert len(problems) == len(errors)


@pytest.mark.parametrize("case", CASES[::8])
def test_the_installed_program_refuses_as_well(case: str) -> None:
    done = subprocess.run([str(PROGRAM), "eval", str(TABLE), "--facts", "-"],
                          input=(CORPUS / case).read_bytes(), capture_output=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, b""), done.stderr
    assert done.stderr.startswith(b"error: ")


@pytest.mark.parametrize("case", CASES)
def test_the_module_as_a_script_refuses_each_case(case: str) -> None:
    done = subprocess.run([sys.executable, str(MODULE_PATH)], input=(CORPUS / case).read_bytes(),
                          capture_output=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, b""), done.stderr
    assert done.stderr.strip()


# ---- very large and deeply nested JSON -------------------------------------------------------------


def padded(facts: dict[str, Any], characters: int) -> str:
    return json.dumps(facts)[:-1] + ', "padding": "' + "x" * characters + '"}'


LARGE = {
    "50 MB of padding": lambda: padded(VALID, 50_000_000),
    "just over 1 MB": lambda: padded(VALID, 1_000_000),
    "100,000 unknown drugs": lambda: json.dumps({**VALID, "exposed": ["x"] * 100_000}),
    "50,000 unknown keys": lambda: json.dumps({**VALID, **{f"k{i}": i for i in range(50_000)}}),
    "50,000 repeated keys": lambda: "{" + ", ".join(['"prior_lines": 1'] * 50_000) + "}",
    "100,000 nested lists": lambda: '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "400,000 nested objects": lambda: '{"a": ' * 150_000,
    "a 900,000-digit number": lambda: '{"prior_lines": ' + "9" * 900_000 + "}",
}


@pytest.mark.parametrize("name", LARGE)
def test_large_or_deep_json_is_refused_quickly_in_little_memory(module: ModuleType, name: str) -> None:
    text = LARGE[name]().encode("utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(module.InputError) as raised:
        module.evaluate_json(text)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(raised.value.errors) <= 25, raised.value.errors  # at most 20 listed, the rest counted
    assert seconds < 2 and peak < 60_000_000, (seconds, peak)


def test_a_huge_standard_input_is_not_read_to_its_end() -> None:
    """`mmdsl eval --facts -` reads at most a megabyte: the rest of a 200 MB stream is refused
    without being read, in a process whose memory stays small."""
    script = ("import resource, subprocess, sys\n"
              "pipe = subprocess.PIPE\n"
              "child = subprocess.Popen([sys.argv[1], 'eval', sys.argv[2], '--facts', '-'],\n"
              "                         stdin=pipe, stdout=pipe, stderr=pipe)\n"
              "try:\n"
              "    for _ in range(200):\n"
              "        child.stdin.write(b'[' * 1_000_000)\n"
              "except BrokenPipeError:\n"
              "    pass\n"
              "out, err = child.communicate()\n"
              "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
              "print(child.returncode, len(out), peak)\n")
    done = subprocess.run([sys.executable, "-c", script, str(PROGRAM), str(TABLE)],
                          capture_output=True, text=True, timeout=120)
    status, out_length, peak_kb = map(int, done.stdout.split())
    assert (status, out_length) == (2, 0), done
    assert peak_kb < 200_000
