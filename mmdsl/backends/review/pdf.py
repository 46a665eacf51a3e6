"""The review document as a PDF, printed from its HTML by headless Chromium (A4, as the HTML's
print style lays it out). Chromium is not a dependency of mmdsl: where it is not installed,
`find_chromium` returns None and `mmdsl docs --pdf` refuses with a message that says so.

The PDF is written whole or not at all (Chromium prints to a temporary file that is then moved).
Its bytes hold a creation time, so unlike the Markdown and HTML it is not compared by `--check`.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from mmdsl.writing import replacing

BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-pdf-header-footer")
CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")


class PdfError(Exception):
    """Chromium failed to print the document; the message says how."""


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: Path, pdf: Path, chromium: str, timeout: float = 120) -> Path:
    """Print `html` to `pdf` with `chromium`, in a fresh profile that is removed afterwards; the
    PDF replaces `pdf` in one step (`writing.replacing`), or nothing is written."""
    with tempfile.TemporaryDirectory(prefix="mmdsl-pdf-") as scratch, replacing(pdf) as temporary:
        command = [chromium, *BROWSER_FLAGS, f"--user-data-dir={Path(scratch) / 'profile'}",
                   f"--print-to-pdf={temporary}", html.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as problem:
            raise PdfError(f"chromium could not print {html}: {problem}") from problem
        if done.returncode != 0 or not temporary.read_bytes().startswith(b"%PDF"):
            raise PdfError(f"chromium could not print {html} (exit {done.returncode}): "
                           f"{done.stderr.strip()[-500:]}")
    return pdf
