"""Venue posters: an attendee checks themselves in with one tap; nobody can check in someone else."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from checkin.models import Scan, SessionAttendance, Ticket
from tests.factories import SessionFactory


@pytest.fixture
def poster_url(live):
    organiser = Client()
    organiser.force_login(live.organiser)

    def make(session=None):
        query = f"?session={session.pk}" if session else ""
        page = organiser.get(f"/checkin/{live.event.slug}/poster/{query}")
        assert page.status_code == 200 and b"<svg" in page.content
        return re.search(r"data-poster-url>http://testserver([^<]+)<", page.content.decode()).group(1)

    return make


def test_attendee_checks_in_with_one_tap_from_the_poster(live, poster_url):
    url = poster_url()
    client = Client()
    client.force_login(live.candidate)
    page = client.get(url)
    assert page.status_code == 200 and "Check me in" in page.content.decode()
    done = client.post(url)
    assert done.status_code == 200 and 'data-result="ok"' in done.content.decode()
    ticket = Ticket.objects.get(registration__user=live.candidate)
    assert ticket.inside and ticket.first_in_gate == "self"
    assert Scan.objects.get(ticket=ticket).action == "self"
    assert 'data-result="already"' in client.post(url).content.decode()


def test_session_poster_records_session_attendance(live, poster_url):
    session = SessionFactory(event=live.event, starts_at=timezone.now())
    client = Client()
    client.force_login(live.candidate)
    client.post(poster_url(session))
    assert SessionAttendance.objects.filter(session=session, ticket__registration__user=live.candidate).exists()


def test_nobody_can_check_in_someone_else_or_without_signing_in(live, poster_url):
    url = poster_url()
    anonymous = Client()
    assert anonymous.post(url).status_code == 403
    outsider = Client()
    outsider.force_login(live.outsider)
    response = outsider.post(url, {"payload": "anything", "user": live.candidate.pk})
    assert response.status_code == 404 and 'data-reason="not_found"' in response.content.decode()
    assert not Ticket.objects.filter(registration__user=live.candidate, inside=True).exists()


def test_forged_or_foreign_poster_links_are_not_found(live, poster_url):
    url = poster_url()
    client = Client()
    client.force_login(live.candidate)
    assert client.get(url[:-3] + "xx/").status_code == 404
    assert client.get(url.replace("/job-fair/", "/other/")).status_code == 404
    assert client.get(f"/checkin/{live.event.slug}/poster/").status_code == 302  # organisers only
