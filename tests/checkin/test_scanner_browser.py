"""The scanner page in Debian Chromium with a fake camera showing a ticket QR: green, amber, offline."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.db import connections

from checkin import services
from checkin.models import Scan, Ticket
from checkin.selectors import event_for_scanning
from tests.browser import wait_for_js
from tests.checkin.camera import qr_video
from tests.conftest import CHROMIUM, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def browser_factory(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are plain
    # synchronous code all the same, so Django's guard against async callers does not apply.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as p:
        opened = []

        def launch(video):
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    "--use-fake-ui-for-media-stream",
                    "--use-fake-device-for-media-stream",
                    f"--use-file-for-fake-video-capture={video}",
                ],
            )
            opened.append(browser)
            return browser

        yield launch
        for browser in opened:
            browser.close()
        # While Playwright's loop runs, Django keeps this test's ORM calls on a connection of their
        # own (asgiref locals follow the async context); close it, or PostgreSQL cannot drop the
        # test database at the end of the run.
        connections.close_all()


def test_camera_scan_is_green_then_amber_and_offline_scans_sync_later(
    live, live_server, payload_of, browser_factory, tmp_path
):
    base = live_server.url.replace("localhost", "127.0.0.1")
    ticket_a = payload_of(live.candidate, live.event)
    ticket_b = payload_of(live.employer_a, live.event)
    ticket_c = payload_of(live.employer_b, live.event)
    _device, token = services.device_create(event=live.event, name="Door phone", created_by=live.organiser)

    browser = browser_factory(qr_video(tmp_path / "ticket.y4m", ticket_a))
    context = browser.new_context(
        viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True, permissions=["camera"]
    )
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))

    page.goto(f"{base}/checkin/{live.event.slug}/scan#device={token}")
    page.fill("#ck-gate", "Main")
    page.click("#ck-setup button[type=submit]")

    # First pass of the ticket in front of the camera: green, with the name.
    result = page.locator("#ck-result")
    page.wait_for_selector("#ck-result[data-kind=ok]:not([hidden])", timeout=30_000)
    assert "Zainab Candidate" in page.inner_text("#ck-result-name")
    assert page.evaluate("window.checkinScanner.decoder") == "zxing-wasm"
    # The code leaves the picture and comes back: amber, with the first time and gate.
    page.wait_for_selector("#ck-result[hidden]", state="attached", timeout=10_000)
    page.wait_for_selector("#ck-result[data-kind=already]:not([hidden])", timeout=30_000)
    assert "Main" in page.inner_text("#ck-result-detail")
    ticket = Ticket.objects.get(registration__user=live.candidate)
    assert ticket.inside and ticket.first_in_gate == "Main"
    assert Scan.objects.filter(ticket=ticket, result="ok").count() == 1

    # Someone checks C in at another gate while this phone still has the old list.
    event = event_for_scanning(slug=live.event.slug)
    services.checkin_scan(event=event, payload=ticket_c, gate="VIP", user=live.organiser)

    # The network drops. A hardware scanner (keyboard wedge) reads B, then C: both verified locally.
    page.wait_for_selector("#ck-result[hidden]", state="attached", timeout=10_000)
    context.set_offline(True)
    wait_for_js(page, "!window.checkinScanner.online", timeout=10_000)
    page.keyboard.type(ticket_b)
    page.keyboard.press("Enter")
    page.wait_for_selector("#ck-result[data-kind=ok]:not([hidden])", timeout=10_000)
    assert "Aistė Employer" in page.inner_text("#ck-result-name")
    result.click()
    page.keyboard.type(ticket_c)
    page.keyboard.press("Enter")
    page.wait_for_selector("#ck-result[data-kind=ok]:not([hidden])", timeout=10_000)
    result.click()
    assert page.evaluate("JSON.parse(localStorage.getItem('ck:queue:job-fair')).length") == 2
    assert not Ticket.objects.get(registration__user=live.employer_a).inside

    # The network returns: the queue syncs once, and C's clash is shown to the operator.
    context.set_offline(False)
    wait_for_js(page, "JSON.parse(localStorage.getItem('ck:queue:job-fair')).length === 0", timeout=20_000)
    b = Ticket.objects.get(registration__user=live.employer_a)
    assert b.inside and b.first_in_gate == "Main"
    assert Scan.objects.filter(ticket=b, result="ok").count() == 1
    page.wait_for_selector("#ck-conflicts:not([hidden])", timeout=10_000)
    assert "Bashir Employer" in page.inner_text("#ck-conflict-list")
    assert Ticket.objects.get(registration__user=live.employer_b).first_in_gate == "VIP"

    # The phone reloads the page at a venue without network: the service worker serves the page and
    # the decoder, and the offline list (refreshed after the sync) knows B is already in.
    wait_for_js(page, "navigator.serviceWorker.controller !== null", timeout=10_000)
    context.set_offline(True)
    page.reload()
    wait_for_js(page, "window.checkinScanner && window.checkinScanner.ready", timeout=10_000)
    page.keyboard.type(ticket_b)
    page.keyboard.press("Enter")
    page.wait_for_selector("#ck-result[data-kind=already]:not([hidden])", timeout=10_000)
    assert "Aistė Employer" in page.inner_text("#ck-result-name")
    context.set_offline(False)

    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, requests
    assert any(u.endswith("/static/vendor/zxing_reader.wasm") for u in requests)
