"""The generated module run as a script (issue 14, item 7): standard input or output closed, or a
full disk (/dev/full), give one clear line and exit status 1, never a traceback or exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "generated" / "myeloma_post_daratumumab.py"
FACTS = ROOT / "examples" / "patient.json"


def script(redirections: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", "-c", f"'{sys.executable}' '{MODULE}' {redirections}"],
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=60)


@pytest.mark.parametrize(("redirections", "words"), [
    (f"< '{FACTS}' >&-", "standard output is closed"),
    ("<&- > /dev/null", "standard input is closed"),
    (f"< '{FACTS}' > /dev/full", "cannot write the decision"),
])
def test_an_io_failure_is_one_clear_line(redirections: str, words: str) -> None:
    if "/dev/full" in redirections and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    done = script(redirections)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and words in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
