"""The HTML report in a real browser: headless Chromium (Debian's ``chromium`` and ``chromium-driver``).

Loads the seeds' report and a report of hostile article text, checks that the browser logs no error,
that nothing from an article ran, that every fact has its section and plot, and takes a screenshot.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from reconcile.config import Config
from reconcile.pipeline import run
from reconcile.render import render_text
from reconcile.report import build_record

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (it is in requirements.lock)")

if os.environ.get("RECONCILE_REQUIRE_BROWSER") and not (CHROMIUM and CHROMEDRIVER):
    raise RuntimeError("RECONCILE_REQUIRE_BROWSER is set but chromium or chromedriver is missing")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="headless Chromium is not installed: sudo apt-get install chromium chromium-driver (CI installs it)",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-extensions", "--window-size=1400,2000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _load(browser, path: Path) -> list[dict]:
    browser.get_log("browser")  # drop what an earlier page logged
    browser.get(path.resolve().as_uri())
    return [e for e in browser.get_log("browser") if e.get("level") in ("SEVERE", "ERROR")]


def test_seeds_report_renders_without_errors(browser, seeds_result, tmp_path):
    from selenium.webdriver.common.by import By

    record = build_record(seeds_result)
    page = tmp_path / "seeds.html"
    page.write_text(render_text(record, "html"), encoding="utf-8")
    errors = _load(browser, page)
    assert errors == []
    assert "reconcile report" in browser.title or browser.find_element(By.TAG_NAME, "h1").text == "reconcile report"
    status = browser.find_element(By.CSS_SELECTOR, ".status").text
    assert "conflict" in status.lower() or "facts" in status.lower()
    sections = browser.find_elements(By.CSS_SELECTOR, "section[id]")
    assert len(sections) == len(record["facts"])
    multi = [f for f in record["facts"] if len(f["claims"]) > 1]
    plots = browser.find_elements(By.CSS_SELECTOR, "section[id] svg")
    assert len(plots) == len(multi)  # no chart for a single figure
    # the plots are laid out: each has a real size on the page
    assert all(p.size["width"] > 100 and p.size["height"] > 20 for p in plots)
    # the overview of contested facts comes first, each row linking to its fact's section
    overview = browser.find_element(By.CSS_SELECTOR, "table.overview")
    assert overview.location["y"] < sections[0].location["y"]
    contested = [f for f in record["facts"] if f["verdict"] in ("conflict", "update", "scope")]
    links = overview.find_elements(By.CSS_SELECTOR, "a[href^='#']")
    assert [a.get_attribute("href").split("#")[1] for a in links] == [f["id"] for f in contested]
    assert all(browser.find_elements(By.ID, a.get_attribute("href").split("#")[1]) for a in links)
    # every chart has a legend of source colours, visible beside it
    legends = browser.find_elements(By.CSS_SELECTOR, "section[id] ul.legend")
    assert len(legends) == len(plots)
    swatches = legends[0].find_elements(By.CSS_SELECTOR, ".swatch")
    assert swatches and all(s.is_displayed() and s.size["width"] > 5 for s in swatches)
    assert len({s.value_of_css_property("background-color") for s in swatches if "hollow" not in
                s.get_attribute("class")}) == len([s for s in swatches if "hollow" not in s.get_attribute("class")])
    assert "[2][" not in browser.find_element(By.TAG_NAME, "body").text
    browser.set_window_size(1400, 2000)
    assert browser.execute_script("return window.innerWidth") >= 1300
    shot = tmp_path / "seeds.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    assert int.from_bytes(data[16:20], "big") >= 1300  # the screenshot is as wide as the window


def test_hostile_article_text_cannot_run(browser, tmp_path):
    from selenium.webdriver.common.by import By

    art = tmp_path / "evil.txt"
    art.write_text(
        "Russland schickte 1.000 Soldaten <script>window.__pwned = 1</script> nach Kursk, "
        "sagte <img src=x onerror=\"window.__pwned = 2\"> Selenskyj.\n"
        "Laut <svg onload=\"window.__pwned = 3\"> Tass waren es 1.200 Soldaten.\n", encoding="utf-8")
    page = tmp_path / "evil.html"
    page.write_text(render_text(build_record(run([str(art)], Config())), "html"), encoding="utf-8")
    errors = _load(browser, page)
    assert errors == []
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.find_elements(By.CSS_SELECTOR, "img") == []
    assert "<script>" in browser.find_element(By.TAG_NAME, "body").text


def test_the_console_check_sees_errors(browser, tmp_path):
    """A control: a page that does log an error is caught, so the checks above can fail."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>throw new Error('boom')</script></body></html>")
    errors = _load(browser, page)
    deadline = time.monotonic() + 15  # under load the console entry can arrive after get() returns
    while not any("boom" in e.get("message", "") for e in errors) and time.monotonic() < deadline:
        time.sleep(0.2)
        errors += [e for e in browser.get_log("browser") if e.get("level") in ("SEVERE", "ERROR")]
    assert any("boom" in e.get("message", "") for e in errors)
