"""The decision page in a real browser: Debian's headless Chromium driven by Playwright.

Chromium is Debian's package at /usr/bin/chromium (the Makefile's `browser` target installs it);
Playwright never downloads a browser here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

import mmdsl
from tests.serve.conftest import MYELOMA, NAME, ROOT, Server

EXAMPLES = ("tcr_car_t_available", "drd_one_line", "belantamab_continuation")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True,
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)  # the page needs none
    opened = context.new_page()
    yield opened
    context.close()


def mmdsl_eval(facts: dict[str, Any]) -> dict[str, Any]:
    run = subprocess.run([sys.executable, "-c", "from mmdsl.cli import main; main()", "eval",
                          str(MYELOMA), "--facts", "-"], input=json.dumps(facts).encode(),
                         capture_output=True, check=True, cwd=ROOT)
    return dict(json.loads(run.stdout))


def test_three_worked_examples_read_the_options_of_mmdsl_eval(server: Server, page: Page) -> None:
    examples = {e.name: e for e in mmdsl.load(MYELOMA).ir.examples}
    for name in EXAMPLES:
        page.goto(f"{server.url}/guidelines/{NAME}")
        page.click("#presets summary")  # the worked examples, folded away until asked for
        page.click(f"#preset-{name}")  # fills the form in with the example's facts
        page.click("button[type=submit]")
        options = page.locator("ol.options > li.option")
        shown = [(options.nth(i).get_attribute("data-rule"),
                  options.nth(i).locator(".headline").inner_text(),
                  options.nth(i).locator("strong.tier").inner_text())
                 for i in range(options.count())]
        rows = mmdsl_eval(examples[name].facts)["recommendations"]
        assert shown == [(r["rule"], r["regimen"], r["tier"]) for r in rows], name
        assert page.locator("#decision .evidence").first.inner_text().startswith("Evidence: ")


def test_the_form_fields_follow_the_inputs(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/guidelines/{NAME}")
    assert page.locator("input[type=checkbox][name=refractory]").count() == 14
    assert page.locator("input[type=radio][name=t11_14]").count() == 2
    number = page.locator("input[name=prior_lines]")
    assert (number.get_attribute("type"), number.get_attribute("min"), number.get_attribute("max")) == \
        ("number", "0", "30")
    assert "lines" in page.locator("#field-prior_lines").inner_text()
    assert "prior lines of therapy" in page.locator("#field-prior_lines label").inner_text()


def test_an_invalid_value_shows_its_error_at_its_field(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/guidelines/{NAME}?example=tcr_car_t_available")
    page.fill("input[name=prior_lines]", "99")
    page.click("button[type=submit]")
    error = page.locator("#field-prior_lines-error")
    assert error.inner_text() == "expected a whole number from 0 to 30, got 99"
    assert page.locator("input[name=prior_lines]").get_attribute("aria-invalid") == "true"
    assert page.locator("input[name=prior_lines]").input_value() == "99"  # kept as entered
    assert page.locator(".field .error").count() == 1  # only that field
    assert page.locator("#decision").count() == 0
    summary = page.locator("#form-errors a")  # above the form, linked to the field
    assert summary.count() == 1 and summary.get_attribute("href") == "#field-prior_lines"


def test_the_page_runs_under_its_policy_without_violations(server: Server, browser: Browser) -> None:
    context = browser.new_context()
    opened = context.new_page()
    messages: list[str] = []
    opened.on("console", lambda message: messages.append(message.text))
    opened.goto(f"{server.url}/guidelines/{NAME}?example=drd_one_line")
    opened.click("button[type=submit]")
    opened.click("summary")  # the trace, on request
    assert opened.locator("details.trace pre").inner_text().startswith("scope: ")
    assert opened.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") \
        == "rgb(34, 54, 77)"  # the stylesheet loaded under the policy
    context.close()
    assert not [m for m in messages if "Content Security Policy" in m]
