"""`mmdsl diff` on edited copies of the myeloma guideline: each edit is reported with its region and
a witness patient whose decision really differs through the generated modules of both versions."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mmdsl.api import compile_text
from mmdsl.backends.python import render_module
from mmdsl.diff.behaviour import clinical_summary
from mmdsl.diff.report import compare
from mmdsl.pipeline import published

TABLE = Path(__file__).resolve().parents[2] / "tables" / "myeloma_post_daratumumab.mmdsl"


def edited(pattern: str, replacement: str, text: str | None = None) -> str:
    source = TABLE.read_text(encoding="utf-8") if text is None else text
    changed, count = re.subn(pattern, replacement, source, count=1, flags=re.MULTILINE)
    assert count == 1, f"the edit {pattern!r} no longer applies to the guideline"
    return changed


def line_limit_changed() -> str:
    """The CAR-T label's 4 prior lines become 3 (as labels moved to earlier lines)."""
    return edited(r"(fact car_t_label_met[^=]*=\s*prior_lines >= )4", r"\g<1>3")


def regimen_removed() -> str:
    """The belantamab continuation row goes (a withdrawn drug), with the notes and quotes on it."""
    text = edited(r"^  \| belantamab_continuation .*\n", "")
    text = re.sub(r",\s*recommendations\.belantamab_continuation\b", "", text)
    text = re.sub(r"\brecommendations\.belantamab_continuation,\s*", "", text)
    return re.sub(r"^(note|quote) \w+ on recommendations\.belantamab_continuation:.*?(?=^\S)", "", text,
                  flags=re.MULTILINE | re.DOTALL)


def rules_reordered() -> str:
    """SKd before SVd: two alternatives of one tier swap places."""
    text = TABLE.read_text(encoding="utf-8")
    svd = re.search(r"^  \| svd .*\n", text, flags=re.MULTILINE)
    skd = re.search(r"^  \| skd .*\n", text, flags=re.MULTILINE)
    assert svd and skd, "the rows svd and skd are no longer in the guideline"
    return text.replace(svd.group(0), "\0").replace(skd.group(0), svd.group(0)).replace("\0", skd.group(0))


def module(text: str, tmp_path: Path, name: str) -> ModuleType:
    path = tmp_path / f"{name}.py"
    path.write_text(render_module(published(compile_text(text, str(TABLE)).ir)), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def regimens(decision: dict[str, Any]) -> list[str]:
    return [row["regimen"] for row in decision.get("recommendations") or []]


@pytest.mark.parametrize(("edit", "kind", "regimen"), [
    (line_limit_changed, "added", "ide-cel"),
    (regimen_removed, "removed", "belantamab-mafodotin"),
    (rules_reordered, "reordered", None),
])
def test_each_edit_is_reported_with_a_witness_that_really_differs(edit: Any, kind: str, regimen: str | None,
                                                                  tmp_path: Path) -> None:
    old_text, new_text = TABLE.read_text(encoding="utf-8"), edit()
    old, new = compile_text(old_text, str(TABLE)).ir, compile_text(new_text, str(TABLE)).ir
    report = compare(old, new)
    assert report.behaviour.unchecked is None
    found = [c for c in report.behaviour.changes if c.delta["change"] == kind
             and (regimen is None or c.delta["row"]["regimen"] == regimen)]
    assert found, [c.delta for c in report.behaviour.changes]
    change = found[0]
    assert change.regions and change.region_total >= 1
    before = module(old_text, tmp_path, "old_version").evaluate(change.witness)
    after = module(new_text, tmp_path, "new_version").evaluate(change.witness)
    assert clinical_summary(old, before) != clinical_summary(new, after)
    if kind == "added":
        assert regimen not in regimens(before) and regimen in regimens(after)
    elif kind == "removed":
        assert regimen in regimens(before) and regimen not in regimens(after)
    else:
        assert sorted(regimens(before)) == sorted(regimens(after)) and regimens(before) != regimens(after)


def test_regions_are_said_in_the_words_of_the_table() -> None:
    """The CAR-T label's line limit changes the meaning of the table's column car_t_indicated: the
    region says so in that column's words, not drug by drug."""
    old = compile_text(TABLE.read_text(encoding="utf-8"), str(TABLE)).ir
    report = compare(old, compile_text(line_limit_changed(), str(TABLE)).ir)
    added = [c for c in report.behaviour.changes if c.delta["change"] == "added"]
    assert added
    assert all(c.regions[0].startswith("car_t_indicated (now) yes") for c in added), added[0].regions


def test_the_statements_that_changed_are_named() -> None:
    old = compile_text(TABLE.read_text(encoding="utf-8"), str(TABLE)).ir
    report = compare(old, compile_text(rules_reordered(), str(TABLE)).ir)
    assert [(s.kind, s.what) for s in report.statements] == [("reordered", "rules of recommendations")]
    assert report.version_unchanged_warning is not None


def test_a_combination_declared_impossible_in_one_version_is_a_change_of_decision() -> None:
    """Facts one version refuses as impossible and the other decides: every such patient is in
    the change (statuses before and after), and the declaration is among the statements."""
    text = TABLE.read_text(encoding="utf-8")
    assert re.search(r"^impossible untreated_refractory\b", text, flags=re.MULTILINE), \
        "the guideline no longer declares untreated_refractory"
    older = re.sub(r"^impossible untreated_refractory\b.*?(?=^\S)", "", text, count=1,
                   flags=re.MULTILINE | re.DOTALL)
    older = re.sub(r"\(impossible combination untreated_refractory\)", "", older)
    old, new = compile_text(older, str(TABLE)).ir, compile_text(text, str(TABLE)).ir
    report = compare(old, new)
    assert ("added", "impossible combination untreated_refractory") in \
        [(s.kind, s.what) for s in report.statements]
    refused = [c for c in report.behaviour.changes if c.delta["change"] == "status"]
    assert len(refused) == 1, [c.delta for c in report.behaviour.changes]
    change = refused[0]
    assert change.delta["after"] == "invalid facts"
    assert change.witness["prior_lines"] == 0 and "daratumumab" in change.witness["refractory"]
    assert change.before["status"] == "ok" and change.after["status"] == "invalid facts"
