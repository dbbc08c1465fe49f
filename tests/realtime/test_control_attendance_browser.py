"""On a real Daphne, in Chromium: the control room follows a session check-in and a booked meeting
without a reload, and without disturbing what the organiser is typing in the session table."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from checkin.selectors import ticket_payload
from checkin.services import ticket_issue
from events.models import Registration
from matching import meetings
from tests.browser import phone_page, wait_for_js
from tests.conftest import make_token, requires_chromium
from tests.factories import RoomFactory, SessionFactory
from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TV = {"viewport": {"width": 1280, "height": 720}, "screen": {"width": 1280, "height": 720}, "is_mobile": False}


@requires_chromium
@pytest.mark.browser
def test_control_room_session_row_shows_attendance_and_meetings_change_live(actors, daphne):  # noqa: F811
    event, now = actors.event, timezone.now()
    event.starts_at, event.ends_at, event.status = now - timedelta(hours=1), now + timedelta(hours=6), "live"
    event.save()
    workshop = SessionFactory(
        event=event, title="Python workshop", room=RoomFactory(event=event, name="Lab"), capacity=30,
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=50),
    )  # fmt: skip
    payload = ticket_payload(ticket_issue(registration=Registration.objects.get(event=event, user=actors.candidate)))
    build_fair(actors)
    request = meetings.meeting_request_create(
        event=event, organisation=actors.org_a, candidate=actors.candidate, sent_by="employer",
        requested_by=actors.employer_a,
    )  # fmt: skip
    door_token, candidate_token = make_token(actors.organiser), make_token(actors.candidate)
    cookie = session_cookie(actors.organiser).decode().split("=", 1)[1]
    cell = f'tr[data-session="{workshop.pk}"] td.attendance'

    with phone_page(**TV) as page:
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": daphne.url}])
        page.goto(daphne.url + "/events/job-fair/control")
        page.wait_for_selector('html[data-live="online"]')
        page.wait_for_selector(f'{cell}[data-present="0"][data-arrived="0"]')
        wait_for_js(page, "document.getElementById('f-booked').textContent === '0'")
        assert page.inner_text(f"{cell} b") == "0 of 30 here now"
        # The organiser is typing a delay in that row, and the page must not reload.
        page.evaluate("window.sameDocument = true")
        page.locator(f'tr[data-session="{workshop.pk}"] input[type="number"]').fill("17")

        scanned = httpx.post(
            f"{daphne.url}/api/v1/checkin/scan",
            json={"payload": payload, "event": "job-fair", "gate": "Lab door", "session": workshop.pk},
            headers={"Authorization": f"Bearer {door_token}"},
            timeout=10,
        )
        answered = time.monotonic()
        assert scanned.status_code == 201, scanned.text
        page.wait_for_selector(f'{cell}[data-present="1"][data-arrived="1"]', timeout=5_000)
        attendance_seconds = time.monotonic() - answered
        assert page.inner_text(f"{cell} b") == "1 of 30 here now"
        assert page.inner_text(f"{cell} small") == "1 checked in"
        assert page.inner_text("#f-present") == "1"

        accepted = httpx.post(
            f"{daphne.url}/api/v1/matching/requests/{request.pk}/accept",
            headers={"Authorization": f"Bearer {candidate_token}"},
            timeout=10,
        )
        answered = time.monotonic()
        assert accepted.status_code == 200, accepted.text
        # Pushed: the snapshot is reread only once a minute.
        wait_for_js(page, "document.getElementById('f-booked').textContent === '1'", timeout=5_000)
        meeting_seconds = time.monotonic() - answered

        assert page.evaluate("window.sameDocument") is True
        assert page.locator(f'tr[data-session="{workshop.pk}"] input[type="number"]').input_value() == "17"
        page.screenshot(path="/tmp/explorers-control-attendance.png", full_page=True)
    print(f"\nseen in the control room after the answer: check-in {attendance_seconds * 1000:.0f} ms, "
          f"meeting {meeting_seconds * 1000:.0f} ms")  # fmt: skip
