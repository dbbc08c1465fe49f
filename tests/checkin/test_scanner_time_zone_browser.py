"""The scanner shows times on the event's clock, not the phone's (a UTC phone at a Baghdad fair)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from checkin import services
from events.models import User
from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.factories import EventFactory, SessionFactory

pytestmark = [pytest.mark.browser, requires_chromium]


def test_a_0900_baghdad_session_reads_0900_on_a_utc_phone(live_server, transactional_db):
    baghdad = timezone.get_fixed_timezone(180)  # Asia/Baghdad: UTC+3 all year
    day = timezone.now().astimezone(baghdad).date() + timedelta(days=1)
    nine = datetime(day.year, day.month, day.day, 9, 0, tzinfo=baghdad)
    event = EventFactory(
        slug="baghdad-fair", timezone="Asia/Baghdad", starts_at=nine, ends_at=nine + timedelta(hours=8)
    )
    SessionFactory(event=event, title="Opening", starts_at=nine, ends_at=nine + timedelta(minutes=30))
    organiser = User.objects.create_user(email="org@example.org", password="x", is_staff=True)
    _device, token = services.device_create(event=event, name="Door phone", created_by=organiser)
    base = live_server.url.replace("localhost", "127.0.0.1")

    with phone_page(timezone_id="UTC") as page:
        page.goto(f"{base}/checkin/baghdad-fair/scan#device={token}")
        option = wait_for_js(
            page,
            "() => { const o = [...document.querySelectorAll('#ck-session option')].find("
            "x => x.textContent.startsWith('Opening')); return o && o.textContent; }",
        )
        phone_hour = page.evaluate("() => new Date().getTimezoneOffset()")

    assert phone_hour == 0  # the phone really is on UTC, where the session starts at 06:00
    assert option == "Opening · 09:00"
