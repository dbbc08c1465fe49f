"""Shared Playwright helper: Debian Chromium on a phone-sized screen.

Usage in a browser test (pytest-django's live_server needs transactional_db):

    import pytest
    from tests.browser import phone_page
    from tests.conftest import requires_chromium

    @requires_chromium
    @pytest.mark.browser
    def test_something(live_server, transactional_db):
        event = EventFactory()                      # 1. write what the page needs
        with phone_page(locale="ar") as page:       # 2. then drive the browser
            page.goto(live_server.url + "/")
            page.screenshot(path="/tmp/something.png")
        assert Registration.objects.exists()        # 3. check the database after the block

Why the three steps: Playwright's sync API runs an asyncio event loop in the test's thread, and
Django refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation). Do the
database work before `phone_page()` is entered or after it is left, never inside it.

`phone_page()` launches the system Chromium (`/usr/bin/chromium`, what Debian's `chromium` package
installs; Playwright's own browser downloads are not used), with flags that keep it quiet and
sandbox-free in a container, and opens one page with a 412x915 touch viewport (a mid-range Android
phone) and `is_mobile=True`. Every keyword argument besides `locale` and `headless` goes to
`browser.new_context()`, so a test may change `viewport`, `device_scale_factor`, `timezone_id`...
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 412, "height": 915},
    "screen": {"width": 412, "height": 915},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Mobile Safari/537.36"
    ),
}
# Fails a stuck step sooner than Playwright's default 30 s, yet leaves room for a loaded CI machine.
DEFAULT_TIMEOUT_MS = 20_000


def chromium_path() -> str:
    import os

    for path in CHROMIUM_PATHS:
        if os.path.exists(path):
            return path
    found = shutil.which("chromium")
    if found:
        return found
    raise RuntimeError("Debian chromium is not installed (apt-get install chromium)")


@contextmanager
def phone_page(*, locale: str = "en-GB", headless: bool = True, **context_options: Any) -> Iterator[Any]:
    """A Playwright page in Debian Chromium with a phone viewport; closes everything on exit."""
    from playwright.sync_api import sync_playwright

    options = {**PHONE, "locale": locale, **context_options}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=headless)
        try:
            context = browser.new_context(**options)
            context.set_default_timeout(DEFAULT_TIMEOUT_MS)
            page = context.new_page()
            yield page
            context.close()
        finally:
            browser.close()


def wait_for_js(page: Any, expression: str, *, timeout: float = DEFAULT_TIMEOUT_MS) -> Any:
    """Wait until a JavaScript expression (or `() => …` function) is truthy in the page; its value.

    Instead of Playwright's `page.wait_for_function`, which polls with `eval()` inside the page: the
    Content-Security-Policy forbids that there, as it should. `page.evaluate` goes through the DevTools
    protocol, which the policy does not govern. A page that is navigating meanwhile is asked again.
    """
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            value = page.evaluate(expression)
        except Error as exc:
            if time.monotonic() > deadline:
                raise
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression!r} still not true after {timeout:.0f} ms")
        page.wait_for_timeout(50)
