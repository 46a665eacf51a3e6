"""The slim install of issue 19: what `make demo` installs, measured.

A fresh virtual environment is made and the package installed exactly as the Makefile's demo
target does (`python -m venv`, `pip install --upgrade pip`, `pip install -e .`), the demo run in
it (`mmdsl compile tables/` and `mmdsl eval` of the example patient), and the environment's size
on disk summed, with its largest packages: what the < 150 MB target is held against.

    python -m benchmarks.install    # alone: prints the size and the largest packages
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 150.0


def size_on_disk(path: Path) -> int:
    """Bytes of the regular files under `path` (symbolic links not followed, not counted)."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            item = Path(folder) / name
            if not item.is_symlink():
                total += item.stat().st_size
    return total


def _run(command: list[str], cwd: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900,
                          check=False, env=env)  # only what the new environment holds
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: "
                           f"{(done.stderr or done.stdout).strip()[-400:]}")


def slim_install(root: Path = ROOT, python: str = sys.executable) -> dict[str, Any]:
    """Size (MB) of the environment `make demo` builds, whether the demo ran in it, and the
    largest entries of its site-packages (MB)."""
    with tempfile.TemporaryDirectory(prefix="mmdsl-slim-") as temporary:
        venv = Path(temporary) / "venv"
        started = time.perf_counter()
        _run([python, "-m", "venv", str(venv)], root)
        bin_dir = venv / "bin"
        _run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], root)
        _run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "-e", str(root)], root)
        seconds = time.perf_counter() - started
        _run([str(bin_dir / "mmdsl"), "compile", "tables/", "-o", str(Path(temporary) / "out")], root)
        _run([str(bin_dir / "mmdsl"), "eval", "tables/myeloma_post_daratumumab.mmdsl", "--facts",
              "examples/patient.json"], root)
        packages = next(venv.glob("lib/python*/site-packages"))
        largest = sorted(((size_on_disk(p) if p.is_dir() else p.stat().st_size, p.name)
                          for p in packages.iterdir()), reverse=True)[:8]
        return {"megabytes": size_on_disk(venv) / 1e6, "install seconds": seconds,
                "demo": "ran (compile tables/, eval of examples/patient.json)",
                "largest": [(name, size / 1e6) for size, name in largest]}


if __name__ == "__main__":
    found = slim_install()
    print(f"{found['megabytes']:.1f} MB (target < {TARGET_MB:.0f} MB); demo {found['demo']}")
    for name, megabytes in found["largest"]:
        print(f"  {name}: {megabytes:.1f} MB")
