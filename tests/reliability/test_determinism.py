"""The same table files give the same bytes, whoever compiles them, from wherever, however.

`mmdsl compile` and `mmdsl docs` run as the installed program in fresh processes that differ in
PYTHONHASHSEED, working directory, locale, the way the files are named (folder, relative or
absolute paths) and their order; every generated file (module, schema, Markdown and HTML review)
must be identical, and none may hold a path of the machine or a time.
"""

from __future__ import annotations

import datetime
import getpass
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = Path(sys.executable).with_name("mmdsl")
TABLES = [ROOT / "tables" / "myeloma_post_daratumumab.mmdsl",
          ROOT / "tests" / "fixtures" / "cli" / "triage.mmdsl"]


def installed_locales() -> set[str]:
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return set()
    return set(listed.split())


def latin1_locale() -> str | None:
    """An installed ISO-8859-1 locale, if the machine has one (many containers have none)."""
    return next((name for name in sorted(installed_locales())
                 if re.search(r"iso-?8859-?1$", name, re.IGNORECASE)), None)


def compile_all(workdir: Path, out: str, cwd: Path, env: dict[str, str],
                sources: list[str]) -> subprocess.Popen[bytes]:
    script = ("set -e\n"
              f'"{PROGRAM}" compile "$@" -o "{out}"\n'
              f'"{PROGRAM}" docs "$@" -o "{out}/docs"\n')
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    return subprocess.Popen(["sh", "-c", script, "sh", *sources], cwd=cwd,
                            env=environment | env | {"MMDSL_NO_CACHE": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The generated files of each way of compiling, by the name of the way."""
    workdir = tmp_path_factory.mktemp("determinism")
    (workdir / "tables").mkdir()
    for table in TABLES:
        shutil.copy(table, workdir / "tables" / table.name)
    shutil.copytree(ROOT / "tables" / "sources", workdir / "tables" / "sources")  # its source
    shutil.copy(TABLES[1], workdir / "tables" / "triagé.mmdsl")  # a name beyond ASCII
    names = [table.name for table in TABLES] + ["triagé.mmdsl"]
    ways = {
        "folder, C.UTF-8, hash seed 0": (workdir, {"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"},
                                        ["tables/"]),
        "inside the folder, C locale, hash seed 1": (workdir / "tables", {
            "PYTHONHASHSEED": "1", "LC_ALL": "C"}, ["."]),
        "absolute paths in reverse order from /, POSIX, random seed": (Path("/"), {
            "PYTHONHASHSEED": "random", "LANG": "POSIX"},
            [str(workdir / "tables" / name) for name in reversed(names)]),
        "relative files, hash seed 4242, no locale at all": (workdir, {"PYTHONHASHSEED": "4242"},
                                                             [f"tables/{name}" for name in names]),
    }
    if (latin1 := latin1_locale()) is not None:
        ways["Latin-1 locale"] = (workdir, {"LC_ALL": latin1, "PYTHONHASHSEED": "7"}, ["tables"])
    running = {}
    for number, (way, (cwd, env, sources)) in enumerate(ways.items()):
        out = workdir / f"out{number}"
        running[way] = (out, compile_all(workdir, str(out), cwd, env, sources))
    results = {}
    for way, (out, process) in running.items():
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, (way, err.decode("utf-8", "replace"))
        results[way] = outputs(out)
    return results


def test_every_way_of_compiling_gives_the_same_bytes(runs: dict[str, dict[str, bytes]]) -> None:
    first, *others = runs.items()
    assert sorted(first[1]) == sorted(
        f"{folder}{stem}{suffix}" for stem in ("myeloma_post_daratumumab", "triage", "triagé")
        for folder, suffixes in (("", (".py", ".schema.json", ".decision.schema.json")),
                                 ("docs/", (".md", ".html")))
        for suffix in suffixes)
    assert "from triagé.mmdsl." in first[1]["triagé.py"].decode("utf-8")
    for way, files in others:
        different = [name for name in first[1] if files.get(name) != first[1][name]]
        assert sorted(files) == sorted(first[1]) and not different, (way, different)


def test_the_committed_files_are_those_bytes(runs: dict[str, dict[str, bytes]]) -> None:
    files = next(iter(runs.values()))
    for name in ("myeloma_post_daratumumab.py", "myeloma_post_daratumumab.schema.json",
                 "docs/myeloma_post_daratumumab.md", "docs/myeloma_post_daratumumab.html"):
        assert (ROOT / "generated" / name).read_bytes() == files[name], name


def test_a_latin1_locale_was_tried_or_is_not_installed(runs: dict[str, dict[str, bytes]]) -> None:
    assert ("Latin-1 locale" in runs) == (latin1_locale() is not None)


def test_generated_files_hold_no_path_of_the_machine_and_no_time(
        runs: dict[str, dict[str, bytes]], tmp_path_factory: pytest.TempPathFactory) -> None:
    now = datetime.datetime.now()
    forbidden = {str(ROOT), str(tmp_path_factory.getbasetemp()), "/tmp/", str(Path.home()),
                 now.strftime("%Y-%m-%d"), now.strftime("%d/%m/%Y")}
    # a date written in a table (the date of its clinical source) is data, not the time of the run
    forbidden -= {date for table in TABLES
                  for date in re.findall(r'date "([0-9-]+)"', table.read_text(encoding="utf-8"))}
    # a user or host name is looked for as a word, unless it is too short or common to prove anything
    words = [w for w in (getpass.getuser(), socket.gethostname()) if len(w) > 3 and w != "root"]
    for name, data in next(iter(runs.values())).items():
        text = data.decode("utf-8")
        assert not [f for f in forbidden if f and f in text], name
        assert not [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
        assert not re.search(r"\b\d{1,2}:\d{2}:\d{2}\b", text), name  # a time of day
        assert "/home/" not in text and "/Users/" not in text and "C:\\" not in text, name
