"""The live pages answer the right people and carry what their script needs."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _config(response) -> dict:
    match = re.search(r'<script id="live-config"[^>]*>(.*?)</script>', response.content.decode(), re.S)
    assert match, "the page carries no live configuration"
    return json.loads(match.group(1))


def test_control_room_is_for_organisers(actors):
    assert _client().get("/events/job-fair/control").status_code == 302
    assert _client(actors.employer_a).get("/events/job-fair/control").status_code == 403
    response = _client(actors.organiser).get("/events/job-fair/control")
    assert response.status_code == 200
    assert _config(response)["ws"] == "/ws/events/job-fair/control/"
    assert b"realtime/live.js" in response.content


def test_lobby_screen_needs_no_login_but_hides_drafts(actors):
    response = _client().get("/events/job-fair/screen")
    assert response.status_code == 200
    assert _config(response)["snapshot"] == "/api/v1/events/job-fair/live"
    actors.event.status = "draft"
    actors.event.save()
    assert _client().get("/events/job-fair/screen").status_code == 404


def test_my_day_asks_strangers_to_use_their_link(actors):
    assert _client().get("/me/day").status_code == 401
    response = _client(actors.candidate).get("/me/day")
    assert response.status_code == 200
    assert _config(response)["ws"] == "/ws/me/day/"


def test_pages_speak_arabic_right_to_left(actors):
    SessionFactory(event=actors.event, title="Keynote")
    client = _client(actors.organiser)
    client.cookies["django_language"] = "ar"
    for path in ("/events/job-fair/control", "/events/job-fair/screen", "/me/day"):
        html = client.get(path, headers={"accept-language": "ar"}).content.decode()
        assert 'dir="rtl"' in html, path
