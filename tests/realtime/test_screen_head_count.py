"""On a real Daphne, in Chromium: the lobby screen's head count follows the door without a reload."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from checkin.selectors import ticket_payload
from checkin.services import ticket_issue
from events.models import Registration
from tests.browser import phone_page, wait_for_js
from tests.conftest import make_token, requires_chromium
from tests.servers import DaphneServer, child_env, running

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TV = {"viewport": {"width": 1280, "height": 720}, "screen": {"width": 1280, "height": 720}, "is_mobile": False}


@requires_chromium
@pytest.mark.browser
def test_lobby_screen_head_count_follows_arrivals(actors):
    event, now = actors.event, timezone.now()
    event.starts_at, event.ends_at, event.status = now - timedelta(hours=1), now + timedelta(hours=6), "live"
    event.save()
    payloads = [
        ticket_payload(ticket_issue(registration=Registration.objects.get(event=event, user=user)))
        for user in (actors.candidate, actors.employer_a)
    ]
    door = make_token(actors.organiser)
    server = DaphneServer(env=child_env(TEST_PUBLIC_COUNTS="1"))
    with running(server), phone_page(**TV) as page:
        page.goto(server.url + "/events/job-fair/screen")
        page.wait_for_selector('html[data-live="online"]')
        present = "document.querySelectorAll('#counts b')[1]"
        wait_for_js(page, f"{present} && {present}.textContent === '0'")
        for n, payload in enumerate(payloads, start=1):
            answer = httpx.post(
                f"{server.url}/api/v1/checkin/scan",
                json={"payload": payload, "event": "job-fair", "gate": "Main"},
                headers={"Authorization": f"Bearer {door}"},
                timeout=30,
            )
            assert answer.status_code == 201, answer.text
            wait_for_js(page, f"{present}.textContent === '{n}'", timeout=5_000)
        # No reload happened: the page's own state carried the change.
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
