"""Kurdish (Sorani) dates: Django's ckb formats and names on the pages; the live pages carry the names
their scripts need, since Chromium has no Kurdish locale data."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from django.test import Client

from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory


def _event():
    starts = datetime(2030, 12, 26, 6, 0, tzinfo=UTC)  # a Thursday, 09:00 in Baghdad
    event = EventFactory(slug="erbil", timezone="Asia/Baghdad", starts_at=starts, ends_at=starts + timedelta(hours=8))
    SessionFactory(event=event, title="Opening", starts_at=starts, ends_at=starts + timedelta(hours=1))
    return event


def test_the_event_page_in_kurdish_names_the_month_in_kurdish(db):
    _event()
    html = Client(headers={"accept-language": "ckb"}).get("/events/erbil/").content.decode()
    assert "بەفرانبار" in html
    assert not re.search(r"\b(December|Dec|Thu|Thursday)\b", html)


def test_the_live_pages_carry_kurdish_day_and_month_names_for_their_scripts(db):
    user = UserFactory(language="ckb")
    RegistrationFactory(event=_event(), user=user)
    client = Client(headers={"accept-language": "ckb"})
    client.force_login(user)
    html = client.get("/me/day").content.decode()
    names = json.loads(re.search(r'<script id="date-names" type="application/json">(.*?)</script>', html).group(1))
    assert names["months"][11] == "بەفرانبار" and names["weekdays"][3] == "پێنج"
    assert "%(weekday)s" in names["pattern"] and "%(month)s" in names["pattern"]
