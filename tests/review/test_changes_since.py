"""`mmdsl docs --since`: the review document says what changed since an earlier version, for the
clinicians who signed it: each change of recommendations with the patients it concerns in
clinical words and an example, and nothing claimed where the comparison did not finish."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from mmdsl.cli import main

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"

OLD = '''guideline triage "Triage"
version "1"
input age: integer 0..120 "age in years"
input fever: yes/no "has a fever"
table advice "Where to be seen"
  hit first
  output action: one of home, clinic
  | age  | fever || action |
  | >= 65 | yes  || clinic |
  | -    | -     || home   |
'''
NEW = OLD.replace('version "1"', 'version "2"').replace(">= 65", ">= 60")


def docs(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["docs", *args])
    return result.exit_code, result.output


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def myeloma_copy(folder: Path, text: str) -> Path:
    """The shipped guideline, edited, beside a copy of its clinical source."""
    shutil.copytree(TABLE.parent / "sources", folder / "sources")
    return write(folder, TABLE.name, text)


def test_a_change_of_recommendations_is_shown_with_its_patients_in_clinical_words(tmp_path: Path) -> None:
    (tmp_path / "now").mkdir()
    text = TABLE.read_text(encoding="utf-8")
    edited, count = re.subn(r"(fact car_t_label_met[^=]*=\s*prior_lines >= )4", r"\g<1>3", text)
    assert count == 1, "the CAR-T label no longer reads `prior_lines >= 4`"
    edited = re.sub(r'^version "([^"]+)"', 'version "9.9.9"', edited, count=1, flags=re.MULTILINE)
    now = myeloma_copy(tmp_path / "now", edited)
    before = write(tmp_path, "signed.mmdsl", text)
    status, output = docs(str(now), "-o", str(tmp_path / "out"), "--since", str(before))
    assert status == 0, output
    markdown = (tmp_path / "out" / f"{TABLE.stem}.md").read_text(encoding="utf-8")
    section = markdown.split("## Changes since version ", 1)[1].split("\n## 1.", 1)[0]
    assert "ide-cel (preferred)" in section and "now offered" in section
    # the table's column (a derived fact whose meaning changed) by its description, not its name
    assert "(as this version defines it)" in section and "car_t_indicated" not in section
    assert "For example:" in section and "Before:" in section and "Now:" in section
    assert "“prior lines of therapy”: 3 lines" in section
    # the summary's checks point to it; the statements changed are in the technical appendix
    assert "Changes since version 1.1.0: " in markdown.split("### Sign-off")[0]
    appendix = markdown.split("Statements changed since version 1.1.0", 1)[1]
    assert "changed fact car_t_label_met" in appendix
    html = (tmp_path / "out" / f"{TABLE.stem}.html").read_text(encoding="utf-8")
    assert '<section id="changes">' in html and "now offered" in html


def test_since_a_git_revision(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    table = write(tmp_path, "t.mmdsl", OLD)
    git("add", "t.mmdsl")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    git("tag", "v1")
    write(tmp_path, "t.mmdsl", NEW)
    status, output = docs(str(table), "-o", str(tmp_path / "out"), "--since", "v1")
    assert status == 0, output
    markdown = (tmp_path / "out" / "t.md").read_text(encoding="utf-8")
    section = markdown.split("## Changes since version 1", 1)[1].split("\n## 1.", 1)[0]
    assert "Where to be seen: home becomes clinic" in section
    assert "“age in years” is from 60 to 64" in section
    assert "“has a fever”" in section
    status, output = docs(str(table), "-o", str(tmp_path / "out"), "--since", "no-such-revision")
    assert status == 2 and "git cannot show" in output


def test_no_change_of_recommendations_is_said_only_when_every_patient_was_compared(tmp_path: Path) -> None:
    table = write(tmp_path, "t.mmdsl", OLD.replace('"Where to be seen"', '"Where to be seen (reworded)"'))
    status, output = docs(str(table), "-o", str(tmp_path / "out"), "--since",
                          str(write(tmp_path, "old.mmdsl", OLD)))
    assert status == 0, output
    markdown = (tmp_path / "out" / "t.md").read_text(encoding="utf-8")
    assert "No patient's recommendations change." in markdown
    appendix = markdown.split("Statements changed since version 1", 1)[1]
    assert "- changed table advice: “Where to be seen”" in appendix


def test_a_comparison_that_cannot_finish_claims_nothing(tmp_path: Path) -> None:
    retyped = OLD.replace('input fever: yes/no "has a fever"', 'input fever: integer 0..1 "has a fever"')
    retyped = retyped.replace("| >= 65 | yes  ||", "| >= 65 | 1    ||")
    table = write(tmp_path, "t.mmdsl", retyped)
    status, output = docs(str(table), "-o", str(tmp_path / "out"), "--since",
                          str(write(tmp_path, "old.mmdsl", OLD)))
    assert status == 0, output
    markdown = (tmp_path / "out" / "t.md").read_text(encoding="utf-8")
    assert "The comparison could not be completed (input fever is yes/no" in markdown
    assert "No patient's recommendations change" not in markdown
    assert "not checked" in markdown.split("### Sign-off")[0]


def test_authored_text_in_a_change_is_escaped(tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    old = OLD.replace("one of home, clinic", "text").replace("|| clinic |", '|| "clinic" |')
    old = old.replace("|| home   |", '|| "home" |')
    new = old.replace('"clinic"', f'"{hostile}"')
    table = write(tmp_path, "t.mmdsl", new)
    earlier = write(tmp_path, "o.mmdsl", old)
    status, output = docs(str(table), "-o", str(tmp_path / "out"), "--since", str(earlier))
    assert status == 0, output
    html = (tmp_path / "out" / "t.html").read_text(encoding="utf-8")
    assert hostile not in html and "&lt;img src=x" in html


def test_without_since_the_document_has_no_such_section(tmp_path: Path) -> None:
    table = write(tmp_path, "t.mmdsl", OLD)
    assert docs(str(table), "-o", str(tmp_path / "out"))[0] == 0
    assert "Changes since" not in (tmp_path / "out" / "t.md").read_text(encoding="utf-8")


def test_since_one_file_needs_one_table(tmp_path: Path) -> None:
    write(tmp_path, "a.mmdsl", OLD)
    write(tmp_path, "b.mmdsl", OLD.replace("guideline triage", "guideline other"))
    status, output = docs(str(tmp_path), "-o", str(tmp_path / "out"), "--since", str(tmp_path / "a.mmdsl"))
    assert status == 2 and "give exactly one table file" in output
