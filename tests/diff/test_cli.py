"""`mmdsl diff` on the command line: two files, a file at two git revisions, formats, exit status."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner

from mmdsl.cli import main

OLD = '''guideline triage "Triage"
version "1"
input age: integer 0..120 "age"
input fever: yes/no "fever"
table advice "Advice"
  hit first
  output action: one of home, clinic
  | age  | fever || action |
  | >= 65 | yes  || clinic |
  | -    | -     || home   |
'''
NEW = OLD.replace('version "1"', 'version "2"').replace(">= 65", ">= 60")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_change_exits_4_and_names_the_region_and_both_decisions(tmp_path: Path) -> None:
    status, output = run("diff", write(tmp_path, "old.mmdsl", OLD), write(tmp_path, "new.mmdsl", NEW))
    assert status == 4
    assert "changed rule advice.R1: | >= 65 | yes || clinic | -> | >= 60 | yes || clinic |" in output
    assert "advice: home -> clinic, for:\n      age 60-64, fever yes" in output
    assert 'for example {"age": 60, "fever": true}' in output


def test_no_change_in_decisions_exits_0_even_when_the_text_changed(tmp_path: Path) -> None:
    reworded = OLD.replace('"Advice"', '"Advice to the patient"')
    status, output = run("diff", write(tmp_path, "a.mmdsl", OLD), write(tmp_path, "b.mmdsl", reworded))
    assert status == 0
    assert "none: every patient gets the same decision from both versions" in output


def test_json_and_markdown(tmp_path: Path) -> None:
    old, new = write(tmp_path, "old.mmdsl", OLD), write(tmp_path, "new.mmdsl", NEW)
    status, output = run("diff", old, new, "--format", "json")
    report = json.loads(output)
    assert status == 4 and report["behaviour"]["changed"] and report["behaviour"]["checked"]
    assert report["behaviour"]["changes"][0]["regions"] == ["age 60-64, fever yes"]
    assert run("diff", old, new, "--format", "markdown")[1].startswith("# Triage: 1 -> 2\n")


def test_the_same_version_number_with_other_decisions_is_warned_about(tmp_path: Path) -> None:
    status, output = run("diff", write(tmp_path, "a.mmdsl", OLD),
                         write(tmp_path, "b.mmdsl", OLD.replace(">= 65", ">= 60")))
    assert status == 4 and "warning: decisions change but the version is still 1" in output


def test_one_file_at_two_git_revisions(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    table = write(tmp_path, "t.mmdsl", OLD)
    git("add", "t.mmdsl")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    git("tag", "v1")
    write(tmp_path, "t.mmdsl", NEW)
    status, output = run("diff", table, "--from", "v1")
    assert status == 4 and "1 -> 2" in output
    assert run("diff", table, "--from", "v1", "--to", "v1")[0] == 0
    status, output = run("diff", table, "--from", "no-such-revision")
    assert status == 2 and "git cannot show" in output


def test_bad_command_lines_and_broken_tables(tmp_path: Path) -> None:
    old = write(tmp_path, "old.mmdsl", OLD)
    assert run("diff", old)[0] == 2
    assert run("diff", old, old, "--from", "HEAD")[0] == 2
    status, output = run("diff", old, write(tmp_path, "broken.mmdsl", OLD + "table\n"))
    assert status == 1 and "has errors: the versions are not compared" in output


def test_versions_that_no_patient_can_be_compared_across_say_so_and_exit_5(tmp_path: Path) -> None:
    retyped = OLD.replace('input fever: yes/no "fever"', 'input fever: integer 0..1 "fever"').replace(
        "| >= 65 | yes  ||", "| >= 65 | 1    ||")
    status, output = run("diff", write(tmp_path, "a.mmdsl", OLD), write(tmp_path, "b.mmdsl", retyped))
    assert status == 5
    assert "not checked: input fever is yes/no in the old version and integer in the new one" in output
