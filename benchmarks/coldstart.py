"""Cold start: importing a generated module in a fresh interpreter, `mmdsl --help`, `mmdsl eval`."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IMPORT = """import time
started = time.perf_counter()
import importlib.util
spec = importlib.util.spec_from_file_location("guideline", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(time.perf_counter() - started)
"""


def _deployed(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of an installed program: bytecode cached. With PYTHONDONTWRITEBYTECODE set
    (as in some shells and containers) a source tree without __pycache__ compiles every module of
    mmdsl on every run, which an installed package (whose bytecode pip writes) never does."""
    deployed = dict(os.environ if env is None else env)
    deployed.pop("PYTHONDONTWRITEBYTECODE", None)
    return deployed


def _wall(command: list[str], repeats: int, cwd: Path, env: dict[str, str] | None = None
          ) -> list[float]:
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=True, timeout=120,
                       env=_deployed(env))
        runs.append(time.perf_counter() - started)
    return runs


def import_times(module: Path, repeats: int = 9) -> dict[str, float]:
    """Seconds to import the module inside a fresh interpreter: the first time (bytecode
    compiled) and then with its bytecode cached, as a deployed module is."""
    cache = module.parent / "__pycache__"
    for stale in cache.glob(f"{module.stem}.*.pyc") if cache.exists() else []:
        stale.unlink()
    code = IMPORT.format(path=str(module))
    first = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True, timeout=120, env=_deployed()).stdout)
    warm = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True, timeout=120, env=_deployed()).stdout)
            for _ in range(repeats)]
    interpreter = _wall([sys.executable, "-c", "pass"], repeats, module.parent)
    return {"first import (compiles bytecode)": first, "import": statistics.median(warm),
            "python -c pass (interpreter start, for scale)": statistics.median(interpreter)}


def cli_times(root: Path, table: Path, facts: Path, repeats: int = 7) -> dict[str, float]:
    """`mmdsl --help`; `mmdsl eval` with the table compiled before (mmdsl/compile_cache.py), as
    every call after the first; and with an empty compile cache (parse, check, verify)."""
    mmdsl = str(Path(sys.executable).with_name("mmdsl"))
    command = [mmdsl, "eval", str(table), "--facts", str(facts)]
    _wall([mmdsl, "--help"], 1, root)  # writes the bytecode of every command's module
    with tempfile.TemporaryDirectory() as folder:
        cached = os.environ | {"MMDSL_CACHE_DIR": folder}
        _wall(command, 1, root, cached)  # fills the cache, warms the disk cache
        hits = _wall(command, repeats, root, cached)
    misses = _wall(command, max(3, repeats // 2), root, os.environ | {"MMDSL_NO_CACHE": "1"})
    return {
        "mmdsl --help": statistics.median(_wall([mmdsl, "--help"], repeats, root)),
        "mmdsl eval (one patient)": statistics.median(hits),
        "mmdsl eval, compile cache empty (parse, check, verify)": statistics.median(misses),
    }


PARTS = """import os, sys, time
clock = time.process_time
started = clock()
import click
clicked = clock()
import mmdsl.ir.model
classes = clock()
from mmdsl.cli import main
sys.stdout = open(os.devnull, "w")
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write(f"{clicked - started} {classes - clicked} {clock() - started}")
"""


def eval_parts(root: Path, table: Path, facts: Path, repeats: int = 7) -> dict[str, float]:
    """What the start of `mmdsl eval` (compile cache warm) is spent on, in CPU seconds inside the
    process once the interpreter runs, the least of `repeats` runs: click, the IR's classes
    (mmdsl/ir/model.py: frozen dataclasses, whose methods Python compiles at import), the rest."""
    command = [sys.executable, "-c", PARTS, "eval", str(table), "--facts", str(facts)]
    with tempfile.TemporaryDirectory() as folder:
        env = _deployed(os.environ | {"MMDSL_CACHE_DIR": folder})
        runs = [[float(x) for x in subprocess.run(command, cwd=root, env=env, capture_output=True,
                                                  text=True, check=True, timeout=120
                                                  ).stderr.split()]
                for _ in range(repeats + 1)][1:]  # the first fills the cache
    click_import, classes, total = (min(run[i] for run in runs) for i in range(3))
    return {"of mmdsl eval (CPU, after the interpreter starts): import click": click_import,
            "of mmdsl eval: import of the IR classes (mmdsl.ir.model)": classes,
            "of mmdsl eval: all the rest (cache, interpreter, decision)": total - click_import - classes}


def main() -> None:
    """`python -m benchmarks.coldstart [REPEATS]`: the cold-start rows alone, measured as `make
    bench` measures them (which writes them to RESULTS.md), printed in milliseconds."""
    from benchmarks import single
    from mmdsl.backends.python import render_module

    root = Path(__file__).resolve().parents[1]
    table = Path("tables/myeloma_post_daratumumab.mmdsl")
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / "myeloma_post_daratumumab.py"
        guideline, _ = single.load_guideline(root / table)
        module.write_text(render_module(guideline), "utf-8")
        facts = Path("examples/patient.json")
        times = {**import_times(module, max(repeats, 9)), **cli_times(root, table, facts, repeats),
                 **eval_parts(root, table, facts, repeats)}
    for what, seconds in times.items():
        print(f"{what}: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
