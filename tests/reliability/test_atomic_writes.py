"""No lost or half-written files: every output is the old file or the new one, never a mix.

Every command that writes goes through `mmdsl/writing.py` (a temporary file beside the target,
renamed into place); a compile that fails, or whose rendering fails, leaves every previous
output untouched; `--check` writes (and deletes) nothing; a compile killed at any moment leaves
each file whole, and the temporary files a killed process could not remove are removed by the
next run.
"""

from __future__ import annotations

import ast
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmdsl.cli import main
from mmdsl.writing import remove_stale_temporaries, replacing, write_atomically

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = Path(sys.executable).with_name("mmdsl")
TRIAGE = ROOT / "tests" / "fixtures" / "cli" / "triage.mmdsl"

# ---- every writer goes through writing.py ---------------------------------------------------------

WRITING_METHODS = {"write_text", "write_bytes", "mkstemp", "mkdtemp", "NamedTemporaryFile",
                   "write_table", "copyfile", "copy2", "copytree"}
WRITING_FUNCTIONS = {"os.replace", "os.rename", "os.link", "os.symlink", "shutil.move",
                     "shutil.copy"}


def writes_in(path: Path) -> list[str]:
    """Calls in a module that write, move or open for writing files by themselves (those inside
    `with replacing(...)` write the temporary file that writing.py gives them, and are fine)."""
    tree = ast.parse(path.read_text("utf-8"))
    inside = {id(node) for block in ast.walk(tree) if isinstance(block, ast.With)
              and any(ast.unparse(item.context_expr).startswith("replacing(") for item in block.items)
              for part in [*block.body, *(item.context_expr for item in block.items)]
              for node in ast.walk(part)}
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return [f"{shown}:{node.lineno}: {ast.unparse(node)[:80]}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and id(node) not in inside and _writes(node)]


def _writes(call: ast.Call) -> bool:
    target = ast.unparse(call.func)
    method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    path_move = (method in ("rename", "replace") and len(call.args) == 1 and not call.keywords
                 and not target.startswith("dataclasses."))  # Path.rename and Path.replace
    return (method in WRITING_METHODS or target in WRITING_FUNCTIONS or path_move
            or _opens_for_writing(call))


def _opens_for_writing(call: ast.Call) -> bool:
    name = ast.unparse(call.func)
    if not (name in ("open", "os.fdopen", "io.open") or name.endswith(".open")):
        return False
    position = 0 if name.endswith(".open") else 1  # Path.open(mode), open(file, mode)
    modes = [*call.args[position:position + 1], *(k.value for k in call.keywords if k.arg == "mode")]
    return any(isinstance(m, ast.Constant) and isinstance(m.value, str) and bool(set(m.value) & set("wax+"))
               for m in modes)


def test_every_writer_goes_through_writing_py() -> None:
    """fmt, compile, docs, export, import, cohort, the compile cache: all of them. (A writer of
    its own would be a place where a half-written file can appear.)"""
    modules = sorted((ROOT / "mmdsl").rglob("*.py"))
    found = [line for path in modules if path.name != "writing.py" for line in writes_in(path)]
    assert found == [], "write through mmdsl.writing (write_atomically or replacing):\n" + "\n".join(found)


def test_the_scan_finds_a_writer_of_its_own(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("from pathlib import Path\nPath('x').write_text('y')\n"
                      "open('z', 'w')\nimport os\nos.replace('a', 'b')\nPath('p').open('ab')\n"
                      "Path('q').replace(Path('r'))\nwith replacing(Path('s')) as t:\n"
                      "    t.write_text('fine')\n")
    assert len(writes_in(module)) == 5


# ---- failures leave the previous outputs ---------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file below `folder` (hidden ones too): bytes, modification time, inode."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "tables").mkdir()
    shutil.copy(TRIAGE, tmp_path / "tables" / "triage.mmdsl")
    shutil.copy(ROOT / "tables" / "myeloma_post_daratumumab.mmdsl", tmp_path / "tables")
    shutil.copytree(ROOT / "tables" / "sources", tmp_path / "tables" / "sources")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def mmdsl(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_compile_with_errors_leaves_every_previous_output(workdir: Path) -> None:
    assert mmdsl("compile", "tables/", "-o", "out")[0] == 0
    before = snapshot(workdir / "out")
    edit(workdir / "tables" / "triage.mmdsl", 'version "', 'version broken "')
    status, output = mmdsl("compile", "tables/", "-o", "out")
    assert status == 1 and "left as it was" in output
    assert snapshot(workdir / "out") == before


def test_a_failure_while_rendering_writes_no_file_at_all(workdir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The myeloma module could be written before the triage schema fails to render: it is not,
    since every text is made before the first file is written."""
    assert mmdsl("compile", "tables/", "-o", "out")[0] == 0
    before = snapshot(workdir / "out")
    for table in ("triage.mmdsl", "myeloma_post_daratumumab.mmdsl"):
        edit(workdir / "tables" / table, 'version "', 'version "new ')

    def broken(guideline: object) -> str:
        raise RuntimeError("the disk is full of schemas")

    monkeypatch.setattr("mmdsl.backends.schema.facts.render_schema", broken)
    status, output = mmdsl("compile", "tables/", "-o", "out")
    assert status == 1 and "internal error" in output
    assert snapshot(workdir / "out") == before


@pytest.mark.parametrize("command", ["compile", "docs"])
@pytest.mark.parametrize("state", ["fresh", "stale", "missing files", "no folder"])
def test_check_writes_and_removes_nothing(workdir: Path, command: str, state: str) -> None:
    out = workdir / "out"
    if state != "no folder":
        assert mmdsl(command, "tables/", "-o", str(out))[0] == 0
        (out / ".triage.py.999999999.dead.tmp").write_text("left by a killed run")
    if state == "stale":
        edit(workdir / "tables" / "triage.mmdsl", 'version "', 'version "new ')
    if state == "missing files":
        for path in list(out.iterdir())[:2]:
            path.unlink()
    before = snapshot(workdir)
    status, _ = mmdsl(command, "--check", "tables/", "-o", str(out))
    assert status == (0 if state == "fresh" else 1)
    assert snapshot(workdir) == before
    assert out.exists() == (state != "no folder")


# ---- temporary files --------------------------------------------------------------------------------


def a_dead_pid() -> int:
    """The process id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporary_files_are_hidden_beside_their_target_and_named_by_their_writer(tmp_path: Path) -> None:
    target = tmp_path / "module.py"
    with replacing(target) as temporary:
        assert temporary.parent == tmp_path
        assert temporary.name.startswith(f".module.py.{os.getpid()}.")
        assert temporary.name.endswith(".tmp")
        temporary.write_text("new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["module.py"]


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "decisions.parquet"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("the query failed")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["decisions.parquet"]


def test_only_the_temporary_files_of_ended_writers_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "module.py"
    dead, alive = a_dead_pid(), os.getppid()
    names = [f".module.py.{dead}.abc.tmp", f".module.py.{alive}.abc.tmp", f".module.py.{dead}.tmp",
             f".other.py.{dead}.abc.tmp", f".module.py.x{dead}.abc.tmp", "module.py"]
    for name in names:
        (tmp_path / name).write_text("x")
    removed = remove_stale_temporaries(target)
    assert [p.name for p in removed] == [f".module.py.{dead}.abc.tmp"]
    assert sorted(os.listdir(tmp_path)) == sorted(names[1:])


@pytest.mark.parametrize("command", ["compile", "docs"])
def test_the_next_run_removes_what_a_killed_run_left(workdir: Path, command: str) -> None:
    out = workdir / "out" if command == "compile" else workdir / "out" / "docs"
    assert mmdsl(command, "tables/", "-o", str(out))[0] == 0
    dead = a_dead_pid()
    left = out / f".triage.{'py' if command == 'compile' else 'md'}.{dead}.k1ll3d.tmp"
    left.write_text("half a file")
    assert mmdsl(command, "tables/", "-o", str(out))[0] == 0  # up to date: nothing to write
    assert not left.exists()


# ---- killed at any moment ----------------------------------------------------------------------------

BIG_TEXT = "the description of a long guideline " * 40_000  # 1.4 MB in the module and the schema


def big_table(version: str) -> str:
    text = TRIAGE.read_text("utf-8")
    title = text.split("\n", 1)[0]
    return text.replace(title, f'{title.rsplit(" ", 1)[0]} "{BIG_TEXT}{version}"', 1)


def killer(process: subprocess.Popen[bytes], out: Path, targets: list[Path],
           stop: threading.Event) -> None:
    """SIGKILL the process at the first sign of writing: a temporary file, or a target changing."""
    def state() -> list[tuple[int, int] | None]:
        return [(s.st_size, s.st_mtime_ns) if (s := _stat(t)) else None for t in targets]

    first = state()
    while not stop.is_set() and process.poll() is None:
        if state() != first or any(n.startswith(".") for n in os.listdir(out)):
            process.send_signal(signal.SIGKILL)
            return
        time.sleep(0.0002)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def test_a_compile_killed_at_any_moment_leaves_every_file_whole(tmp_path: Path) -> None:
    table = tmp_path / "tables" / "triage.mmdsl"
    table.parent.mkdir()
    expected = {}
    for version in ("old", "new"):  # what compile writes for each version, compiled elsewhere
        table.write_text(big_table(version), "utf-8")
        assert subprocess.run([str(PROGRAM), "compile", str(table), "-o", str(tmp_path / version)],
                              capture_output=True, timeout=120).returncode == 0
        expected[version] = {p.name: p.read_bytes() for p in (tmp_path / version).iterdir()}
    assert expected["old"] != expected["new"]
    started = time.monotonic()
    subprocess.run([str(PROGRAM), "compile", str(table), "-o", str(tmp_path / "timing")],
                   capture_output=True, timeout=120)
    duration = time.monotonic() - started
    out = tmp_path / "out"
    shutil.copytree(tmp_path / "old", out)
    targets = [out / name for name in expected["new"]]
    rng = random.Random(5)
    kills = 0
    for attempt in range(8):
        process = subprocess.Popen([str(PROGRAM), "compile", str(table), "-o", str(out)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop = threading.Event()
        if attempt % 2 == 0:  # at the first sign of writing
            watcher = threading.Thread(target=killer, args=(process, out, targets, stop))
            watcher.start()
            process.wait(timeout=120)
            stop.set()
            watcher.join()
        else:  # at a random moment
            time.sleep(rng.uniform(0.1, 0.9) * duration)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=120)
        kills += process.returncode == -signal.SIGKILL
        for name in expected["new"]:
            data = (out / name).read_bytes()
            assert data in (expected["old"][name], expected["new"][name]), (attempt, name, len(data))
        if attempt == 3:  # some files may be new already: put the old ones back
            for name, data in expected["old"].items():
                (out / name).write_bytes(data)
    assert kills >= 4
    done = subprocess.run([str(PROGRAM), "compile", str(table), "-o", str(out)], capture_output=True,
                          timeout=120)
    assert done.returncode == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == expected["new"]  # no temporary left


def test_write_atomically_still_writes_plain_text(tmp_path: Path) -> None:
    write_atomically(tmp_path / "a" / "b.txt", "é\n")
    assert (tmp_path / "a" / "b.txt").read_bytes() == "é\n".encode()
