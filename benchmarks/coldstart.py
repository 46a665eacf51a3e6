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


def _wall(command: list[str], repeats: int, cwd: Path, env: dict[str, str] | None = None
          ) -> list[float]:
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=True, timeout=120, env=env)
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
                                 check=True, timeout=120).stdout)
    warm = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True, timeout=120).stdout) for _ in range(repeats)]
    interpreter = _wall([sys.executable, "-c", "pass"], repeats, module.parent)
    return {"first import (compiles bytecode)": first, "import": statistics.median(warm),
            "python -c pass (interpreter start, for scale)": statistics.median(interpreter)}


def cli_times(root: Path, table: Path, facts: Path, repeats: int = 7) -> dict[str, float]:
    """`mmdsl --help`; `mmdsl eval` with the table compiled before (mmdsl/compile_cache.py), as
    every call after the first; and with an empty compile cache (parse, check, verify)."""
    mmdsl = str(Path(sys.executable).with_name("mmdsl"))
    command = [mmdsl, "eval", str(table), "--facts", str(facts)]
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
