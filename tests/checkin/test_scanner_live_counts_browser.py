"""On a real Daphne: the scanner page's gate counts follow the door live, over the WebSocket."""

from __future__ import annotations

import httpx
import pytest

from checkin import services
from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.servers import daphne  # noqa: F401  (the fixture)


@requires_chromium
@pytest.mark.browser
@pytest.mark.e2e
def test_gate_counts_on_the_scanner_follow_scans_from_every_phone(live, payload_of, daphne):  # noqa: F811
    mine, other = payload_of(live.candidate, live.event), payload_of(live.employer_a, live.event)
    _d1, phone = services.device_create(event=live.event, name="Phone 1", created_by=live.organiser)
    _d2, second_phone = services.device_create(event=live.event, name="Phone 2", created_by=live.organiser)

    with phone_page() as page:
        page.goto(f"{daphne.url}/checkin/{live.event.slug}/scan#device={phone}")
        page.fill("#ck-gate", "Main")
        page.click("#ck-setup button[type=submit]")
        wait_for_js(page, "document.getElementById('ck-gate-count').textContent === '0'", timeout=10_000)
        # This phone scans (a keyboard-wedge scanner: no camera in this test).
        page.keyboard.type(mine)
        page.keyboard.press("Enter")
        page.wait_for_selector("#ck-result[data-kind=ok]:not([hidden])")
        wait_for_js(page, "document.getElementById('ck-gate-count').textContent === '1'", timeout=5_000)
        # Another phone at the same gate scans: this page hears of it through the gate stream.
        answer = httpx.post(
            f"{daphne.url}/api/v1/checkin/scan",
            json={"payload": other, "event": live.event.slug, "gate": "Main"},
            headers={"Authorization": f"Bearer {second_phone}"},
            timeout=10,
        )
        assert answer.status_code == 201, answer.text
        wait_for_js(page, "document.getElementById('ck-gate-count').textContent === '2'", timeout=5_000)
        assert page.inner_text("#ck-present") == "2"
        assert page.evaluate("window.checkinScanner.lastCounts.gate") == "Main"
