"""Lighthouse's "Enable text compression" audit, asserted directly (Lighthouse itself is not installed
in CI): every attendee page is sent compressed to a browser that accepts gzip."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from events.models import Registration

pytestmark = pytest.mark.django_db


def _pages(actors) -> list[tuple[str, object]]:
    registration = Registration.objects.get(event=actors.event, user=actors.candidate)
    return [
        ("/events/job-fair/", None),
        ("/events/job-fair/register/", None),
        ("/me/sign-in/", None),
        ("/me/", actors.candidate),
        (f"/me/registrations/{registration.pk}/", actors.candidate),
        ("/me/day", actors.candidate),
        ("/checkin/job-fair/scan", actors.organiser),
    ]


def test_attendee_pages_are_sent_compressed(actors):
    uncompressed = []
    for path, user in _pages(actors):
        client = Client(headers={"accept-encoding": "gzip, deflate, br"})
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        encoding = response.headers.get("Content-Encoding", "")
        if encoding not in ("gzip", "br"):
            uncompressed.append(path)
        elif encoding == "gzip":
            assert b"<html" in gzip.decompress(response.content), path
    assert uncompressed == [], f"sent uncompressed: {uncompressed}"
