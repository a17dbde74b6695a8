"""A real browser on the web app: headless Chromium (Debian's chromium + chromium-driver).

Loads the claims page, filters by verdict, labels with the keyboard on the table and on a
claim's page, and finds the labels on the agreement page. Screenshots of the main pages go to
``screenshots/`` (git-ignored). Skipped, saying why, when Chromium or its driver is missing;
``.ci/run`` installs both.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, _settings_in

SHOTS = ROOT / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
]

pytestmark = pytest.mark.slow


def _browser_binaries() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip(
            "needs Debian's chromium and chromium-driver (apt-get install chromium "
            "chromium-driver; .ci/run does)"
        )
    pytest.importorskip("selenium", reason="needs selenium (pip install -e '.[test]')")
    return chromium, driver


@pytest.fixture(scope="module")
def server(small_run, tmp_path_factory):
    """The web app on a copy of the report's database, served by uvicorn on a free port."""
    import uvicorn

    from synth.web import create_app

    settings, _, result = small_run
    folder = tmp_path_factory.mktemp("browser")
    copy = _settings_in(folder)
    source = sqlite3.connect(settings.resolved_database_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(copy.resolved_database_url.removeprefix("sqlite:///"))
    source.backup(target)  # labels written here must not reach the shared fixture's database
    source.close()
    target.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(copy), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", result
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, driver_path = _browser_binaries()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def _shot(driver, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def test_filter_open_label_and_see_agreement(browser, server):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, result = server
    # A label swaps fresh HTML into the page; an element found just before the swap goes
    # stale, so the waits look again instead of failing on the race.
    wait = WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))
    verdict = result.verdicts[0].verdict  # a verdict the run certainly has
    value = {"SUPPORTED": "supported", "REFUTED": "refuted", "NOT_ENOUGH_INFO": "nei"}[verdict]

    browser.get(f"{base}/runs")
    _shot(browser, "runs")
    browser.get(f"{base}/runs/{result.run.run_id}")
    _shot(browser, "run")
    browser.get(f"{base}/papers/{result.papers[0].arxiv_id}")
    _shot(browser, "paper")

    browser.get(f"{base}/claims")
    Select(browser.find_element(By.NAME, "verdict")).select_by_value(value)
    browser.find_element(By.CSS_SELECTOR, "#filters button").click()
    wait.until(ec.url_contains(f"verdict={value}"))
    shown = browser.find_elements(By.CSS_SELECTOR, "#claims tbody td.v .verdict")
    assert shown and {e.get_attribute("class").split()[-1] for e in shown} == {verdict}
    _shot(browser, "claims")

    # On the table: j moves to the second row, 1 labels it supported without leaving the page.
    rows = browser.find_elements(By.CSS_SELECTOR, "#claims tbody tr[data-claim-id]")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    body.send_keys("1")
    if len(rows) > 1:
        second = "#claims tbody tr[data-claim-id]:nth-of-type(2) td.human"
        wait.until(lambda d: "supported" in d.find_element(By.CSS_SELECTOR, second).text)

    # Open the first claim and label it refuted with the key 2.
    claim_id = rows[0].get_attribute("data-claim-id")
    rows[0].find_element(By.CSS_SELECTOR, "td.text a").click()
    wait.until(ec.url_contains(f"/claims/{claim_id}"))
    assert browser.find_elements(By.CSS_SELECTOR, ".evidence mark")
    browser.find_element(By.TAG_NAME, "body").send_keys("2")
    wait.until(lambda d: "refuted" in d.find_element(By.ID, "labels").text)
    _shot(browser, "claim")

    browser.get(f"{base}/agreement")
    cells = browser.find_elements(By.CSS_SELECTOR, "#vs-human tbody tr td")
    texts = [c.text for c in cells]
    assert texts[0] == result.model and int(texts[1]) >= min(2, len(rows)), texts
    _shot(browser, "agreement")
    assert all((SHOTS / f"{n}.png").stat().st_size > 5_000 for n in ("claims", "claim"))
