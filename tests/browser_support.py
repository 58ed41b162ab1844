"""Browser tests: a live server in a thread and Debian's Chromium driven by Playwright (no downloads).

Use in a test module:

    from tests.browser_support import browser_page, live_server, login, requires_chromium, screenshot

    @pytest.mark.browser
    @requires_chromium
    def test_something(app, live_server):        # live_server: the base URL, e.g. http://127.0.0.1:40123
        ...create data in app.app_context() and COMMIT it before the browser acts...
        with browser_page() as page:             # browser_page(PHONE) for a 375 px wide phone
            login(page, live_server, "worker1")
            page.goto(f"{live_server}/...")
            screenshot(page, "feature-desktop")   # saved to test-artifacts/feature-desktop.png

The server runs the session's `app` (same database file: the test's writes must be committed first, and the
server's writes are visible to the test once the request has returned). Console errors, such as a Content
Security Policy violation, are collected on `page.console_errors` so a test can assert there are none.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
DESKTOP = (1280, 900)
PHONE = (375, 812)

requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium: apt-get install chromium fonts-dejavu-core",
)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve the test app on a free port of 127.0.0.1 in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def browser_page(viewport: tuple[int, int] = DESKTOP, locale: str = "vi-VN") -> Iterator[Any]:
    """A fresh Chromium page of the given size; closed (with its browser) on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            width, height = viewport
            context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.console_errors = []
            page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
            yield page
            context.close()
        finally:
            browser.close()


def login(page: Any, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form and wait until the app has left the login page."""
    page.goto(f"{base_url}/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/NAME.png (the folder is not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
