"""Bad input at the check-in pages: a clear 4xx, never a 500."""

from __future__ import annotations

import pytest

from tests.conftest import requires_postgres
from tests.factories import SessionFactory


@pytest.mark.parametrize("raw", ["²", "¹²"])
def test_poster_with_a_non_ascii_digit_session_is_not_found(actors, client, raw):
    # "²".isdigit() is True, but int("²") raises ValueError.
    SessionFactory(event=actors.event)
    client.force_login(actors.organiser)

    response = client.get(f"/checkin/{actors.event.slug}/poster/", {"session": raw})

    assert response.status_code == (400 if "\x00" in raw else 404)


@pytest.mark.parametrize("raw", ["-1", "x", "99999999999999999999999", "\x00"])
def test_poster_with_a_nonsense_session_is_not_found(actors, client, raw):
    client.force_login(actors.organiser)

    response = client.get(f"/checkin/{actors.event.slug}/poster/", {"session": raw})

    assert response.status_code == (400 if "\x00" in raw else 404)


@requires_postgres
@pytest.mark.parametrize("event", ["\x00", "a\x00b"])
def test_scan_naming_an_event_with_a_nul_is_not_found(actors, api_client, token_for, event):
    client = api_client(token_for(actors.organiser))

    response = client.post("/api/v1/checkin/scan", {"payload": "EE1.1.AAAAAAAAAA.1.AAAAAAAAAAAAAAAA", "event": event})

    assert response.status_code == 404
    assert response.json()["reason"] == "not_found"


DOOR_ENDPOINTS = ["scanner", "stream-ticket", "offline", "search?q=a", "counts", "scans", "devices"]


@requires_postgres
@pytest.mark.parametrize("endpoint", DOOR_ENDPOINTS)
def test_door_endpoints_with_a_nul_in_the_event_slug_are_not_found(actors, api_client, token_for, endpoint):
    client = api_client(token_for(actors.organiser))

    response = client.get(f"/api/v1/checkin/events/x%00y/{endpoint}")

    assert response.status_code == 404


@requires_postgres
@pytest.mark.parametrize("name", ["\x00", "Gate\x00A"])
def test_pairing_a_scanner_named_with_a_nul_is_invalid_input(actors, api_client, token_for, name):
    client = api_client(token_for(actors.organiser))

    response = client.post(f"/api/v1/checkin/events/{actors.event.slug}/devices", {"name": name})

    assert response.status_code == 422
    assert response.json()["reason"] == "validation"
