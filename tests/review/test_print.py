"""The review document in headless Chromium (Playwright, the system's /usr/bin/chromium; no browser
is downloaded): at 1024 px nothing is wider than the window, it prints to an A4 PDF, and the first
printed page holds the summary and the sign-off block. `mmdsl docs --pdf` prints the same, and
refuses clearly where Chromium is not installed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright import sync_api as playwright

from mmdsl.backends.review import pdf as review_pdf
from mmdsl.commands.docs import docs
from tests.review.support import compiled, demo, demo_results
from tests.review.test_signing import html as myeloma_html
from tests.review.test_signing import markdown as myeloma_markdown

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
A4_CONTENT = (182, 273)  # mm: A4 less the print style's margins (14 mm sides, 12 mm top and bottom)
PX_PER_MM = 96 / 25.4

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > width + 0.5 || box.right > width + 0.5;
  }).map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || '').slice(0, 60));
  return {scroll: document.documentElement.scrollWidth, client: width, wide: wide.slice(0, 10)};
}"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed; install it with `apt-get install -y chromium`")
    with playwright.sync_playwright() as driver:
        profile = tmp_path_factory.mktemp("profile")
        context = driver.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": 1024, "height": 800})
        yield context
        context.close()


def page_of(browser: object, html: str, folder: Path) -> object:
    path = folder / "review.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(path.as_uri())
    return page


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


@pytest.mark.parametrize("which", ["myeloma", "demo", "hostile"])
def test_nothing_is_wider_than_a_1024_px_window(which: str, browser: object, tmp_path: Path) -> None:
    from mmdsl.backends.review import render_html
    from tests.review.support import HOSTILE

    html = {"myeloma": myeloma_html, "demo": lambda: render_html(demo(), demo_results()),
            "hostile": lambda: render_html(compiled(HOSTILE), None)}[which]()
    page = page_of(browser, html, tmp_path)
    found = page.evaluate(OVERFLOW)  # type: ignore[attr-defined]
    assert found["scroll"] <= found["client"] == 1024, found
    assert found["wide"] == [], found


def test_the_overflow_check_sees_an_unbreakable_line(browser: object, tmp_path: Path) -> None:
    # the old review's table as one 330-character code block: the check must catch it
    wide = myeloma_html().replace("</main>", f"<pre>{'x' * 330}</pre></main>")
    page = page_of(browser, wide.replace("pre {", "pre-nothing {"), tmp_path)
    found = page.evaluate(OVERFLOW)  # type: ignore[attr-defined]
    assert found["scroll"] > found["client"] or found["wide"]


def test_it_prints_to_an_a4_pdf(browser: object, tmp_path: Path) -> None:
    page = page_of(browser, myeloma_html(), tmp_path)
    data = page.pdf(format="A4", print_background=True)  # type: ignore[attr-defined]
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) > 5
    assert b"/MediaBox [0 0 595" in data or b"/MediaBox[0 0 595" in data  # A4: 595 x 842 points


def test_the_first_printed_page_holds_the_summary_and_the_sign_off(browser: object, tmp_path: Path) -> None:
    page = page_of(browser, myeloma_html(), tmp_path)
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    width, height = (round(mm * PX_PER_MM) for mm in A4_CONTENT)
    page.set_viewport_size({"width": width, "height": height})  # type: ignore[attr-defined]
    bottom = page.evaluate(  # type: ignore[attr-defined]
        "document.querySelector('#sign-off').getBoundingClientRect().bottom + scrollY")
    assert bottom <= height, f"the sign-off block ends at {bottom} px, below the first page ({height} px)"
    assert "Second reviewer" in myeloma_markdown()


def test_mmdsl_docs_pdf_writes_a_pdf_beside_the_html(tmp_path: Path) -> None:
    table = Path(__file__).resolve().parents[1] / "fixtures" / "review" / "anticoagulation_demo.mmdsl"
    done = CliRunner().invoke(docs, ["--pdf", str(table), "-o", str(tmp_path)])
    assert done.exit_code == 0, done.output
    pdf = tmp_path / "anticoagulation_demo.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf_pages(pdf.read_bytes()) >= 1
    assert not list(tmp_path.glob(".*.tmp"))


def test_mmdsl_docs_pdf_refuses_clearly_without_chromium(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review_pdf, "find_chromium", lambda: None)
    table = Path(__file__).resolve().parents[1] / "fixtures" / "review" / "anticoagulation_demo.mmdsl"
    done = CliRunner().invoke(docs, ["--pdf", str(table), "-o", str(tmp_path)])
    assert done.exit_code == 2
    assert "needs headless Chromium" in done.output and "chromium" in done.output
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_failed_print_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(review_pdf.PdfError, match="could not print"):
        review_pdf.print_pdf(page, tmp_path / "review.pdf", "/bin/false")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.html"]
