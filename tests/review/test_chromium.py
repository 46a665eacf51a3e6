"""The HTML review in a real browser: headless Chromium loads it, finds every section, logs no
console message, and takes a screenshot for people to look at.

Chromium is required, not optional: the Makefile installs it (Debian's `chromium` package), and a
missing browser fails this test rather than skipping it, so that CI cannot pass without it.
Set MMDSL_SCREENSHOT_DIR to keep the screenshots (`<name>.png`); by default they go to a
temporary folder.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mmdsl.backends.review import render_html
from mmdsl.backends.review.build import build_review
from mmdsl.examples import ExampleOutcome
from mmdsl.ir.model import IRGuideline
from tests.review.support import HOSTILE, compiled, demo, demo_results

SECTIONS = ["summary", "sign-off", "recommendations", "inputs", "bibliography", "warnings", "notes",
            "not-covered", "examples", "only-option", "traceability", "technical", "scope", "facts", "tables"]
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
WINDOW = (1280, 4000)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed; install it with `apt-get install -y chromium` "
                    "(the Makefile's test target does)")
    return found


def run_chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [chromium(), *BROWSER_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def console_messages(stderr: str) -> list[str]:
    """What the page said on its console (errors, CSP violations, uncaught exceptions)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.counts: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1
        self.ids |= {value for name, value in attrs if name == "id" and value}


def page_for(guideline: IRGuideline, results: tuple[ExampleOutcome, ...] | None, folder: Path) -> Path:
    page = folder / f"{Path(guideline.source_path).stem}.html"
    page.write_text(render_html(guideline, results), encoding="utf-8")
    return page


def screenshot_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("MMDSL_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("which", ["demo", "hostile"])
def test_the_browser_shows_every_section_and_logs_nothing(which: str, tmp_path: Path) -> None:
    guideline, results = (demo(), demo_results()) if which == "demo" else (compiled(HOSTILE), None)
    page = page_for(guideline, results, tmp_path)
    done = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert console_messages(done.stderr) == []
    dom = Elements()
    dom.feed(done.stdout)
    assert set(SECTIONS) <= dom.ids
    assert dom.counts.get("script", 0) == 0 and dom.counts.get("img", 0) == 0
    document = build_review(guideline)
    assert dom.counts.get("pre", 0) == 0  # the tables as written are tables, not code blocks
    assert {rule.anchor for table in document.tables for rule in table.rules} <= dom.ids
    assert dom.counts["table"] >= 4 + len(document.tables) * 2
    assert {r.anchor for r in document.recommendations} <= dom.ids


def test_a_screenshot_of_the_review(tmp_path: Path) -> None:
    page = page_for(demo(), demo_results(), tmp_path)
    shot = screenshot_folder(tmp_path) / f"{page.stem}.png"
    done = run_chromium(page, tmp_path / "profile", f"--screenshot={shot}",
                        f"--window-size={WINDOW[0]},{WINDOW[1]}")
    assert console_messages(done.stderr) == []
    assert png_size(shot) == WINDOW
    assert distinct_bytes(shot) > 16, "the screenshot is blank"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def distinct_bytes(path: Path) -> int:
    """How many different byte values the image's pixel data holds: a blank page has very few."""
    data, position, pixels = path.read_bytes(), 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        if kind == b"IDAT":
            pixels += data[position + 8:position + 8 + length]
        position += 12 + length
    return len(set(zlib.decompress(pixels)))
