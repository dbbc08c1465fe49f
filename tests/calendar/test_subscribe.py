"""The subscribe block on a person's page: feed URL, webcal:// link, one line per calendar program."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from events.feeds import feed_token_for
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_subscribe_block_shows_feed_url_webcal_link_and_instructions(dst_event):
    reg = RegistrationFactory(event=dst_event)
    request = RequestFactory().get(f"/me/registrations/{reg.pk}/")
    request.user = reg.user
    html = render_to_string("calendar/_subscribe.html", {"registration": reg}, request=request)
    key = feed_token_for(reg.user).key
    assert f'value="http://testserver/calendar/feeds/{key}.ics"' in html
    assert f'href="webcal://testserver/calendar/feeds/{key}.ics"' in html
    assert "Outlook:" in html and "Google:" in html and "Apple:" in html
    assert 'action="/calendar/feeds/rotate/"' in html


def test_head_request_gets_headers_without_body(client, dst_event):
    response = client.head("/calendar/events/dst-fair.ics")
    assert response.status_code == 200
    assert response["ETag"] and response.content == b""


def test_registration_api_gives_absolute_feed_and_webcal_urls(api_client, token_for, dst_event, client):
    reg = RegistrationFactory(event=dst_event)
    response = api_client(token_for(reg.user)).get(f"/api/v1/registrations/{reg.pk}")
    assert response.status_code == 200
    body = response.json()
    key = feed_token_for(reg.user).key
    assert body["calendar_feed_url"] == f"http://testserver/calendar/feeds/{key}.ics"
    assert body["calendar_webcal_url"] == f"webcal://testserver/calendar/feeds/{key}.ics"
    assert client.get(body["calendar_feed_url"].removeprefix("http://testserver")).status_code == 200
